import pytest
from django.core.exceptions import ValidationError

from corridor.people.models import Person
from corridor.people.selectors import person_search
from corridor.people.services import person_add_name, person_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "Kossi Ama",
        "AMA KOSSI",
        "kosi ama",
        "Cossi Ama",
        "Kwasi Ama",
        "ama",
        "d'almeida",
        "DALMEIDA",
        "Kodjo-Mensah",
    ],
)
def test_search_forgives_accents_order_and_spelling(people, query):
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Ama Kodjo-Mensah", family_name="KOSSI d'Almeida"
    )
    assert person in person_search(worker, query)


def test_search_finds_other_names(people):
    worker = people["caseworker"]
    person = person_create(actor=worker, given_names="Akossiwa", family_name="AGBEKO")
    person_add_name(actor=worker, person=person, name="Mimi", kind="nickname")
    assert list(person_search(worker, "mimi")) == [person]


def test_search_is_scoped(people):
    person_create(actor=people["caseworker"], given_names="Yawa", family_name="KPODAR")
    assert not person_search(people["other_agency.caseworker"], "Yawa").exists()
    assert not person_search(people["investigator"], "Yawa").exists()
    assert person_search(people["coordinator"], "Yawa").exists()


def test_phone_is_stored_as_e164_and_encrypted(people):
    from django.db import connection

    person = person_create(actor=people["caseworker"], given_names="Afi", phones=["90 12 34 56"])
    assert person.phones.get().number == "+22890123456"
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM people_personphone")
        stored = cursor.fetchone()[0]
    assert "22890123456" not in stored


@pytest.mark.parametrize(
    "bad",
    [{"phones": ["123"]}, {"citizenships": ["ZZ"]}, {"languages": ["xyz1"]}, {"birth_year": 2999}],
)
def test_bad_values_are_refused_and_nothing_written(people, bad):
    with pytest.raises(ValidationError):
        person_create(actor=people["caseworker"], given_names="Afi", **bad)
    assert not Person.objects.exists()


def test_languages_of_the_corridor(people):
    person = person_create(
        actor=people["caseworker"], given_names="Afi", languages=["ee", "kbp", "fon", "fan", "yo"]
    )
    assert person.languages == ["ewe", "kbp", "fon", "fan", "yor"]


def test_migrant_status_flags_international_protection(people):
    refugee = person_create(
        actor=people["caseworker"], given_names="Moussa", migrant_status="Refugee"
    )
    assert refugee.needs_international_protection
