"""Duplicate detection, merge and unmerge: history kept, and undo restores exactly."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils.translation import gettext_noop

from corridor.audit.models import AuditEntry
from corridor.audit.services import node_text
from corridor.cases.models import Case
from corridor.intel.models import MatchJudgement
from corridor.people import services as people_services
from corridor.people.models import Person, PersonKey, PersonName, Relationship
from corridor.people.selectors import person_search
from corridor.tracing import services
from corridor.tracing.models import DuplicateCandidate, PersonMerge
from tests.tracing.conftest import make_child

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "cases": sorted(Case.objects.values_list("pk", "person_id")),
        "relationships": sorted(Relationship.objects.values_list("pk", "person_id", "relative_id")),
        "names": sorted(PersonName.objects.values_list("pk", "person_id", "name")),
        "merged": sorted(Person.objects.values_list("pk", "merged_into_id")),
        "keys": sorted(PersonKey.objects.values_list("person_id", "key")),
    }


@pytest.fixture
def twins(caseworker):
    a, case_a = make_child(
        caseworker, given="Kossi", family="Agbeko", gender="Masculine", mother="Afi Agbeko"
    )
    b, case_b = make_child(
        caseworker, given="Kwasi", family="AGBEKO", gender="Masculine", mother="Maman Afi"
    )
    people_services.person_add_name(actor=caseworker, person=b, name="Kosi")
    return a, b


def test_duplicates_for_finds_the_other_spelling(caseworker, twins):
    a, b = twins
    make_child(caseworker, given="Ama", family="Mensah")
    found = services.duplicates_for(b)
    assert [(c.first_id, c.second_id) for c in found] == [(a.pk, b.pk)]
    assert found[0].score >= 0.5
    again = services.duplicates_for(b)
    assert DuplicateCandidate.objects.count() == 1
    assert again[0].pk == found[0].pk


def test_find_duplicates_command_is_idempotent(caseworker, twins, capsys):
    call_command("find_duplicates")
    assert DuplicateCandidate.objects.count() == 1
    assert "; 1 new possible duplicate to review." in capsys.readouterr().out
    call_command("find_duplicates")
    assert DuplicateCandidate.objects.count() == 1
    assert "; 0 new possible duplicates to review." in capsys.readouterr().out


def test_merge_then_unmerge_restores_exactly(people, caseworker, twins):
    a, b = twins
    other, _ = make_child(caseworker, given="Yao", family="Agbeko", gender="Masculine")
    people_services.person_add_relationship(
        actor=caseworker, person=other, kind="sibling", relative=b
    )
    before = snapshot()
    supervisor = people["supervisor"]
    merge = services.person_merge(actor=supervisor, survivor=a, duplicate=b, comment="même enfant")
    b.refresh_from_db()
    assert b.merged_into == a
    assert Case.objects.filter(person=b).count() == 0
    assert Case.objects.filter(person=a).count() == 2
    assert Relationship.objects.get(person=other, kind="sibling").relative == a
    assert PersonName.objects.filter(person=a, name="Kosi").exists()
    assert len(merge.moved["cases"]) == 1
    assert MatchJudgement.objects.filter(decision="positive").count() == 1
    services.person_unmerge(actor=supervisor, merge=merge, comment="frères, pas le même")
    assert snapshot() == before
    merge.refresh_from_db()
    assert merge.undone_by == supervisor
    assert MatchJudgement.objects.filter(decision="negative").count() == 1
    actions = AuditEntry.objects.filter(object_type="people.person", object_id=str(b.pk))
    # (written in the node's language, whoever merged)
    assert {e.summary for e in actions} >= {
        node_text(gettext_noop("merged into person %(pk)s"), pk=a.pk),
        node_text(gettext_noop("unmerged from person %(pk)s"), pk=a.pk),
    }
    with pytest.raises(ValidationError):
        services.person_unmerge(actor=supervisor, merge=merge)


def test_only_supervisors_and_coordinators_merge(people, twins):
    a, b = twins
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=people["caseworker"], survivor=a, duplicate=b)
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=people["other_agency.supervisor"], survivor=a, duplicate=b)
    assert PersonMerge.objects.count() == 0


def test_a_merged_person_cannot_be_merged_again(people, twins, caseworker):
    a, b = twins
    c, _ = make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    services.person_merge(actor=people["supervisor"], survivor=a, duplicate=b)
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=people["supervisor"], survivor=c, duplicate=b)


def found(user, query) -> set[int]:
    return set(person_search(user, query).values_list("pk", flat=True))


def api_found(user, query) -> set[str]:
    from tests.api.permissions import token_client

    response = token_client(user).get("/api/persons/", {"q": query})
    assert response.status_code == 200
    return {row["uid"] for row in response.json()["results"]}


def test_a_merged_away_name_is_found_through_the_survivor_until_unmerged(people, caseworker):
    """The names that move with a merge are re-indexed: search (page and API) finds the survivor
    under the duplicate's names, and each person again under their own after the unmerge."""
    a, _ = make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    b, _ = make_child(caseworker, given="Komlan", family="Sewa", gender="Masculine")
    people_services.person_add_name(actor=caseworker, person=b, name="Mawuli", kind="nickname")
    supervisor = people["supervisor"]
    b_names = ("Mawuli", "Komlan Sewa", "SEWA Komlan")
    for query in b_names:
        assert found(supervisor, query) == {b.pk}, query
    merge = services.person_merge(actor=supervisor, survivor=a, duplicate=b)
    for query in b_names:
        assert found(supervisor, query) == {a.pk}, query
        assert api_found(supervisor, query) == {str(a.uid)}, query
    assert found(supervisor, "Kossi Agbeko") == {a.pk}
    services.person_unmerge(actor=supervisor, merge=merge)
    for query in b_names:
        assert found(supervisor, query) == {b.pk}, query
        assert api_found(supervisor, query) == {str(b.uid)}, query
    assert found(supervisor, "Kossi Agbeko") == {a.pk}
    assert api_found(supervisor, "Kossi Agbeko") == {str(a.uid)}


def test_possible_duplicates_are_looked_up_in_the_person_index(caseworker, twins):
    """A person registered under one of another's other names is proposed as a duplicate: the
    pool comes from the index that holds every name."""
    a, b = twins
    people_services.person_add_name(actor=caseworker, person=a, name="Mawuli Tchalla")
    c = people_services.person_create(
        actor=caseworker, given_names="Mawuli", family_name="TCHALLA", birth_year=2014
    )
    assert a.pk in {p.pk for p in services.duplicates._pool_for(c)}


def test_duplicates_page_queries_do_not_grow_with_pairs(people, caseworker, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = as_user(people["supervisor"])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("tracing:duplicates"))
        assert response.status_code == 200
        return len(ctx), len(response.context["rows"])

    def add_pairs(n, start):
        for i in range(start, start + n):
            first, _ = make_child(caseworker, given=f"Kossi{i}", family="Agbeko", mother="Afi")
            second, _ = make_child(caseworker, given=f"Kosi{i}", family="Agbeko", mother="Afi")
            DuplicateCandidate.objects.create(first=first, second=second, score=0.8, levels={})
            services.duplicate_decide(
                actor=people["supervisor"],
                candidate=DuplicateCandidate.objects.get(first=first),
                decision="unsure",
            )

    add_pairs(2, 0)
    few, rows = count_queries()
    assert rows == 2
    add_pairs(10, 2)
    many, rows = count_queries()
    assert rows == 12
    assert many == few
