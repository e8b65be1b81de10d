"""The transition tables walked whole: every allowed move works, every other move is refused and
changes nothing; the preconditions (consent, approvals, caregiver) gate the moves they guard."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.audit.models import AuditEntry
from corridor.cases import services
from corridor.cases.models import (
    CHILD_FLOW,
    STAGE_FLOW,
    Approval,
    Case,
    ChildStep,
    Stage,
    Status,
    Task,
)
from corridor.people.services import person_add_relationship
from tests.factories import approved_determination, guardian_consent

pytestmark = pytest.mark.django_db


def _satisfy_everything(case, people):
    """Give the case every consent and approval, so only the table decides."""
    worker, supervisor = people["caseworker"], people["supervisor"]
    for purpose in ("family_tracing", "return"):
        if case.is_child:
            guardian_consent(case, worker, purpose)
        else:
            services.consent_record(actor=worker, case=case, purpose=purpose)
    approval = services.approval_request(actor=worker, case=case, kind=Approval.Kind.CLOSURE)
    services.approval_decide(actor=supervisor, approval=approval, decision="approved", comment="ok")
    if case.is_child:
        approved_determination(case, worker, supervisor)
    if case.is_child:
        mother = person_add_relationship(
            actor=worker, person=case.person, kind="mother", relative_name="Afi AKUÉ"
        )
        services.case_set_caregiver(
            actor=worker, case=case, caregiver=mother, agreed=True, able=True
        )


@pytest.mark.parametrize(
    "table,field,kind", [(CHILD_FLOW, "child_step", "child"), (STAGE_FLOW, "stage", "adult")]
)
def test_every_allowed_and_forbidden_transition(people, child_case, adult_case, table, field, kind):
    case = child_case if kind == "child" else adult_case
    _satisfy_everything(case, people)
    worker = people["caseworker"]
    for source in table:
        for target in table:
            Case.objects.filter(pk=case.pk).update(**{field: source}, status=Status.ACTIVE)
            case.refresh_from_db()
            before = AuditEntry.objects.count()
            if target in table[source]:
                moved = services.case_transition(actor=worker, case=case, to=target)
                assert getattr(moved, field) == target
            else:
                with pytest.raises(ValidationError):
                    services.case_transition(actor=worker, case=case, to=target)
                case.refresh_from_db()
                assert getattr(case, field) == source
                assert AuditEntry.objects.count() == before


def test_tracing_needs_consent(people, child_case):
    worker = people["caseworker"]
    for step in (ChildStep.EMERGENCY, ChildStep.STUDY):
        child_case = services.case_transition(actor=worker, case=child_case, to=step)
    with pytest.raises(ValidationError, match="family tracing"):
        services.case_transition(actor=worker, case=child_case, to=ChildStep.TRACING)
    guardian_consent(child_case, worker, "family_tracing")
    assert (
        services.case_transition(actor=worker, case=child_case, to=ChildStep.TRACING).child_step
        == ChildStep.TRACING
    )


def test_return_needs_approved_bid_and_a_caregiver_who_agreed_and_is_able(people, child_case):
    worker, supervisor = people["caseworker"], people["supervisor"]
    Case.objects.filter(pk=child_case.pk).update(child_step=ChildStep.BID)
    child_case.refresh_from_db()
    guardian_consent(child_case, worker, "return")
    with pytest.raises(ValidationError, match="best-interest determination"):
        services.case_transition(actor=worker, case=child_case, to=ChildStep.RETURN)
    approved_determination(child_case, worker, supervisor)
    with pytest.raises(ValidationError, match="caregiver"):
        services.case_transition(actor=worker, case=child_case, to=ChildStep.RETURN)
    mother = person_add_relationship(
        actor=worker, person=child_case.person, kind="mother", relative_name="Afi AKUÉ"
    )
    services.case_set_caregiver(
        actor=worker, case=child_case, caregiver=mother, agreed=True, able=False
    )
    with pytest.raises(ValidationError, match="able"):
        services.case_transition(actor=worker, case=child_case, to=ChildStep.RETURN)
    services.case_set_caregiver(
        actor=worker, case=child_case, caregiver=mother, agreed=True, able=True
    )
    case = services.case_transition(actor=worker, case=child_case, to=ChildStep.RETURN)
    assert case.stage == Stage.RETURN


def test_a_bare_bid_approval_opens_neither_return_nor_alternative_care(people, child_case):
    """An approval of kind BID asked from the case page or the API, with no panel record
    behind it, is not a determination: it opens nothing, and the supervisor is warned."""
    worker, supervisor = people["caseworker"], people["supervisor"]
    Case.objects.filter(pk=child_case.pk).update(child_step=ChildStep.BID)
    child_case.refresh_from_db()
    guardian_consent(child_case, worker, "return")
    mother = person_add_relationship(
        actor=worker, person=child_case.person, kind="mother", relative_name="Afi AKUÉ"
    )
    services.case_set_caregiver(
        actor=worker, case=child_case, caregiver=mother, agreed=True, able=True
    )
    bare = services.approval_request(actor=worker, case=child_case, kind=Approval.Kind.BID)
    assert any("panel" in w for w in services.approval_prerequisites(child_case, "bid"))
    services.approval_decide(actor=supervisor, approval=bare, decision="approved", comment="ok")
    for step in (ChildStep.RETURN, ChildStep.ALTERNATIVE_CARE):
        with pytest.raises(ValidationError, match="record of that determination"):
            services.case_transition(actor=worker, case=child_case, to=step)
        child_case.refresh_from_db()
        assert child_case.child_step == ChildStep.BID


def test_a_determination_for_foster_care_opens_alternative_care_not_return(people, child_case):
    worker, supervisor = people["caseworker"], people["supervisor"]
    Case.objects.filter(pk=child_case.pk).update(child_step=ChildStep.BID)
    child_case.refresh_from_db()
    guardian_consent(child_case, worker, "return")
    record = approved_determination(child_case, worker, supervisor, decision="foster")
    with pytest.raises(ValidationError, match="deciding return"):
        services.case_transition(actor=worker, case=child_case, to=ChildStep.RETURN)
    moved = services.case_transition(actor=worker, case=child_case, to=ChildStep.ALTERNATIVE_CARE)
    assert moved.child_step == ChildStep.ALTERNATIVE_CARE and record.decision == "foster"


def test_reintegration_creates_follow_up_visits_at_3_6_12_months(people, child_case):
    worker = people["caseworker"]
    Case.objects.filter(pk=child_case.pk).update(child_step=ChildStep.RETURN)
    child_case.refresh_from_db()
    case = services.case_transition(actor=worker, case=child_case, to=ChildStep.REINTEGRATION)
    visits = list(Task.objects.filter(case=case, kind=Task.Kind.FOLLOW_UP).order_by("due_on"))
    assert len(visits) == 3
    assert [(v.due_on - case.returned_on).days for v in visits] == [91, 183, 365]


def test_closure_needs_an_approved_closure(people, adult_case):
    worker, supervisor = people["caseworker"], people["supervisor"]
    with pytest.raises(ValidationError, match="closure"):
        services.case_transition(actor=worker, case=adult_case, to=Stage.CLOSED)
    approval = services.approval_request(actor=worker, case=adult_case, kind=Approval.Kind.CLOSURE)
    services.approval_decide(
        actor=supervisor, approval=approval, decision="rejected", comment="Pas encore."
    )
    with pytest.raises(ValidationError):
        services.case_transition(actor=worker, case=adult_case, to=Stage.CLOSED)
    approval = services.approval_request(actor=worker, case=adult_case, kind=Approval.Kind.CLOSURE)
    services.approval_decide(actor=supervisor, approval=approval, decision="approved", comment="")
    case = services.case_transition(
        actor=worker, case=adult_case, to=Stage.CLOSED, closure_reason="Autonome"
    )
    assert case.status == Status.CLOSED and case.closed_on


def test_uncertain_age_is_treated_as_a_child(people):
    from corridor.people.services import person_create

    unknown = person_create(actor=people["caseworker"], given_names="Sena")
    nearly = person_create(actor=people["caseworker"], given_names="Elom", estimated_age=19)
    adult = person_create(
        actor=people["caseworker"],
        given_names="Yao",
        birth_date=__import__("datetime").date(2000, 1, 1),
    )
    assert unknown.is_child and nearly.is_child and not adult.is_child


def test_only_other_case_managers_approve(people, child_case):
    worker = people["caseworker"]
    approval = services.approval_request(actor=worker, case=child_case, kind=Approval.Kind.BIA)
    for outsider in (
        worker,
        people["other_agency.supervisor"],
        people["other_country.supervisor"],
        people["investigator"],
    ):
        with pytest.raises(PermissionDenied):
            services.approval_decide(
                actor=outsider, approval=approval, decision="approved", comment="x"
            )
    with pytest.raises(ValidationError):
        services.approval_decide(
            actor=people["supervisor"], approval=approval, decision="rejected", comment=""
        )
    services.approval_decide(
        actor=people["supervisor"], approval=approval, decision="approved", comment=""
    )
    with pytest.raises(ValidationError):
        services.approval_decide(
            actor=people["coordinator"], approval=approval, decision="approved", comment=""
        )


def test_a_child_consent_needs_a_guardian_and_the_childs_views(people, child_case):
    worker = people["caseworker"]
    with pytest.raises(ValidationError) as error:
        services.consent_record(actor=worker, case=child_case, purpose="referral")
    assert set(error.value.message_dict) == {"guardian_name", "childs_views"}
    assert not child_case.consents.exists()
    legal = services.consent_record(
        actor=worker,
        case=child_case,
        purpose="referral",
        given=False,
        legal_ground="child_protection_order",
    )
    assert legal.active


def test_caseworker_of_another_agency_cannot_touch_the_case(people, child_case):
    with pytest.raises(PermissionDenied):
        services.note_add(actor=people["other_agency.caseworker"], case=child_case, text="x")
    with pytest.raises(PermissionDenied):
        services.case_transition(
            actor=people["caseworker2"]
            if "caseworker2" in people
            else people["other_agency.caseworker"],
            case=child_case,
            to=ChildStep.EMERGENCY,
        )


def test_assignment_moves_open_tasks(people, child_case):
    from tests.factories import make_user

    colleague = make_user("caseworker", agency=child_case.agency)
    task = services.task_create(
        actor=people["caseworker"], case=child_case, title="Visite", due_on=child_case.identified_on
    )
    services.case_assign(actor=people["supervisor"], case=child_case, assignee=colleague)
    task.refresh_from_db()
    assert task.assigned_to == colleague
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=people["caseworker"], case=child_case, assignee=colleague)


def test_the_reason_for_closure_is_asked_only_where_the_case_may_close(
    people, child_case, adult_case, as_user
):
    client = as_user(people["caseworker"])

    def page(case) -> str:
        return client.get(f"/cases/{case.pk}/").content.decode()

    assert "transition-closure_reason" not in page(child_case)  # identification → protection
    assert 'name="transition-closure_reason" maxlength="200"' in page(adult_case)
    assert "Motif de clôture (si vous clôturez le dossier)" in page(adult_case)
