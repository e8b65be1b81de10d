"""Peers and this node's keys: registering a peer from its exported identity, rotating and
retiring keys, and the ``federation.keys`` message that tells a peer about new keys."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.federation import envelope, identity
from corridor.federation.models import (
    InboundMessage,
    KeyStatus,
    KeyUse,
    NodeKey,
    OutboundMessage,
    Peer,
    PeerKey,
)
from corridor.federation.operators import require_admin, username
from corridor.federation.outbox import KEYS_TYPE, message_send
from corridor.federation.registry import register_message_type
from corridor.node import NODES


def node_label(node) -> str:
    """What a person reads for a node, this one or a peer, given as a Peer or by its name: its
    country ("Gabon"), not its node name ("gabon")."""
    from corridor.core.countries import country_name

    if isinstance(node, Peer):
        return node.label
    name = str(node or "")
    country = NODES.get(name, {}).get("country")
    if country is None:
        country = Peer.objects.filter(name=name).values_list("country", flat=True).first()
    return (country_name(country) if country else "") or name


def parse_identity(data) -> dict:
    """Check an exported identity (JSON text or dict); raise ValidationError saying what is
    wrong. Each key's declared fingerprint must be its RFC 7638 thumbprint."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
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
    require_admin(actor)
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
            summary=node_text(gettext_noop("peer %(p)s registered"), p=peer.name),
            detail={"url": peer.url, "keys_added": added},
            username=username(actor),
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
        summary=node_text(gettext_noop("peer %(p)s rotated its keys"), p=peer.name),
        detail={"keys_added": added},
        username=f"node:{peer.name}",
    )


@transaction.atomic
def identity_rotate(*, actor) -> dict[str, NodeKey]:
    """New key pairs for this node. The old ones retire gracefully: they still decrypt and
    verify, and every peer is sent the new public keys signed with the old signing key (and
    keeps being signed with it until that message is delivered)."""
    require_admin(actor)
    old, new = identity.rotate_keys()
    for peer in Peer.objects.filter(is_active=True):
        message_send(
            actor=actor,
            peer=peer,
            type=KEYS_TYPE,
            payload={"keys": [k.public_jwk for k in new.values()]},
            signing_kid=old[KeyUse.SIGN].kid,
            priority=0,
        )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="federation.identity",
        object_id=settings.NODE_NAME,
        summary=node_text(gettext_noop("node keys rotated")),
        detail={"new": [k.kid for k in new.values()], "old": [k.kid for k in old.values()]},
        username=username(actor),
    )
    return new


@transaction.atomic
def keys_retire(*, actor, older_than: timedelta | None = None) -> int:
    """Retire keys that have been retiring longer than the longest message life (a sealed file's),
    once no rotation message signed with them is still waiting."""
    require_admin(actor)
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
            summary=node_text(
                lambda: (
                    ngettext("%(n)s retiring key retired", "%(n)s retiring keys retired", count)
                    % {"n": count}
                )
            ),
            username=username(actor),
        )
    return count


def register() -> None:
    """Declare ``federation.keys`` (called from ``FederationConfig.ready``)."""
    register_message_type(KEYS_TYPE, KEYS_SCHEMA, _on_keys)
