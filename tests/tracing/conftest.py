"""Children with cases and tracing requests, built through the services the application uses."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.cases import services as case_services
from corridor.cases.models import ChildStep
from corridor.people import services as people_services
from corridor.tracing import services


def make_child(
    actor,
    *,
    given,
    family,
    gender="Feminine",
    birth_year=2014,
    place="Kpalimé",
    prefecture="Kloto",
    mother="",
    step=ChildStep.IDENTIFICATION,
    consent=False,
):
    person = people_services.person_create(
        actor=actor,
        given_names=given,
        family_name=family,
        gender=gender,
        birth_year=birth_year,
        place_of_origin=place,
        origin_prefecture=prefecture,
        citizenships=["TG"],
    )
    if mother:
        people_services.person_add_relationship(
            actor=actor, person=person, kind="mother", relative_name=mother
        )
    case = case_services.case_open(actor=actor, person=person)
    path = [ChildStep.EMERGENCY, ChildStep.STUDY, ChildStep.TRACING]
    for to in path[: path.index(step) + 1] if step in path else []:
        if to == ChildStep.TRACING:
            break
        case = case_services.case_transition(actor=actor, case=case, to=to)
    if consent:
        case_services.consent_record(
            actor=actor,
            case=case,
            purpose="family_tracing",
            given_by_guardian=True,
            guardian_name="Oncle Test",
            childs_views="Veut retrouver sa mère (synthétique).",
        )
    return person, case


REQUEST = {
    "requester_name": "Maman Afi",
    "requester_relationship": "mother",
    "contact": "+228 90 11 22 33",
    "consent_given": True,
    "given_names": "Akuvi",
    "family_name": "MENSAH",
    "sex": "F",
    "birth_year": 2014,
    "place_of_origin": "Palimé",
    "origin_prefecture": "Kloto",
    "mother_name": "Afi Mensah",
    "father_name": "Kodjo Mensah",
    "nationality": "TG",
    "report_date": date(2025, 3, 1),
}


@pytest.fixture
def caseworker(people):
    return people["caseworker"]


@pytest.fixture
def child(caseworker):
    return make_child(
        caseworker, given="Akouvi", family="Mensah", mother="", step=ChildStep.STUDY, consent=True
    )


@pytest.fixture
def tracing_request(caseworker):
    return services.tracing_request_create(actor=caseworker, **REQUEST)
