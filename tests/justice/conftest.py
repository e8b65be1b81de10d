"""Justice fixtures: the permission matrix's agencies placed in two courts' areas (home: Lomé,
other agency: Kara, other country: Libreville), a prosecutor's criminal case, a victim's case
with consent to proceedings."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.cases import services as case_services
from corridor.justice import services
from corridor.people.services import person_create
from tests.federation.conftest import own_keys, remote  # noqa: F401 (fixtures)

DAY = date(2026, 3, 2)


@pytest.fixture
def people(people):
    cities = {"home": "Lomé", "other": "Kara", "foreign": "Libreville"}
    for user in people.values():
        prefix = user.username.split(".")[0]
        if user.agency.city != cities[prefix]:
            user.agency.city = cities[prefix]
            user.agency.save(update_fields=["city"])
    return people


@pytest.fixture
def prosecutor(people):
    return people["prosecutor"]


@pytest.fixture
def police(people):
    return people["judicial_police"]


@pytest.fixture
def criminal_case(prosecutor):
    return services.criminal_case_open(
        actor=prosecutor,
        title="Réseau de Kpalimé",
        jurisdiction="tg_lome",
        opened_on=date(2026, 1, 5),
        summary="Recrutement de filles vers Libreville (faits confidentiels).",
        evidence="PV d'audition n°12\nRelevés téléphoniques",
    )


@pytest.fixture
def accused(criminal_case, police):
    return services.accused_add(
        actor=police,
        criminal_case=criminal_case,
        name="Komlan TSOGBE",
        complaint_on=date(2026, 1, 5),
        offences=["tip_child", "document_fraud"],
        exploitation="Servitude",
        sex="M",
        citizenship="TG",
    )


@pytest.fixture
def victim_case(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Akossiwa", family_name="DOGBE", estimated_age=15
    )
    case = case_services.case_open(actor=worker, person=person)
    case_services.consent_record(
        actor=worker,
        case=case,
        purpose="proceedings",
        given_by_guardian=True,
        guardian_name="Yawa DOGBE",
        childs_views="Accepte de témoigner.",
    )
    return case


def walk_to_trial(accused, police, prosecutor):
    """Arrest, custody, referral, indictment and a first hearing, in date order."""
    for actor, kind, day in (
        (police, "arrest", date(2026, 1, 10)),
        (police, "custody", date(2026, 1, 10)),
        (police, "referral", date(2026, 1, 12)),
        (prosecutor, "indictment", date(2026, 2, 1)),
        (prosecutor, "hearing", date(2026, 3, 1)),
    ):
        services.event_record(actor=actor, accused=accused, kind=kind, date=day)
    accused.refresh_from_db()
    return accused


@pytest.fixture
def case_without_consent(people):
    worker = people["caseworker"]
    person = person_create(actor=worker, given_names="Essi", family_name="KPODAR", estimated_age=17)
    return case_services.case_open(actor=worker, person=person)
