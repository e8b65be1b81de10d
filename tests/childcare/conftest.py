"""A child's case identified a year ago, walked to the step a test needs through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.cases import services as case_services
from corridor.cases.models import Approval
from corridor.childcare import services
from corridor.people.services import person_add_relationship, person_create

TODAY = timezone.localdate()
START = TODAY - timedelta(days=400)

RATINGS = {
    "econ_needs": 4,
    "econ_learning": 5,
    "soc_housing": 4,
    "soc_services": 3,
    "psy_wellbeing": 4,
    "psy_safety": 5,
    "psy_belonging": 4,
}


def day(n: int):
    """``n`` days after the identification."""
    return START + timedelta(days=n)


@pytest.fixture
def worker(people):
    return people["caseworker"]


@pytest.fixture
def supervisor(people):
    return people["supervisor"]


@pytest.fixture
def child(worker):
    person = person_create(
        actor=worker,
        given_names="Afi",
        family_name="DEMO-AKAKPO",
        estimated_age=13,
        citizenships=["TG"],
        place_of_origin="Kpalimé",
    )
    person_add_relationship(
        actor=worker, person=person, kind="mother", relative_name="Abla DEMO-AKAKPO"
    )
    return case_services.case_open(
        actor=worker,
        person=person,
        identified_on=START,
        identified_at_place="Lomé",
        caseload="presumed_trafficking_victim",
    )


def approve(approval, supervisor):
    return case_services.approval_decide(
        actor=supervisor, approval=approval, decision=Approval.Decision.APPROVED, comment="ok"
    )


def assessment(case, worker, **over):
    data = {
        "assessed_on": day(20),
        "childs_views": "Veut rentrer chez sa mère.",
        "safety_risks": "Le recruteur rôde au village.",
        "retrafficking_risk": "medium",
        "recommendation": "return",
        "options": ["return", "kinship"],
    }
    return services.assessment_record(actor=worker, case=case, **{**data, **over})


def family(case, worker, **over):
    data = {
        "assessed_on": day(25),
        "place": "Kpalimé",
        "assessor": "Service social de Kpalimé",
        "household": "Mère et deux frères.",
        "caregiver_name": "Abla DEMO-AKAKPO",
        "caregiver_willing": True,
        "caregiver_able": True,
        "recommendation": "return_with_support",
    }
    return services.family_assessment_record(actor=worker, case=case, **{**data, **over})


def determination(case, worker, **over):
    data = {
        "decided_on": day(30),
        "panel": [
            {"name": "Chef de service", "role": "présidence"},
            {"name": "Assistante sociale", "role": "rapporteure"},
        ],
        "options_considered": ["return", "kinship"],
        "child_heard": True,
        "heard_how": "in_person",
        "decision": "return",
        "reasons": "Famille disposée et capable.",
    }
    return services.determination_record(actor=worker, case=case, **{**data, **over})
