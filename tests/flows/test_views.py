from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.flows.models import FlowAlert, FlowCount, Notification
from corridor.flows.services.counts import flow_sheet_record
from tests.flows.conftest import row
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

READERS = {Role.COORDINATOR, Role.ADMINISTRATOR, Role.BORDER_OFFICER}
WRITERS = {Role.COORDINATOR, Role.BORDER_OFFICER}


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("/flows/", READERS),
        ("/flows/dashboard.pdf", READERS),
        ("/flows/dashboard.png", READERS),
        ("/flows/sheets/", READERS),
        ("/flows/sheets/new/", WRITERS),
        ("/flows/surveys/new/", WRITERS),
        ("/flows/submissions/", {Role.COORDINATOR}),
        ("/flows/alerts/", {Role.COORDINATOR}),
    ],
)
def test_permission_matrix(people, points, url, allowed):
    assert check_matrix(url, people, allowed) == []


def test_notification_read_matrix(people, points):
    alert = FlowAlert.objects.create(
        point=points["kod"],
        day=timezone.localdate(),
        metric="unaccompanied",
        observed=9,
        baseline=1,
        mad=1,
        score=5,
    )
    note = Notification.objects.create(recipient=people["coordinator"], alert=alert, text="x")
    url = f"/flows/notifications/{note.pk}/read/"
    assert (
        check_matrix(url, people, {Role.COORDINATOR}, method="post", other_agency_allowed=set())
        == []
    )


def test_officer_enters_a_sheet_and_coordinator_sees_it(people, points, as_user):
    day = timezone.localdate() - timedelta(days=1)
    client = as_user(people["border_officer"])
    form = client.get("/flows/sheets/new/").content.decode()
    assert "Cinkass" not in form  # another agency's point is not offered
    data = {
        "point": points["kod"].pk,
        "day": day.isoformat(),
        "l0_direction": "in",
        "l0_sex": "f",
        "l0_age_group": "child",
        "l0_nationality": "BJ",
        "l0_transport": "bus",
        "l0_reason": "family",
        "l0_count": "12",
        "v_in_unaccompanied": "3",
    }
    response = client.post("/flows/sheets/new/", data)
    assert response.status_code == 302
    assert FlowCount.objects.get().count == 12
    page = as_user(people["coordinator"]).get("/flows/").content.decode()
    assert 'id="kpi-persons">12<' in page and 'id="kpi-unaccompanied">3<' in page
    assert page.count('<svg class="svgchart"') == 6  # with the case indicators
    officer_page = as_user(people["border_officer"]).get("/flows/").content.decode()
    assert officer_page.count('<svg class="svgchart"') == 5
    assert "style=" not in page.split("<main")[1]  # the CSP forbids style attributes


def test_sheet_form_refuses_other_agency_point(people, points, as_user):
    day = timezone.localdate() - timedelta(days=1)
    response = as_user(people["border_officer"]).post(
        "/flows/sheets/new/",
        {
            "point": points["cin"].pk,
            "day": day.isoformat(),
            "l0_direction": "in",
            "l0_sex": "f",
            "l0_age_group": "adult",
            "l0_nationality": "GH",
            "l0_transport": "bus",
            "l0_reason": "trade",
            "l0_count": "4",
        },
    )
    assert response.status_code == 200 and not FlowCount.objects.exists()


def test_exports_are_images(people, points, as_user):
    flow_sheet_record(
        actor=None, point=points["kod"], day=timezone.localdate(), rows=[row(count=3)]
    )
    client = as_user(people["coordinator"])
    pdf = client.get("/flows/dashboard.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    png = client.get("/flows/dashboard.png?route=coastal")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_survey_without_consent_keeps_no_answers(people, points, as_user):
    from corridor.flows.models import FlowSurvey

    client = as_user(people["border_officer"])
    response = client.post(
        "/flows/surveys/new/",
        {
            "point": points["kod"].pk,
            "day": timezone.localdate().isoformat(),
            "direction": "in",
            "sex": "f",
            "nationality": "GH",
        },
    )
    assert response.status_code == 302
    survey = FlowSurvey.objects.get()
    assert (survey.consent, survey.sex, survey.nationality) == (False, "", "")


def test_sheet_list_is_paged_with_a_fixed_number_of_queries(people, points, as_user):
    """The list of daily sheets goes through the core paginator: 50 a page, the rest on the next
    page, and the same number of queries for 3 sheets as for 60."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()

    def add(first: int, last: int) -> None:
        for n in range(first, last):
            flow_sheet_record(
                actor=None, point=points["kod"], day=today - timedelta(days=n), rows=[row()]
            )

    client = as_user(people[Role.COORDINATOR])
    add(1, 4)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/flows/sheets/").status_code == 200
    add(4, 61)
    with CaptureQueriesContext(connection) as big:
        first = client.get("/flows/sheets/")
    assert len(big.captured_queries) == len(small.captured_queries)
    assert len(first.context["page"].object_list) == 50 and b"Page 1 of 2" in first.content
    second = client.get("/flows/sheets/?page=2").context["page"].object_list
    assert len(second) == 10 and second[-1].day == today - timedelta(days=60)
    assert b"entered on this node" in first.content and b"<td>form</td>" not in first.content
