"""The tracing API: the pages' permission matrix, validation and decisions, with tokens."""

from __future__ import annotations

import json
import uuid

import pytest

from corridor.audit.models import AuditEntry
from corridor.matching.model import default_model
from corridor.tracing import services
from corridor.tracing.models import (
    DuplicateCandidate,
    MatchModel,
    PersonMerge,
    RequestStatus,
    TracingRequest,
)
from tests.api.permissions import check_api_matrix, token_client
from tests.tracing.conftest import REQUEST, make_child

pytestmark = [pytest.mark.django_db]

TRACERS = {"caseworker", "supervisor", "coordinator"}
MERGERS = {"supervisor", "coordinator"}
NATIONAL = {"coordinator"}


def payload(**overrides):
    data = {**REQUEST, "report_date": REQUEST["report_date"].isoformat(), **overrides}
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.api_matrix(
    "GET api:tracing-request-list",
    "GET api:duplicate-list",
    "GET api:tracing-request-detail",
    "GET api:tracing-request-candidates",
    "POST api:tracing-request-decide",
)
def test_matrix(people):
    request = services.tracing_request_create(actor=people["caseworker"], **REQUEST)
    assert check_api_matrix("/api/tracing-requests/", people, TRACERS) == []
    assert check_api_matrix("/api/duplicates/", people, TRACERS) == []
    for url in (
        f"/api/tracing-requests/{request.pk}/",
        f"/api/tracing-requests/{request.pk}/candidates/",
    ):
        assert check_api_matrix(url, people, TRACERS, other_agency_allowed=NATIONAL) == []
    url = f"/api/tracing-requests/{request.pk}/decide/"
    problems = check_api_matrix(
        url, people, TRACERS, method="post", data={"decision": "x"}, other_agency_allowed=NATIONAL
    )
    assert problems == []


def test_create_refuses_bad_input_with_field_errors(people):
    client = token_client(people["caseworker"])
    response = client.post(
        "/api/tracing-requests/", payload(given_names="", family_name=""), format="json"
    )
    assert response.status_code == 400
    assert "given_names" in response.json()
    response = client.post(
        "/api/tracing-requests/", payload(birth_date="2014-02-30", birth_year=None), format="json"
    )
    assert response.status_code == 400
    assert "birth_date" in response.json()
    response = client.post(
        "/api/tracing-requests/", payload(last_seen_on="0024-05-01"), format="json"
    )
    assert response.status_code == 400  # a year typed short
    assert "1900" in response.json()["last_seen_on"][0]
    assert TracingRequest.objects.count() == 0
    response = client.post("/api/tracing-requests/", payload(), format="json")
    assert response.status_code == 201
    assert response.json()["ref"].startswith("TR-TG-2025-")


def test_candidates_and_decision(people, caseworker, child, tracing_request):
    person, _case = child
    client = token_client(caseworker)
    found = client.get(f"/api/tracing-requests/{tracing_request.pk}/candidates/").json()
    assert found[0]["person"] == str(person.uid)
    assert found[0]["reasons"][0]["sentence"]
    response = client.post(
        f"/api/tracing-requests/{tracing_request.pk}/decide/",
        {"person": str(person.uid), "decision": "positive"},
        format="json",
    )
    assert response.json() == {"decision": "positive"}
    tracing_request.refresh_from_db()
    assert tracing_request.status == RequestStatus.MATCHED


def test_duplicate_merge_is_for_supervisors(people, caseworker):
    a, _ = make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    b, _ = make_child(caseworker, given="Kwasi", family="Agbeko", gender="Masculine")
    pair = DuplicateCandidate.objects.create(first=a, second=b, score=0.9, levels={})
    url = f"/api/duplicates/{pair.pk}/merge/"
    assert (
        token_client(caseworker).post(url, {"survivor": str(a.uid)}, format="json").status_code
        == 403
    )
    response = token_client(people["supervisor"]).post(url, {"survivor": str(a.uid)}, format="json")
    assert response.status_code == 201
    b.refresh_from_db()
    assert b.merged_into == a


@pytest.mark.api_matrix(
    "POST api:tracing-request-list",
    "POST api:tracing-request-close",
    "POST api:tracing-request-lookup",
)
def test_request_writes_matrix(people):
    request = services.tracing_request_create(actor=people["caseworker"], **REQUEST)
    url = f"/api/tracing-requests/{request.pk}"
    post = {"method": "post", "other_agency_allowed": NATIONAL}
    problems = check_api_matrix(
        "/api/tracing-requests/", people, TRACERS, method="post", data=payload()
    )
    problems += check_api_matrix(f"{url}/close/", people, TRACERS, data={"reason": ""}, **post)
    problems += check_api_matrix(f"{url}/lookup/", people, TRACERS, **post)
    assert problems == []


@pytest.fixture
def pairs(caseworker, people):
    """Two possible duplicates of the home agency, and a merge of two others."""
    a, _ = make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    b, _ = make_child(caseworker, given="Kwasi", family="Agbeko", gender="Masculine")
    pair = DuplicateCandidate.objects.create(first=a, second=b, score=0.9, levels={})
    c, _ = make_child(caseworker, given="Afi", family="Lawson")
    d, _ = make_child(caseworker, given="Afiwa", family="Lawson")
    merge = services.person_merge(actor=people["supervisor"], survivor=c, duplicate=d)
    return {"pair": pair, "merge": merge}


