"""Item 13: lists and searches that show persons leave one audit entry per request, naming the
ids shown and what was searched for (pages, the screening look-up and the API's lists)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from corridor.audit.models import Action, AuditEntry
from corridor.screening.services import screening_record
from tests.api.permissions import token_client

pytestmark = pytest.mark.django_db


def _list_reads(kind: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(action=Action.READ, object_type=kind, object_id="").order_by(
            "seq"
        )
    )


def _ids(entry) -> set[str]:
    return set(entry.detail["ids"])


def test_person_list_and_search_pages(people, as_user, child_case, adult_case):
    client = as_user(people["coordinator"])
    client.get(reverse("people:list"))
    client.get(reverse("people:list"), {"q": "Ama"})
    everyone, search = _list_reads("people.person")
    assert _ids(everyone) == {str(child_case.person.pk), str(adult_case.person.pk)}
    assert _ids(search) == {str(child_case.person.pk)} and search.detail["query"] == "Ama"


def test_case_tracing_and_screening_list_pages(people, as_user, child_case):
    client = as_user(people["caseworker"])
    client.get(reverse("cases:list"), {"q": "Ama"})
    [cases] = _list_reads("cases.case")
    assert _ids(cases) == {str(child_case.pk)} and cases.detail["query"] == "Ama"
    client.get(reverse("screening:person_lookup"), {"q": "Ama"})
    [lookup] = _list_reads("people.person")
    assert _ids(lookup) == {str(child_case.person.pk)}
    screening = screening_record(
        actor=people["caseworker"], questionnaire="iom_dmv", answers={}, person=child_case.person
    )
    client.get(reverse("screening:list"))
    [screenings] = _list_reads("screening.screening")
    assert _ids(screenings) == {str(screening.pk)}
    client.get(reverse("tracing:list"))
    assert _list_reads("tracing.tracingrequest") == []  # nothing shown, nothing recorded


def test_an_empty_list_records_nothing(people, as_user):
    as_user(people["caseworker"]).get(reverse("people:list"), {"q": "Personne"})
    assert _list_reads("people.person") == []


@pytest.mark.parametrize(
    "url, kind", [("/api/persons/", "people.person"), ("/api/cases/", "cases.case")]
)
def test_api_lists(people, child_case, adult_case, url, kind):
    response = token_client(people["coordinator"]).get(url)
    assert response.status_code == 200
    [entry] = _list_reads(kind)
    assert entry.actor == people["coordinator"]
    assert len(_ids(entry)) == len(response.json()["results"]) == 2
