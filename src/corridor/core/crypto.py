"""Encryption of sensitive fields at rest (narratives, contacts, documents).

Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` library) under a keyring: the keys
of ``CORRIDOR_FIELD_KEYS`` (comma-separated Fernet keys, newest first) followed by the node's own
key, derived from ``fields.secret`` in the node's data directory. ``MultiFernet`` encrypts with
the first key and decrypts with any, so a new key can be put in front without losing a byte;
``corridor crypto rotate`` then re-encrypts every encrypted field under it, after which an older
key of ``CORRIDOR_FIELD_KEYS`` may be dropped. The node's own key stays in the ring (it also keys
the blind indexes), so data written before any rotation always stays readable.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast


@functools.lru_cache(maxsize=4)
def _node_secret(node) -> bytes:
    return node.secret("fields").encode()


def _node_key() -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(_node_secret(settings.NODE)).digest())


@functools.lru_cache(maxsize=4)
def _keyring(configured: tuple[str, ...], node_key: bytes) -> tuple[Fernet, ...]:
    keys = [k.strip().encode() for k in configured if k.strip()]
    try:
        ring = [Fernet(k) for k in keys]
    except ValueError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "CORRIDOR_FIELD_KEYS holds a key that is not a Fernet key "
            "(make one with `corridor crypto new-key`)."
        ) from exc
    if node_key not in keys:
        ring.append(Fernet(node_key))
    return tuple(ring)


def keyring() -> tuple[Fernet, ...]:
    """The keys, the one that encrypts first."""
    return _keyring(tuple(settings.CORRIDOR_FIELD_KEYS), _node_key())


@functools.lru_cache(maxsize=4)
def _multi(ring: tuple[Fernet, ...]) -> MultiFernet:
    return MultiFernet(list(ring))


def _fernet() -> MultiFernet:
    return _multi(keyring())


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("undecryptable field: wrong or rotated-out key") from exc


def blind_index(text: str) -> str:
    """A keyed hash to look an encrypted value up by equality without decrypting every row."""
    return hmac.new(
        _node_secret(settings.NODE), text.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


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


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) and not model._meta.proxy
        ]
        if names and not model._meta.proxy:
            found.append((model, names))
    return found


def rotate_encrypted_fields(
    *, batch_size: int = 500, report: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Re-encrypt every encrypted field under the newest key, one committed batch at a time.

    Each batch locks its rows, so a concurrent edit is never overwritten with the old value;
    a value already under the newest key is left alone, so an interrupted run can simply be
    started again and carries on where it stopped. Returns the values re-encrypted per model.
    """
    ring = keyring()
    newest, everything = ring[0], _multi(ring)
    done: dict[str, int] = {}
    for model, names in encrypted_fields():
        label = model._meta.label_lower
        total, seen, rotated, last = model._default_manager.count(), 0, 0, None
        raw = {f"_raw_{name}": Cast(name, models.TextField()) for name in names}
        while True:
            with transaction.atomic():
                rows = model._default_manager.select_for_update().order_by("pk").annotate(**raw)
                if last is not None:
                    rows = rows.filter(pk__gt=last)
                batch = list(rows.values_list("pk", *raw)[:batch_size])
                for pk, *values in batch:
                    changes = {}
                    for name, token in zip(names, values, strict=True):
                        if not token or _under(newest, token):
                            continue
                        changes[name] = models.Value(
                            everything.rotate(token.encode()).decode(),
                            output_field=models.TextField(),
                        )
                    if changes:
                        model._default_manager.filter(pk=pk).update(**changes)
                        rotated += len(changes)
            if not batch:
                break
            last, seen = batch[-1][0], seen + len(batch)
            if report:
                report(label, seen, total)
        done[label] = rotated
    done["mfa.authenticator"] = _rotate_authenticators(newest, everything)
    return done


def _rotate_authenticators(newest: Fernet, everything: MultiFernet) -> int:
    """The second factor's secrets (and recovery codes carried over from another tool), which
    allauth keeps in a JSON column (a few rows, one or two per account) encrypted through
    ``CorridorMfaAdapter``."""
    Authenticator = apps.get_model("mfa", "Authenticator")
    rotated = 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
            data = dict(authenticator.data or {})
            for key in ("secret", "seed"):
                if data.get(key) and not _under(newest, data[key]):
                    data[key] = everything.rotate(data[key].encode()).decode()
                    rotated += 1
            codes = data.get("migrated_codes") or []
            if any(not _under(newest, code) for code in codes):
                data["migrated_codes"] = [everything.rotate(c.encode()).decode() for c in codes]
                rotated += 1
            if data != authenticator.data:
                Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
    return rotated


def _under(key: Fernet, token: str) -> bool:
    try:
        key.decrypt(token.encode())
    except InvalidToken:
        return False
    return True