@pytest.mark.api_matrix(
    "GET api:duplicate-detail",
    "POST api:duplicate-decide",
    "POST api:duplicate-merge",
    "GET api:merge-list",
    "GET api:merge-detail",
    "POST api:merge-undo",
)
def test_duplicates_and_merges_matrix(people, pairs):
    pair, merge = pairs["pair"], pairs["merge"]
    post = {"method": "post", "other_agency_allowed": NATIONAL}
    problems = check_api_matrix(
        f"/api/duplicates/{pair.pk}/", people, TRACERS, other_agency_allowed=NATIONAL
    )
    problems += check_api_matrix(
        f"/api/duplicates/{pair.pk}/decide/", people, TRACERS, data={"decision": "unsure"}, **post
    )
    problems += check_api_matrix(
        f"/api/duplicates/{pair.pk}/merge/",
        people,
        MERGERS,
        data={"survivor": str(uuid.uuid4())},
        **post,
    )
    problems += check_api_matrix("/api/merges/", people, TRACERS)
    problems += check_api_matrix(
        f"/api/merges/{merge.pk}/", people, TRACERS, other_agency_allowed=NATIONAL
    )
    problems += check_api_matrix(f"/api/merges/{merge.pk}/undo/", people, MERGERS, **post)
    assert problems == []
    assert not PersonMerge.objects.filter(duplicate=pair.second).exists()


def _version() -> MatchModel:
    """A stored version of the match model (retraining needs many decisions; see test_retrain)."""
    numbers = dict(accuracy=0.9, f1=0.9, log_loss=0.3)
    return MatchModel.objects.create(
        parameters=json.loads(default_model().to_json()),
        matches=10,
        non_matches=10,
        folds=5,
        **numbers,
        **{f"baseline_{k}": v for k, v in numbers.items()},
    )


@pytest.mark.api_matrix(
    "GET api:match-model-list",
    "GET api:match-model-detail",
    "POST api:match-model-retrain",
    "POST api:match-model-activate",
    "POST api:match-model-shipped",
)
def test_match_model_matrix(people):
    version = _version()
    problems = check_api_matrix("/api/match-models/", people, MERGERS)
    problems += check_api_matrix(f"/api/match-models/{version.pk}/", people, MERGERS)
    problems += check_api_matrix("/api/match-models/retrain/", people, MERGERS, method="post")
    problems += check_api_matrix(
        f"/api/match-models/{version.pk}/activate/", people, NATIONAL, method="post"
    )
    problems += check_api_matrix("/api/match-models/shipped/", people, NATIONAL, method="post")
    assert problems == []
    assert not MatchModel.objects.filter(is_active=True).exists()


def test_retraining_below_the_minimum_is_refused_and_stores_nothing(people):
    entries = AuditEntry.objects.count()
    response = token_client(people["supervisor"]).post("/api/match-models/retrain/")
    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith("Le réentraînement demande")
    assert MatchModel.objects.count() == 0 and AuditEntry.objects.count() == entries
    version = _version()
    coordinator = token_client(people["coordinator"])
    activated = coordinator.post(f"/api/match-models/{version.pk}/activate/")
    assert activated.status_code == 200 and activated.json()["is_active"]
    assert coordinator.post(f"/api/match-models/{version.pk}/activate/").status_code == 400
    assert coordinator.post("/api/match-models/shipped/").json() == {"in_force": "shipped"}


def test_close_a_request_and_filter_the_list(people, tracing_request):
    client = token_client(people["caseworker"])
    url = f"/api/tracing-requests/{tracing_request.pk}/close/"
    entries = AuditEntry.objects.count()
    refused = client.post(url, {"reason": "  "}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    assert AuditEntry.objects.count() == entries
    closed = client.post(url, {"reason": "Enfant retrouvé par la famille."}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == RequestStatus.CLOSED
    assert client.post(url, {"reason": "encore"}, format="json").status_code == 400
    assert client.get("/api/tracing-requests/?status=open").json()["count"] == 0
    assert client.get("/api/tracing-requests/?q=akuvi").json()["count"] == 1
    assert client.get("/api/tracing-requests/?status=lost").status_code == 400
    lookup = client.post(f"/api/tracing-requests/{tracing_request.pk}/lookup/")
    assert lookup.status_code == 400 and lookup.json()["non_field_errors"]


def test_merge_undo_through_the_api(people, pairs):
    merge = pairs["merge"]
    assert (
        token_client(people["caseworker"]).post(f"/api/merges/{merge.pk}/undo/").status_code == 403
    )
    undone = token_client(people["supervisor"]).post(
        f"/api/merges/{merge.pk}/undo/", {"comment": "Deux sœurs."}, format="json"
    )
    assert undone.status_code == 200 and undone.json()["undone_by"] == "home.supervisor"
    merge.duplicate.refresh_from_db()
    assert merge.duplicate.merged_into is None
    mine = token_client(people["caseworker"]).get(
        f"/api/duplicates/?person={pairs['pair'].first.uid}"
    )
    assert mine.json()["count"] == 1
