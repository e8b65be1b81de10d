"""Encryption of sensitive fields at rest (narratives, contacts, documents).

Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` library) with a per-node key kept in
the node's data directory beside its other secrets. ``MultiFernet`` takes a comma-separated list
in ``CORRIDOR_FIELD_KEYS`` so keys can be rotated: the first encrypts, all decrypt.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@functools.lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    configured = os.environ.get("CORRIDOR_FIELD_KEYS", "").strip()
    if configured:
        keys = [k.strip().encode() for k in configured.split(",") if k.strip()]
    else:
        seed = settings.NODE.secret("fields").encode()
        keys = [base64.urlsafe_b64encode(hashlib.sha256(seed).digest())]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("undecryptable field: wrong or rotated-out key") from exc


def blind_index(text: str) -> str:
    """A keyed hash to look an encrypted value up by equality without decrypting every row."""
    key = settings.NODE.secret("fields").encode()
    return hmac.new(key, text.strip().lower().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Stored encrypted; read back as plain text. Not searchable: pair it with a blind index."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
