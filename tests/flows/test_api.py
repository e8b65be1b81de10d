"""The flow-monitoring API: the permission matrix of every route (with tokens), count sheets,
surveys, field submissions, daily totals, alerts, and bad input that changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from corridor.audit.models import AuditEntry
from corridor.flows.models import FlowAlert, FlowCount, FlowSurvey, Notification
from corridor.flows.services.counts import flow_sheet_record
from tests.api.permissions import check_api_matrix, token_client
from tests.flows.conftest import row
from tests.flows.test_alerts import _history as quiet_weeks
from tests.flows.test_importers import group, kobo

pytestmark = [pytest.mark.django_db]

READERS = {"coordinator", "administrator", "border_officer"}
WRITERS = {"coordinator", "border_officer"}
COORDINATOR = {"coordinator"}
NATIONAL_READERS = {"coordinator", "administrator"}


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


@pytest.fixture
def alert(people, points):
    """A spike at the home agency's point, so that coordinators are notified."""
    today = timezone.localdate()
    quiet_weeks(points["kod"], today, [1, 2, 1, 0, 2, 1, 1, 2])
    flow_sheet_record(
        actor=people["border_officer"],
        point=points["kod"],
        day=today,
        rows=[row(age_group="child", count=30)],
        vulnerabilities={("in", "unaccompanied"): 15},
    )
    return FlowAlert.objects.get()


@pytest.mark.api_matrix(
    "GET api:flow-point-list",
    "GET api:flow-point-detail",
    "GET api:flow-daily-list",
    "GET api:flow-sheet-list",
    "POST api:flow-sheet-list",
    "POST api:flow-survey-list",
)
def test_points_counts_and_surveys_matrix(people, points):
    sheet = {"point": "TG-KOD", "day": yesterday(), "rows": [row(count=2)]}
    survey = {"point": "TG-KOD", "day": yesterday(), "consent": False}
    problems = check_api_matrix("/api/flows/points/", people, READERS)
    problems += check_api_matrix(
        f"/api/flows/points/{points['kod'].pk}/",
        people,
        READERS,
        other_agency_allowed=NATIONAL_READERS,
    )
    problems += check_api_matrix("/api/flows/daily/", people, READERS)
    problems += check_api_matrix("/api/flows/sheets/", people, READERS)
    problems += check_api_matrix("/api/flows/sheets/", people, WRITERS, method="post", data=sheet)
    problems += check_api_matrix("/api/flows/surveys/", people, WRITERS, method="post", data=survey)
    assert problems == []


@pytest.mark.api_matrix(
    "GET api:flow-submission-list",
    "POST api:flow-submission-list",
    "GET api:flow-alert-list",
    "GET api:flow-notification-list",
    "POST api:flow-notification-read",
)
def test_submissions_and_alerts_matrix(people, points, alert):
    notification = Notification.objects.get(recipient=people["coordinator"])
    problems = check_api_matrix("/api/flows/submissions/", people, COORDINATOR)
    problems += check_api_matrix(
        "/api/flows/submissions/", people, COORDINATOR, method="post", data={}
    )
    problems += check_api_matrix("/api/flows/alerts/", people, COORDINATOR)
    problems += check_api_matrix("/api/flows/notifications/", people, COORDINATOR)
    problems += check_api_matrix(
        f"/api/flows/notifications/{notification.pk}/read/",
        people,
        COORDINATOR,
        method="post",
        other_agency_allowed=set(),
    )
    assert problems == []


def test_sheet_daily_and_refusals(people, points):
    day = yesterday()
    officer = token_client(people["border_officer"])
    line = row(age_group="child", count=6)
    created = officer.post(
        "/api/flows/sheets/", {"point": "TG-KOD", "day": day, "rows": [line]}, format="json"
    )
    assert created.status_code == 201
    assert created.json() | {"id": 0, "entered_at": ""} == {
        "id": 0,
        "point": "TG-KOD",
        "day": day,
        "travellers": 6,
        "source": "api",
        "entered_by": "home.border_officer",
        "entered_at": "",
    }
    entries = AuditEntry.objects.count()
    refused = officer.post(
        "/api/flows/sheets/", {"point": "TG-CIN", "day": day, "rows": [line]}, format="json"
    )
    assert refused.status_code == 400 and "point" in refused.json()
    bad = officer.post(
        "/api/flows/sheets/",
        {"point": "TG-KOD", "day": day, "rows": [line | {"nationality": "ZZ"}]},
        format="json",
    )
    assert bad.status_code == 400 and "rows" in bad.json()
    future = officer.post(
        "/api/flows/sheets/",
        {"point": "TG-KOD", "day": "2099-01-01", "rows": [line]},
        format="json",
    )
    assert future.status_code == 400
    assert FlowCount.objects.count() == 1 and AuditEntry.objects.count() == entries
    coordinator = token_client(people["coordinator"])
    daily = coordinator.get(f"/api/flows/daily/?start={day}").json()
    assert daily == [{"point": "TG-KOD", "day": day, "persons": 6, "children": 6, "inbound": 6}]
    assert coordinator.get(f"/api/flows/daily/?start={day}&end=2000-01-01").status_code == 400
    assert coordinator.get("/api/flows/daily/?start=yesterday").status_code == 400
    assert [s["travellers"] for s in coordinator.get("/api/flows/sheets/").json()["results"]] == [6]


def test_survey_without_consent_keeps_only_the_refusal(people, points):
    officer = token_client(people["border_officer"])
    answers = {"point": "TG-KOD", "day": yesterday(), "sex": "f", "reason": "trade"}
    refused = officer.post("/api/flows/surveys/", answers | {"consent": False}, format="json")
    assert refused.status_code == 201 and refused.json()["sex"] == ""
    kept = officer.post("/api/flows/surveys/", answers | {"consent": True}, format="json")
    assert kept.status_code == 201 and kept.json()["sex"] == "f"
    bad = officer.post(
        "/api/flows/surveys/", answers | {"consent": True, "vulnerabilities": ["x"]}, format="json"
    )
    assert bad.status_code == 400 and "vulnerabilities" in bad.json()
    assert FlowSurvey.objects.count() == 2


def test_submission_upload_reports_what_it_did(people, points):
    coordinator = token_client(people["coordinator"])
    upload = SimpleUploadedFile("export.json", kobo(group("a1")), content_type="application/json")
    report = coordinator.post("/api/flows/submissions/", {"file": upload}, format="multipart")
    assert report.status_code == 200
    assert report.json() == {
        "imported": 1,
        "replaced": 0,
        "unchanged": 0,
        "pending": 0,
        "errors": [],
    }
    broken = SimpleUploadedFile("export.json", b"{not json", content_type="application/json")
    refused = coordinator.post("/api/flows/submissions/", {"file": broken}, format="multipart")
    assert refused.status_code == 200 and refused.json()["errors"][0]["number"] == 0
    missing = coordinator.post("/api/flows/submissions/", {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()
    listed = coordinator.get("/api/flows/submissions/").json()
    assert [s["instance_id"] for s in listed["results"]] == ["a1"]


def test_alerts_and_notifications(people, points, alert):
    coordinator = token_client(people["coordinator"])
    assert coordinator.get("/api/flows/alerts/").json()["results"][0]["observed"] == 15
    mine = coordinator.get("/api/flows/notifications/").json()["results"]
    assert len(mine) == 1 and mine[0]["read_at"] is None
    read = coordinator.post(f"/api/flows/notifications/{mine[0]['id']}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    other = token_client(people["other_agency.coordinator"])
    assert other.post(f"/api/flows/notifications/{mine[0]['id']}/read/").status_code == 404
