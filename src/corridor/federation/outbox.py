"""The outbox: every message leaves through ``message_send`` (queued in the caller's transaction)
and is marked delivered only when the peer's signed receipt verifies (``message_delivered``).

A message may carry a ``topic``, an opaque string chosen by the sender (a referral's messages
share one): delivery keeps the messages of one topic in the order they were written, and the
sender can find or cancel them by it. The transport never reads anything into it.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.federation import envelope, wakeup
from corridor.federation.models import OutboundMessage, Peer
from corridor.federation.operators import require_admin, username
from corridor.federation.registry import SEND_CHECKS, message_type

KEYS_TYPE = "federation.keys"


@transaction.atomic
def message_send(
    *,
    actor,
    peer: Peer,
    type: str,
    payload: dict,
    topic: str = "",
    signing_kid: str = "",
    priority: int = 5,
) -> OutboundMessage:
    """Queue a message for ``peer``. The payload is checked against the type's schema now, so a
    bad message fails in the sender's hands, not at the peer. Delivery happens after commit."""
    kind = message_type(type)
    if kind is None:
        raise ValidationError(_("Unknown message type «%(t)s».") % {"t": type})
    if not peer.is_active:
        raise ValidationError(_("The peer %(p)s is not active.") % {"p": peer.name})
    kind.validate(payload)
    for check in SEND_CHECKS:
        check(peer=peer, type=type, payload=payload)
    message = OutboundMessage(
        peer=peer,
        type=type,
        payload=json.dumps(payload, ensure_ascii=False),
        topic=topic,
        signing_kid=signing_kid,
        priority=priority,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    message.full_clean()
    message.save()
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=message,
        summary=f"{type} → {peer.name}",
        detail={"message_id": str(message.message_id), "type": type, "peer": peer.name},
        username=username(actor),
    )
    transaction.on_commit(wakeup.wake)
    return message


def messages_cancel(*, topic: str, keep_types: tuple[str, ...] = ()) -> int:
    """Cancel what still waits under ``topic`` (except ``keep_types``), inside the caller's
    transaction: e.g. the sender's consent was withdrawn. Returns how many were cancelled."""
    if not topic:
        return 0
    return (
        OutboundMessage.objects.filter(topic=topic, state=OutboundMessage.State.PENDING)
        .exclude(type__in=keep_types)
        .update(state=OutboundMessage.State.CANCELLED)
    )


def _signing_kid_for(message: OutboundMessage, keyring: envelope.Keyring) -> str:
    """Until the peer has the rotation message, keep signing with the key it knows."""
    if message.signing_kid:
        return message.signing_kid

    def waiting_rotation() -> str:
        waiting = (
            OutboundMessage.objects.filter(
                peer_id=message.peer_id, state=OutboundMessage.State.PENDING, type=KEYS_TYPE
            )
            .order_by("created_at")
            .first()
        )
        return waiting.signing_kid if waiting else ""

    return keyring.cached(("rotation", message.peer_id), waiting_rotation)


def message_seal(
    message: OutboundMessage,
    *,
    ttl: int = envelope.HTTP_TTL,
    now=None,
    keyring: envelope.Keyring | None = None,
) -> str:
    """Seal ``message`` afresh for its peer (``keyring``: the keys of a delivery pass)."""
    keyring = keyring or envelope.Keyring()
    return envelope.seal(
        peer=message.peer,
        message_id=str(message.message_id),
        type=message.type,
        body=json.loads(message.payload),
        created=message.created_at.timestamp(),
        ttl=ttl,
        now=now,
        signing_kid=_signing_kid_for(message, keyring),
        keyring=keyring,
    )


def message_delivered(
    *, message: OutboundMessage, receipt: str, via: str, attempts: int | None = None
) -> bool:
    """Record the peer's signed receipt (once) and run the type's delivery callback, in one
    transaction (with the attempt count, when delivery counted one). The signature is checked
    first, outside the transaction: on SQLite a transaction holds the node's one write lock."""
    claims = envelope.verify_receipt(receipt, peer=message.peer, message_id=str(message.message_id))
    return record_delivery(message, claims=claims, receipt=receipt, via=via, attempts=attempts)


@transaction.atomic
def record_delivery(
    message: OutboundMessage, *, claims: dict, receipt: str, via: str, attempts: int | None
) -> bool:
    """Mark delivered on a receipt whose signature was checked (``claims``); False if it already
    was. Runs the type's ``on_delivered`` in the same transaction."""
    message = OutboundMessage.objects.select_for_update().select_related("peer").get(pk=message.pk)
    if message.state == OutboundMessage.State.DELIVERED:
        return False
    message.state = OutboundMessage.State.DELIVERED
    message.delivered_at, message.delivered_by, message.receipt = timezone.now(), via, receipt
    message.last_error = ""
    fields = ["state", "delivered_at", "delivered_by", "receipt", "last_error"]
    if attempts is not None:
        message.attempts = attempts
        fields.append("attempts")
    message.save(update_fields=fields)
    kind = message_type(message.type)
    if kind and kind.on_delivered:
        kind.on_delivered(outbound=message, result=claims.get("result", ""))
    return True


@transaction.atomic
def message_retry(*, actor, message: OutboundMessage) -> OutboundMessage:
    """Give a message the peer rejected (or one still waiting) one more attempt now, at the head
    of the queue. A rejected message that is refused again goes back to rejected at once."""
    require_admin(actor)
    message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.state not in (OutboundMessage.State.PENDING, OutboundMessage.State.REJECTED):
        raise ValidationError(_("Only a waiting or rejected message can be retried."))
    previous = message.state
    message.state, message.next_attempt_at = OutboundMessage.State.PENDING, timezone.now()
    message.save(update_fields=["state", "next_attempt_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=message,
        summary=node_text(gettext_noop("delivery retried")),
        detail={"message_id": str(message.message_id), "was": previous},
        username=username(actor),
    )
    transaction.on_commit(wakeup.wake)
    return message
