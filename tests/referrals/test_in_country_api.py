"""The in-country referral API: every action of the pages (refer, accept, decline, complete,
withdraw) through the same services and scopes, and its permission matrix."""

from __future__ import annotations

import pytest

from corridor.referrals.models import Referral
from corridor.referrals.services import referral_create
from tests.api.permissions import check_api_matrix, token_client
from tests.factories import guardian_consent, make_agency, make_user

pytestmark = pytest.mark.django_db
CASE_ROLES = {"caseworker", "supervisor", "coordinator"}
NATIONAL = {"coordinator"}


@pytest.fixture
def shelter(db):
    return make_user("caseworker", agency=make_agency(name="Refuge API (TG)"), username="shelter")


@pytest.fixture
def referral(people, child_case, shelter):
    guardian_consent(child_case, people["caseworker"], "referral")
    return referral_create(
        actor=people["caseworker"],
        case=child_case,
        to_agency=shelter.agency,
        reason="AdditionalServicesRequired",
        service_type="Shelter",
    )


@pytest.mark.api_matrix(
    "GET api:referral-list",
    "GET api:referral-detail",
    "POST api:referral-list",
    "POST api:referral-decide",
)
def test_matrix(people, referral, child_case):
    problems = check_api_matrix("/api/referrals/", people, CASE_ROLES)
    problems += check_api_matrix(
        f"/api/referrals/{referral.pk}/", people, CASE_ROLES, other_agency_allowed=NATIONAL
    )
    problems += check_api_matrix(
        "/api/referrals/", people, CASE_ROLES, method="post", data={"case": child_case.pk}
    )
    problems += check_api_matrix(
        f"/api/referrals/{referral.pk}/decide/",
        people,
        CASE_ROLES,
        method="post",
        data={"decision": "maybe"},
        other_agency_allowed=NATIONAL,
    )
    assert problems == []
    assert Referral.objects.count() == 1 and Referral.objects.get().status == "sent"


def test_refer_through_the_api_needs_consent_and_scope(people, child_case, shelter):
    client = token_client(people["caseworker"])
    body = {"case": child_case.pk, "to_agency": shelter.agency_id, "reason": "Other"}
    refused = client.post("/api/referrals/", body, format="json")
    assert refused.status_code == 400 and "consent" in str(refused.json()["non_field_errors"])
    guardian_consent(child_case, people["caseworker"], "referral")
    outsider = token_client(people["other_agency.caseworker"])
    hidden = outsider.post("/api/referrals/", body, format="json")
    assert hidden.status_code == 400 and "case" in hidden.json()
    unknown = client.post("/api/referrals/", {**body, "reason": "Bribe"}, format="json")
    assert unknown.status_code == 400 and "reason" in unknown.json()
    assert not Referral.objects.exists()
    made = client.post("/api/referrals/", body, format="json")
    assert made.status_code == 201 and made.json()["status"] == "sent"
    assert made.json()["case"] == child_case.ref


def test_answers_through_the_api(people, referral, shelter):
    url = f"/api/referrals/{referral.pk}/decide/"
    worker, receiver = token_client(people["caseworker"]), token_client(shelter)
    assert worker.post(url, {"decision": "accept"}, format="json").status_code == 403
    declined = receiver.post(url, {"decision": "decline"}, format="json")
    assert declined.status_code == 400 and "decision_reason" in declined.json()
    accepted = receiver.post(url, {"decision": "accept"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert receiver.get(f"/api/referrals/{referral.pk}/").json()["status"] == "accepted"
    assert receiver.post(url, {"decision": "withdraw"}, format="json").status_code == 403
    withdrawn = worker.post(url, {"decision": "withdraw", "reason": "moved"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = receiver.post(url, {"decision": "complete"}, format="json")
    assert again.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
