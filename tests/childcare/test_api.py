"""The API of the child's case in depth: its permission matrix, and the same rules as the pages."""

from __future__ import annotations

import pytest

from corridor.accounts.models import Role
from corridor.childcare import services
from corridor.childcare.models import FollowUpVisit
from tests.api.permissions import check_api_matrix, token_client
from tests.childcare.conftest import RATINGS, TODAY, day

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR}


@pytest.mark.api_matrix(
    "GET api:child-case-detail",
    "POST api:child-case-tracing-actions",
    "POST api:child-case-visits",
    "GET api:shelter-occupancy-list",
)
def test_api_permission_matrix(people, child):
    base = f"/api/childcare/child-cases/{child.pk}/"
    coordinator_only = {Role.COORDINATOR}
    assert check_api_matrix(base, people, CASE_WORK, other_agency_allowed=coordinator_only) == []
    tracing = {"date": TODAY.isoformat(), "action": "Appel", "who": "AS", "outcome": "lead"}
    assert (
        check_api_matrix(
            base + "tracing-actions/",
            people,
            CASE_WORK,
            method="post",
            data=tracing,
            other_agency_allowed=coordinator_only,
        )
        == []
    )
    assert (
        check_api_matrix(
            base + "visits/",
            people,
            CASE_WORK,
            method="post",
            data={},
            other_agency_allowed=coordinator_only,
        )
        == []
    )
    occupancy = "/api/childcare/shelter-occupancy/"
    assert check_api_matrix(occupancy, people, {Role.COORDINATOR, Role.SUPERVISOR}) == []


def test_adults_cases_have_no_childs_file(people, adult_case):
    client = token_client(people["caseworker"])
    assert client.get(f"/api/childcare/child-cases/{adult_case.pk}/").status_code == 404


def test_a_visit_through_the_api_follows_the_pages_rules(people, child):
    client = token_client(people["caseworker"])
    url = f"/api/childcare/child-cases/{child.pk}/visits/"
    placement = services.placement_start(
        actor=people["caseworker"], case=child, kind="kinship", start_on=day(60)
    )
    body = {
        "month": 3,
        "visited_on": day(50).isoformat(),
        "placement": placement.pk,
        "living_with": "relatives",
        "schooling": "apprenticeship",
        "safety": "safe",
        "ratings": {**RATINGS, "psy_safety": 7},
    }
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"visited_on"}
    refused = client.post(url, {**body, "visited_on": day(90).isoformat()}, format="json")
    assert refused.status_code == 400 and "psy_safety" in refused.json()
    assert not FollowUpVisit.objects.exists()
    ok = client.post(
        url, {**body, "visited_on": day(90).isoformat(), "ratings": RATINGS}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["score"] == "0.778" and ok.json()["version"] == 1
    file = client.get(f"/api/childcare/child-cases/{child.pk}/").json()
    assert [v["month"] for v in file["visits"]] == [3]
