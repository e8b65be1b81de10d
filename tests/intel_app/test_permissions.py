"""Every intelligence page, JSON endpoint and export: investigators of this node only."""

import pytest

from corridor.accounts.models import Role
from corridor.audit.models import Action, AuditEntry
from corridor.intel.models import Entity, MatchJudgement
from tests.permissions import check_matrix

INVESTIGATOR = {Role.INVESTIGATOR}
GET_URLS = [
    "/intel/",
    "/intel/entities/",
    "/intel/entities/new/",
    "/intel/links/new/",
    "/intel/events/new/",
    "/intel/reports/new/",
    "/intel/imports/",
    "/intel/duplicates/",
    "/intel/judgements/",
    "/intel/network/",
    "/intel/network/?start=2025-03-01&end=2025-09-30&k=2",
    "/intel/network.json",
    "/intel/export/ftm/",
    "/intel/export/gexf/",
    "/intel/export/graphml/",
    "/intel/export/pdf/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", GET_URLS)
def test_pages_and_exports_are_for_investigators_only(seeded, people, url):
    assert check_matrix(url, people, INVESTIGATOR) == []


@pytest.mark.django_db
def test_record_pages_are_for_investigators_only(seeded, people):
    from corridor.intel.models import ImportBatch, Report
    from corridor.intel.services import import_run

    entity = Entity.objects.get(name="Kossi FICTIF")
    report = Report.objects.get()
    batch = import_run(actor=None, kind="cdr", filename="x.csv", content=b"caller,callee\n")
    assert ImportBatch.objects.count() == 1
    for url in [
        f"/intel/entities/{entity.pk}/",
        f"/intel/entities/{entity.pk}/neighbours.json",
        f"/intel/reports/{report.pk}/",
        f"/intel/imports/{batch.pk}/",
        f"/intel/imports/{batch.pk}/errors.csv",
    ]:
        assert check_matrix(url, people, INVESTIGATOR) == [], url


@pytest.mark.django_db
def test_writes_are_for_investigators_only(seeded, people):
    kossi = Entity.objects.get(name="Kossi FICTIF")
    kwasi = Entity.objects.get(name="Kwasi FICTIF")
    problems = check_matrix(
        "/intel/duplicates/judge/",
        people,
        INVESTIGATOR,
        method="post",
        data={"left": kossi.pk, "right": kwasi.pk, "decision": "unsure"},
    )
    assert problems == []
    # Only the home and other-agency investigators got through: two "unsure" judgements.
    assert MatchJudgement.objects.filter(decision="unsure").count() == 2


@pytest.mark.django_db
def test_views_and_exports_are_audited(seeded, people, as_user):
    client = as_user(people[Role.INVESTIGATOR])
    entity = Entity.objects.get(name="Kossi FICTIF")
    before = AuditEntry.objects.count()
    client.get("/intel/network/")
    client.get(f"/intel/entities/{entity.pk}/")
    client.get("/intel/export/ftm/")
    client.get("/intel/export/pdf/")
    entries = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [(e.action, e.object_type) for e in entries] == [
        (Action.READ, "intel.page"),
        (Action.READ, "intel.entity"),
        (Action.EXPORT, "intel.network"),
        (Action.EXPORT, "intel.network"),
    ]
    assert entries[2].object_id == "ftm" and entries[3].object_id == "pdf"
    assert {e.actor_id for e in entries} == {people[Role.INVESTIGATOR].pk}


def _intel_panel(user):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from corridor.core.navigation import PANELS

    request = RequestFactory().get("/")
    request.user = user
    (mine,) = [p for p in PANELS if p.template == "intel/panel_aggregates.html"]
    if user.role not in mine.roles:
        return None
    panel = {"template": mine.template, **mine.context(request)}
    return render_to_string(mine.template, {"panel": panel, "user": user})


@pytest.mark.django_db
def test_coordinator_sees_counts_not_records(seeded, people):
    page = _intel_panel(people[Role.COORDINATOR])
    assert 'data-testid="intel-networks">1<' in page
    assert "Kossi" not in page and "+228" not in page
    assert "<dd>63</dd>" in page and "<dd>199</dd>" in page
    assert _intel_panel(people[Role.CASEWORKER]) is None
    assert _intel_panel(people[Role.PARTNER]) is None
    foreign = _intel_panel(people[f"other_country.{Role.COORDINATOR}"])
    assert foreign is not None and "intel-networks" not in foreign
