"""The outbox as the pages and services see it: permission matrix of the transport pages, topic
ordering in delivery, the administrator's retry of a rejected message, sealed files."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.audit.models import Action, AuditEntry
from corridor.federation import delivery, outbox
from corridor.federation.models import OutboundMessage
from tests.federation.remote import RemoteNode
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db
OPERATORS = {Role.ADMINISTRATOR, Role.COORDINATOR}


def _send(remote, *, topic: str = "", **fields) -> OutboundMessage:
    """A real message of the transport's own type, queued for the remote peer."""
    node = RemoteNode()
    message = outbox.message_send(
        actor=None,
        peer=remote.peer,
        type="federation.keys",
        payload={"keys": [node.jwk(node.sign, "sig"), node.jwk(node.enc, "enc")]},
        topic=topic,
    )
    if fields:
        OutboundMessage.objects.filter(pk=message.pk).update(**fields)
        message.refresh_from_db()
    return message


def _rejected(remote) -> OutboundMessage:
    return _send(
        remote,
        state=OutboundMessage.State.REJECTED,
        attempts=delivery.MAX_REJECTIONS,
        last_error="400: wrong_key",
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )


def test_transport_pages_matrix(people, remote):
    assert check_matrix(reverse("federation:peers"), people, {Role.ADMINISTRATOR}) == []
    assert check_matrix(reverse("federation:outbox"), people, OPERATORS) == []
    message = _rejected(remote)
    url = reverse("federation:message_retry", args=[message.pk])
    assert check_matrix(url, people, {Role.ADMINISTRATOR}, method="post") == []


def test_a_message_never_overtakes_a_waiting_one_of_its_topic(remote, monkeypatch):
    posted = []
    monkeypatch.setattr(delivery, "_post", lambda url, token: posted.append(token) or (503, ""))
    later = timezone.now() + timedelta(minutes=5)
    held = _send(remote, topic="referral:a", next_attempt_at=later)
    behind = _send(remote, topic="referral:a")
    other = _send(remote, topic="referral:b")
    assert delivery._lane(held, 4) == delivery._lane(behind, 4)
    counts = delivery.deliver_due(lanes=1)
    for message in (held, behind, other):
        message.refresh_from_db()
    assert counts["failed"] == 1 and len(posted) == 1
    assert (held.attempts, behind.attempts, other.attempts) == (0, 0, 1)


def test_administrator_retries_a_rejected_message(people, remote):
    message = _rejected(remote)
    with pytest.raises(PermissionDenied):
        outbox.message_retry(actor=people[Role.COORDINATOR], message=message)
    message.refresh_from_db()
    assert message.state == OutboundMessage.State.REJECTED
    before = AuditEntry.objects.count()
    outbox.message_retry(actor=people[Role.ADMINISTRATOR], message=message)
    message.refresh_from_db()
    assert message.state == OutboundMessage.State.PENDING
    assert message.next_attempt_at <= timezone.now()
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == Action.UPDATE and entry.actor == people[Role.ADMINISTRATOR]
    assert entry.detail["was"] == "rejected"


def test_a_refused_retry_changes_nothing(people, remote):
    message = _send(remote, state=OutboundMessage.State.DELIVERED)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="waiting or rejected"):
        outbox.message_retry(actor=people[Role.ADMINISTRATOR], message=message)
    message.refresh_from_db()
    assert message.state == OutboundMessage.State.DELIVERED
    assert AuditEntry.objects.count() == before


def test_a_retried_message_refused_again_is_rejected_again(people, remote, monkeypatch):
    message = _rejected(remote)
    outbox.message_retry(actor=people[Role.ADMINISTRATOR], message=message)
    monkeypatch.setattr(delivery, "_post", lambda url, token: (400, '{"error": "wrong_key"}'))
    assert delivery.deliver_due(lanes=1)["rejected"] == 1
    message.refresh_from_db()
    assert message.state == OutboundMessage.State.REJECTED
    assert message.attempts == delivery.MAX_REJECTIONS + 1


def test_outbox_page_offers_the_retry_to_administrators(people, remote, as_user):
    message = _rejected(remote)
    retry = reverse("federation:message_retry", args=[message.pk])
    boss = as_user(people[Role.COORDINATOR]).get(reverse("federation:outbox")).content.decode()
    assert "400: wrong_key" in boss and retry not in boss
    admin = as_user(people[Role.ADMINISTRATOR])
    page = admin.get(reverse("federation:outbox"), {"state": "rejected"}).content.decode()
    assert retry in page
    response = admin.post(retry)
    assert response.status_code == 302 and response["Location"] == reverse("federation:outbox")
    message.refresh_from_db()
    assert message.state == OutboundMessage.State.PENDING
    assert (
        admin.get(reverse("federation:outbox"), {"state": "rejected"}).content.decode().count(retry)
        == 0
    )


def test_outbox_page_lists_by_pages(people, remote, as_user):
    for _ in range(3):
        _send(remote)
    client = as_user(people[Role.ADMINISTRATOR])
    page = client.get(reverse("federation:outbox"))
    assert page.status_code == 200 and len(page.context["page"].object_list) == 3
    assert page.context["pending"] == 3


def test_outbox_page_exports_sealed_file_and_refuses_a_bad_import(people, remote, as_user):
    boss = as_user(people[Role.COORDINATOR])
    export = reverse("federation:sealed_export", args=[remote.peer.pk])
    empty = boss.post(export, follow=True)
    assert "No message is waiting" in empty.content.decode() or "Aucun message" in (
        empty.content.decode()
    )
    _send(remote)
    download = boss.post(export)
    sealed = json.loads(download.content)
    assert download["Content-Disposition"].startswith("attachment")
    assert sealed["format"] == "corridor-sealed" and sealed["to"] == "gabon"
    assert len(sealed["messages"]) == 1 and sealed["messages"][0].count(".") == 4
    assert AuditEntry.objects.filter(action=Action.EXPORT).count() == 1
    before = AuditEntry.objects.count()
    bad = boss.post(
        reverse("federation:outbox"),
        {"file": SimpleUploadedFile("x.json", b"not a sealed file")},
    )
    assert bad.status_code == 200 and AuditEntry.objects.count() == before
    wrong = boss.post(
        reverse("federation:outbox"),
        {"file": SimpleUploadedFile("x.json", json.dumps(sealed).encode())},
    )
    assert wrong.status_code == 200 and AuditEntry.objects.count() == before  # addressed to gabon
    assert OutboundMessage.objects.get().state == "pending"
