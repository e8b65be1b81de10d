"""The API of caseloads and smuggling facts: the permission matrix, the refusals, and the caseload
chosen at opening."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.cases import caseloads as cl
from corridor.cases import services
from corridor.people.services import person_create
from tests.api.permissions import check_api_matrix, token_client

pytestmark = pytest.mark.django_db

CASE_ROLES = {"caseworker", "supervisor", "coordinator"}
DECIDERS = {"supervisor", "coordinator"}
NATIONAL = {"coordinator"}


@pytest.fixture
def smuggled(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Yao", family_name="DEMO-API", birth_date=date(1998, 1, 1)
    )
    return services.case_open(actor=worker, person=person, caseload=cl.SMUGGLED_MIGRANT)


@pytest.mark.api_matrix("POST api:case-caseload", "POST api:case-smuggling")
def test_caseload_and_smuggling_matrix(people, smuggled):
    url = f"/api/cases/{smuggled.pk}"
    post = {"method": "post", "other_agency_allowed": NATIONAL}
    problems = check_api_matrix(
        f"{url}/caseload/", people, DECIDERS, data={"caseload": cl.RETURNEE}, **post
    )
    problems += check_api_matrix(
        f"{url}/smuggling/", people, CASE_ROLES, data={"route": "Lomé → Cotonou"}, **post
    )
    assert problems == []


def test_a_caseload_change_without_a_reason_is_refused(people, smuggled):
    client = token_client(people["supervisor"])
    url = f"/api/cases/{smuggled.pk}/caseload/"
    response = client.post(url, {"caseload": cl.RETURNEE}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    smuggled.refresh_from_db()
    assert smuggled.caseload == cl.SMUGGLED_MIGRANT
    response = client.post(
        url, {"caseload": cl.RETURNEE, "reason": "Retour volontaire assisté."}, format="json"
    )
    assert response.status_code == 200 and response.json()["caseload"] == cl.RETURNEE
    caseworker = token_client(people["caseworker"])
    response = caseworker.post(url, {"caseload": cl.STRANDED_MIGRANT, "reason": "x"}, format="json")
    assert response.status_code == 403


def test_smuggling_facts_through_the_api(people, smuggled):
    client = token_client(people["caseworker"])
    url = f"/api/cases/{smuggled.pk}/smuggling/"
    response = client.post(url, {"transport_means": ["rocket"]}, format="json")
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "intermediary": "Passeur DEMO-API",
            "amount_paid": "200000",
            "route": "Lomé → Lagos",
            "transport_means": ["bus"],
            "inhuman_treatment": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["intermediary"] == "Passeur DEMO-API" and body["passed_to_intelligence_at"]
    case = client.get(f"/api/cases/{smuggled.pk}/").json()
    assert (
        case["smuggling"]["inhuman_treatment"] is True and case["caseload"] == cl.SMUGGLED_MIGRANT
    )
    assert "intel_entity_id" not in case["smuggling"]


def test_the_caseload_is_chosen_when_opening_through_the_api(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Afi", family_name="DEMO-API", estimated_age=30
    )
    client = token_client(worker)
    response = client.post("/api/cases/", {"person": str(person.uid)}, format="json")
    assert response.status_code == 400 and "caseload" in response.json()
    response = client.post(
        "/api/cases/",
        {
            "person": str(person.uid),
            "caseload": cl.STRANDED_MIGRANT,
            "exploitation_types": ["ForcedLabour"],
        },
        format="json",
    )
    assert response.status_code == 400
    response = client.post(
        "/api/cases/", {"person": str(person.uid), "caseload": cl.STRANDED_MIGRANT}, format="json"
    )
    assert response.status_code == 201 and response.json()["caseload"] == cl.STRANDED_MIGRANT
