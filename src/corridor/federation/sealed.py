"""Sealed files, the offline path: the messages waiting for a peer sealed into one file to carry
across by hand, imported on the other side exactly as if they had come over the network, and
the receipts file that comes back."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.federation import envelope
from corridor.federation.envelope import Rejected
from corridor.federation.inbox import inbox_accept
from corridor.federation.models import OutboundMessage, Peer
from corridor.federation.operators import require_operator, username
from corridor.federation.outbox import message_delivered, message_seal

SEALED_FORMAT = "corridor-sealed"
RECEIPTS_FORMAT = "corridor-receipts"
MAX_SEALED_BYTES = 20 * 2**20


@transaction.atomic
def sealed_export(*, actor, peer: Peer, message_ids: list[str] | None = None) -> dict:
    """Seal the peer's waiting messages into one file to carry across by hand. They stay in
    the outbox: whichever copy arrives first is applied, the other gets a duplicate receipt."""
    require_operator(actor, _("Only an administrator or a coordinator can export messages."))
    messages = OutboundMessage.objects.filter(peer=peer, state=OutboundMessage.State.PENDING)
    if message_ids is not None:
        messages = messages.filter(message_id__in=message_ids)
    messages = list(messages.order_by("priority", "created_at", "id"))
    if not messages:
        raise ValidationError(_("No message is waiting for %(p)s.") % {"p": peer.name})
    tokens = [message_seal(m, ttl=envelope.SEALED_TTL) for m in messages]
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="federation.peer",
        object_id=str(peer.pk),
        summary=node_text(
            lambda: (
                ngettext(
                    "%(n)s sealed message for %(p)s", "%(n)s sealed messages for %(p)s", len(tokens)
                )
                % {"n": len(tokens), "p": peer.name}
            )
        ),
        detail={"message_ids": [str(m.message_id) for m in messages]},
        username=username(actor),
    )
    return {
        "format": SEALED_FORMAT,
        "from": settings.NODE_NAME,
        "to": peer.name,
        "created": int(time.time()),
        "messages": tokens,
    }


def sealed_import(*, actor, data) -> dict:
    """Import a sealed file (messages) or a receipts file. Each message is handled on its own,
    exactly as if it had come over the network; the answer lists the receipts to carry back
    and the refusals."""
    require_operator(actor, _("Only an administrator or a coordinator can import messages."))
    if isinstance(data, (bytes, str)):
        if len(data) > MAX_SEALED_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_SEALED_BYTES // 2**20}
            )
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            raise ValidationError(_("This is not a Corridor sealed file.")) from None
    if not isinstance(data, dict) or data.get("format") not in (SEALED_FORMAT, RECEIPTS_FORMAT):
        raise ValidationError(_("This is not a Corridor sealed file."))
    if data["format"] == RECEIPTS_FORMAT:
        return receipts_import(actor=actor, data=data)
    if data.get("to") != settings.NODE_NAME:
        raise ValidationError(
            _("This file is addressed to «%(to)s», not to this node.") % {"to": data.get("to")}
        )
    receipts, results = [], {"applied": 0, "duplicate": 0, "rejected": 0}
    errors = []
    for token in data.get("messages") or []:
        try:
            result, receipt = inbox_accept(token=str(token), via="file")
        except Rejected as exc:
            results["rejected"] += 1
            errors.append(exc.message)
            continue
        results[result] += 1
        receipts.append(receipt)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="federation.sealed",
            object_id=str(data.get("from", ""))[:64],
            summary=node_text(
                lambda: _("sealed file from %(p)s: %(r)s") % {"p": data.get("from"), "r": results}
            ),
            detail=results,
            username=username(actor),
        )
    return {
        **results,
        "errors": errors,
        "receipts": {
            "format": RECEIPTS_FORMAT,
            "from": settings.NODE_NAME,
            "to": data.get("from"),
            "receipts": receipts,
        },
    }


def receipts_import(*, actor, data: dict) -> dict:
    """Mark as delivered the messages a receipts file acknowledges (signed by the peer)."""
    peer = Peer.objects.filter(name=data.get("from")).first()
    if peer is None or data.get("to") != settings.NODE_NAME:
        raise ValidationError(_("These receipts are not from a registered peer to this node."))
    done = invalid = 0
    for receipt in data.get("receipts") or []:
        try:
            claimed = envelope._b64json(str(receipt).split(".")[1]).get("receipt_for", "")
            claims = envelope.verify_receipt(str(receipt), peer=peer, message_id=str(claimed))
            message = OutboundMessage.objects.get(message_id=claims["receipt_for"], peer=peer)
        except (Rejected, OutboundMessage.DoesNotExist, ValueError, IndexError):
            invalid += 1
            continue
        done += int(message_delivered(message=message, receipt=str(receipt), via="file"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="federation.receipts",
            object_id=peer.name,
            summary=node_text(
                lambda: (
                    ngettext(
                        "receipts from %(p)s: %(n)s delivered",
                        "receipts from %(p)s: %(n)s delivered",
                        done,
                    )
                    % {"p": peer.name, "n": done}
                )
            ),
            detail={"delivered": done, "invalid": invalid},
            username=username(actor),
        )
    return {"delivered": done, "invalid": invalid}
