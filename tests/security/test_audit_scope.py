"""Item 12: the audit log names records by reference, never by a victim's name, and each reader
sees only what the reader's role may: administrators (who may not open a person) read no summary
about a person, coordinators read no investigator's search terms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from corridor.audit.models import Action, AuditEntry
from corridor.audit.selectors import visible_audit_entries
from corridor.audit.services import audit_record
from corridor.people.services import person_create, person_update

pytestmark = pytest.mark.django_db

VICTIM = "Akossiwa ZINSOU-TESTNOM"
SEARCH = "recherche-secrete-enqueteur"


def test_person_writes_and_reads_are_named_by_reference(people, as_user):
    worker = people["caseworker"]
    person = person_create(actor=worker, given_names="Akossiwa", family_name="ZINSOU-TESTNOM")
    person_update(actor=worker, person=person, given_names="Akossiwa Ama")
    as_user(worker).get(reverse("people:detail", args=[person.pk]))
    entries = AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk))
    assert entries.count() == 3
    for entry in entries:
        assert "ZINSOU" not in entry.summary and "Akossiwa" not in entry.summary
        assert "ZINSOU" not in str(entry.detail)


@pytest.fixture
def log(people):
    """An old entry that named a victim (written before this rule), and an investigator's search."""
    audit_record(
        actor=people["caseworker"],
        action=Action.UPDATE,
        object_type="people.person",
        object_id="41",
        summary=VICTIM,
    )
    audit_record(
        actor=people["investigator"],
        action=Action.READ,
        object_type="intel.page",
        object_id="entity_list",
        summary=f"/intel/entities/?q={SEARCH}",
    )
    audit_record(actor=people["administrator"], action=Action.CREATE, summary="agency Kara")


def _page(client) -> str:
    return client.get(reverse("audit:list")).content.decode()


def test_administrators_see_references_not_names(people, as_user, log):
    page = _page(as_user(people["administrator"]))
    assert VICTIM not in page and SEARCH not in page
    assert "people.person:41" in page and "intel.page:entity_list" in page
    # read, the type as a title, a link to the record's whole history
    assert 'href="/audit/?kind=people.person&amp;number=41"' in page
    assert 'title="people.person:41">Personne 41</a>' in page
    assert "agency Kara" in page
    home = as_user(people["administrator"]).get("/").content.decode()
    assert VICTIM not in home and SEARCH not in home


def test_coordinators_see_names_but_not_investigators_search_terms(people, as_user, log):
    page = _page(as_user(people["coordinator"]))
    assert VICTIM in page
    assert SEARCH not in page and "intel.page:entity_list" in page


def test_the_selector_is_the_rule_and_fails_closed(people, log):
    shown = {
        role: {e.object_type: e.shown_summary for e in visible_audit_entries(people[role])}
        for role in ("administrator", "coordinator")
    }
    assert shown["administrator"]["people.person"] == ""
    assert shown["administrator"]["intel.page"] == ""
    assert shown["coordinator"]["people.person"] == VICTIM
    assert shown["coordinator"]["intel.page"] == ""
    for role in ("caseworker", "supervisor", "investigator", "partner", "border_officer"):
        assert not visible_audit_entries(people[role]).exists()
    assert not visible_audit_entries(people["other_country.coordinator"]).exists()


def test_the_log_is_filtered_by_kind_and_number(people, as_user, log):
    client = as_user(people["administrator"])
    response = client.get(reverse("audit:list"), {"kind": "people.person", "number": "41"})
    assert [(e.object_type, e.object_id) for e in response.context["page"]] == [
        ("people.person", "41")
    ]
    page = response.content.decode()
    assert '<option value="people.person" selected>Personne</option>' in page
    assert '<option value="intel.page">Page de renseignement</option>' in page  # a named kind
    assert "Personne 41" in page
    wrong = client.get(reverse("audit:list"), {"kind": "no.such"})
    assert wrong.context["form"].errors["kind"]
    assert "Sélectionnez un choix valide" in wrong.content.decode()
