"""Every intake page against every role, another agency and the other country; the home panels
of the agency on duty, the coordinator and the call-taker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.intake import services
from corridor.intake.models import DutyAgency, Handoff, Intake
from tests.permissions import check_matrix

R = Role
CASE_STAFF = {R.CASEWORKER, R.SUPERVISOR}
READERS = {R.CALL_TAKER, R.COORDINATOR, R.CASEWORKER, R.SUPERVISOR}


def _intake(people, **values) -> Intake:
    return services.intake_record(
        actor=people["call_taker"], concern="Enfant seul au marché.", **values
    )


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/intake/", READERS),
        ("/intake/?status=received", READERS),
        ("/intake/new/", {R.CALL_TAKER, R.COORDINATOR}),
        ("/intake/handoffs/", {*CASE_STAFF, R.COORDINATOR, R.BORDER_OFFICER}),
        ("/intake/handoffs/duty/", {R.COORDINATOR, R.ADMINISTRATOR}),
    ],
)
def test_list_pages_matrix(people, url, allowed):
    assert check_matrix(url, people, allowed) == []


def test_intake_detail_matrix(people):
    received = _intake(people)
    url = f"/intake/{received.uid}/"
    assert (
        check_matrix(
            url, people, {R.CALL_TAKER, R.COORDINATOR}, other_agency_allowed={R.COORDINATOR}
        )
        == []
    )
    services.intake_triage(
        actor=people["call_taker"], intake=received, concern_type="labour", urgency="day"
    )
    services.intake_dispatch(
        actor=people["call_taker"], intake=received, social_worker=people["caseworker"]
    )
    assert check_matrix(url, people, READERS, other_agency_allowed={R.COORDINATOR}) == []
    # A refused form (no reason to close) writes nothing, for everyone allowed to try.
    post = {"action": "close", "close-note": ""}
    assert (
        check_matrix(
            url, people, READERS, method="post", data=post, other_agency_allowed={R.COORDINATOR}
        )
        == []
    )
    received.refresh_from_db()
    assert received.status == Intake.Status.DISPATCHED


def test_handoff_pages_matrix(people, handoff):
    url = f"/intake/handoffs/{handoff.uid}/"
    duty_staff = {*CASE_STAFF, R.COORDINATOR}
    assert (
        check_matrix(
            url, people, {R.BORDER_OFFICER, R.COORDINATOR}, other_agency_allowed=duty_staff
        )
        == []
    )
    # Only the agency on duty takes it up (the first one stops the clock, the others are told
    # it was already taken up); only the sending post reports the interception.
    accept = f"{url}accept/"
    assert check_matrix(accept, people, set(), method="post", other_agency_allowed=CASE_STAFF) == []
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.ACCEPTED
    assert handoff.first_action_by.agency == people["other_agency.caseworker"].agency
    report = f"{url}interception/"
    data = {"interception-route": "Accra – Lomé", "interception-handling": "C"}
    assert (
        check_matrix(
            report, people, {R.BORDER_OFFICER}, method="post", data=data, other_agency_allowed=set()
        )
        == []
    )
    assert (
        check_matrix(f"{url}bogus/", people, set(), method="post", other_agency_allowed=set()) == []
    )


def test_duty_removal_is_for_coordinators_and_administrators(people, duty):
    duty_row = DutyAgency.objects.get()
    url = f"/intake/handoffs/duty/{duty_row.pk}/remove/"
    for role in Role.values:
        if role in (R.COORDINATOR, R.ADMINISTRATOR):
            continue
        client = Client()
        client.force_login(
            people[role], backend="allauth.account.auth_backends.AuthenticationBackend"
        )
        assert client.post(url).status_code in (403, 404)
    client = Client()
    client.force_login(
        people["coordinator"], backend="allauth.account.auth_backends.AuthenticationBackend"
    )
    assert client.post(url).status_code == 302
    assert not DutyAgency.objects.exists()


def test_the_duty_form_names_an_agency(people, duty, as_user):
    client = as_user(people["coordinator"])
    response = client.post(
        "/intake/handoffs/duty/", {"point": duty["kod"].pk, "agency": duty["agency"].pk}
    )
    assert response.status_code == 302
    assert DutyAgency.objects.filter(point=duty["kod"], agency=duty["agency"]).exists()
    both = client.post(
        "/intake/handoffs/duty/",
        {"point": duty["kod"].pk, "region": "TG-M", "agency": duty["agency"].pk},
    )
    assert both.status_code == 200 and "Choisissez soit un point" in both.content.decode()
    # A region is offered and listed by its name, not its ISO 3166-2 code.
    assert '<option value="TG-M" selected>Maritime</option>' in both.content.decode()
    client.post("/intake/handoffs/duty/", {"region": "TG-M", "agency": duty["agency"].pk})
    page = client.get("/intake/handoffs/duty/").content.decode()
    assert ">Maritime</td>" in page and ">TG-M<" not in page


def test_home_panels(people, handoff, as_user):
    Handoff.objects.filter(pk=handoff.pk).update(started_at=timezone.now() - timedelta(hours=26))
    _intake(people, channel="call")
    page = as_user(people["other_agency.caseworker"]).get("/").content.decode()
    assert "panel-handoffs" in page and "Kodjoviakop" in page
    page = as_user(people["coordinator"]).get("/").content.decode()
    assert 'id="handoffs-overdue">1<' in page and "panel-intake" in page
    page = as_user(people["call_taker"]).get("/").content.decode()
    assert "panel-hotline" in page
    page = as_user(people["caseworker"]).get("/").content.decode()
    assert "panel-handoffs" not in page
    # the border officer follows what their post sent until the agency on duty takes it up
    page = as_user(people["border_officer"]).get("/").content.decode()
    panel = page.split('id="panel-handoffs"')[1].split("</section>")[0]
    assert "Remises de votre poste pas encore prises en charge" in panel
    assert str(handoff.to_agency) in panel and "plus de 24" in panel
    page = as_user(people["other_agency.border_officer"]).get("/").content.decode()
    assert "panel-handoffs" not in page


def test_the_call_taker_records_a_call_from_the_form(people, as_user):
    client = as_user(people["call_taker"])
    form = client.get("/intake/new/").content.decode()
    assert 'type="tel" name="reporter_phone"' in form  # a phone opens its dial pad
    response = client.post(
        "/intake/new/",
        {
            "channel": "call",
            "anonymous": "on",
            "concern_type": "missing",
            "concern": "Ma nièce n'est pas rentrée.",
            "urgency": "immediate",
        },
    )
    intake = Intake.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/{intake.uid}/"
    empty = client.post("/intake/new/", {"channel": "call", "concern_type": "x", "urgency": "day"})
    assert empty.status_code == 200 and Intake.objects.count() == 1


def test_opening_a_case_from_an_intake_asks_for_the_caseload(people, as_user):
    worker = people["caseworker"]
    intake = _intake(people)
    services.intake_triage(
        actor=people["call_taker"], intake=intake, concern_type="labour", urgency="day"
    )
    services.intake_dispatch(actor=people["call_taker"], intake=intake, social_worker=worker)
    client = as_user(worker)
    url = f"/intake/{intake.uid}/"
    form = {"convert_case-given_names": "Ama", "convert_case-gender": "Feminine"}
    missing = client.post(url, {"action": "convert_case", **form}, follow=True)
    assert "Ce champ est obligatoire" in missing.content.decode()
    intake.refresh_from_db()
    assert intake.case is None and intake.status == Intake.Status.DISPATCHED
    form |= {"convert_case-caseload": "stranded_migrant", "convert_case-estimated_age": 30}
    client.post(url, {"action": "convert_case", **form})
    intake.refresh_from_db()
    assert intake.case.caseload == "stranded_migrant"
