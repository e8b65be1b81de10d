"""Issue 18's bad input, through the pages and in French: a retention rule shorter than its legal
minimum, an agreement that expires before it starts, an evidence file of the wrong type or size,
a committee decision without an owner. Each gets a clear translated error; nothing changes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from corridor.audit.models import AuditEntry
from corridor.governance import logframe
from corridor.governance.models import (
    Agreement,
    CommitteeMeeting,
    IndicatorValue,
    RecordType,
    RetentionRule,
)
from corridor.governance.retention import rule_set

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _unchanged(before: int) -> bool:
    return AuditEntry.objects.count() == before


def test_retention_rule_below_the_legal_minimum(people, as_user):
    rule_set(actor=None, record_type=RecordType.CLOSED_CHILD_CASE, months=72, action="anonymise")
    client = as_user(people["administrator"])
    before = AuditEntry.objects.count()
    response = client.post(
        "/governance/retention/",
        {"record_type": RecordType.CLOSED_CHILD_CASE, "months": "12", "action": "erase"},
        **FR,
    )
    assert response.status_code == 200
    assert "au moins 60 mois" in response.content.decode()
    assert RetentionRule.objects.get().months == 72 and _unchanged(before)


def test_agreement_expiring_before_it_starts(people, as_user):
    client = as_user(people["coordinator"])
    before = AuditEntry.objects.count()
    response = client.post(
        "/governance/agreements/",
        {
            "reference": "TG-GA-X",
            "title": "Accord",
            "parties": "togo, gabon",
            "purposes": ["family_tracing"],
            "starts_on": "2026-05-01",
            "expires_on": "2026-05-01",
        },
        **FR,
    )
    assert response.status_code == 200
    assert "expire" in response.content.decode() and "vigueur" in response.content.decode()
    assert not Agreement.objects.exists() and _unchanged(before)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("note.txt", b"texte", "PDF, JPEG, PNG ou XLSX"),
        ("faux.png", b"%PDF-1.4", "PDF, JPEG, PNG ou XLSX"),
        ("gros.pdf", b"%PDF-1.4" + b"0" * logframe.EVIDENCE_MAX_BYTES, "10 Mo"),
        ("coupe.pdf", b"%PDF-1.4\n1 0 obj", "endommagé ou tronqué"),
    ],
)
def test_evidence_file_of_the_wrong_type_or_size(people, as_user, name, content, message):
    client = as_user(people["coordinator"])
    before = AuditEntry.objects.count()
    response = client.post(
        "/governance/results/",
        {
            "action": "value",
            "indicator": "survivors_satisfied_pct",
            "country": "TG",
            "year": "2026",
            "value": "70",
            "evidence": SimpleUploadedFile(name, content),
        },
        **FR,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists() and _unchanged(before)


def test_committee_decision_without_an_owner(people, as_user):
    client = as_user(people["coordinator"])
    before = AuditEntry.objects.count()
    response = client.post(
        "/governance/framework/",
        {
            "action": "meeting",
            "meeting-held_on": "2026-06-01",
            "meeting-title": "Session",
            "meeting-text_1": "Désigner les points focaux",
            "meeting-owner_1": "CNLTP",
            "meeting-due_1": "2026-07-01",
            "meeting-text_2": "Former les magistrats",
            "meeting-due_2": "2026-09-01",
        },
        **FR,
    )
    assert response.status_code == 200
    assert "La décision 2 n&#x27;a pas de responsable" in response.content.decode()
    assert not CommitteeMeeting.objects.exists() and _unchanged(before)


@pytest.mark.parametrize("year", ["-1", "1850", "deux mille", ""])
def test_computing_a_year_the_programme_does_not_run(people, as_user, year):
    client = as_user(people["coordinator"])
    before = AuditEntry.objects.count()
    response = client.post(
        "/governance/results/", {"action": "compute", "year": year}, follow=True, **FR
    )
    assert response.status_code == 200
    assert "a été calculé" in response.content.decode()
    assert "ne couvre pas cette année" in response.content.decode()
    assert not IndicatorValue.objects.exists() and _unchanged(before)
