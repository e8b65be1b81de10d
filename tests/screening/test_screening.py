"""Screening: scoring and proposals, the supervisor-only decision, child flags, the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.audit.models import Action, AuditEntry
from corridor.cases.models import Approval, Case
from corridor.cases.services import approval_decide
from corridor.people.models import Person
from corridor.screening.models import Screening
from corridor.screening.questionnaires import (
    ACTUAL,
    NOT_A_VICTIM,
    POSSIBLE,
    get_questionnaire,
    questionnaire_codes,
    score,
)
from corridor.screening.selectors import visible_screenings
from corridor.screening.services import screening_open_case, screening_record
from tests.permissions import check_matrix

SCREENERS = {"caseworker", "supervisor", "coordinator", "border_officer"}
NATIONAL = {"coordinator"}  # national scope: sees other agencies' records
ADULT = {"given_names": "Afi", "family_name": "Mensah", "birth_date": date(1990, 3, 4)}


def test_every_questionnaire_loads_with_sections_and_weights():
    assert set(questionnaire_codes()) == {
        "ilo_forced_labour",
        "unodc_general",
        "unodc_child",
        "iom_dmv",
    }
    assert len(get_questionnaire("ilo_forced_labour").indicators) == 11
    dmv_sections = [s for s, _terms in get_questionnaire("iom_dmv").sections()]
    assert dmv_sections == ["individual", "household", "community", "structural"]


def test_score_sums_weights_of_yes_answers_per_section():
    q = get_questionnaire("ilo_forced_labour")
    result = score(q, {"deception": "yes", "debt_bondage": "yes", "isolation": "no"}, child=False)
    assert result.section_scores == {"forced_labour": 3}
    assert result.score == 3
    assert result.proposed_status == POSSIBLE


def test_proposed_status_thresholds_and_the_lower_child_threshold():
    q = get_questionnaire("ilo_forced_labour")
    assert score(q, {}, child=False).proposed_status == NOT_A_VICTIM
    assert score(q, {"deception": "yes"}, child=False).proposed_status == NOT_A_VICTIM
    assert score(q, {"deception": "yes"}, child=True).proposed_status == POSSIBLE
    many = {"deception": "yes", "debt_bondage": "yes", "retention_of_documents": "yes"}
    assert score(q, many, child=False).proposed_status == ACTUAL
    unknown = {code.code: "unknown" for code in q.indicators}
    assert score(q, unknown, child=False).score == 0


def test_vulnerability_questionnaire_proposes_a_level_not_a_status():
    q = get_questionnaire("iom_dmv")
    result = score(
        q, {"is_child": "yes", "unaccompanied": "yes", "household_poverty": "yes"}, child=True
    )
    assert result.proposed_status == ""
    assert result.vulnerability_level == "medium"
    assert result.section_scores["individual"] == 4


def test_border_officer_screening_creates_the_person_and_no_case(people):
    officer = people["border_officer"]
    screening = screening_record(
        actor=officer,
        questionnaire="unodc_child",
        answers={"travels_unaccompanied": "yes", "found_by_adult": "yes"},
        new_person={
            "given_names": "Kossi",
            "family_name": "Agbeko",
            "estimated_age": 12,
            "migrant_status": "UnaccompaniedChild",
        },
        place="Kodjoviakopé",
    )
    assert screening.case is None
    assert screening.person.agency == officer.agency
    assert screening.child and screening.unaccompanied
    assert screening.score == 3
    assert screening.proposed_status == ACTUAL or screening.proposed_status == POSSIBLE
    assert Case.objects.count() == 0
    assert (
        AuditEntry.objects.filter(action=Action.CREATE, object_type="screening.screening").count()
        == 1
    )
    with pytest.raises(PermissionDenied):
        screening_open_case(actor=officer, screening=screening)


def test_uncertain_age_is_a_child_and_protection_needs_are_flagged(people):
    worker = people["caseworker"]
    screening = screening_record(
        actor=worker,
        questionnaire="ilo_forced_labour",
        answers={},
        new_person={
            "given_names": "Ama",
            "birth_year": date.today().year - 18,
            "migrant_status": "AsylumSeeker",
        },
    )
    assert screening.child is True
    assert screening.unaccompanied is False
    assert screening.refer_to_asylum is True
    adult = screening_record(
        actor=worker, questionnaire="ilo_forced_labour", answers={}, new_person=ADULT
    )
    assert adult.child is False and adult.refer_to_asylum is False


def test_bad_answers_are_refused_and_change_nothing(people):
    worker = people["caseworker"]
    for answers in ({"nonsense": "yes"}, {"deception": "maybe"}):
        with pytest.raises(ValidationError):
            screening_record(
                actor=worker, questionnaire="ilo_forced_labour", answers=answers, new_person=ADULT
            )
    with pytest.raises(ValidationError):
        screening_record(actor=worker, questionnaire="nope", answers={}, new_person=ADULT)
    assert Person.objects.count() == 0
    assert Screening.objects.count() == 0


def test_roles_outside_screening_cannot_screen(people):
    for role in ("investigator", "partner", "administrator", "other_country.caseworker"):
        with pytest.raises(PermissionDenied):
            screening_record(
                actor=people[role], questionnaire="ilo_forced_labour", answers={}, new_person=ADULT
            )


def test_case_opened_from_a_screening_waits_for_a_supervisor_decision(people):
    worker, supervisor = people["caseworker"], people["supervisor"]
    screening = screening_record(
        actor=worker,
        questionnaire="ilo_forced_labour",
        answers={"debt_bondage": "yes", "withholding_of_wages": "yes", "deception": "yes"},
        new_person=ADULT,
        open_case=True,
    )
    case = screening.case
    assert case.trafficking_status_proposed == ACTUAL
    assert case.trafficking_status == ""
    approval = screening.approval
    assert approval.kind == Approval.Kind.TRAFFICKING_STATUS
    assert approval.decision == Approval.Decision.PENDING
    with pytest.raises(PermissionDenied):
        approval_decide(
            actor=worker,
            approval=approval,
            decision="approved",
            trafficking_status=ACTUAL,
            decision_org="NGO",
        )
    with pytest.raises(PermissionDenied):
        approval_decide(
            actor=people["other_agency.supervisor"],
            approval=approval,
            decision="approved",
            trafficking_status=ACTUAL,
            decision_org="NGO",
        )
    approval_decide(
        actor=supervisor,
        approval=approval,
        decision="approved",
        trafficking_status=POSSIBLE,
        decision_org="NonPoliceGovernmentalOrganization",
    )
    case.refresh_from_db()
    assert case.trafficking_status == POSSIBLE
    assert case.status_decision_org == "NonPoliceGovernmentalOrganization"


def test_screening_scope(people):
    worker = people["caseworker"]
    mine = screening_record(actor=worker, questionnaire="iom_dmv", answers={}, new_person=ADULT)
    screening_record(
        actor=people["other_agency.caseworker"],
        questionnaire="iom_dmv",
        answers={},
        new_person=ADULT,
    )
    assert list(visible_screenings(worker)) == [mine]
    assert list(visible_screenings(people["supervisor"])) == [mine]
    assert list(visible_screenings(people["border_officer"])) == [mine]
    assert visible_screenings(people["coordinator"]).count() == 2
    for role in ("investigator", "partner", "administrator", "other_country.coordinator"):
        assert visible_screenings(people[role]).count() == 0


def test_screening_of_a_case_handed_to_the_agency_is_seen_by_its_supervisor(people):
    """A child screened by another structure (the border police, say) whose case is now this
    agency's: the agency's supervisor sees the screening as the caseworker does; the screening
    structure's own supervisor still sees it, a third structure does not."""
    elsewhere = screening_record(
        actor=people["other_agency.caseworker"],
        questionnaire="iom_dmv",
        answers={},
        new_person=ADULT,
        open_case=True,
    )
    case = elsewhere.case
    Case.objects.filter(pk=case.pk).update(
        agency=people["caseworker"].agency, assigned_to=people["caseworker"]
    )
    assert list(visible_screenings(people["supervisor"])) == [elsewhere]
    assert list(visible_screenings(people["caseworker"])) == [elsewhere]
    assert list(visible_screenings(people["other_agency.supervisor"])) == [elsewhere]
    assert visible_screenings(people["other_country.supervisor"]).count() == 0


