"""Sealing and opening federation messages: JWS (ES256) inside JWE (ECDH-ES+A256KW / A256GCM).

The signed envelope carries the message id, type, sender, recipient, creation and expiry times
and the schema version; the receiver checks all of them before anything is applied. Every way a
message can be refused raises ``Rejected`` with a stable code, which the inbox audits.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from joserfc import jwe, jws
from joserfc.errors import JoseError

from corridor.federation import identity
from corridor.federation.models import KeyStatus, KeyUse, NodeKey, Peer, PeerKey
from corridor.federation.registry import message_type

SCHEMA_VERSION = 1
HTTP_TTL = int(os.environ.get("CORRIDOR_FEDERATION_TTL", "3600"))
SEALED_TTL = int(os.environ.get("CORRIDOR_FEDERATION_SEALED_TTL", str(30 * 86400)))
SKEW = int(os.environ.get("CORRIDOR_FEDERATION_SKEW", "300"))
LIVE = (KeyStatus.ACTIVE, KeyStatus.RETIRING)


class Rejected(Exception):
    """A message this node refuses; ``code`` is stable (tests, audit), ``message`` is for people."""

    def __init__(self, code: str, message: str, *, message_id: str = "", sender: str = ""):
        super().__init__(message)
        self.code, self.message, self.message_id, self.sender = code, message, message_id, sender


@dataclass(frozen=True)
class Opened:
    peer: Peer
    envelope: dict

    @property
    def message_id(self) -> str:
        return self.envelope["id"]


def _b64json(segment: str) -> dict:
    padded = segment + "=" * (-len(segment) % 4)
    try:
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except RecursionError:  # nested too deep: not a header of ours
        raise ValueError("nested too deeply") from None
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def peer_encryption_key(peer: Peer) -> PeerKey:
    key = peer.keys.filter(use=KeyUse.ENCRYPT, status=KeyStatus.ACTIVE).order_by("-id").first()
    if key is None:
        raise Rejected("no_key", _("No encryption key is registered for %(p)s.") % {"p": peer.name})
    return key


class Keyring:
    """The keys sealing and receipt checks need, each read from the database once. One keyring
    lives for one delivery pass (keys may rotate between passes, not within one); without one,
    every call reads afresh."""

    def __init__(self) -> None:
        self._cache: dict = {}

    def cached(self, key, load):
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def sign_key(self, kid: str = "") -> NodeKey:
        """This node's live signing key ``kid``, or its active one."""

        def load():
            key = identity.live_key(kid, KeyUse.SIGN) if kid else None
            return key or identity.active_key(KeyUse.SIGN)

        return self.cached(("sign", kid), load)

    def encryption_key(self, peer: Peer) -> PeerKey:
        return self.cached(("enc", peer.pk), lambda: peer_encryption_key(peer))

    def peer_signing_key(self, peer: Peer, kid: str) -> PeerKey | None:
        return self.cached(
            ("peer-sig", peer.pk, kid),
            lambda: peer.keys.filter(kid=kid, use=KeyUse.SIGN, status__in=LIVE).first(),
        )


def seal(
    *,
    peer: Peer,
    message_id: str,
    type: str,
    body: dict,
    created: float,
    ttl: int = HTTP_TTL,
    now: float | None = None,
    signing_kid: str = "",
    keyring: Keyring | None = None,
) -> str:
    """Sign the envelope with this node's signing key (or the retiring one named by
    ``signing_kid``), then encrypt it to the peer's active encryption key."""
    keyring = keyring or Keyring()
    now = time.time() if now is None else now
    envelope = {
        "v": SCHEMA_VERSION,
        "id": str(message_id),
        "type": type,
        "from": settings.NODE_NAME,
        "to": peer.name,
        "created": int(created),
        "iat": int(now),
        "exp": int(now) + ttl,
        "body": body,
    }
    sign_key = keyring.sign_key(signing_kid)
    signed = jws.serialize_compact(
        {"alg": identity.SIGN_ALG, "kid": sign_key.kid, "typ": "corridor+jws"},
        json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode(),
        identity.private_key(sign_key),
    )
    enc_key = keyring.encryption_key(peer)
    return jwe.encrypt_compact(
        {"alg": identity.KEY_ALG, "enc": identity.CONTENT_ENC, "kid": enc_key.kid, "cty": "JWS"},
        signed.encode(),
        identity.public_key(enc_key.public_jwk),
    )


