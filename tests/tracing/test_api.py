"""The tracing API: the pages' permission matrix, validation and decisions, with tokens."""

from __future__ import annotations

import pytest

from corridor.tracing import services
from corridor.tracing.models import DuplicateCandidate, RequestStatus, TracingRequest
from tests.api.permissions import check_api_matrix, token_client
from tests.tracing.conftest import REQUEST, make_child

pytestmark = [pytest.mark.django_db]

TRACERS = {"caseworker", "supervisor", "coordinator"}
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
