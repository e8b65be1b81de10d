"""The append-only, keyed hash chain of a node's audit log.

Each entry carries an HMAC-SHA256, under a node secret kept beside the other secrets and never in
the database, of its content and of the previous entry's MAC. Whoever can write the table can
still edit a row, but cannot compute the MACs that would make the edit (or a rewrite of every
later entry) verify; truncation is caught by the signed checkpoint of the head kept outside the
database (``audit.checkpoint``).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    TRANSITION = "transition", _("Transition")
    READ = "read", _("Read")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    SEND = "send", _("Send")
    RECEIVE = "receive", _("Receive")
    REJECT = "reject", _("Reject")


# What is audited without a model of its own: pages, exports and keys.
NAMED_KINDS = {
    "intel.page": _("intelligence page"),
    "intel.api": _("intelligence API"),
    "intel.network": _("network export"),
    "flows.dashboard": _("flow dashboard export"),
    "justice.glotip": _("GLOTIP return"),
    "reports.ctdc": _("CTDC export"),
    "core.fieldkeys": _("field encryption keys"),
    "federation.identity": _("node keys"),
    "federation.sealed": _("sealed message"),
}


def record_kind(object_type: str) -> str:
    """A kind of record by its name in the reader's language ("dossier" for ``cases.case``), or
    the stored label when nothing answers to it (any more)."""
    from django.apps import apps

    if object_type in NAMED_KINDS:
        return str(NAMED_KINDS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


class AuditEntry(models.Model):
    """One audited event. Each entry holds the hash of the previous one, so an edit, a deletion or
    a reordering anywhere breaks the chain from that point and ``audit verify`` names it."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    @property
    def record_kind(self) -> str:
        return record_kind(self.object_type)

    def payload(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "summary": self.summary,
            "detail": self.detail,
            "ip": self.ip,
        }

    @property
    def is_erased(self) -> bool:
        return self.summary == "" and set(self.detail or {}) == {ERASED_KEY}

    def sealed_payload(self) -> dict:
        """What the chain seals: the entry with its content (summary and detail) as a digest, so
        that erasing the content of an entry about an erased person keeps the chain verifiable
        (``audit_erase_content`` keeps the digest in the entry's place)."""
        payload = self.payload()
        del payload["summary"], payload["detail"]
        payload["content"] = (
            self.detail[ERASED_KEY] if self.is_erased else content_digest(self.summary, self.detail)
        )
        return payload

    def compute_hash(self) -> str:
        return chain_hash(prev_hash=self.prev_hash, payload=self.sealed_payload())

    def compute_legacy_hash(self) -> str:
        """Entries written before content could be erased sealed their content itself."""
        return chain_hash(prev_hash=self.prev_hash, payload=self.payload())


ERASED_KEY = "erased"


def content_digest(summary: str, detail) -> str:
    canonical = json.dumps(
        {"summary": summary, "detail": detail},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@functools.lru_cache(maxsize=4)
def _chain_key(node) -> bytes:
    return node.secret("audit").encode()


def chain_key() -> bytes:
    """The node's audit key (``audit.secret`` in the data directory; back it up with the others:
    without it no entry verifies)."""
    return _chain_key(settings.NODE)


def chain_hash(*, prev_hash: str, payload: dict, key: bytes | None = None) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(
        key or chain_key(), (prev_hash + canonical).encode(), hashlib.sha256
    ).hexdigest()


class RefusalCounter(models.Model):
    """Refusals of one kind from one source (an address) in one time window, beyond those the
    chain records one by one (``audit.services.audit_refusal``): a counter row instead of an
    entry each, so that nobody on the network can grow the chain without limit. When the
    window is over, one entry records how many there were, and the row goes."""

    action = models.CharField(max_length=20, choices=Action.choices)
    source = models.CharField(max_length=200)
    window = models.PositiveBigIntegerField()  # start of the window, in seconds since the epoch
    count = models.PositiveIntegerField(default=0)
    object_type = models.CharField(max_length=60, blank=True)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "source", "window"], name="audit_refusal_once_per_window"
            )
        ]


class PeerCheckpoint(models.Model):
    """A checkpoint of the peer node's audit chain, as the peer sent it over the federation
    (signed by the peer's node key): this node keeps it where the peer's database cannot reach,
    so that an edit, rewrite or truncation of the peer's chain up to ``seq`` shows when the peer
    runs ``corridor audit verify --against SEQ:HASH`` with a copy read here."""

    peer = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    at = models.CharField(max_length=40)
    mac = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "seq"], name="audit_peer_checkpoint_once")
        ]
