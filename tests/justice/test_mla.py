"""Cross-border requests on one node: drafting, second-person approval, what the message
carries, the other node's messages through the real inbox, answers, withdrawal, reminders, and
the permission matrix of the pages and the API. Two real node processes: test_mla_two_nodes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.audit.models import Action, AuditEntry
from corridor.federation.inbox import inbox_accept
from corridor.federation.models import OutboundMessage
from corridor.justice import mla
from corridor.justice.models import MlaRequest, MlaStatus
from tests.api.permissions import check_api_matrix, token_client
from tests.factories import make_user
from tests.permissions import check_matrix

JUSTICE = {"judicial_police", "prosecutor"}


def _later(days=30):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def second_prosecutor(prosecutor):
    from allauth.mfa.totp.internal.auth import TOTP

    user = make_user("prosecutor", agency=prosecutor.agency, username="home.prosecutor2")
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def draft(criminal_case, police, remote):
    return mla.mla_draft(
        actor=police,
        criminal_case=criminal_case,
        peer=remote.peer,
        kind="phone_account",
        subject="Identify the holder of a mobile money account used for the transport.",
        deadline=_later(),
        jurisdiction="ga_libreville",
        suspect_name="Komlan TSOGBE",
        suspect_identifiers="+241 06 00 00 01\n\nMoMo 0600001",
    )


def _incoming(remote, own_keys, **body):
    import uuid

    body = {
        "request": str(uuid.uuid4()),
        "kind": "suspect_info",
        "case_ref": "PJ-GA-2026-00007",
        "jurisdiction": "tg_lome",
        "subject": "Antécédents d'un suspect togolais.",
        "deadline": _later().isoformat(),
        "by": "Substitut GA",
        "approved_by": "Procureur GA",
        "suspect": {"name": "Kossi AMEDJI", "identifiers": ["TG passport A000001"]},
        **body,
    }
    envelope = remote.envelope(mla.REQUEST, body)
    inbox_accept(token=remote.seal(envelope, recipient_jwk=own_keys["enc"]))
    return MlaRequest.objects.get(uid=body["request"])


@pytest.mark.django_db
def test_second_person_approves_and_only_the_request_leaves(
    draft, police, prosecutor, criminal_case
):
    assert draft.status == MlaStatus.DRAFT and not OutboundMessage.objects.exists()
    with pytest.raises(ValidationError, match="second person"):
        mla.mla_approve(actor=police, request=draft)
    draft.refresh_from_db()
    assert draft.status == MlaStatus.DRAFT and not OutboundMessage.objects.exists()
    mla.mla_approve(actor=prosecutor, request=draft)
    draft.refresh_from_db()
    assert draft.status == MlaStatus.SENT and draft.approved_by == prosecutor
    message = OutboundMessage.objects.get()
    assert message.type == "justice.mla_request" and message.topic == draft.topic
    payload = json.loads(message.payload)
    assert payload["suspect"] == {
        "name": "Komlan TSOGBE",
        "identifiers": ["+241 06 00 00 01", "MoMo 0600001"],
    }
    assert "victim" not in payload
    text = message.payload
    assert criminal_case.summary not in text and "PV d'audition" not in text
    assert AuditEntry.objects.filter(action=Action.SEND, object_id=str(draft.pk)).exists()


@pytest.mark.django_db
def test_bad_drafts_are_refused_and_change_nothing(criminal_case, police, remote):
    base = {
        "actor": police,
        "criminal_case": criminal_case,
        "peer": remote.peer,
        "kind": "mla",
        "subject": "Audition d'un témoin.",
    }
    with pytest.raises(ValidationError) as info:
        mla.mla_draft(**base, deadline=timezone.localdate() - timedelta(days=1))
    assert "deadline" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        mla.mla_draft(**base, deadline=_later(), victim_details="Akossiwa, 15 ans")
    assert "victim_ground" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        mla.mla_draft(**base, deadline=_later(), jurisdiction="tg_kara")
    assert "jurisdiction" in info.value.message_dict
    assert not MlaRequest.objects.exists()
    shared = mla.mla_draft(
        **base,
        deadline=_later(),
        victim_ground="legal_obligation",
        victim_details="Victime mineure, audition à Libreville",
    )
    assert mla.request_payload(shared)["victim"]["ground"] == "legal_obligation"


@pytest.mark.django_db
def test_answer_from_the_other_node_and_answer_after_withdrawal(
    draft,
    prosecutor,
    police,
    remote,
    own_keys,
):
    from corridor.federation.envelope import Rejected

    mla.mla_approve(actor=prosecutor, request=draft)

    def answer(complete, text):
        envelope = remote.envelope(
            mla.ANSWER, {"request": str(draft.uid), "complete": complete, "text": text, "by": "P"}
        )
        return inbox_accept(token=remote.seal(envelope, recipient_jwk=own_keys["enc"]))

    answer(False, "Titulaire identifié; relevés à suivre.")
    draft.refresh_from_db()
    assert draft.status == MlaStatus.PARTLY_ANSWERED
    mla.mla_withdraw(actor=police, request=draft, reason="Suspect arrêté.")
    assert OutboundMessage.objects.filter(type="justice.mla_withdrawn").count() == 1
    events = draft.events.count()
    with pytest.raises(Rejected, match="withdrawn"):
        answer(True, "Relevés joints.")
    draft.refresh_from_db()
    assert draft.status == MlaStatus.WITHDRAWN and draft.events.count() == events
    with pytest.raises(ValidationError, match="no longer"):
        mla.mla_withdraw(actor=police, request=draft)


@pytest.mark.django_db
def test_incoming_request_is_answered_by_a_prosecutor_only(
    people,
    remote,
    own_keys,
    prosecutor,
    police,
):
    incoming = _incoming(remote, own_keys)
    assert incoming.status == MlaStatus.RECEIVED and incoming.direction == "in"
    assert AuditEntry.objects.filter(action=Action.RECEIVE, object_id=str(incoming.pk)).exists()
    with pytest.raises(PermissionDenied):
        mla.mla_answer(actor=police, request=incoming, text="Rien.", complete=True)
    with pytest.raises(PermissionDenied):  # another court's prosecutor does not see it
        mla.mla_answer(
            actor=people["other_agency.prosecutor"], request=incoming, text="x", complete=True
        )
    with pytest.raises(ValidationError):
        mla.mla_answer(actor=prosecutor, request=incoming, text="  ", complete=True)
    mla.mla_answer(actor=prosecutor, request=incoming, text="Casier vierge.", complete=True)
    incoming.refresh_from_db()
    assert incoming.status == MlaStatus.ANSWERED
    assert json.loads(OutboundMessage.objects.get(type="justice.mla_answer").payload)["complete"]
    with pytest.raises(ValidationError, match="already answered"):
        mla.mla_answer(actor=prosecutor, request=incoming, text="Encore.", complete=False)


@pytest.mark.django_db
def test_withdrawn_incoming_request_takes_no_answer(people, remote, own_keys, prosecutor):
    incoming = _incoming(remote, own_keys)
    envelope = remote.envelope(mla.WITHDRAWN, {"request": str(incoming.uid), "by": "GA"})
    inbox_accept(token=remote.seal(envelope, recipient_jwk=own_keys["enc"]))
    incoming.refresh_from_db()
    assert incoming.status == MlaStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="withdrawn by the sender"):
        mla.mla_answer(actor=prosecutor, request=incoming, text="Trop tard.", complete=True)
    assert not OutboundMessage.objects.filter(type="justice.mla_answer").exists()


@pytest.mark.django_db
def test_deadline_reminders_once_near_once_overdue(draft, prosecutor, police, remote, own_keys):
    from corridor.flows.models import Notification

    mla.mla_approve(actor=prosecutor, request=draft)
    incoming = _incoming(remote, own_keys, deadline=_later(3).isoformat())
    today = timezone.localdate()
    assert mla.mla_reminders(today=today) == 1  # the incoming one is due in 3 days
    assert Notification.objects.get().recipient == prosecutor
    assert mla.mla_reminders(today=today) == 0  # once
    # day 25: the outgoing one is near (its author), the incoming one past (its prosecutor)
    assert mla.mla_reminders(today=today + timedelta(days=25)) == 2
    assert Notification.objects.filter(recipient=police).count() == 1
    assert mla.mla_reminders(today=today + timedelta(days=31)) == 1  # outgoing now past
    assert mla.mla_reminders(today=today + timedelta(days=40)) == 0
    incoming.refresh_from_db()
    assert incoming.reminded == MlaRequest.Reminder.OVERDUE


@pytest.mark.django_db
def test_page_permission_matrix(people, draft, remote, own_keys, criminal_case):
    incoming = _incoming(remote, own_keys)
    assert check_matrix("/justice/requests/", people, JUSTICE) == []
    for url in (
        f"/justice/requests/{draft.pk}/",
        f"/justice/requests/{incoming.pk}/",
        f"/justice/{criminal_case.pk}/requests/new/",
    ):
        assert check_matrix(url, people, JUSTICE, other_agency_allowed=set()) == [], url
    assert (
        check_matrix(
            f"/justice/requests/{draft.pk}/withdraw/",
            people,
            JUSTICE,
            method="post",
            data={"withdraw-reason": ""},
            other_agency_allowed=set(),
        )
        == []
    )


@pytest.mark.django_db
def test_draft_approve_answer_through_the_pages(
    people,
    as_user,
    criminal_case,
    remote,
    second_prosecutor,
    own_keys,
):
    client = as_user(people["prosecutor"])
    response = client.post(
        f"/justice/{criminal_case.pk}/requests/new/",
        {
            "peer": remote.peer.pk,
            "kind": "joint_investigation",
            "subject": "Équipe commune d'enquête sur la filière.",
            "deadline": _later().isoformat(),
        },
    )
    item = MlaRequest.objects.get()
    assert response.status_code == 302 and item.status == MlaStatus.DRAFT
    client.post(f"/justice/requests/{item.pk}/approve/", {})
    item.refresh_from_db()
    assert item.status == MlaStatus.DRAFT  # not by its author
    as_user(second_prosecutor).post(f"/justice/requests/{item.pk}/approve/", {})
    item.refresh_from_db()
    assert item.status == MlaStatus.SENT
    past = client.post(
        f"/justice/{criminal_case.pk}/requests/new/",
        {
            "peer": remote.peer.pk,
            "kind": "mla",
            "subject": "x",
            "deadline": (timezone.localdate() - timedelta(days=2)).isoformat(),
        },
    )
    assert past.status_code == 200 and MlaRequest.objects.count() == 1
    incoming = _incoming(remote, own_keys)
    page = client.get(f"/justice/requests/{incoming.pk}/")
    assert b"answer-text" in page.content
    client.post(
        f"/justice/requests/{incoming.pk}/answer/",
        {"answer-text": "Réponse partielle.", "answer-complete": ""},
    )
    incoming.refresh_from_db()
    assert incoming.status == MlaStatus.PARTLY_ANSWERED


@pytest.mark.django_db
@pytest.mark.api_matrix(
    "GET api:mla-request-list",
    "POST api:mla-request-list",
    "GET api:mla-request-detail",
    "POST api:mla-request-approve",
    "POST api:mla-request-answer",
    "POST api:mla-request-withdraw",
)
def test_api_matrix(people, draft, criminal_case, remote, own_keys):
    own = set()
    incoming = _incoming(remote, own_keys)
    base = "/api/justice/mla-requests/"
    problems = check_api_matrix(base, people, JUSTICE)
    problems += check_api_matrix(
        base,
        people,
        JUSTICE,
        method="post",
        data={
            "criminal_case": criminal_case.pk,
            "peer": remote.peer.name,
            "kind": "mla",
            "subject": "Audition",
            "deadline": _later().isoformat(),
        },
        other_agency_allowed=own,
    )
    problems += check_api_matrix(f"{base}{draft.pk}/", people, JUSTICE, other_agency_allowed=own)
    problems += check_api_matrix(
        f"{base}{draft.pk}/approve/", people, JUSTICE, method="post", other_agency_allowed=own
    )
    problems += check_api_matrix(
        f"{base}{incoming.pk}/answer/",
        people,
        JUSTICE,
        method="post",
        data={"text": "", "complete": False},
        other_agency_allowed=own,
    )
    problems += check_api_matrix(
        f"{base}{draft.pk}/withdraw/",
        people,
        JUSTICE,
        method="post",
        data={"reason": "x"},
        other_agency_allowed=own,
    )
    assert problems == []


@pytest.mark.django_db
def test_api_self_approval_and_non_prosecutor_answer_are_refused(
    people,
    draft,
    police,
    remote,
    own_keys,
):
    incoming = _incoming(remote, own_keys)
    client = token_client(police)
    refused = client.post(f"/api/justice/mla-requests/{draft.pk}/approve/", format="json")
    assert refused.status_code == 400
    answered = client.post(
        f"/api/justice/mla-requests/{incoming.pk}/answer/",
        {"text": "x", "complete": True},
        format="json",
    )
    assert answered.status_code == 403
    draft.refresh_from_db()
    incoming.refresh_from_db()
    assert draft.status == MlaStatus.DRAFT and incoming.status == MlaStatus.RECEIVED


@pytest.mark.django_db
def test_reminders_command(draft, prosecutor):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("mla_reminders", stdout=out)
    assert out.getvalue().strip().startswith("0")


@pytest.mark.django_db
def test_home_panel_shows_open_requests_and_reminders(people, as_user, draft, police, prosecutor):
    mla.mla_approve(actor=prosecutor, request=draft)
    mla.mla_reminders(today=draft.deadline + timedelta(days=1))
    page = as_user(police).get("/").content.decode()
    assert 'id="panel-mla"' in page and f"/justice/requests/{draft.pk}/" in page
    assert draft.deadline.isoformat() in page  # the reminder names the deadline
    assert 'id="panel-mla"' not in as_user(people["caseworker"]).get("/").content.decode()


@pytest.mark.django_db
def test_queue_page_queries_do_not_grow(people, as_user, criminal_case, police, remote):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(people["prosecutor"])

    def draft_one():
        mla.mla_draft(
            actor=police,
            criminal_case=criminal_case,
            peer=remote.peer,
            kind="mla",
            subject="Audition d'un témoin.",
            deadline=_later(),
        )

    draft_one()
    with CaptureQueriesContext(connection) as first:
        assert client.get("/justice/requests/").status_code == 200
    for _ in range(4):
        draft_one()
    with CaptureQueriesContext(connection) as second:
        assert client.get("/justice/requests/").status_code == 200
    assert len(second) == len(first)
