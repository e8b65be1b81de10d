"""Node identities, peers, and the outbox and inbox of sealed messages: the transport only.

Each node keeps its own copy of what it sent and what it received; nothing is shared but the
messages themselves. What a message means belongs to the app that registered its type.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField


class KeyUse(models.TextChoices):
    SIGN = "sig", _("Signing")
    ENCRYPT = "enc", _("Encryption")


class KeyStatus(models.TextChoices):
    """A retiring key still verifies and decrypts (messages in flight) but never signs or
    encrypts anything new; a retired key does nothing."""

    ACTIVE = "active", _("Active")
    RETIRING = "retiring", _("Retiring")
    RETIRED = "retired", _("Retired")


class NodeKey(models.Model):
    """One of this node's own key pairs; the private half is a JWE sealed with the node secret."""

    use = models.CharField(_("use"), max_length=3, choices=KeyUse.choices)
    kid = models.CharField(_("fingerprint (RFC 7638)"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("public key"))
    private_jwe = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=KeyStatus.choices, default=KeyStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)
    retiring_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["use", "-created_at"]
        verbose_name = _("node key")


class Peer(models.Model):
    """The other country's node, as registered by an administrator from its exported identity."""

    name = models.CharField(_("node name"), max_length=40, unique=True)
    country = models.CharField(_("country"), max_length=2)
    url = models.URLField(_("address"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(_("last message received"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("peer node")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """What a person reads: the peer's country ("Gabon"), not its node name."""
        from corridor.core.countries import country_name

        return country_name(self.country) or self.name


class PeerKey(models.Model):
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="keys")
    use = models.CharField(_("use"), max_length=3, choices=KeyUse.choices)
    kid = models.CharField(_("fingerprint (RFC 7638)"), max_length=64)
    public_jwk = models.JSONField(_("public key"))
    status = models.CharField(
        _("status"), max_length=10, choices=KeyStatus.choices, default=KeyStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)
    retiring_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["use", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["peer", "kid"], name="peer_key_once")]


class OutboundMessage(models.Model):
    """The persistent outbox: a message stays pending until the peer's signed receipt arrives.

    The payload is kept (encrypted at rest) rather than the sealed token, so that every attempt
    is sealed afresh with the current keys and a fresh expiry, under the same message id.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for delivery")
        DELIVERED = "delivered", _("Delivered")
        REJECTED = "rejected", _("Rejected by the peer")
        CANCELLED = "cancelled", _("Cancelled")

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="outbox")
    type = models.CharField(_("type"), max_length=60)
    payload = EncryptedTextField()
    signing_kid = models.CharField(max_length=64, blank=True)
    priority = models.PositiveSmallIntegerField(default=5)
    topic = models.CharField(
        _("topic"),
        max_length=80,
        blank=True,
        db_index=True,
        help_text=_("Set by the sending app (e.g. one referral's messages); delivered in order."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.CharField(max_length=10, blank=True)
    receipt = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["priority", "created_at", "id"]
        verbose_name = _("outgoing message")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class InboundMessage(models.Model):
    """Every message a peer sent that this node accepted; the message id makes receipt
    idempotent (a second copy gets the same receipt and is never applied again)."""

    message_id = models.UUIDField()
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="inbox")
    type = models.CharField(_("type"), max_length=60)
    created_at = models.DateTimeField(_("created by the sender"))
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.CharField(max_length=10, default="http")
    duplicates = models.PositiveIntegerField(default=0)
    receipt = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("incoming message")
        constraints = [
            models.UniqueConstraint(fields=["peer", "message_id"], name="inbound_message_once")
        ]
