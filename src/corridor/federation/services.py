"""Writes of the federation: peers and keys, the outbox and inbox, sealed files.

Every message goes out through ``message_send`` (queued in the outbox in the caller's
transaction) and comes in through ``inbox_accept`` (opened, checked, recorded once by message
id, applied by its registered handler, receipted). Refusals are audited as ``reject`` and change
nothing else.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.federation import envelope, identity
from corridor.federation.envelope import Rejected
from corridor.federation.models import (
    InboundMessage,
    KeyStatus,
    KeyUse,
    NodeKey,
    OutboundMessage,
    Peer,
    PeerKey,
)
from corridor.federation.registry import message_type, register_message_type
from corridor.node import NODES

log = logging.getLogger("corridor.federation")
BACKOFF_BASE = float(os.environ.get("CORRIDOR_FEDERATION_BACKOFF", "1"))
BACKOFF_MAX = 300.0
MAX_REJECTIONS = 10
INBOX_PATH = "/federation/inbox/"
HTTP_TIMEOUT = 10
NETWORK_ERROR = "network: "
LANES = int(os.environ.get("CORRIDOR_FEDERATION_LANES", "4"))


def _require_admin(actor) -> None:
    """``actor=None`` is the node itself (management commands run by the operator, handlers)."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only an administrator can manage peers and keys."))


def _node_name(actor) -> str:
    return actor.get_username() if actor is not None else "system"


# --- Peers and keys -------------------------------------------------------------------------