def open_sealed(token: str, *, now: float | None = None) -> Opened:
    """Decrypt, verify and check a sealed message; raise ``Rejected`` at the first problem."""
    now = time.time() if now is None else now
    token = (token or "").strip()
    parts = token.split(".")
    if len(parts) != 5:
        raise Rejected("malformed", _("This is not a sealed Corridor message."))
    try:
        header = _b64json(parts[0])
    except (ValueError, UnicodeDecodeError):
        raise Rejected("malformed", _("This is not a sealed Corridor message.")) from None
    enc_key = identity.live_key(str(header.get("kid", "")), KeyUse.ENCRYPT)
    if enc_key is None:
        raise Rejected(
            "wrong_key", _("The message is not encrypted to a key of this node (wrong key).")
        )
    try:
        signed = jwe.decrypt_compact(token, identity.private_key(enc_key)).plaintext.decode()
        jws_header = _b64json(signed.split(".")[0])
        claimed = _b64json(signed.split(".")[1])
    except (JoseError, ValueError, IndexError, UnicodeDecodeError):
        raise Rejected(
            "tampered", _("The message could not be decrypted: it was altered or damaged.")
        ) from None
    message_id, sender = str(claimed.get("id", ""))[:64], str(claimed.get("from", ""))[:40]
    peer = Peer.objects.filter(name=sender, is_active=True).first()
    if peer is None:
        raise Rejected(
            "unknown_sender",
            _("The sender «%(s)s» is not a registered peer.") % {"s": sender},
            message_id=message_id,
            sender=sender,
        )
    sig_key = peer.keys.filter(
        kid=str(jws_header.get("kid", "")), use=KeyUse.SIGN, status__in=LIVE
    ).first()
    if sig_key is None:
        raise Rejected(
            "wrong_key",
            _("The message is signed with a key that is not registered for %(s)s.") % {"s": sender},
            message_id=message_id,
            sender=sender,
        )
    try:
        verified = jws.deserialize_compact(
            signed, identity.public_key(sig_key.public_jwk), algorithms=[identity.SIGN_ALG]
        )
        envelope = json.loads(verified.payload)
    except (JoseError, ValueError, RecursionError):
        raise Rejected(
            "tampered",
            _("The signature does not match: the message was altered."),
            message_id=message_id,
            sender=sender,
        ) from None
    _check_envelope(envelope, peer=peer, now=now)
    return Opened(peer=peer, envelope=envelope)


def _check_envelope(envelope: dict, *, peer: Peer, now: float) -> None:
    ident = {"message_id": str(envelope.get("id", ""))[:64], "sender": peer.name}
    required = {"v", "id", "type", "from", "to", "created", "iat", "exp", "body"}
    if not isinstance(envelope, dict) or not required <= set(envelope):
        raise Rejected("malformed", _("The envelope is incomplete."), **ident)
    if envelope["v"] != SCHEMA_VERSION:
        raise Rejected(
            "version",
            _("Unsupported message version %(v)s.") % {"v": envelope["v"]},
            **ident,
        )
    try:
        uuid.UUID(str(envelope["id"]))
        iat, exp = int(envelope["iat"]), int(envelope["exp"])
    except (ValueError, TypeError):
        raise Rejected("malformed", _("The envelope is malformed."), **ident) from None
    if envelope["to"] != settings.NODE_NAME:
        raise Rejected(
            "misaddressed",
            _("The message is addressed to «%(to)s», not to this node.") % {"to": envelope["to"]},
            **ident,
        )
    if envelope["from"] != peer.name:
        raise Rejected("unknown_sender", _("The sender does not match its key."), **ident)
    if exp < now - SKEW:
        raise Rejected("expired", _("The message expired: it is refused (replay)."), **ident)
    if iat > now + SKEW:
        raise Rejected(
            "clock_skew",
            _("The message is dated in the future beyond the clock tolerance."),
            **ident,
        )
    kind = message_type(envelope["type"])
    if kind is None:
        raise Rejected(
            "unknown_type",
            _("Unknown message type «%(t)s».") % {"t": envelope["type"]},
            **ident,
        )
    from django.core.exceptions import ValidationError

    try:
        kind.validate(envelope["body"])
    except ValidationError as exc:
        raise Rejected(
            "invalid",
            _("The message does not match its schema: %(e)s") % {"e": "; ".join(exc.messages)},
            **ident,
        ) from None


def sign_receipt(*, peer: Peer, message_id: str, result: str) -> str:
    key = identity.active_key(KeyUse.SIGN)
    claims = {
        "receipt_for": str(message_id),
        "from": settings.NODE_NAME,
        "to": peer.name,
        "result": result,
        "iat": int(time.time()),
    }
    return jws.serialize_compact(
        {"alg": identity.SIGN_ALG, "kid": key.kid, "typ": "corridor-receipt+jws"},
        json.dumps(claims, separators=(",", ":")).encode(),
        identity.private_key(key),
    )


def verify_receipt(
    token: str, *, peer: Peer, message_id: str, keyring: Keyring | None = None
) -> dict:
    """The peer's signed receipt for ``message_id``; raise ``Rejected`` if it is not one."""
    keyring = keyring or Keyring()
    try:
        header = _b64json(token.split(".")[0])
        key = keyring.peer_signing_key(peer, str(header.get("kid", "")))
        if key is None:
            raise Rejected("wrong_key", _("The receipt is signed with an unknown key."))
        claims = json.loads(
            jws.deserialize_compact(
                token.strip(), identity.public_key(key.public_jwk), algorithms=[identity.SIGN_ALG]
            ).payload
        )
    except (JoseError, ValueError, IndexError, UnicodeDecodeError):
        raise Rejected("tampered", _("The receipt is not validly signed.")) from None
    if (
        claims.get("receipt_for") != str(message_id)
        or claims.get("from") != peer.name
        or claims.get("to") != settings.NODE_NAME
    ):
        raise Rejected("misaddressed", _("The receipt is for another message."))
    return claims
