"""The governance pages: the permission matrix of every page, and their forms' bad paths."""

from __future__ import annotations

import html
import json

import pytest

from corridor.audit.models import Action, AuditEntry
from corridor.governance.models import Agreement, Breach, RequestKind, SubjectRequest
from corridor.people.services import person_create
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(people):
    return person_create(
        actor=people["caseworker"], given_names="Dzifa", family_name="DEMO-EXPORT", estimated_age=15
    )


@pytest.mark.parametrize(
    "url,allowed",
    [
        ("/governance/agreements/", {"administrator", "coordinator"}),
        ("/governance/retention/", {"administrator"}),
        ("/governance/register/", {"administrator"}),
        ("/governance/requests/", {"coordinator"}),
    ],
)
def test_page_matrix(people, url, allowed):
    assert check_matrix(url, people, allowed) == []


def test_export_matrix(people, person):
    """Only coordinators export; a coordinator sees every person of the node (national scope)."""
    for fmt in ("json", "pdf"):
        assert (
            check_matrix(f"/governance/people/{person.pk}/export.{fmt}", people, {"coordinator"})
            == []
        )


def _post_agreement(client, reference: str, starts_on: str, expires_on: str):
    return client.post(
        "/governance/agreements/",
        {
            "reference": reference,
            "title": "Accord",
            "parties": "togo, gabon",
            "purposes": ["family_tracing"],
            "starts_on": starts_on,
            "expires_on": expires_on,
        },
    )


def test_agreement_form_refuses_expiry_before_start(people, as_user):
    client = as_user(people["administrator"])
    response = _post_agreement(client, "TG-GA-X", "2026-05-01", "2026-04-01")
    assert response.status_code == 200
    assert "expire" in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_agreement_names_its_parties_by_country(people, as_user):
    client = as_user(people["administrator"])
    response = _post_agreement(client, "TG-GA-Y", "2026-01-01", "2027-01-01")
    assert response.status_code == 302
    page = client.get("/governance/agreements/").content.decode()
    assert ">Gabon, Togo</td>" in page  # stored sorted, shown by country


def test_breach_is_logged_with_its_deadline(people, as_user):
    client = as_user(people["administrator"])
    short = client.post(  # a year typed short
        "/governance/register/",
        {"action": "breach", "breach-detected_at": "0026-01-05T08:00", "breach-description": "x"},
    )
    assert "entre 1900 et 2100" in html.unescape(short.content.decode())
    assert not Breach.objects.exists()
    response = client.post(
        "/governance/register/",
        {
            "action": "breach",
            "breach-detected_at": "2026-01-05T08:00",
            "breach-description": "Clé USB perdue",
            "breach-data_affected": "Liste de présence",
            "breach-persons_affected": "4",
        },
    )
    assert response.status_code == 302
    breach = Breach.objects.get()
    assert (breach.notify_by - breach.detected_at).total_seconds() == 72 * 3600
    assert breach.overdue
    page = client.get("/governance/register/").content.decode()
    assert "Clé USB perdue" in page


def test_request_and_export(people, person, as_user):
    client = as_user(people["coordinator"])
    response = client.post(
        "/governance/requests/",
        {
            "action": "record",
            "record-person": str(person.pk),
            "record-kind": RequestKind.ACCESS,
            "record-received_on": "2026-01-10",
            "record-details": "Copie de mon dossier",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = SubjectRequest.objects.get()
    assert request.due_on.isoformat() == "2026-02-09"
    exported = client.get(f"/governance/people/{person.pk}/export.json")
    data = json.loads(exported.content)
    assert data["person"]["given_names"] == "Dzifa"
    assert data["data_subject_requests"][0]["details"] == "Copie de mon dossier"
    pdf = client.get(f"/governance/people/{person.pk}/export.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert (
        AuditEntry.objects.filter(
            action=Action.EXPORT, object_type="people.person", object_id=str(person.pk)
        ).count()
        == 2
    )
    closing = client.post(
        "/governance/requests/",
        {
            "action": "close",
            "close-request": request.pk,
            "close-status": "done",
            "close-outcome": " ",
        },
    )
    assert closing.status_code == 200
    assert SubjectRequest.objects.get().status == "open"
    client.post(
        "/governance/requests/",
        {
            "action": "close",
            "close-request": request.pk,
            "close-status": "done",
            "close-outcome": "Copie remise",
        },
    )
    assert SubjectRequest.objects.get().status == "done"
