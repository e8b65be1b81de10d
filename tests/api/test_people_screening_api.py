"""The person page's additions (other names, phones, documents, photo) and the screening page's
moves (open a case, decide the proposed status) through the API: matrix, rules, bad input."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from corridor.audit.models import AuditEntry
from corridor.cases.models import Approval, Case
from corridor.people.models import PersonName, PersonPhone
from corridor.people.services import person_create
from corridor.screening.services import screening_record
from tests.api.permissions import check_api_matrix, token_client

PERSON_ROLES = {"caseworker", "supervisor", "coordinator", "border_officer"}
CASE_ROLES = {"caseworker", "supervisor", "coordinator"}
NATIONAL = {"coordinator"}
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def person(people):
    return person_create(actor=people["caseworker"], given_names="Yawa", family_name="DOSSOU")


@pytest.mark.api_matrix(
    "POST api:person-names",
    "POST api:person-phones",
    "POST api:person-documents",
    "POST api:person-photo",
)
def test_person_additions_matrix(people, person):
    url = f"/api/persons/{person.uid}"
    post = {"method": "post", "other_agency_allowed": NATIONAL}
    problems = check_api_matrix(
        f"{url}/names/", people, PERSON_ROLES, data={"name": "Yaoa"}, **post
    )
    problems += check_api_matrix(
        f"{url}/phones/", people, PERSON_ROLES, data={"number": "+228 90 12 34 56"}, **post
    )
    problems += check_api_matrix(
        f"{url}/documents/", people, PERSON_ROLES, data={"doc_type": "passport"}, **post
    )
    problems += check_api_matrix(f"{url}/photo/", people, PERSON_ROLES, **post)
    assert problems == []


def test_another_spelling_is_found_by_search_and_shown_on_the_person(people, person):
    client = token_client(people["caseworker"])
    added = client.post(
        f"/api/persons/{person.uid}/names/", {"name": "Yaovi", "kind": "nickname"}, format="json"
    )
    assert added.status_code == 201 and added.json()["kind"] == "nickname"
    assert client.get("/api/persons/?q=yaovi").json()["count"] == 1
    phone = client.post(f"/api/persons/{person.uid}/phones/", {"number": "90 12 34 56"})
    assert phone.status_code == 201 and phone.json()["number"] == "+22890123456"
    detail = client.get(f"/api/persons/{person.uid}/").json()
    assert [n["name"] for n in detail["other_names"]] == ["Yaovi"]
    assert detail["phones"][0]["number"] == "+22890123456" and detail["has_photo"] is False


def test_bad_additions_change_nothing(people, person):
    client = token_client(people["caseworker"])
    entries = AuditEntry.objects.count()
    phone = client.post(f"/api/persons/{person.uid}/phones/", {"number": "not a phone"})
    assert phone.status_code == 400 and "number" in phone.json()
    name = client.post(f"/api/persons/{person.uid}/names/", {"name": "", "kind": "alias"})
    assert name.status_code == 400 and "name" in name.json()
    document = client.post(f"/api/persons/{person.uid}/documents/", {"doc_type": "tattoo"})
    assert document.status_code == 400 and "doc_type" in document.json()
    fake = SimpleUploadedFile("photo.png", b"GIF89a not a png", content_type="image/png")
    photo = client.post(f"/api/persons/{person.uid}/photo/", {"photo": fake}, format="multipart")
    assert photo.status_code == 400 and "photo" in photo.json()
    assert (PersonName.objects.count(), PersonPhone.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == entries
    person.refresh_from_db()
    assert not person.photo


def test_photo_upload_and_unknown_people(people, person):
    client = token_client(people["caseworker"])
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    stored = client.post(f"/api/persons/{person.uid}/photo/", {"photo": upload}, format="multipart")
    assert stored.status_code == 200 and stored.json()["has_photo"]
    assert client.get("/api/persons/not-a-uid/").status_code == 404
    assert client.get("/api/persons/00000000-0000-0000-0000-000000000000/").status_code == 404
    outsider = token_client(people["other_agency.caseworker"])
    assert outsider.post(f"/api/persons/{person.uid}/names/", {"name": "X"}).status_code == 404


@pytest.fixture
def screening(people, person):
    return screening_record(
        actor=people["caseworker"],
        questionnaire="ilo_forced_labour",
        answers={"debt_bondage": "yes", "deception": "yes"},
        person=person,
    )


@pytest.mark.api_matrix("POST api:screening-open-case", "POST api:screening-decide")
def test_screening_moves_matrix(people, screening):
    url = f"/api/screenings/{screening.uid}"
    problems = check_api_matrix(
        f"{url}/open-case/", people, CASE_ROLES, method="post", other_agency_allowed=NATIONAL
    )
    problems += check_api_matrix(
        f"{url}/decide/",
        people,
        {"supervisor", "coordinator"},
        method="post",
        data={"decision": "rejected"},
        other_agency_allowed=NATIONAL,
    )
    assert problems == []
    assert Case.objects.count() == 1  # the first opener opened it; the others were refused


def test_a_case_opened_from_a_screening_waits_for_a_supervisors_decision(people, screening):
    worker = token_client(people["caseworker"])
    early = token_client(people["supervisor"]).post(
        f"/api/screenings/{screening.uid}/decide/",
        {
            "decision": "approved",
            "trafficking_status": "ActualVictimOfTrafficking",
            "decision_org": "NGO",
        },
        format="json",
    )
    assert early.status_code == 400 and "non_field_errors" in early.json()
    opened = worker.post(f"/api/screenings/{screening.uid}/open-case/")
    assert opened.status_code == 201
    assert opened.json()["trafficking_status_proposed"] == "PossibleVictimOfTrafficking"
    assert worker.post(f"/api/screenings/{screening.uid}/open-case/").status_code == 400
    incomplete = token_client(people["supervisor"]).post(
        f"/api/screenings/{screening.uid}/decide/", {"decision": "approved"}, format="json"
    )
    assert incomplete.status_code == 400
    assert {"trafficking_status", "decision_org"} <= set(incomplete.json())
    assert Approval.objects.get().decision == Approval.Decision.PENDING
    decided = token_client(people["supervisor"]).post(
        f"/api/screenings/{screening.uid}/decide/",
        {
            "decision": "approved",
            "trafficking_status": "ActualVictimOfTrafficking",
            "decision_org": "NGO",
        },
        format="json",
    )
    assert decided.status_code == 200
    assert Case.objects.get().trafficking_status == "ActualVictimOfTrafficking"
