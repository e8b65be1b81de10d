"""The inbox: every message comes in through ``inbox_accept``, which opens and checks it
(``envelope.open_sealed``), records it once by message id, applies it with the handler its type
registered, and answers with a signed receipt, all in one transaction. A refusal is audited as
``reject`` (with its stable code) and changes nothing else."""

from __future__ import annotations

import functools
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.context import client_ip
from corridor.audit.models import Action
from corridor.audit.services import audit_record, audit_refusal
from corridor.federation import envelope
from corridor.federation.envelope import Rejected
from corridor.federation.models import InboundMessage, Peer
from corridor.federation.registry import message_type
from corridor.federation.writer import one_writer

# Refusals that anyone on the network can provoke, before a peer's signature is verified:
# aggregated per address (``audit_refusal``) rather than one chain entry each.
UNAUTHENTICATED_CODES = {"malformed", "tampered", "wrong_key", "unknown_sender", "rate_limited"}


def _audit_rejection(exc: Rejected, via: str) -> None:
    write = audit_record
    if exc.code in UNAUTHENTICATED_CODES:
        write = functools.partial(audit_refusal, source=client_ip.get() or via)
    with one_writer(), transaction.atomic():
        write(
            actor=None,
            action=Action.REJECT,
            object_type="federation.message",
            object_id=exc.message_id,
            summary=f"{exc.code}: {exc.message}"[:300],
            detail={"code": exc.code, "sender": exc.sender, "via": via},
            username=f"node:{exc.sender}" if exc.sender else "federation",
        )


def inbox_admit(address: str) -> bool:
    """Whether a delivery from ``address`` may be opened: at most ``CORRIDOR_INBOX_RATE`` a
    minute per address (a peer's outbox retries later what was turned away). A refusal is
    audited like the other refusals anyone can provoke."""
    minute = int(time.time()) // 60
    key = f"federation:inbox:{address}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        seen = cache.incr(key)
    except ValueError:  # evicted between add and incr
        seen = 1
    if seen <= settings.CORRIDOR_INBOX_RATE:
        return True
    _audit_rejection(
        Rejected("rate_limited", _("Too many deliveries from this address; try again later.")),
        "http",
    )
    return False


def inbox_accept(*, token: str, via: str = "http", now: float | None = None) -> tuple[str, str]:
    """Open, check, record and apply one sealed message exactly once; return (result, signed
    receipt) where result is ``applied`` or ``duplicate``. Raise ``Rejected`` (audited) when the
    message is replayed after expiry, tampered with, mis-addressed, from an unknown sender or
    under an unknown key, or does not match its schema; nothing is applied then."""
    try:
        opened = envelope.open_sealed(token, now=now)
    except Rejected as exc:
        _audit_rejection(exc, via)
        raise
    # signed before the transaction: on SQLite a transaction holds the node's one write lock
    receipt = envelope.sign_receipt(
        peer=opened.peer, message_id=opened.message_id, result="applied"
    )
    try:
        with one_writer():
            return _record(opened, via, receipt)
    except IntegrityError:
        with one_writer():
            return _duplicate(opened)
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        rejected = Rejected(
            "invalid",
            _("The message could not be applied: %(e)s") % {"e": reason},
            message_id=opened.message_id,
            sender=opened.peer.name,
        )
        _audit_rejection(rejected, via)
        raise rejected from None


@transaction.atomic
def _duplicate(opened: envelope.Opened) -> tuple[str, str]:
    message = InboundMessage.objects.select_for_update().get(
        peer=opened.peer, message_id=opened.message_id
    )
    InboundMessage.objects.filter(pk=message.pk).update(duplicates=message.duplicates + 1)
    return "duplicate", envelope.sign_receipt(
        peer=opened.peer, message_id=opened.message_id, result="duplicate"
    )


@transaction.atomic
def _record(opened: envelope.Opened, via: str, receipt: str) -> tuple[str, str]:
    peer, env = opened.peer, opened.envelope
    if InboundMessage.objects.filter(peer=peer, message_id=env["id"]).exists():
        return _duplicate(opened)
    with transaction.atomic():
        message = InboundMessage.objects.create(
            peer=peer,
            message_id=env["id"],
            type=env["type"],
            created_at=datetime.fromtimestamp(env["created"], tz=UTC),
            received_by=via,
            receipt=receipt,
        )
    message_type(env["type"]).handler(peer=peer, message=message, body=env["body"])
    Peer.objects.filter(pk=peer.pk).update(last_seen_at=timezone.now())
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=message,
        summary=f"{env['type']} ← {peer.name}",
        detail={"message_id": env["id"], "type": env["type"], "via": via},
        username=f"node:{peer.name}",
    )
    return "applied", receipt