def parse_identity(data) -> dict:
    """Check an exported identity (JSON text or dict); raise ValidationError saying what is
    wrong. Each key's declared fingerprint must be its RFC 7638 thumbprint."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError:
            raise ValidationError(
                _("This is not JSON: paste the peer's exported identity.")
            ) from None
    if not isinstance(data, dict) or data.get("corridor_identity") != identity.IDENTITY_FORMAT:
        raise ValidationError(_("This is not a Corridor node identity (format 1)."))
    node, url = data.get("node"), str(data.get("url", ""))
    if node not in NODES or node == settings.NODE_NAME:
        raise ValidationError(
            _("The identity is for node «%(n)s»: a peer must be another known node.") % {"n": node}
        )
    if not url.startswith(("http://", "https://")):
        raise ValidationError(_("The peer's address must start with https:// (or http://)."))
    keys = data.get("keys")
    if not isinstance(keys, list) or not keys:
        raise ValidationError(_("The identity has no keys."))
    clean = []
    for jwk in keys:
        try:
            kid = identity.thumbprint(jwk)
        except Exception:
            raise ValidationError(_("A key of the identity is not a valid P-256 key.")) from None
        if jwk.get("kid") != kid:
            raise ValidationError(
                _("A key's fingerprint does not match the key (altered identity file).")
            )
        if jwk.get("use") not in KeyUse.values:
            raise ValidationError(_("A key of the identity has no use (sig or enc)."))
        clean.append(jwk)
    uses = {k["use"] for k in clean if k.get("status", "active") == "active"}
    if uses != set(KeyUse.values):
        raise ValidationError(_("The identity needs an active signing and encryption key."))
    return {
        "node": node,
        "country": data.get("country", NODES[node]["country"]),
        "url": url,
        "keys": clean,
    }


def _store_peer_keys(peer: Peer, keys: list[dict], *, activate: bool) -> list[str]:
    """Add unknown keys; with ``activate`` the given active keys become the peer's active keys
    and its previous active keys of the same use become retiring (still verify and decrypt)."""
    added = []
    now = timezone.now()
    public = ("kty", "crv", "x", "y", "use", "kid")
    for jwk in keys:
        status = jwk.get("status", KeyStatus.ACTIVE)
        if status not in (KeyStatus.ACTIVE, KeyStatus.RETIRING):
            continue
        key, created = PeerKey.objects.get_or_create(
            peer=peer,
            kid=jwk["kid"],
            defaults={
                "use": jwk["use"],
                "public_jwk": {k: jwk[k] for k in public},
                "status": status,
                "retiring_since": now if status == KeyStatus.RETIRING else None,
            },
        )
        if created:
            added.append(key.kid)
        if activate and status == KeyStatus.ACTIVE:
            peer.keys.filter(use=jwk["use"], status=KeyStatus.ACTIVE).exclude(pk=key.pk).update(
                status=KeyStatus.RETIRING, retiring_since=now
            )
            if key.status != KeyStatus.ACTIVE:
                key.status, key.retiring_since = KeyStatus.ACTIVE, None
                key.save(update_fields=["status", "retiring_since"])
    return added


@transaction.atomic
def peer_register(*, actor, data) -> Peer:
    """Register (or refresh) a peer from its exported identity; idempotent."""
    _require_admin(actor)
    info = parse_identity(data)
    peer, created = Peer.objects.get_or_create(
        name=info["node"], defaults={"country": info["country"], "url": info["url"]}
    )
    changed = created or peer.url != info["url"] or not peer.is_active
    peer.url, peer.country, peer.is_active = info["url"], info["country"], True
    peer.full_clean()
    peer.save()
    added = _store_peer_keys(peer, info["keys"], activate=True)
    if changed or added:
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            target=peer,
            summary=_("peer %(p)s registered") % {"p": peer.name},
            detail={"url": peer.url, "keys_added": added},
            username=_node_name(actor),
        )
    return peer


KEYS_SCHEMA = {
    "type": "object",
    "required": ["keys"],
    "additionalProperties": False,
    "properties": {
        "keys": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["kty", "crv", "x", "y", "use", "kid"],
                "properties": {"use": {"enum": KeyUse.values}},
            },
        }
    },
}


def _on_keys(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    for jwk in body["keys"]:
        if identity.thumbprint(jwk) != jwk["kid"]:
            raise ValidationError(_("A rotated key's fingerprint does not match the key."))
    added = _store_peer_keys(
        peer, [{**k, "status": KeyStatus.ACTIVE} for k in body["keys"]], activate=True
    )
    audit_record(
        actor=None,
        action=Action.UPDATE,
        target=peer,
        summary=_("peer %(p)s rotated its keys") % {"p": peer.name},
        detail={"keys_added": added},
        username=f"node:{peer.name}",
    )


register_message_type("federation.keys", KEYS_SCHEMA, _on_keys)


@transaction.atomic
def identity_rotate(*, actor) -> dict[str, NodeKey]:
    """New key pairs for this node. The old ones retire gracefully: they still decrypt and
    verify, and every peer is sent the new public keys signed with the old signing key (and
    keeps being signed with it until that message is delivered)."""
    _require_admin(actor)
    old, new = identity.rotate_keys()
    for peer in Peer.objects.filter(is_active=True):
        message_send(
            actor=actor,
            peer=peer,
            type="federation.keys",
            payload={"keys": [k.public_jwk for k in new.values()]},
            signing_kid=old[KeyUse.SIGN].kid,
            priority=0,
        )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="federation.identity",
        object_id=settings.NODE_NAME,
        summary=_("node keys rotated"),
        detail={"new": [k.kid for k in new.values()], "old": [k.kid for k in old.values()]},
        username=_node_name(actor),
    )
    return new


@transaction.atomic
def keys_retire(*, actor, older_than: timedelta | None = None) -> int:
    """Retire keys that have been retiring longer than the longest message life (a sealed file's),
    once no rotation message signed with them is still waiting."""
    _require_admin(actor)
    cutoff = timezone.now() - (
        older_than if older_than is not None else timedelta(seconds=envelope.SEALED_TTL)
    )
    waiting = set(
        OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING)
        .exclude(signing_kid="")
        .values_list("signing_kid", flat=True)
    )
    own = NodeKey.objects.filter(status=KeyStatus.RETIRING, retiring_since__lte=cutoff).exclude(
        kid__in=waiting
    )
    theirs = PeerKey.objects.filter(status=KeyStatus.RETIRING, retiring_since__lte=cutoff)
    count = own.update(status=KeyStatus.RETIRED) + theirs.update(status=KeyStatus.RETIRED)
    if count:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="federation.identity",
            object_id=settings.NODE_NAME,
            summary=_("%(n)s retiring keys retired") % {"n": count},
            username=_node_name(actor),
        )
    return count


# --- Outbox ---------------------------------------------------------------------------------


@transaction.atomic
def message_send(
    *,
    actor,
    peer: Peer,
    type: str,
    payload: dict,
    referral=None,
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
    message = OutboundMessage(
        peer=peer,
        type=type,
        payload=json.dumps(payload, ensure_ascii=False),
        referral=referral,
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
        username=_node_name(actor),
    )
    from corridor.federation import worker

    transaction.on_commit(worker.wake)
    return message


def _signing_kid_for(message: OutboundMessage) -> str:
    """Until the peer has the rotation message, keep signing with the key it knows."""
    if message.signing_kid:
        return message.signing_kid
    waiting = (
        OutboundMessage.objects.filter(
            peer=message.peer, state=OutboundMessage.State.PENDING, type="federation.keys"
        )
        .order_by("created_at")
        .first()
    )
    return waiting.signing_kid if waiting else ""


def message_seal(message: OutboundMessage, *, ttl: int = envelope.HTTP_TTL, now=None) -> str:
    return envelope.seal(
        peer=message.peer,
        message_id=str(message.message_id),
        type=message.type,
        body=json.loads(message.payload),
        created=message.created_at.timestamp(),
        ttl=ttl,
        now=now,
        signing_kid=_signing_kid_for(message),
    )


@transaction.atomic
def message_delivered(*, message: OutboundMessage, receipt: str, via: str) -> bool:
    """Record the peer's signed receipt (once) and run the type's delivery callback."""
    message = OutboundMessage.objects.select_for_update().get(pk=message.pk)
    claims = envelope.verify_receipt(receipt, peer=message.peer, message_id=str(message.message_id))
    if message.state == OutboundMessage.State.DELIVERED:
        return False
    message.state = OutboundMessage.State.DELIVERED
    message.delivered_at, message.delivered_by, message.receipt = timezone.now(), via, receipt
    message.last_error = ""
    message.save(update_fields=["state", "delivered_at", "delivered_by", "receipt", "last_error"])
    kind = message_type(message.type)
    if kind and kind.on_delivered:
        kind.on_delivered(outbound=message, result=claims.get("result", ""))
    return True


def _backoff(attempts: int) -> timedelta:
    delay = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


def _post(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url.rstrip("/") + INBOX_PATH,
        data=token.encode(),
        headers={"Content-Type": "application/jose", "Accept": "application/jose"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _fault(name: str) -> bool:
    """Test-only fault injection (``CORRIDOR_FEDERATION_FAULT``), used by the fault tests."""
    return os.environ.get("CORRIDOR_FEDERATION_FAULT") == name


def deliver_due(*, limit: int = 200, lanes: int = LANES) -> dict[str, int]:
    """One pass over the outbox: deliver what is due. Key-rotation messages go first, alone;
    the rest is spread over ``lanes`` parallel HTTP lanes, all messages of one referral in the
    same lane so that they arrive in the order they were written. A peer that does not answer
    is skipped until its next attempt (exponential backoff with jitter), and a message never
    overtakes an earlier one of its referral that is still waiting."""
    counts = {"delivered": 0, "failed": 0, "rejected": 0}
    now = timezone.now()
    pending = OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING)
    due = list(
        pending.filter(next_attempt_at__lte=now)
        .select_related("peer")
        .order_by("priority", "created_at", "id")[:limit]
    )
    if not due:
        return counts
    waiting: dict[int, datetime] = {}
    for referral_id, created in pending.filter(
        next_attempt_at__gt=now, referral__isnull=False
    ).values_list("referral_id", "created_at"):
        waiting[referral_id] = min(created, waiting.get(referral_id, created))
    due = [
        m
        for m in due
        if m.referral_id is None
        or m.referral_id not in waiting
        or m.created_at < waiting[m.referral_id]
    ]
    down: set[int] = set()
    first = [m for m in due if m.priority == 0]
    _deliver_lane(first, down, counts, close=False)
    groups: dict[int, list[OutboundMessage]] = {}
    for m in due:
        if m.priority != 0:
            groups.setdefault((m.referral_id or m.pk) % max(lanes, 1), []).append(m)
    if lanes <= 1 or len(groups) <= 1:
        for group in groups.values():
            _deliver_lane(group, down, counts, close=False)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="federation-lane") as pool:
            list(pool.map(lambda g: _deliver_lane(g, down, counts, close=True), groups.values()))
    if counts["delivered"]:
        _peers_back({m.peer_id for m in due} - down)
    return counts


def _peers_back(peer_ids: set[int]) -> None:
    """Backoff protects a peer that is down; once it answers again, everything that waits only
    because of the network is due now (not after each message's own growing delay)."""
    OutboundMessage.objects.filter(
        peer_id__in=peer_ids,
        state=OutboundMessage.State.PENDING,
        next_attempt_at__gt=timezone.now() + timedelta(seconds=1),
        last_error__startswith=NETWORK_ERROR,
    ).update(next_attempt_at=timezone.now())


def _deliver_lane(messages, down: set, counts: dict, *, close: bool) -> None:
    failed_referrals: set[int] = set()
    try:
        for message in messages:
            if message.peer_id in down or (
                message.referral_id is not None and message.referral_id in failed_referrals
            ):
                continue
            result = _deliver_one(message, down)
            counts[result] += 1
            if result != "delivered" and message.referral_id is not None:
                failed_referrals.add(message.referral_id)
    finally:
        if close:
            from django.db import connection

            connection.close()


def _deliver_one(message: OutboundMessage, down: set) -> str:
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message.pk,
        state=OutboundMessage.State.PENDING,
        next_attempt_at=message.next_attempt_at,
    ).update(next_attempt_at=now + timedelta(seconds=HTTP_TIMEOUT * 3))
    if not claimed:
        return "failed"
    message.attempts += 1
    try:
        token = message_seal(message)
        status, body = _post(message.peer.url, token)
    except (OSError, Rejected) as exc:
        down.add(message.peer_id)
        _retry_later(message, f"{NETWORK_ERROR}{exc or exc.__class__.__name__}")
        return "failed"
    if _fault("crash_after_post"):
        os._exit(3)
    if status == 200:
        try:
            message_delivered(message=message, receipt=body, via="http")
        except Rejected as exc:
            _retry_later(message, exc.message)
            return "failed"
        OutboundMessage.objects.filter(pk=message.pk).update(attempts=message.attempts)
        return "delivered"
    if 400 <= status < 500:
        _retry_later(message, f"{status}: {body[:250]}", rejected=True)
        return "rejected"
    down.add(message.peer_id)
    _retry_later(message, f"{NETWORK_ERROR}HTTP {status}")
    return "failed"


def _retry_later(message: OutboundMessage, error: str, *, rejected: bool = False) -> None:
    """A refused message is retried a few times (the peer may not know a new key yet), then
    left as rejected for an administrator; a network failure is retried without limit."""
    fields = {
        "attempts": message.attempts,
        "last_error": error[:300],
        "next_attempt_at": timezone.now() + _backoff(message.attempts),
    }
    if rejected and message.attempts >= MAX_REJECTIONS:
        fields["state"] = OutboundMessage.State.REJECTED
    OutboundMessage.objects.filter(pk=message.pk, state=OutboundMessage.State.PENDING).update(
        **fields
    )


@transaction.atomic
def message_retry(*, actor, message: OutboundMessage) -> OutboundMessage:
    """Put a rejected or waiting message back at the head of the queue."""
    _require_admin(actor)
    if message.state not in (OutboundMessage.State.PENDING, OutboundMessage.State.REJECTED):
        raise ValidationError(_("Only a waiting or rejected message can be retried."))
    message.state, message.next_attempt_at = OutboundMessage.State.PENDING, timezone.now()
    message.save(update_fields=["state", "next_attempt_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=message,
        summary=_("delivery retried"),
        username=_node_name(actor),
    )
    return message


# --- Inbox ----------------------------------------------------------------------------------


def _audit_rejection(exc: Rejected, via: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=None,
            action=Action.REJECT,
            object_type="federation.message",
            object_id=exc.message_id,
            summary=f"{exc.code}: {exc.message}"[:300],
            detail={"code": exc.code, "sender": exc.sender, "via": via},
            username=f"node:{exc.sender}" if exc.sender else "federation",
        )


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
    try:
        return _record(opened, via)
    except IntegrityError:
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
def _record(opened: envelope.Opened, via: str) -> tuple[str, str]:
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
        )
    message_type(env["type"]).handler(peer=peer, message=message, body=env["body"])
    receipt = envelope.sign_receipt(peer=peer, message_id=env["id"], result="applied")
    message.receipt = receipt
    message.save(update_fields=["receipt"])
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


# --- Sealed files (the offline path) --------------------------------------------------------

SEALED_FORMAT = "corridor-sealed"
RECEIPTS_FORMAT = "corridor-receipts"


@transaction.atomic
def sealed_export(*, actor, peer: Peer, message_ids: list[str] | None = None) -> dict:
    """Seal the peer's waiting messages into one file to carry across by hand. They stay in
    the outbox: whichever copy arrives first is applied, the other gets a duplicate receipt."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR, Role.COORDINATOR):
        raise PermissionDenied(_("Only an administrator or a coordinator can export messages."))
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
        summary=_("%(n)s sealed messages for %(p)s") % {"n": len(tokens), "p": peer.name},
        detail={"message_ids": [str(m.message_id) for m in messages]},
        username=_node_name(actor),
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
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR, Role.COORDINATOR):
        raise PermissionDenied(_("Only an administrator or a coordinator can import messages."))
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except ValueError:
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
            summary=_("sealed file from %(p)s: %(r)s") % {"p": data.get("from"), "r": results},
            detail=results,
            username=_node_name(actor),
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
            summary=_("receipts from %(p)s: %(n)s delivered") % {"p": peer.name, "n": done},
            detail={"delivered": done, "invalid": invalid},
            username=_node_name(actor),
        )
    return {"delivered": done, "invalid": invalid}


# --- Transnational referrals ----------------------------------------------------------------

from corridor.federation import fields as referral_fields  # noqa: E402
from corridor.federation.models import (  # noqa: E402
    RECEIVER_DECISIONS,
    REFERRAL_FLOW,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

STATUS_VALUES = ReferralStatus.values
UPDATE_KINDS = [
    k
    for k in ReferralEvent.Kind.values
    if k not in (ReferralEvent.Kind.STATUS, ReferralEvent.Kind.CONSENT_WITHDRAWN)
]
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TEXT = {"type": "string", "maxLength": 4000}
PERSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "given_names": {"type": "string", "maxLength": 200},
        "family_name": {"type": "string", "maxLength": 200},
        "other_names": {"type": "array", "items": {"type": "string", "maxLength": 300}},
        "gender": {"type": "string", "maxLength": 30},
        "birth_date": _DATE,
        "birth_year": {"type": "integer", "minimum": 1900, "maximum": 2100},
        "estimated_age": {"type": "integer", "minimum": 0, "maximum": 120},
        "age_estimated_on": _DATE,
        "citizenships": {"type": "array", "items": {"type": "string", "maxLength": 3}},
        "languages": {"type": "array", "items": {"type": "string", "maxLength": 3}},
        "unaccompanied": {"type": "boolean"},
        "place_of_origin": {"type": "string", "maxLength": 120},
        "origin_prefecture": {"type": "string", "maxLength": 120},
    },
}
CASE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "is_child": {"type": "boolean"},
        "identified_on": _DATE,
        "child_step": {"type": "string", "maxLength": 30},
        "stage": {"type": "string", "maxLength": 20},
        "exploitation_types": {"type": "array", "items": {"type": "string"}},
        "vulnerabilities": {"type": "array", "items": {"type": "string"}},
    },
}
_REF = {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"}
REFERRAL_CREATE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral", "purpose", "case_ref", "legal_basis", "person", "case"],
    "properties": {
        "referral": _REF,
        "purpose": {"enum": list(referral_fields.PURPOSES)},
        "reason": _TEXT,
        "case_ref": {"type": "string", "minLength": 1, "maxLength": 40},
        "legal_basis": {"type": "string", "minLength": 1, "maxLength": 60},
        "referring_agency": {"type": "string", "maxLength": 200},
        "by": {"type": "string", "maxLength": 150},
        "person": PERSON_SCHEMA,
        "case": CASE_SCHEMA,
    },
}
REFERRAL_STATUS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral", "status"],
    "properties": {
        "referral": _REF,
        "status": {"enum": STATUS_VALUES},
        "comment": _TEXT,
        "by": {"type": "string", "maxLength": 150},
        "case_ref": {"type": "string", "maxLength": 40},
    },
}
REFERRAL_UPDATE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral", "kind"],
    "properties": {
        "referral": _REF,
        "kind": {"enum": UPDATE_KINDS},
        "text": _TEXT,
        "date": _DATE,
        "by": {"type": "string", "maxLength": 150},
    },
}
REFERRAL_WITHDRAWN_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral"],
    "properties": {"referral": _REF, "by": {"type": "string", "maxLength": 150}},
}


def _by(actor) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]


def _event(referral, *, kind, by_node, by_name="", status="", text="", date=None, message_id=None):
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        status=status,
        text=text,
        date=date,
        by_node=by_node,
        by_name=by_name,
        message_id=message_id,
    )


def _require_sharing(referral: Referral) -> None:
    if referral.sharing_stopped:
        raise ValidationError(
            _(
                "Consent to share this case with the other country was withdrawn: nothing more is sent."
            )
        )


def legal_basis(case) -> str:
    """The active cross-border consent or legal ground of the case, or '' when there is none."""
    for consent in case.consents.filter(purpose="cross_border", withdrawn_on__isnull=True):
        if consent.active:
            return consent.legal_ground or (
                "guardian_consent" if consent.given_by_guardian else "consent"
            )
    return ""


def can_work_on(user, referral: Referral) -> bool:
    """Coordinators work on every referral of their node; others on the referrals of cases they
    may manage."""
    from corridor.cases.selectors import can_manage

    if user.has_role(Role.COORDINATOR):
        return True
    return referral.case is not None and can_manage(user, referral.case)


@transaction.atomic
def referral_send(*, actor, case, peer: Peer, purpose: str, reason: str = "") -> Referral:
    """Refer a case to the other country's node: only with recorded consent for cross-border
    sharing (or a recorded legal ground), and only the fields the purpose needs."""
    from corridor.cases.selectors import can_manage

    if not can_manage(actor, case):
        raise PermissionDenied(_("You cannot refer this case."))
    if purpose not in referral_fields.PURPOSES:
        raise ValidationError({"purpose": _("Choose the purpose of the referral.")})
    basis = legal_basis(case)
    if not basis:
        raise ValidationError(
            _(
                "No consent (or legal ground) for sharing with the other country is recorded on this case: record it first."
            )
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is referred.")})
    open_one = Referral.objects.filter(
        case=case, peer=peer, direction=Referral.Direction.OUTGOING
    ).exclude(status__in=[ReferralStatus.DECLINED, ReferralStatus.CLOSED])
    if open_one.exists():
        raise ValidationError(_("This case already has an open referral to that node."))
    minimal = referral_fields.minimal_payload(case, purpose)
    referral = Referral(
        direction=Referral.Direction.OUTGOING,
        peer=peer,
        case=case,
        purpose=purpose,
        status=ReferralStatus.SENT,
        reason=reason.strip(),
        shared_data=json.dumps(minimal, ensure_ascii=False),
        remote_case_ref=case.ref,
        legal_basis=basis,
        agency=case.agency,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    _event(
        referral,
        kind=ReferralEvent.Kind.STATUS,
        status=ReferralStatus.SENT,
        by_node=settings.NODE_NAME,
        by_name=_by(actor),
        text=reason.strip(),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=referral,
        summary=_("%(ref)s referred to %(p)s") % {"ref": case.ref, "p": peer.name},
        detail={
            "purpose": purpose,
            "fields": sorted(minimal["person"]) + sorted(minimal["case"]),
            "legal_basis": basis,
        },
    )
    message_send(
        actor=actor,
        peer=peer,
        type="referral.create",
        referral=referral,
        payload={
            "referral": str(referral.uid),
            "purpose": purpose,
            "reason": reason.strip(),
            "case_ref": case.ref,
            "legal_basis": basis,
            "referring_agency": str(case.agency),
            "by": _by(actor),
            **minimal,
        },
    )
    return referral


def _incoming(peer: Peer, uid: str) -> Referral:
    referral = Referral.objects.select_for_update().filter(peer=peer, uid=uid).first()
    if referral is None:
        raise ValidationError(_("Unknown referral %(r)s.") % {"r": uid})
    return referral


def _on_referral_create(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    extra = referral_fields.check_minimal(body["purpose"], body["person"], body["case"])
    if extra:
        raise ValidationError(
            _("Fields outside the purpose's minimal set: %(f)s") % {"f": ", ".join(extra)}
        )
    if Referral.objects.filter(peer=peer, uid=body["referral"]).exists():
        raise ValidationError(_("This referral was already received."))
    referral = Referral(
        uid=body["referral"],
        direction=Referral.Direction.INCOMING,
        peer=peer,
        purpose=body["purpose"],
        status=ReferralStatus.RECEIVED,
        reason=body.get("reason", ""),
        shared_data=json.dumps(
            {
                "person": body["person"],
                "case": body["case"],
                "referring_agency": body.get("referring_agency", ""),
            },
            ensure_ascii=False,
        ),
        remote_case_ref=body["case_ref"],
        legal_basis=body["legal_basis"],
    )
    referral.full_clean()
    referral.save()
    _event(
        referral,
        kind=ReferralEvent.Kind.STATUS,
        status=ReferralStatus.SENT,
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body.get("reason", ""),
        message_id=message.message_id,
    )
    _event(
        referral,
        kind=ReferralEvent.Kind.STATUS,
        status=ReferralStatus.RECEIVED,
        by_node=settings.NODE_NAME,
        message_id=message.message_id,
    )
    audit_record(
        actor=None,
        action=Action.CREATE,
        target=referral,
        summary=_("referral %(ref)s received from %(p)s")
        % {"ref": body["case_ref"], "p": peer.name},
        detail={"purpose": body["purpose"]},
        username=f"node:{peer.name}",
    )


def _on_referral_create_delivered(*, outbound: OutboundMessage, result: str) -> None:
    referral = outbound.referral
    if referral is None or referral.status != ReferralStatus.SENT:
        return
    referral.status = ReferralStatus.RECEIVED
    referral.save(update_fields=["status", "updated_at"])
    _event(
        referral,
        kind=ReferralEvent.Kind.STATUS,
        status=ReferralStatus.RECEIVED,
        by_node=outbound.peer.name,
        message_id=outbound.message_id,
    )


def _on_referral_status(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    """The peer's word on the shared status is recorded as it comes: each node tracks the same
    status, and messages arrive in the order they were sent."""
    referral = _incoming(peer, body["referral"])
    referral.status = body["status"]
    if body.get("case_ref") and referral.direction == Referral.Direction.OUTGOING:
        referral.remote_case_ref = body["case_ref"]
    referral.save(update_fields=["status", "remote_case_ref", "updated_at"])
    _event(
        referral,
        kind=ReferralEvent.Kind.STATUS,
        status=body["status"],
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body.get("comment", ""),
        message_id=message.message_id,
    )


def _on_referral_update(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    from datetime import date

    referral = _incoming(peer, body["referral"])
    _event(
        referral,
        kind=body["kind"],
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body.get("text", ""),
        date=date.fromisoformat(body["date"]) if body.get("date") else None,
        message_id=message.message_id,
    )


def _on_referral_withdrawn(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    referral = _incoming(peer, body["referral"])
    _stop_sharing(referral)
    _event(
        referral,
        kind=ReferralEvent.Kind.CONSENT_WITHDRAWN,
        by_node=peer.name,
        by_name=body.get("by", ""),
        message_id=message.message_id,
    )


register_message_type(
    "referral.create",
    REFERRAL_CREATE_SCHEMA,
    _on_referral_create,
    on_delivered=_on_referral_create_delivered,
)
register_message_type("referral.status", REFERRAL_STATUS_SCHEMA, _on_referral_status)
register_message_type("referral.update", REFERRAL_UPDATE_SCHEMA, _on_referral_update)
register_message_type(
    "referral.consent_withdrawn", REFERRAL_WITHDRAWN_SCHEMA, _on_referral_withdrawn
)


def _share_status(actor, referral: Referral, comment: str = "") -> None:
    payload = {"referral": str(referral.uid), "status": referral.status, "by": _by(actor)}
    if comment:
        payload["comment"] = comment
    if referral.case_id and referral.direction == Referral.Direction.INCOMING:
        payload["case_ref"] = referral.case.ref
    message_send(
        actor=actor, peer=referral.peer, type="referral.status", payload=payload, referral=referral
    )


@transaction.atomic
def referral_decide(
    *, actor, referral: Referral, decision: str, agency=None, comment: str = ""
) -> Referral:
    """The receiving node's coordinator accepts (assigning an agency; the node opens its own
    person and cross-border case), declines, or asks for more information."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not actor.has_role(Role.COORDINATOR):
        raise PermissionDenied(_("Only the national coordinator decides on a referral."))
    if referral.direction != Referral.Direction.INCOMING:
        raise ValidationError(_("Only the receiving node decides on a referral."))
    _require_sharing(referral)
    if decision not in RECEIVER_DECISIONS or decision not in REFERRAL_FLOW[referral.status]:
        raise ValidationError(_("This decision is not possible now."))
    if decision in (ReferralStatus.DECLINED, ReferralStatus.INFO_REQUESTED) and not comment.strip():
        raise ValidationError({"comment": _("Say why, for the referring caseworker.")})
    if decision == ReferralStatus.ACCEPTED:
        if agency is None or agency.country != settings.NODE_COUNTRY or not agency.is_active:
            raise ValidationError({"agency": _("Assign an agency of this country.")})
        referral.case = _open_case(actor=actor, referral=referral, agency=agency)
        referral.agency = agency
    referral.status = decision
    referral.save()
    _event(
        referral,
        kind=ReferralEvent.Kind.STATUS,
        status=decision,
        by_node=settings.NODE_NAME,
        by_name=_by(actor),
        text=comment,
    )
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=referral,
        summary=f"{referral.remote_case_ref}: {decision}",
        detail={"agency": agency.pk if agency else None, "case": referral.case_id},
    )
    _share_status(actor, referral, comment)
    return referral