# Pages ---------------------------------------------------------------------------------------


@pytest.fixture
def screened(people):
    return screening_record(
        actor=people["caseworker"],
        questionnaire="ilo_forced_labour",
        answers={"debt_bondage": "yes", "deception": "yes"},
        new_person=ADULT,
        open_case=True,
    )


def test_page_matrix(people, screened):
    problems = []
    problems += check_matrix("/screening/", people, SCREENERS)
    problems += check_matrix("/screening/new/", people, SCREENERS)
    problems += check_matrix("/screening/new/?questionnaire=iom_dmv", people, SCREENERS)
    problems += check_matrix("/screening/people/?q=mensah", people, SCREENERS)
    assert problems == []
    problems += check_matrix(
        f"/screening/{screened.uid}/", people, SCREENERS, other_agency_allowed=NATIONAL
    )
    assert problems == []


def test_post_matrix(people, screened):
    plain = screening_record(
        actor=people["caseworker"], questionnaire="iom_dmv", answers={}, new_person=ADULT
    )
    url = f"/screening/{plain.uid}/open-case/"
    problems = check_matrix(
        url,
        people,
        {"caseworker", "supervisor", "coordinator"},
        method="post",
        other_agency_allowed=NATIONAL,
    )
    assert problems == []
    url = f"/screening/{screened.uid}/decide/"
    problems = check_matrix(
        url,
        people,
        {"supervisor", "coordinator"},
        method="post",
        data={"decision": "rejected"},
        other_agency_allowed=NATIONAL,
    )
    assert problems == []


