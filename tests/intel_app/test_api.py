"""The intelligence API: investigators of this node only, every route's matrix, the pages'
services and audit, and bad input that changes nothing."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from corridor.audit.models import Action, AuditEntry
from corridor.intel.models import (
    Entity,
    Event,
    ImportBatch,
    IntelRequest,
    Link,
    MatchJudgement,
    Report,
)
from corridor.intel.services import import_run
from tests.api.permissions import check_api_matrix, token_client
from tests.intel_app.test_ingest import CDR

pytestmark = [pytest.mark.django_db]

INVESTIGATOR = {"investigator"}
GRADING = {"source": "Informateur DEMO", "reliability": "B", "credibility": "2"}


@pytest.fixture
def received(seeded):
    """A request the other node sent (the federation would record it on arrival)."""
    return IntelRequest.objects.create(
        direction="in",
        request_id=uuid.uuid4(),
        peer="gabon",
        identifiers=[{"kind": "phone", "value": "+24162112233"}],
        purpose="Enquête DEMO",
        legal_basis="Accord d'entraide",
        status="received",
    )


@pytest.mark.api_matrix(
    "GET api:intel-entity-list",
    "GET api:intel-entity-detail",
    "POST api:intel-entity-list",
    "GET api:intel-event-list",
    "GET api:intel-event-detail",
    "POST api:intel-event-list",
    "GET api:intel-link-list",
    "GET api:intel-link-detail",
    "POST api:intel-link-list",
    "GET api:intel-report-list",
    "GET api:intel-report-detail",
    "POST api:intel-report-list",
    "GET api:intel-import-list",
    "GET api:intel-import-detail",
    "POST api:intel-import-list",
    "GET api:intel-judgement-list",
    "GET api:intel-judgement-detail",
    "POST api:intel-judgement-list",
    "GET api:intel-request-list",
    "GET api:intel-request-detail",
    "POST api:intel-request-list",
    "GET api:intel-duplicate-list",
    "GET api:intel-network",
    "POST api:intel-entity-unmerge",
    "POST api:intel-request-answer",
)
def test_intel_matrix(seeded, people, received):
    batch = import_run(actor=None, kind="cdr", filename="x.csv", content=b"caller,callee\n")
    kossi = Entity.objects.get(name="Kossi FICTIF")
    kwasi = Entity.objects.get(name="Kwasi FICTIF")
    judgement = MatchJudgement.objects.create(
        left_type="intel.entity",
        left_id=str(kossi.pk),
        right_type="intel.entity",
        right_id=str(kwasi.pk),
        decision="unsure",
        at="2025-03-01T10:00:00Z",
    )
    records = {
        "entities": kossi,
        "events": Event.objects.first(),
        "links": Link.objects.first(),
        "reports": Report.objects.get(),
        "imports": batch,
        "judgements": judgement,
        "requests": received,
    }
    problems = []
    for path, record in records.items():
        problems += check_api_matrix(f"/api/intel/{path}/", people, INVESTIGATOR)
        problems += check_api_matrix(f"/api/intel/{path}/{record.pk}/", people, INVESTIGATOR)
        problems += check_api_matrix(
            f"/api/intel/{path}/", people, INVESTIGATOR, method="post", data={"kind": "?"}
        )
    problems += check_api_matrix("/api/intel/duplicates/", people, INVESTIGATOR)
    problems += check_api_matrix("/api/intel/network/", people, INVESTIGATOR)
    for url in (
        f"/api/intel/entities/{kossi.pk}/unmerge/",
        f"/api/intel/requests/{received.pk}/answer/",
    ):
        problems += check_api_matrix(url, people, INVESTIGATOR, method="post")
    assert problems == []
    assert Entity.objects.filter(name="?").count() == 0


def test_records_through_the_api(seeded, people):
    client = token_client(people["investigator"])
    report = client.post(
        "/api/intel/reports/",
        {"title": "Rapport DEMO", "received_on": "2025-03-01", **GRADING},
        format="json",
    )
    assert report.status_code == 201 and report.json()["grading"] == "B2"
    phone = client.post(
        "/api/intel/entities/",
        {"kind": "phone", "name": "+228 90 55 66 77", "report": report.json()["id"], **GRADING},
        format="json",
    )
    assert phone.status_code == 201 and phone.json()["name"] == "+22890556677"
    again = client.post(
        "/api/intel/entities/", {"kind": "phone", "name": "90 55 66 77", **GRADING}, format="json"
    )
    assert again.status_code == 400 and "name" in again.json()
    kossi = Entity.objects.get(name="Kossi FICTIF")
    link = client.post(
        "/api/intel/links/",
        {
            "kind": "uses",
            "source_entity": kossi.pk,
            "target_entity": phone.json()["id"],
            **GRADING,
        },
        format="json",
    )
    assert link.status_code == 201
    event = client.post(
        "/api/intel/events/",
        {
            "kind": "payment",
            "at": "2025-03-02T10:00:00Z",
            "participants": [kossi.pk, phone.json()["id"]],
            "amount": "25000.00",
            "currency": "xof",
            **GRADING,
        },
        format="json",
    )
    assert event.status_code == 201 and event.json()["currency"] == "XOF"
    assert {p["entity"] for p in event.json()["participants"]} == {kossi.pk, phone.json()["id"]}
    listed = client.get("/api/intel/entities/?kind=phone&q=22890556677").json()
    assert [e["id"] for e in listed["results"]] == [phone.json()["id"]]


def test_bad_intel_input_changes_nothing(seeded, people):
    client = token_client(people["investigator"])
    counts = (Entity.objects.count(), Link.objects.count(), Event.objects.count())
    entries = AuditEntry.objects.count()
    kossi = Entity.objects.get(name="Kossi FICTIF")
    self_link = client.post(
        "/api/intel/links/",
        {"kind": "family", "source_entity": kossi.pk, "target_entity": kossi.pk, **GRADING},
        format="json",
    )
    assert self_link.status_code == 400 and "target_entity" in self_link.json()
    ghost = client.post(
        "/api/intel/events/",
        {"kind": "call", "at": "2025-03-02T10:00:00Z", "participants": [kossi.pk, 10**6]} | GRADING,
        format="json",
    )
    assert ghost.status_code == 400 and "participants" in ghost.json()
    alone = client.post(
        "/api/intel/events/",
        {"kind": "call", "at": "2025-03-02T10:00:00Z", "participants": [kossi.pk]} | GRADING,
        format="json",
    )
    assert alone.status_code == 400 and alone.json()["non_field_errors"]
    victim = client.post(
        "/api/intel/entities/", {"kind": "case_ref", "name": "Ama Mensah", **GRADING}, format="json"
    )
    assert victim.status_code == 400 and "name" in victim.json()
    assert (Entity.objects.count(), Link.objects.count(), Event.objects.count()) == counts
    assert AuditEntry.objects.count() == entries


def test_imports_through_the_api(people):
    client = token_client(people["investigator"])
    good = SimpleUploadedFile("cdr.csv", CDR.encode(), content_type="text/csv")
    created = client.post(
        "/api/intel/imports/", {"kind": "cdr", "file": good, **GRADING}, format="multipart"
    )
    assert created.status_code == 201 and created.json()["rows_imported"] == 3
    bad = SimpleUploadedFile("bad.csv", (CDR + "junk line\n").encode(), content_type="text/csv")
    rejected = client.post(
        "/api/intel/imports/", {"kind": "cdr", "file": bad, **GRADING}, format="multipart"
    )
    assert rejected.status_code == 400 and rejected.json()["status"] == "rejected"
    assert rejected.json()["rows_imported"] == 0 and rejected.json()["errors"]
    missing = client.post("/api/intel/imports/", {"kind": "sms"}, format="multipart")
    assert missing.status_code == 400 and {"kind", "file"} <= set(missing.json())
    assert ImportBatch.objects.count() == 2
    assert client.get("/api/intel/imports/").json()["count"] == 2


def test_judgements_merge_and_unmerge(seeded, people):
    client = token_client(people["investigator"])
    kossi = Entity.objects.get(name="Kossi FICTIF")
    kwasi = Entity.objects.get(name="Kwasi FICTIF")
    proposals = client.get("/api/intel/duplicates/").json()
    assert {kossi.pk, kwasi.pk} in [{p["left"], p["right"]} for p in proposals]
    same = client.post(
        "/api/intel/judgements/",
        {"left": kossi.pk, "right": kwasi.pk, "decision": "positive"},
        format="json",
    )
    assert same.status_code == 201 and same.json()["decision"] == "positive"
    kwasi.refresh_from_db()
    assert kwasi.merged_into == kossi
    unmerged = client.post(f"/api/intel/entities/{kwasi.pk}/unmerge/", {"comment": "Deux frères"})
    assert unmerged.status_code == 200 and unmerged.json()["merged_into"] is None
    twice = client.post(f"/api/intel/entities/{kwasi.pk}/unmerge/")
    assert twice.status_code == 400
    bad = client.post(
        "/api/intel/judgements/",
        {"left": kossi.pk, "right": kossi.pk, "decision": "unsure"},
        format="json",
    )
    assert bad.status_code == 400


def test_network_window_and_anchor(seeded, people):
    client = token_client(people["investigator"])
    summary = client.get("/api/intel/network/?k=2").json()
    assert summary["n_nodes"] == 63 and len(summary["key_players"]["ids"]) == 2
    kossi = Entity.objects.get(name="Kossi FICTIF")
    anchored = client.get(f"/api/intel/network/?anchor={kossi.pk}").json()
    assert anchored["n_nodes"] == 63
    assert client.get("/api/intel/network/?start=2025-09-01&end=2025-01-01").status_code == 400
    assert client.get("/api/intel/network/?k=99").status_code == 400
    assert client.get(f"/api/intel/network/?anchor={10**6}").status_code == 404


def test_requests_to_the_other_node(seeded, people, received):
    client = token_client(people["investigator"])
    ask = {
        "peer": "gabon",
        "identifiers": [{"kind": "phone", "value": "+241 62 11 22 33"}],
        "purpose": "Enquête DEMO",
        "legal_basis": "Accord d'entraide",
    }
    no_peer = client.post("/api/intel/requests/", ask, format="json")
    assert no_peer.status_code == 400 and "peer" in no_peer.json()
    bad = client.post(
        "/api/intel/requests/",
        ask | {"identifiers": [{"kind": "email", "value": "x"}]},
        format="json",
    )
    assert bad.status_code == 400
    answer = client.post(f"/api/intel/requests/{received.pk}/answer/")
    assert answer.status_code == 400 and answer.json()["non_field_errors"]
    assert IntelRequest.objects.count() == 1
    listed = client.get("/api/intel/requests/").json()
    assert listed["results"][0]["direction"] == "in"


def test_lists_and_reads_are_audited(seeded, people):
    client = token_client(people["investigator"])
    entity = Entity.objects.get(name="Kossi FICTIF")
    before = AuditEntry.objects.count()
    client.get("/api/intel/entities/")
    client.get(f"/api/intel/entities/{entity.pk}/")
    client.get("/api/intel/network/")
    entries = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        (Action.READ, "intel.api", "entities"),
        (Action.READ, "intel.entity", str(entity.pk)),
        (Action.READ, "intel.api", "network"),
    ]
