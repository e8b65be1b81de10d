"""The legal and institutional framework: action plans, committee meetings and decisions (no
decision without an owner: a translated error, nothing saved), the committee message (schema,
purpose joint monitoring, received by uid), the tracker of texts, what is late on the
coordinator's home, and the permission matrix of every page."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.federation.models import OutboundMessage, Peer
from corridor.federation.registry import message_type
from corridor.governance import framework
from corridor.governance.models import (
    CommitteeDecision,
    CommitteeMeeting,
    LegalInstrument,
    PlanActivity,
    Purpose,
    purpose_of,
)
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def gabon(db):
    return Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")


def _meeting(people, peers=(), **decision):
    return framework.meeting_record(
        actor=people[Role.COORDINATOR],
        held_on=TODAY() - timedelta(days=30),
        title="1re session",
        place="Lomé",
        summary="Feuille de route",
        decisions=[
            {"text": "Désigner les points focaux", "owner": "CNLTP", "due_on": TODAY()},
            {
                "text": "Valider la procédure de retour",
                "owner": "DGAS",
                "due_on": TODAY() - timedelta(days=2),
                **decision,
            },
        ],
        peers=peers,
    )


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("/governance/framework/", {Role.COORDINATOR, Role.PARTNER}),
        ("/governance/framework/late/", {Role.COORDINATOR, Role.PARTNER}),
    ],
)
def test_framework_matrix(people, url, allowed):
    assert check_matrix(url, people, allowed) == []


def test_the_committee_message_serves_joint_monitoring():
    assert purpose_of(framework.COMMITTEE_TYPE) == Purpose.JOINT_MONITORING


def test_meeting_is_recorded_and_sent_as_a_non_personal_record(people, gabon):
    meeting = _meeting(people, peers=[gabon])
    assert meeting.origin == "togo" and meeting.decisions.count() == 2
    sent = OutboundMessage.objects.get(type=framework.COMMITTEE_TYPE)
    body = json.loads(sent.payload)
    message_type(framework.COMMITTEE_TYPE).validate(body)
    assert set(body["meeting"]) == {"uid", "held_on", "title", "place", "summary", "decisions"}
    assert {d["owner"] for d in body["meeting"]["decisions"]} == {"CNLTP", "DGAS"}
    assert all(
        set(d) == {"uid", "text", "owner", "due_on", "status"} for d in body["meeting"]["decisions"]
    )
    with pytest.raises(ValidationError):
        message_type(framework.COMMITTEE_TYPE).validate(
            {"meeting": {**body["meeting"], "person": {"name": "KOSSI"}}}
        )


def test_a_decision_without_an_owner_is_refused_and_nothing_saved(people, gabon):
    with pytest.raises(ValidationError) as error:
        _meeting(people, peers=[gabon], owner="  ")
    assert "Decision 2 has no owner" in str(error.value)
    assert not CommitteeMeeting.objects.exists() and not CommitteeDecision.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_the_page_refuses_a_decision_without_an_owner_in_french(people, as_user):
    client = as_user(people[Role.COORDINATOR])
    response = client.post(
        "/governance/framework/",
        {
            "action": "meeting",
            "meeting-held_on": "2026-06-01",
            "meeting-title": "Session",
            "meeting-text_1": "Former les magistrats",
            "meeting-due_1": "2026-09-01",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "La décision 1 n&#x27;a pas de responsable" in response.content.decode()
    assert not CommitteeMeeting.objects.exists()


def test_receiving_a_meeting_creates_then_updates_it_by_uid(people, gabon):
    body = framework.meeting_payload(_meeting(people))
    CommitteeDecision.objects.all().delete()
    CommitteeMeeting.objects.all().delete()
    framework.on_committee(peer=gabon, message=None, body=body)
    meeting = CommitteeMeeting.objects.get()
    assert meeting.origin == "gabon" and meeting.decisions.count() == 2
    body["meeting"]["decisions"][0]["status"] = "done"
    framework.on_committee(peer=gabon, message=None, body=body)
    assert CommitteeDecision.objects.filter(status="done").count() == 1
    assert CommitteeMeeting.objects.count() == 1


def test_decision_update_is_sent_again(people, gabon):
    meeting = _meeting(people)
    decision = meeting.decisions.first()
    framework.decision_update(
        actor=people[Role.COORDINATOR], decision=decision, status="done", peers=[gabon]
    )
    body = json.loads(OutboundMessage.objects.get(type=framework.COMMITTEE_TYPE).payload)
    assert {d["status"] for d in body["meeting"]["decisions"]} == {"done", "planned"}
    with pytest.raises(PermissionDenied):
        framework.decision_update(
            actor=people[Role.PARTNER], decision=decision, status="planned", peers=[]
        )


def test_texts_bad_dates_are_refused(people):
    coordinator = people[Role.COORDINATOR]
    with pytest.raises(ValidationError) as error:
        framework.instrument_save(
            actor=coordinator,
            kind="decree",
            title="Décret",
            status="in_force",
            adopted_on=date(2026, 5, 1),
            in_force_on=date(2026, 4, 1),
        )
    assert "in_force_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        framework.instrument_save(actor=coordinator, kind="law", title="Loi", status="adopted")
    assert not LegalInstrument.objects.exists()


def test_done_activity_needs_evidence(people):
    coordinator = people[Role.COORDINATOR]
    row = framework.activity_save(
        actor=coordinator,
        plan="PAN",
        activity="Campagne radio",
        lead_institution="CNLTP",
        due_on=TODAY() - timedelta(days=1),
    )
    assert row.late
    with pytest.raises(ValidationError):
        framework.activity_update(actor=coordinator, activity=row, status="done", evidence="")
    row.refresh_from_db()
    assert row.status == "planned"
    framework.activity_update(actor=coordinator, activity=row, status="done", evidence="PV n° 3")
    row.refresh_from_db()
    assert not row.late and row.evidence == "PV n° 3"


def test_what_is_late_on_the_coordinators_home_and_page(people, as_user):
    coordinator = people[Role.COORDINATOR]
    framework.activity_save(
        actor=coordinator,
        plan="PAN",
        activity="Ouvrir deux centres",
        lead_institution="Action sociale",
        due_on=TODAY() - timedelta(days=30),
    )
    framework.activity_save(
        actor=coordinator,
        plan="PAN",
        activity="Rapport annuel",
        lead_institution="CNLTP",
        due_on=TODAY() + timedelta(days=30),
    )
    framework.activity_save(
        actor=coordinator,
        country="GA",
        plan="PNG",
        activity="Activité du Gabon",
        lead_institution="DGAS",
        due_on=TODAY() - timedelta(days=30),
    )
    framework.instrument_save(
        actor=coordinator,
        kind="sop",
        title="Procédure de retour",
        status="draft",
        target_on=TODAY() - timedelta(days=1),
    )
    _meeting(people)
    late = framework.late_items(coordinator)
    assert [a.activity for a in late["activities"]] == ["Ouvrir deux centres"]
    assert [d.owner for d in late["decisions"]] == ["DGAS"]
    assert [i.title for i in late["instruments"]] == ["Procédure de retour"]
    assert late["total"] == 3
    home = as_user(coordinator).get("/").content.decode()
    assert 'id="panel-late"' in home and "Ouvrir deux centres" in home
    page = as_user(coordinator).get("/governance/framework/late/").content.decode()
    assert "Procédure de retour" in page and "Activité du Gabon" not in page
    caseworker_home = as_user(people[Role.CASEWORKER]).get("/").content.decode()
    assert 'id="panel-late"' not in caseworker_home
    assert framework.late_items(people["other_country.coordinator"])["total"] == 0


def test_partner_reads_but_does_not_write(people, as_user):
    client = as_user(people[Role.PARTNER])
    response = client.post(
        "/governance/framework/",
        {
            "action": "activity",
            "activity-plan": "PAN",
            "activity-activity": "x",
            "activity-lead_institution": "y",
            "activity-due_on": "2026-01-01",
            "activity-status": "planned",
        },
    )
    assert response.status_code == 403 and not PlanActivity.objects.exists()
    assert client.get("/governance/framework/").status_code == 200


def test_a_text_moves_to_in_force_with_its_trainings(people, as_user):
    from corridor.reports.models import TrainingSession

    coordinator = people[Role.COORDINATOR]
    text = framework.instrument_save(
        actor=coordinator, kind="sop", title="Procédure de retour", status="draft"
    )
    session = TrainingSession.objects.create(
        title="Formation à la procédure",
        held_on=date(2026, 3, 1),
        country="TG",
        organiser=coordinator.agency,
    )
    client = as_user(coordinator)
    refused = client.post(
        "/governance/framework/",
        {"action": "instrument_update", "lu-instrument": text.pk, "lu-status": "in_force"},
    )
    assert refused.status_code == 200
    text.refresh_from_db()
    assert text.status == "draft"
    response = client.post(
        "/governance/framework/",
        {
            "action": "instrument_update",
            "lu-instrument": text.pk,
            "lu-status": "in_force",
            "lu-adopted_on": "2026-02-01",
            "lu-in_force_on": "2026-02-15",
            "lu-trainings": [session.pk],
        },
    )
    assert response.status_code == 302
    text.refresh_from_db()
    assert text.status == "in_force" and list(text.trainings.all()) == [session]
    assert "Formation à la procédure" in client.get("/governance/framework/").content.decode()


def test_pages_queries_do_not_grow_with_rows(people, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = people[Role.COORDINATOR]
    client = as_user(coordinator)

    def add(n: int) -> None:
        for i in range(n):
            framework.activity_save(
                actor=coordinator,
                plan="PAN",
                activity=f"activité {i}",
                lead_institution="CNLTP",
                due_on=TODAY() - timedelta(days=i),
            )
            framework.instrument_save(
                actor=coordinator, kind="sop", title=f"Procédure {i}", status="draft"
            )
            _meeting(people)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add(2)
    few = {url: count(url) for url in ("/governance/framework/", "/governance/framework/late/")}
    add(8)
    assert {url: count(url) for url in few} == few
