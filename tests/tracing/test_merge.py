"""Duplicate detection, merge and unmerge: history kept, and undo restores exactly."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from corridor.audit.models import AuditEntry
from corridor.cases.models import Case
from corridor.intel.models import MatchJudgement
from corridor.people import services as people_services
from corridor.people.models import Person, PersonName, Relationship
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
        "keys": sorted(Person.objects.values_list("pk", "search_keys")),
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
    call_command("find_duplicates")
    assert DuplicateCandidate.objects.count() == 1
    assert "new_candidates=0" in capsys.readouterr().out


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
    assert {e.summary for e in actions if "merged" in e.summary} == {
        f"merged into person {a.pk}",
        f"unmerged from person {a.pk}",
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
