"""Justice pages: the permission matrix, the forms through their services, the court file."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corridor.audit.models import AuditEntry
from corridor.justice import services
from corridor.justice.court_file import court_file_pdf
from corridor.justice.models import Accused, CriminalCase
from tests.justice.conftest import walk_to_trial
from tests.permissions import check_matrix

JUSTICE = {"judicial_police", "prosecutor"}


@pytest.mark.django_db
def test_page_permission_matrix(people, criminal_case):
    for url in ("/justice/", "/justice/new/"):
        assert check_matrix(url, people, JUSTICE) == []
    # another jurisdiction's prosecutor and police get a 404: the file is not theirs
    for url in (f"/justice/{criminal_case.pk}/", f"/justice/{criminal_case.pk}/file.pdf"):
        assert check_matrix(url, people, JUSTICE, other_agency_allowed=set()) == []
    assert (
        check_matrix(
            f"/justice/{criminal_case.pk}/file/",
            people,
            JUSTICE,
            method="post",
            data={"file-summary": "x", "file-evidence": "y"},
            other_agency_allowed=set(),
        )
        == []
    )


@pytest.mark.django_db
def test_open_a_case_add_a_suspect_and_record_steps_through_the_pages(people, as_user):
    client = as_user(people["prosecutor"])
    response = client.post(
        "/justice/new/",
        {"title": "Filière de Cinkassé", "jurisdiction": "tg_lome", "opened_on": "2026-01-03"},
    )
    case = CriminalCase.objects.get(title="Filière de Cinkassé")
    assert response.status_code == 302 and case.ref.startswith("PJ-TG-2026-")
    client.post(
        f"/justice/{case.pk}/accused/",
        {
            "accused-name": "Yao ADJOVI",
            "accused-sex": "M",
            "accused-citizenship": "TG",
            "accused-offences": ["smuggling"],
            "accused-complaint_on": "2026-01-03",
        },
    )
    accused = Accused.objects.get(criminal_case=case)
    client.post(
        f"/justice/{case.pk}/event/",
        {"event-accused": accused.pk, "event-kind": "arrest", "event-date": "2026-01-04"},
    )
    accused.refresh_from_db()
    assert accused.stage == "arrested"
    # a bad step shows the service's message and writes nothing
    response = client.post(
        f"/justice/{case.pk}/event/",
        {"event-accused": accused.pk, "event-kind": "sentence", "event-date": "2026-01-05"},
        follow=True,
    )
    assert "Rien n" in response.content.decode()
    accused.refresh_from_db()
    assert accused.stage == "arrested"
    # a form cannot name another case's accused
    other = services.criminal_case_open(
        actor=people["prosecutor"], title="Autre", jurisdiction="tg_lome"
    )
    response = client.post(
        f"/justice/{other.pk}/event/",
        {"event-accused": accused.pk, "event-kind": "custody", "event-date": "2026-01-05"},
    )
    accused.refresh_from_db()
    assert accused.stage == "arrested"


@pytest.mark.django_db
def test_the_case_page_does_not_grow_its_queries(
    criminal_case, people, police, prosecutor, as_user
):
    client = as_user(prosecutor)
    url = f"/justice/{criminal_case.pk}/"
    services.accused_add(
        actor=police,
        criminal_case=criminal_case,
        name="A B",
        complaint_on=date(2026, 1, 5),
        offences=["smuggling"],
    )
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for i in range(4):
        a = services.accused_add(
            actor=police,
            criminal_case=criminal_case,
            name=f"Suspect {i} X",
            complaint_on=date(2026, 1, 5),
            offences=["smuggling", "document_fraud"],
        )
        walk_to_trial(a, police, prosecutor)
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second) == len(first)


@pytest.mark.django_db
def test_the_court_file_names_the_victim_only_on_a_recorded_ground(
    criminal_case, accused, prosecutor, victim_case
):
    from corridor.justice.court_file import legal_references, victim_label

    link = services.victim_link(
        actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref
    )
    pdf = court_file_pdf(actor=prosecutor, criminal_case=criminal_case)
    assert pdf.startswith(b"%PDF")
    assert victim_label(link) == victim_case.ref
    assert any("art. 317" in r for r in legal_references("tip_child", "TG"))
    services.victim_naming_ground(actor=prosecutor, victim=link, ground="legal_obligation")
    assert "DOGBE" in victim_label(link)
    court_file_pdf(actor=prosecutor, criminal_case=criminal_case)
    assert (
        AuditEntry.objects.filter(
            action="export", summary__contains="dossier d'audience exporté"
        ).count()
        == 2
    )
