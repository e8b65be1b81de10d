"""The demo's governance data: idempotent, and its expired intelligence agreement refuses a send
while the agreement in force lets a referral through."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from corridor.federation.models import Peer
from corridor.governance import agreements, seeding
from corridor.governance.models import Agreement, JointFigures, RetentionRule

pytestmark = [pytest.mark.django_db, pytest.mark.no_standing_agreement]


def test_seed_is_idempotent_and_the_expired_agreement_refuses(people):
    first = seeding.seed()
    assert first["agreements"] == 2 and first["retention rules"] == 4
    assert seeding.seed_joint() == {"joint figures": 1}
    assert set(seeding.seed().values()) == {0} and seeding.seed_joint() == {"joint figures": 0}
    assert Agreement.objects.count() == 2 and RetentionRule.objects.count() == 4
    assert JointFigures.objects.count() == 1
    gabon = Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    agreements.check_send(peer=gabon, type="referral.create", payload={})
    with pytest.raises(ValidationError, match="TG-GA-RENS-2021 expired on"):
        agreements.check_send(peer=gabon, type="intel.request", payload={})


def test_seed_framework_gives_late_activities_meetings_and_a_year_of_values(people):
    from corridor.governance import framework
    from corridor.governance.models import (
        CommitteeMeeting,
        IndicatorValue,
        LegalInstrument,
        PlanActivity,
    )

    first = seeding.seed_framework()
    assert first["plan activities"] == PlanActivity.objects.count() > 0
    assert first["legal texts"] == LegalInstrument.objects.count() > 0
    assert CommitteeMeeting.objects.filter(origin="togo").count() == 1
    assert IndicatorValue.objects.filter(source="manual").count() == 1
    assert IndicatorValue.objects.filter(source="computed").exists()
    late = framework.late_items(people["coordinator"])
    assert len(late["activities"]) >= 2 and late["decisions"] and late["instruments"]
    assert set(seeding.seed_framework().values()) == {0}