def test_form_page_records_a_screening_and_opens_a_case(people, as_user):
    client = as_user(people["caseworker"])
    page = client.get("/screening/new/?questionnaire=unodc_child")
    assert page.status_code == 200
    assert b'name="q_no_parents"' in page.content
    today = timezone.localdate().isoformat()
    assert f'name="screened_on" value="{today}"'.encode() in page.content  # the day it is done
    data = {f"q_{t.code}": "no" for t in get_questionnaire("unodc_child").indicators}
    data.update(
        {
            "q_unsuitable_work": "yes",
            "given_names": "Yawa",
            "estimated_age": "11",
            "gender": "Feminine",
            "unaccompanied": "on",
            "open_case": "on",
        }
    )
    response = client.post("/screening/new/?questionnaire=unodc_child", data)
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.unaccompanied and screening.child
    assert screening.case.is_child
    assert screening.approval.decision == Approval.Decision.PENDING
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert AuditEntry.objects.filter(action=Action.READ, object_id=str(screening.pk)).count() == 1


def test_form_page_with_bad_input_shows_errors_and_changes_nothing(people, as_user):
    client = as_user(people["border_officer"])
    response = client.post(
        "/screening/new/?questionnaire=ilo_forced_labour",
        {
            "gender": "Feminine",
            "birth_date": "2099-01-01",
            "given_names": "Afi",
            "q_deception": "perhaps",
        },
    )
    assert response.status_code == 200
    assert Screening.objects.count() == 0 and Person.objects.count() == 0
    assert b"errorlist" in response.content


def test_supervisor_decides_on_the_detail_page(people, as_user, screened):
    response = as_user(people["supervisor"]).post(
        f"/screening/{screened.uid}/decide/",
        {"decision": "approved", "trafficking_status": POSSIBLE, "decision_org": "NGO"},
    )
    assert response.status_code == 302
    screened.case.refresh_from_db()
    assert screened.case.trafficking_status == POSSIBLE


def test_demo_seeder_is_idempotent(db):
    from corridor.accounts.seed import seed_accounts
    from corridor.screening.seed import seed_screenings

    seed_accounts()
    first = seed_screenings()
    assert first == {"screenings": 15}
    assert seed_screenings() == {"screenings": 0}
    assert Screening.objects.count() == 15
    # three of them, over a year old and with no case, are due under the demo's retention rule
    year_ago = timezone.localdate() - timedelta(days=365)
    assert Screening.objects.filter(case__isnull=True, screened_on__lt=year_ago).count() == 3
    # Two adults' cases opened from their first screening; their second screening joins it.
    assert Screening.objects.filter(case__isnull=False).count() == 4
    assert Screening.objects.values("case").exclude(case=None).distinct().count() == 2
    assert Screening.objects.filter(unaccompanied=True).count() >= 4


def test_a_screening_of_a_person_with_an_open_case_joins_it(people, as_user):
    """Issue 17, item 5: no second case; the proposed status becomes a request on the case; the
    case page lists the screening; the border officer learns a case exists, not its reference."""
    worker, border = people["caseworker"], people["border_officer"]
    first = screening_record(
        actor=worker,
        questionnaire="ilo_forced_labour",
        answers={"deception": "yes"},
        new_person=ADULT,
        open_case=True,
    )
    case = first.case
    Approval.objects.filter(case=case).delete()
    again = screening_record(
        actor=worker,
        questionnaire="ilo_forced_labour",
        answers={"deception": "yes", "debt_bondage": "yes", "retention_of_documents": "yes"},
        person=first.person,
        open_case=True,
    )
    assert Case.objects.count() == 1 and again.case == case
    approval = case.approvals.get(kind="trafficking_status", decision="pending")
    assert again.approval == approval and "ILO" in approval.request_comment
    case.refresh_from_db()
    assert case.trafficking_status_proposed == ACTUAL

    page = as_user(worker).get(f"/cases/{case.pk}/").content.decode()
    assert f"/screening/{again.uid}/" in page and 'id="screenings"' in page

    by_border = screening_record(
        actor=border, questionnaire="unodc_general", answers={}, person=first.person
    )
    assert by_border.case == case and by_border.approval is None
    page = as_user(border).get(f"/screening/{by_border.uid}/").content.decode()
    assert case.ref not in page and "Ouvrir un dossier" not in page
    with pytest.raises(ValidationError):
        screening_open_case(actor=worker, screening=by_border)
