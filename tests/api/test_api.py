"""The REST API: schema without warnings, the permission matrix of every endpoint, the same
services and scopes as the pages, translated JSON errors, tokens."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from drf_spectacular.plumbing import _load_enum_name_overrides
from rest_framework.test import APIClient

from corridor.audit.models import Action, AuditEntry
from corridor.cases.models import Approval, Case
from corridor.cases.services import approval_request, case_open
from corridor.people.services import person_create
from corridor.screening.services import screening_record
from tests.api.permissions import check_api_matrix, token_client

PERSON_ROLES = {"caseworker", "supervisor", "coordinator", "border_officer"}
CASE_ROLES = {"caseworker", "supervisor", "coordinator"}
NATIONAL = {"coordinator"}


def test_schema_generates_without_warnings(tmp_path):
    _load_enum_name_overrides.cache_clear()
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        f"--file={tmp_path / 'schema.yaml'}",
    )
    _load_enum_name_overrides.cache_clear()
    schema = (tmp_path / "schema.yaml").read_text()
    for path in SCHEMA_PATHS:
        assert f"  {path}:" in schema


SCHEMA_PATHS = (
    "/api/persons/",
    "/api/cases/{id}/",
    "/api/cases/{id}/transition/",
    "/api/consents/",
    "/api/screenings/{uid}/",
    "/api/approvals/{id}/decide/",
    "/api/tracing-requests/{id}/candidates/",
    "/api/duplicates/{id}/merge/",
    "/api/flows/daily/",
    "/api/published/{id}/",
    "/api/cross-border-referrals/",
    "/api/intel/entities/",
    "/api/intel/network/",
)


def test_schema_is_served(people, as_user):
    response = as_user(people["caseworker"]).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/screenings/" in response.content


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/docs/?script="])
def test_schema_and_its_ui_are_for_staff_only(url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert b"/api/screenings/" not in response.content


def test_a_browser_gets_json_not_an_english_html_page(people, as_user):
    """DRF's browsable pages ("Case List", docstrings) are English whatever the reader's
    language: the API answers JSON only; /api/docs/ is where people read it."""
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = as_user(people["caseworker"]).get("/api/cases/", HTTP_ACCEPT=browser)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "count" in response.json()


@pytest.mark.parametrize(
    "url",
    ["/api/cases/99999999999999999999/", "/api/approvals/424242/", "/api/tasks/424242/"],
)
def test_a_missing_record_is_not_found_in_the_readers_language(people, as_user, url):
    """get_object_or_404 says "No Case matches the given query." in English, naming the model."""
    client = as_user(people["caseworker"])
    french = client.get(url)
    assert french.status_code == 404 and french.json() == {"detail": "Introuvable."}
    client.cookies["corridor_language"] = "en"
    assert client.get(url).json() == {"detail": "Not found."}


@pytest.fixture
def records(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Afi", family_name="Mensah", birth_date=date(1995, 1, 2)
    )
    case = case_open(actor=worker, person=person)
    approval = approval_request(actor=worker, case=case, kind="trafficking_status")
    screening = screening_record(actor=worker, questionnaire="iom_dmv", answers={}, person=person)
    return {"person": person, "case": case, "approval": approval, "screening": screening}


@pytest.mark.api_matrix(
    "GET api:person-list", "GET api:case-list", "GET api:screening-list", "GET api:approval-list"
)
def test_list_matrix(people, records):
    problems = check_api_matrix("/api/persons/", people, PERSON_ROLES)
    problems += check_api_matrix("/api/cases/", people, CASE_ROLES)
    problems += check_api_matrix("/api/screenings/", people, PERSON_ROLES)
    problems += check_api_matrix("/api/approvals/", people, CASE_ROLES)
    assert problems == []


@pytest.mark.api_matrix(
    "GET api:person-detail",
    "GET api:case-detail",
    "GET api:screening-detail",
    "GET api:approval-detail",
)
def test_detail_matrix(people, records):
    problems = check_api_matrix(
        f"/api/persons/{records['person'].uid}/",
        people,
        PERSON_ROLES,
        other_agency_allowed=NATIONAL,
    )
    problems += check_api_matrix(
        f"/api/cases/{records['case'].pk}/",
        people,
        CASE_ROLES,
        other_agency_allowed=NATIONAL,
    )
    problems += check_api_matrix(
        f"/api/screenings/{records['screening'].uid}/",
        people,
        PERSON_ROLES,
        other_agency_allowed=NATIONAL,
    )
    problems += check_api_matrix(
        f"/api/approvals/{records['approval'].pk}/",
        people,
        CASE_ROLES,
        other_agency_allowed=NATIONAL,
    )
    assert problems == []


@pytest.mark.api_matrix(
    "POST api:person-list",
    "POST api:case-list",
    "POST api:screening-list",
    "POST api:approval-list",
    "POST api:approval-decide",
)
def test_write_matrix(people, records):
    person = str(records["person"].uid)
    problems = check_api_matrix(
        "/api/persons/", people, PERSON_ROLES, method="post", data={"given_names": "Kodjo"}
    )
    problems += check_api_matrix(
        "/api/cases/", people, CASE_ROLES, method="post", data={"person": person}
    )
    problems += check_api_matrix(
        "/api/screenings/",
        people,
        PERSON_ROLES,
        method="post",
        data={"questionnaire": "iom_dmv", "answers": {}, "new_person": {"given_names": "Edem"}},
    )
    problems += check_api_matrix(
        "/api/approvals/",
        people,
        CASE_ROLES,
        method="post",
        data={"case": records["case"].pk, "kind": "closure"},
    )
    problems += check_api_matrix(
        f"/api/approvals/{records['approval'].pk}/decide/",
        people,
        {"supervisor", "coordinator"},
        method="post",
        data={"decision": "rejected"},
        other_agency_allowed=NATIONAL,
    )
    assert problems == []


def test_screening_through_the_api_proposes_and_a_supervisor_decides(people):
    worker = token_client(people["caseworker"])
    response = worker.post(
        "/api/screenings/",
        {
            "questionnaire": "ilo_forced_labour",
            "answers": {"debt_bondage": "yes", "deception": "yes"},
            "new_person": {
                "given_names": "Kossi",
                "estimated_age": 15,
                "migrant_status": "SeparatedChild",
            },
            "open_case": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["proposed_status"] == "PossibleVictimOfTrafficking"
    assert body["child"] and body["unaccompanied"] and body["case"]
    approval = body["approval"]
    assert (
        worker.post(
            f"/api/approvals/{approval}/decide/",
            {
                "decision": "approved",
                "trafficking_status": "ActualVictimOfTrafficking",
                "decision_org": "NGO",
            },
            format="json",
        ).status_code
        == 403
    )
    decided = token_client(people["supervisor"]).post(
        f"/api/approvals/{approval}/decide/",
        {
            "decision": "approved",
            "trafficking_status": "ActualVictimOfTrafficking",
            "decision_org": "NGO",
        },
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "approved"
    case = Case.objects.get(ref=body["case"])
    assert case.trafficking_status == "ActualVictimOfTrafficking"
    assert case.status_decision_org == "NGO"


def test_lists_are_scoped_and_details_audited(people, records):
    other = people["other_agency.caseworker"]
    person_create(actor=other, given_names="Elsewhere")
    mine = token_client(people["caseworker"]).get("/api/persons/").json()
    assert [p["given_names"] for p in mine["results"]] == ["Afi"]
    assert token_client(people["coordinator"]).get("/api/persons/").json()["count"] == 2
    assert token_client(people["caseworker"]).get("/api/persons/?q=MENSA").json()["count"] == 1
    token_client(people["caseworker"]).get(f"/api/cases/{records['case'].pk}/")
    assert AuditEntry.objects.filter(action=Action.READ, object_type="cases.case").count() == 1


def test_service_errors_are_translated_json(people):
    client = token_client(people["caseworker"])
    future = {"given_names": "Ama", "birth_date": "2099-01-01"}
    fr = client.post("/api/screenings/", {"answers": {}}, format="json")
    assert fr.status_code == 400
    assert fr.json()["questionnaire"] == ["Ce champ est obligatoire."]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.post("/api/persons/", future, format="json")
    assert en.status_code == 400
    assert "future" in en.json()["birth_date"][0]
    bad = client.post(
        "/api/screenings/",
        {"questionnaire": "iom_dmv", "answers": {"x": "yes"}, "new_person": {"given_names": "Ama"}},
        format="json",
    )
    assert bad.status_code == 400 and "answers" in bad.json()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "good"),
    [
        ("/api/cases/?statut=open", "/api/cases/?page=1&format=json"),
        ("/api/tracing-requests/?statuss=open", "/api/tracing-requests/?status=open&q=ama"),
        ("/api/persons/?q=ama&nom=ama", "/api/persons/?q=ama"),
        ("/api/consents/?dossier=1", "/api/consents/?case=1"),
        ("/api/cross-border-referrals/?sens=in", "/api/cross-border-referrals/?direction=in"),
        ("/api/flows/daily/?debut=2026-01-01", "/api/flows/daily/?start=2026-01-01"),
    ],
)
def test_a_misspelt_filter_is_refused_not_read_as_the_whole_list(people, url, good):
    """A filter the list does not take would return every record as if filtered: a 400 naming
    it and what the list accepts, in the reader's language; the right spelling works."""
    client = token_client(people["coordinator"])
    response = client.get(url)
    assert response.status_code == 400, response.content
    (name, messages), *_ = response.json().items()
    assert name in url and messages[0].startswith("Paramètre inconnu. Cette adresse accepte")
    assert "page" in messages[0]
    assert client.get(good).status_code == 200
    assert APIClient().get(url).status_code == 401  # who may call is checked first


def test_a_filter_with_a_bad_value_is_refused(people):
    client = token_client(people["coordinator"])
    response = client.get("/api/cross-border-referrals/?direction=sideways")
    assert response.status_code == 400 and "direction" in response.json()


def test_approval_request_through_the_api(people, records):
    client = token_client(people["caseworker"])
    response = client.post(
        "/api/approvals/", {"case": records["case"].pk, "kind": "bid"}, format="json"
    )
    assert response.status_code == 201
    again = client.post(
        "/api/approvals/", {"case": records["case"].pk, "kind": "bid"}, format="json"
    )
    assert again.status_code == 400
    assert Approval.objects.filter(kind="bid").count() == 1
