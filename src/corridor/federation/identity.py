"""This node's identity: a signing and an encryption key pair, created on first use.

Private keys never sit in the database in clear: each is a JWE (``dir`` / A256GCM) under a key
derived from the node's ``federation`` secret file (0600, outside the database), so a stolen
database dump alone cannot sign or read federation messages.
"""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from joserfc import jwe
from joserfc.jwk import ECKey, OctKey

from corridor.federation.models import KeyStatus, KeyUse, NodeKey

CURVE = "P-256"
SIGN_ALG = "ES256"
KEY_ALG = "ECDH-ES+A256KW"
CONTENT_ENC = "A256GCM"
IDENTITY_FORMAT = 1
LIVE = (KeyStatus.ACTIVE, KeyStatus.RETIRING)


def _vault() -> OctKey:
    return OctKey.import_key(hashlib.sha256(settings.NODE.secret("federation").encode()).digest())


def _seal_private(key: ECKey) -> str:
    return jwe.encrypt_compact(
        {"alg": "dir", "enc": CONTENT_ENC},
        json.dumps(key.as_dict(private=True)).encode(),
        _vault(),
    )


@functools.lru_cache(maxsize=32)
def _unseal_private(kid: str, sealed: str) -> ECKey:
    return ECKey.import_key(json.loads(jwe.decrypt_compact(sealed, _vault()).plaintext))


def private_key(node_key: NodeKey) -> ECKey:
    return _unseal_private(node_key.kid, node_key.private_jwe)


def public_key(jwk: dict) -> ECKey:
    return ECKey.import_key(jwk)


def _create(use: str) -> NodeKey:
    key = ECKey.generate_key(CURVE, private=True)
    public = {**key.as_dict(private=False), "use": use, "kid": key.thumbprint()}
    return NodeKey.objects.create(
        use=use, kid=key.thumbprint(), public_jwk=public, private_jwe=_seal_private(key)
    )


@transaction.atomic
def ensure_identity() -> dict[str, NodeKey]:
    """The active key of each use, creating whichever is missing (first run)."""
    keys = {}
    for use in KeyUse.values:
        key = NodeKey.objects.filter(use=use, status=KeyStatus.ACTIVE).order_by("-id").first()
        keys[use] = key or _create(use)
    return keys


def active_key(use: str) -> NodeKey:
    """The active key of ``use``: a plain read (every seal and receipt needs one), creating the
    identity only on first use, so that it never waits for the database's write lock."""
    key = NodeKey.objects.filter(use=use, status=KeyStatus.ACTIVE).order_by("-id").first()
    return key or ensure_identity()[use]


def live_key(kid: str, use: str) -> NodeKey | None:
    return NodeKey.objects.filter(kid=kid, use=use, status__in=LIVE).first()


def rotate_keys() -> tuple[dict[str, NodeKey], dict[str, NodeKey]]:
    """Make new active keys; the previous ones become retiring. Returns (old, new)."""
    old = ensure_identity()
    now = timezone.now()
    NodeKey.objects.filter(pk__in=[k.pk for k in old.values()]).update(
        status=KeyStatus.RETIRING, retiring_since=now
    )
    new = {use: _create(use) for use in KeyUse.values}
    return old, new


def exported_identity(url: str = "") -> dict:
    """The public identity an administrator hands to the other country's administrator."""
    ensure_identity()
    return {
        "corridor_identity": IDENTITY_FORMAT,
        "node": settings.NODE_NAME,
        "country": settings.NODE_COUNTRY,
        "url": url or f"http://127.0.0.1:{settings.NODE.default_port}",
        "keys": [
            {**k.public_jwk, "status": k.status}
            for k in NodeKey.objects.filter(status__in=LIVE).order_by("use", "-id")
        ],
    }


def thumbprint(jwk: dict) -> str:
    return ECKey.import_key({k: jwk[k] for k in ("kty", "crv", "x", "y")}).thumbprint()