def _open_case(*, actor, referral: Referral, agency):
    from datetime import date

    from corridor.cases.services import case_open
    from corridor.people.services import PERSON_FIELDS, person_create

    shared = json.loads(referral.shared_data or "{}")
    person_data = dict(shared.get("person", {}))
    other_names = [("spelling", n) for n in person_data.pop("other_names", [])]
    for key in ("birth_date", "age_estimated_on"):
        if person_data.get(key):
            person_data[key] = date.fromisoformat(person_data[key])
    person_data = {
        k: v
        for k, v in person_data.items()
        if k in PERSON_FIELDS or k in ("given_names", "family_name")
    }
    person = person_create(actor=actor, agency=agency, other_names=other_names, **person_data)
    case_data = shared.get("case", {})
    victim = {}
    if case_data.get("exploitation_types"):
        victim["exploitation_types"] = case_data["exploitation_types"]
    if case_data.get("vulnerabilities"):
        victim["vulnerabilities"] = case_data["vulnerabilities"]
    return case_open(
        actor=actor,
        person=person,
        agency=agency,
        identified_at_place=_("Referred by the %(p)s node (%(ref)s)")
        % {"p": referral.peer.name, "ref": referral.remote_case_ref},
        cross_border=True,
        **victim,
    )


@transaction.atomic
def referral_set_status(*, actor, referral: Referral, status: str, comment: str = "") -> Referral:
    """Move the shared status along the table (after acceptance: in progress, return planned,
    returned, reintegration follow-up, closed); the other node is told."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not can_work_on(actor, referral):
        raise PermissionDenied(_("You cannot change this referral."))
    _require_sharing(referral)
    if status in RECEIVER_DECISIONS or status not in REFERRAL_FLOW.get(referral.status, ()):
        raise ValidationError(
            _("A referral cannot go from “%(from)s” to “%(to)s”.")
            % {"from": referral.get_status_display(), "to": status}
        )
    previous = referral.status
    referral.status = status
    referral.save(update_fields=["status", "updated_at"])
    _event(
        referral,
        kind=ReferralEvent.Kind.STATUS,
        status=status,
        by_node=settings.NODE_NAME,
        by_name=_by(actor),
        text=comment,
    )
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=referral,
        summary=f"{referral.remote_case_ref}: {previous} → {status}",
        detail={"from": previous, "to": status},
    )
    _share_status(actor, referral, comment)
    return referral


@transaction.atomic
def referral_add_update(
    *, actor, referral: Referral, kind: str, text: str = "", date=None
) -> ReferralEvent:
    """Share an update (family traced, best-interest determination approved, return date,
    follow-up visit outcome, information asked for, a note) with the other node."""
    if not can_work_on(actor, referral):
        raise PermissionDenied(_("You cannot change this referral."))
    _require_sharing(referral)
    if kind not in UPDATE_KINDS:
        raise ValidationError({"kind": _("Choose the kind of update.")})
    if not text.strip() and date is None:
        raise ValidationError({"text": _("The update is empty.")})
    if kind == ReferralEvent.Kind.RETURN_DATE and date is None:
        raise ValidationError({"date": _("Give the return date.")})
    event = _event(
        referral,
        kind=kind,
        by_node=settings.NODE_NAME,
        by_name=_by(actor),
        text=text.strip(),
        date=date,
    )
    payload = {"referral": str(referral.uid), "kind": kind, "by": _by(actor)}
    if text.strip():
        payload["text"] = text.strip()
    if date:
        payload["date"] = date.isoformat()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=referral,
        summary=f"{referral.remote_case_ref}: {kind}",
        detail={"kind": kind},
    )
    message_send(
        actor=actor, peer=referral.peer, type="referral.update", payload=payload, referral=referral
    )
    return event


def _stop_sharing(referral: Referral) -> int:
    referral.sharing_stopped = True
    referral.save(update_fields=["sharing_stopped", "updated_at"])
    return (
        OutboundMessage.objects.filter(referral=referral, state=OutboundMessage.State.PENDING)
        .exclude(type="referral.consent_withdrawn")
        .update(state=OutboundMessage.State.CANCELLED)
    )


def on_consent_withdrawn(*, actor, consent) -> None:
    """Registered in ``cases.services.CONSENT_WITHDRAWN_HOOKS``: withdrawing cross-border
    consent cancels what is still waiting in the outbox for the case's referrals, stops any
    further sharing and tells the other node, in the withdrawal's own transaction."""
    if consent.purpose != "cross_border":
        return
    if legal_basis(consent.case):
        return  # another consent or a legal ground still covers the sharing
    for referral in Referral.objects.select_for_update().filter(
        case=consent.case, sharing_stopped=False
    ):
        cancelled = _stop_sharing(referral)
        _event(
            referral,
            kind=ReferralEvent.Kind.CONSENT_WITHDRAWN,
            by_node=settings.NODE_NAME,
            by_name=_by(actor),
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=referral,
            summary=_("consent withdrawn: sharing stopped"),
            detail={"cancelled_messages": cancelled},
        )
        message_send(
            actor=actor,
            peer=referral.peer,
            type="referral.consent_withdrawn",
            payload={"referral": str(referral.uid), "by": _by(actor)},
            referral=referral,
        )
