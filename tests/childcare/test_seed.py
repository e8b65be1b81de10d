"""The demo's children carry the records of every step they reached, and a re-run adds none."""

from __future__ import annotations

import pytest

from corridor.cases.models import Case, ChildStep
from corridor.childcare.models import (
    BestInterestAssessment,
    BestInterestDetermination,
    FollowUpVisit,
    HandOver,
    Placement,
    TracingAction,
)

pytestmark = pytest.mark.django_db


def test_demo_children_carry_their_records(db):
    from corridor.accounts.seed import seed_accounts
    from corridor.cases.seed import seed_cases
    from corridor.childcare.seed import seed
    from corridor.referrals.seed import seed_providers

    seed_accounts()
    seed_providers()
    seed_cases()
    first = seed()
    assert first["children"] == Case.objects.filter(is_child=True).count() > 0
    assert seed() == {"children": 0}
    returned = Case.objects.filter(is_child=True, returned_on__isnull=False)
    assert returned.exists()
    for case in returned:
        # The walk recorded the panel's determination, approved, before it moved the child home.
        determination = BestInterestDetermination.objects.get(case=case, decision="return")
        assert determination.approval.decision == "approved"
        moved = case.stage_changes.get(field="child_step", to_value=ChildStep.RETURN).at
        assert determination.decided_on <= moved.date()
        assert not case.approvals.filter(kind="bid").exclude(pk=determination.approval_id)
        assert HandOver.objects.get(case=case).countersigned
    determined = Case.objects.filter(is_child=True, stage_changes__to_value=ChildStep.BID)
    for case in determined.distinct():
        bia = BestInterestAssessment.objects.filter(case=case).first()
        assert bia is not None and bia.approved
        assert TracingAction.objects.filter(case=case).exists()
    assert Placement.objects.filter(kind="shelter").exists()
    assert Placement.objects.exclude(kind="shelter").exists()
    visits = FollowUpVisit.objects.all()
    assert visits.filter(reintegrated=True).exists() and visits.filter(month=6).exists()
    assert first["visits"] == visits.count()
    from corridor.core.stats import stats_sections

    figures = stats_sections(["childcare"])["childcare"]
    assert figures["follow_up_visits"] == visits.count()
    assert figures["handovers"] == figures["handovers_countersigned"] == returned.count()
