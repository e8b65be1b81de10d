"""``case_open`` sets only what a new case may carry; the status a case brings from another
system is recorded once, by someone who could approve a closure, on the case's timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.audit.models import Action, AuditEntry
from corridor.cases.models import Case, ChildStep, Stage, StageChange, Status
from corridor.cases.services import (
    OPENING_FIELDS,
    case_open,
    case_record_prior_status,
    case_transition,
)
from corridor.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def adult(people):
    return person_create(
        actor=people["caseworker"], given_names="Kodjo", family_name="SEWA", birth_year=1990
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", Status.CLOSED),
        ("stage", Stage.CLOSED),
        ("child_step", ChildStep.CLOSED),
        ("closed_on", "2026-01-01"),
        ("closure_reason", "done"),
        ("is_child", False),
        ("caregiver_agreed", True),
        ("ref", "TG-X"),
    ],
)
def test_fields_a_new_case_may_not_set_are_refused(people, adult, field, value):
    with pytest.raises(TypeError, match=field):
        case_open(actor=people["caseworker"], person=adult, **{field: value})
    assert not Case.objects.exists()


def test_the_opening_fields_are_set(people, adult):
    values = {
        "exploitation_types": ["ForcedLabour"],
        "industries": ["G_WholesaleAndRetailTradeRepairOfMotorVehicles"],
        "methods_of_control": ["FalsePromises"],
        "vulnerabilities": [],
        "recruitment_method": "AtWork",
        "relationship_to_trafficker": "Acquainted",
        "age_when_trafficked": 15,
        "trafficking_status": "ActualVictimOfTrafficking",
        "status_decision_org": "Police",
        "trafficking_status_proposed": "",
        "cross_border": True,
    }
    assert set(values) == set(OPENING_FIELDS)
    case = case_open(actor=people["caseworker"], person=adult, **values)
    assert {f: getattr(case, f) for f in values} == values
    assert (case.status, case.stage) == (Status.ACTIVE, Stage.IDENTIFICATION)


def test_a_bad_code_is_a_translated_field_error(people, adult):
    with pytest.raises(ValidationError) as error:
        case_open(actor=people["caseworker"], person=adult, exploitation_types=["Juggling"])
    assert "exploitation_types" in error.value.message_dict
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "status, referred", [(Status.CLOSED, False), (Status.CLOSED_REFERRED, True)]
)
def test_a_prior_closure_is_recorded_on_the_timeline(people, adult, status, referred):
    coordinator = people["coordinator"]
    case = case_open(actor=coordinator, person=adult)
    case = case_record_prior_status(
        actor=coordinator, case=case, status=status, closure_reason="Returned home"
    )
    case.refresh_from_db()
    assert (case.status, case.stage, case.closure_reason) == (status, Stage.CLOSED, "Returned home")
    change = StageChange.objects.get(case=case)
    assert (change.field, change.from_value, change.to_value) == (
        "stage",
        "identification",
        "closed",
    )
    entry = AuditEntry.objects.get(action=Action.TRANSITION, object_id=str(case.pk))
    assert entry.detail["prior_status"] == status


def test_a_childs_prior_closure_closes_the_child_steps(people):
    coordinator = people["coordinator"]
    child = person_create(actor=coordinator, given_names="Afi", estimated_age=12)
    case = case_open(actor=coordinator, person=child)
    case = case_record_prior_status(actor=coordinator, case=case, status=Status.CLOSED)
    assert (case.child_step, case.stage, case.status) == (
        ChildStep.CLOSED,
        Stage.CLOSED,
        Status.CLOSED,
    )
    assert StageChange.objects.get(case=case).field == "child_step"


def test_a_prior_status_is_only_for_a_case_just_opened(people, adult):
    coordinator = people["coordinator"]
    case = case_open(actor=coordinator, person=adult)
    case_transition(actor=coordinator, case=case, to=Stage.FIRST_ASSISTANCE)
    with pytest.raises(ValidationError):
        case_record_prior_status(actor=coordinator, case=case, status=Status.CLOSED)
    case.refresh_from_db()
    assert (case.status, case.stage) == (Status.ACTIVE, Stage.FIRST_ASSISTANCE)


def test_a_prior_status_needs_someone_who_could_approve_a_closure(people, adult):
    case = case_open(actor=people["caseworker"], person=adult)
    for role in ("caseworker", "other_agency.supervisor", "other_country.coordinator"):
        with pytest.raises(PermissionDenied):
            case_record_prior_status(actor=people[role], case=case, status=Status.CLOSED)
    with pytest.raises(ValidationError):
        case_record_prior_status(actor=people["supervisor"], case=case, status="Vanished")
    case.refresh_from_db()
    assert case.status == Status.ACTIVE and not StageChange.objects.exists()
    case_record_prior_status(actor=people["supervisor"], case=case, status=Status.FOLLOW_UP)
    case.refresh_from_db()
    assert (case.status, case.stage) == (Status.FOLLOW_UP, Stage.IDENTIFICATION)


def test_an_htcds_import_records_a_closed_status_through_the_service(people):
    """The import maps ``cas_Status`` to ``case_record_prior_status``; ``case_open`` never sees
    it (it would refuse it)."""
    from corridor.cases.htcds import importer as htcds

    content = (
        b"prs_FirstName,prs_SecondName,prs_Birthdate,cas_Status,cas_ReasonForCaseClosure\n"
        b"Yao,KOFFI,1999,ClosedReferred,Referred to IOM\n"
    )
    report = htcds.htcds_import(actor=people["coordinator"], name="closed.csv", content=content)
    assert report.errors == [] and report.created == 1
    case = Case.objects.get()
    assert (case.status, case.stage, case.closure_reason) == (
        Status.CLOSED_REFERRED,
        Stage.CLOSED,
        "Referred to IOM",
    )
    assert StageChange.objects.get(case=case).comment.endswith("closed.csv")
