"""Each form's rules, through the services: what is refused is refused with a message naming
the field, and nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.cases import services as case_services
from corridor.cases.models import Approval, ChildStep
from corridor.childcare import scoring, services
from corridor.childcare.models import (
    BestInterestDetermination,
    FamilyAssessment,
    FollowUpVisit,
    Placement,
    TracingAction,
)
from corridor.referrals.models import ServiceProvider
from tests.childcare.conftest import (
    RATINGS,
    TODAY,
    approve,
    assessment,
    day,
    determination,
    family,
)

pytestmark = pytest.mark.django_db


def test_assessment_asks_a_supervisor_and_is_approved_through_the_case_approvals(
    child, worker, supervisor
):
    bia = assessment(child, worker)
    assert bia.approval.kind == Approval.Kind.BIA and bia.decision == "pending"
    approve(bia.approval, supervisor)
    bia.refresh_from_db()
    assert bia.approved


def test_a_determination_without_an_approved_assessment_is_refused(child, worker):
    with pytest.raises(ValidationError, match="assessment approved"):
        determination(child, worker)
    assessment(child, worker)  # waiting for the supervisor: still refused
    with pytest.raises(ValidationError, match="assessment approved"):
        determination(child, worker)
    assert not BestInterestDetermination.objects.exists()


def test_a_determination_for_return_needs_the_family_assessment_of_the_area_of_origin(
    child, worker, supervisor
):
    approve(assessment(child, worker).approval, supervisor)
    with pytest.raises(ValidationError, match="family assessment"):
        determination(child, worker)
    # Alternative care needs none.
    other = determination(child, worker, decision="kinship")
    assert other.family_assessment is None
    approve(other.approval, supervisor)


def test_a_family_assessment_received_from_the_peer_is_enough(child, worker, supervisor):
    approve(assessment(child, worker).approval, supervisor)
    family(child, worker, source="peer", received_from="gabon")
    bid = determination(child, worker)
    assert bid.family_assessment.source == FamilyAssessment.Source.PEER
    assert bid.approval.kind == Approval.Kind.BID


def test_determination_form_rules(child, worker, supervisor):
    approve(assessment(child, worker).approval, supervisor)
    family(child, worker)
    cases = [
        ({"panel": [{"name": "Seul", "role": "président"}]}, "panel"),
        ({"panel": [{"name": "A", "role": ""}, {"name": "B", "role": "x"}]}, "panel"),
        ({"options_considered": ["return"]}, "options_considered"),
        ({"options_considered": ["kinship", "foster"]}, "options_considered"),
        ({"child_heard": False}, "heard_how"),
        ({"child_heard": True, "heard_how": "not_heard"}, "heard_how"),
        ({"reasons": "  "}, "reasons"),
        ({"decided_on": day(10)}, "decided_on"),  # before the assessment
        ({"decision": "elsewhere"}, "decision"),
    ]
    for change, field in cases:
        with pytest.raises(ValidationError) as refused:
            determination(child, worker, **change)
        assert field in refused.value.message_dict, change
    assert not BestInterestDetermination.objects.exists()
    assert child.approvals.filter(kind=Approval.Kind.BID).count() == 0


def test_the_bid_approval_opens_the_move_to_return(child, worker, supervisor):
    approve(assessment(child, worker).approval, supervisor)
    family(child, worker)
    bid = determination(child, worker)
    for step in (ChildStep.EMERGENCY, ChildStep.STUDY):
        case_services.case_transition(actor=worker, case=child, to=step)
    case_services.consent_record(
        actor=worker, case=child, purpose="family_tracing", legal_ground="vital_interest"
    )
    child = case_services.case_transition(actor=worker, case=child, to=ChildStep.TRACING)
    child = case_services.case_transition(actor=worker, case=child, to=ChildStep.BID)
    with pytest.raises(ValidationError, match="best-interest determination"):
        case_services.case_transition(actor=worker, case=child, to=ChildStep.ALTERNATIVE_CARE)
    approve(bid.approval, supervisor)
    moved = case_services.case_transition(actor=worker, case=child, to=ChildStep.ALTERNATIVE_CARE)
    assert moved.child_step == ChildStep.ALTERNATIVE_CARE


def test_family_assessment_rules(child, worker):
    with pytest.raises(ValidationError) as refused:
        family(child, worker, caregiver_able=False)
    assert "recommendation" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        family(child, worker, source="peer")
    assert "received_from" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        family(child, worker, household="")
    assert "household" in refused.value.message_dict
    assert not FamilyAssessment.objects.exists()


def test_tracing_actions_and_the_conflict_of_an_edit_made_against_an_old_version(child, worker):
    action = services.tracing_action_record(
        actor=worker,
        case=child,
        date=day(5),
        action="Appel au chef de village",
        place="Kpalimé",
        who="Assistante sociale",
        outcome="lead",
    )
    with pytest.raises(ValidationError) as refused:
        services.tracing_action_record(
            actor=worker, case=child, date=day(-1), action="x", who="y", outcome="lead"
        )
    assert "date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.tracing_action_record(
            actor=worker, case=child, date=TODAY, action="x", who="y", outcome="maybe"
        )
    assert "outcome" in refused.value.message_dict
    updated = services.tracing_action_update(
        actor=worker, record=action, expected_version=1, outcome="family_found"
    )
    assert updated.version == 2 and updated.outcome == "family_found"
    with pytest.raises(ValidationError, match="Conflict"):
        services.tracing_action_update(
            actor=worker, record=action, expected_version=1, outcome="dead_end"
        )
    assert TracingAction.objects.get().outcome == "family_found"


def test_only_a_manager_of_a_childs_case_writes(child, adult_case, people, worker):
    for outsider in (people["other_agency.caseworker"], people["border_officer"]):
        with pytest.raises(PermissionDenied):
            services.tracing_action_record(
                actor=outsider, case=child, date=TODAY, action="x", who="y", outcome="lead"
            )
    with pytest.raises(ValidationError, match="child"):
        services.tracing_action_record(
            actor=worker, case=adult_case, date=TODAY, action="x", who="y", outcome="lead"
        )


@pytest.fixture
def shelter(db):
    return ServiceProvider.objects.create(
        name="Foyer de démonstration", country="TG", services=["Shelter"], capacity=1
    )


def test_placements_one_at_a_time_within_the_shelters_capacity(child, worker, shelter, people):
    placement = services.placement_start(
        actor=worker,
        case=child,
        kind="shelter",
        provider=shelter,
        start_on=day(2),
        review_dates=[day(32)],
        caregiver="Éducatrice",
    )
    with pytest.raises(ValidationError, match="still in a placement"):
        services.placement_start(actor=worker, case=child, kind="kinship", start_on=day(3))

    other = case_services.case_open(
        actor=worker, person=child.person, identified_on=day(0), caseload=child.caseload
    )
    with pytest.raises(ValidationError, match="full"):
        services.placement_start(
            actor=worker, case=other, kind="shelter", provider=shelter, start_on=day(4)
        )
    with pytest.raises(ValidationError) as refused:
        services.placement_start(actor=worker, case=other, kind="shelter", start_on=day(4))
    assert "provider" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.placement_start(
            actor=worker, case=other, kind="kinship", start_on=day(4), review_dates=[day(1)]
        )
    assert "review_dates" in refused.value.message_dict
    changed = services.placement_update(
        actor=worker,
        placement=placement,
        expected_version=1,
        caregiver="Autre",
        caregiver_from=day(10),
    )
    assert [c["to"] for c in changed.caregivers] == [day(10).isoformat(), None]
    with pytest.raises(ValidationError) as refused:
        services.placement_update(
            actor=worker, placement=placement, expected_version=2, end_on=day(1), end_reason="x"
        )
    assert "end_on" in refused.value.message_dict
    ended = services.placement_update(
        actor=worker, placement=placement, expected_version=2, end_on=day(40), end_reason="Retour"
    )
    assert ended.end_on == day(40) and ended.caregivers[-1]["to"] == day(40).isoformat()
    assert Placement.objects.count() == 1


def visit(case, worker, **over):
    data = {
        "month": 3,
        "visited_on": day(130),
        "living_with": "parents",
        "schooling": "school",
        "safety": "safe",
        "ratings": dict(RATINGS),
        "childs_account": "Je vais à l'école.",
    }
    return services.visit_record(actor=worker, case=case, **{**data, **over})


def test_a_visit_dated_before_the_placement_is_refused(child, worker):
    with pytest.raises(ValidationError, match="neither is recorded"):
        visit(child, worker)
    placement = services.placement_start(actor=worker, case=child, kind="kinship", start_on=day(60))
    with pytest.raises(ValidationError) as refused:
        visit(child, worker, visited_on=day(50), placement=placement)
    assert "visited_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        visit(child, worker, visited_on=day(50))
    assert "visited_on" in refused.value.message_dict
    assert visit(child, worker, visited_on=day(60), placement=placement).placement == placement
    assert FollowUpVisit.objects.count() == 1


def test_a_score_outside_its_scale_is_refused(child, worker):
    services.placement_start(actor=worker, case=child, kind="kinship", start_on=day(60))
    for bad in (0, 6, -1, "4", None, True):
        with pytest.raises(ValidationError) as refused:
            visit(child, worker, ratings={**RATINGS, "psy_safety": bad})
        assert "psy_safety" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        visit(child, worker, month=9)
    assert "month" in refused.value.message_dict
    assert not FollowUpVisit.objects.exists()


def test_the_visit_scores_and_completes_its_follow_up_task_and_a_stale_edit_conflicts(
    child, worker
):
    child.returned_on = day(100)
    child.save(update_fields=["returned_on"])
    from corridor.cases.services.workflow import _create_follow_up_tasks

    _create_follow_up_tasks(child, child.returned_on)
    recorded = visit(child, worker)
    # economic (3/4 + 4/4)/2 = .875; social (3/4 + 2/4)/2 = .625; psychosocial (3+4+3)/12 = .833
    assert (recorded.economic_score, recorded.social_score, recorded.psychosocial_score) == (
        Decimal("0.875"),
        Decimal("0.625"),
        Decimal("0.833"),
    )
    assert recorded.score == Decimal("0.778") and recorded.reintegrated
    task = child.tasks.order_by("due_on").first()
    assert task.done_on == day(130)
    with pytest.raises(ValidationError, match="already recorded"):
        visit(child, worker)
    services.visit_update(actor=worker, visit=recorded, expected_version=1, living_with="left")
    recorded.refresh_from_db()
    assert recorded.version == 2 and not recorded.reintegrated
    with pytest.raises(ValidationError, match="Conflict"):
        services.visit_update(actor=worker, visit=recorded, expected_version=1, safety="unsafe")


def test_scoring_rule():
    low = dict.fromkeys(scoring.ITEMS, 1)
    assert (
        scoring.score(low, "parents")["score"] == 0
        and not scoring.score(low, "parents")["reintegrated"]
    )
    high = dict.fromkeys(scoring.ITEMS, 5)
    assert scoring.score(high, "parents")["reintegrated"]
    assert not scoring.score(high, "retrafficked")["reintegrated"]
    # a good average with one dimension below the floor does not count
    lopsided = {**high, "econ_needs": 1, "econ_learning": 1}
    result = scoring.score(lopsided, "parents")
    assert result["score"] == Decimal("0.667") and not result["reintegrated"]
