"""Node identities, peers, the outbox and inbox of sealed messages, and cross-border referrals.

Each node keeps its own copy of everything here: what it sent, what it received, and the shared
status of each referral as it knows it. Nothing is shared but the messages themselves.
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
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound"
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


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    INFO_REQUESTED = "info_requested", _("Information requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    RETURN_PLANNED = "return_planned", _("Return planned")
    RETURNED = "returned", _("Returned")
    FOLLOW_UP = "reintegration_follow_up", _("Reintegration follow-up")
    CLOSED = "closed", _("Closed")


S = ReferralStatus
REFERRAL_FLOW: dict[str, tuple[str, ...]] = {
    S.SENT: (S.RECEIVED,),
    S.RECEIVED: (S.ACCEPTED, S.DECLINED, S.INFO_REQUESTED),
    S.INFO_REQUESTED: (S.RECEIVED, S.ACCEPTED, S.DECLINED),
    S.ACCEPTED: (S.IN_PROGRESS, S.RETURN_PLANNED, S.CLOSED),
    S.IN_PROGRESS: (S.RETURN_PLANNED, S.CLOSED),
    S.RETURN_PLANNED: (S.RETURNED, S.IN_PROGRESS, S.CLOSED),
    S.RETURNED: (S.FOLLOW_UP, S.CLOSED),
    S.FOLLOW_UP: (S.CLOSED,),
    S.DECLINED: (),
    S.CLOSED: (),
}
# Only the receiving node's coordinator decides on a referral; later moves are shared work.
RECEIVER_DECISIONS = frozenset({S.ACCEPTED, S.DECLINED, S.INFO_REQUESTED})


class Referral(models.Model):
    """One transnational referral as this node knows it. ``uid`` is shared by both nodes."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("Sent by this node")
        INCOMING = "in", _("Received from the other node")

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="referrals")
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case on this node"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="federation_referrals",
    )
    purpose = models.CharField(_("purpose"), max_length=20)
    status = models.CharField(
        _("shared status"), max_length=30, choices=ReferralStatus.choices, default=S.SENT
    )
    reason = EncryptedTextField(_("reason for the referral"), blank=True)
    shared_data = EncryptedTextField(_("data shared"), blank=True)
    remote_case_ref = models.CharField(_("case reference on the other node"), max_length=40)
    legal_basis = models.CharField(_("consent or legal ground"), max_length=60, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sharing_stopped = models.BooleanField(_("consent withdrawn: sharing stopped"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cross-border referral")
        constraints = [
            models.UniqueConstraint(fields=["peer", "uid"], name="referral_uid_per_peer")
        ]

    def __str__(self) -> str:
        return f"{self.remote_case_ref or self.uid}"


class ReferralEvent(models.Model):
    """The shared timeline: status changes and updates, from either node."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        FAMILY_TRACED = "family_traced", _("Family traced")
        BID_APPROVED = "bid_approved", _("Best-interest determination approved")
        RETURN_DATE = "return_date", _("Return date")
        FOLLOW_UP_VISIT = "follow_up_visit", _("Follow-up visit")
        INFO_PROVIDED = "info_provided", _("Information provided")
        NOTE = "note", _("Note")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=30, blank=True)
    text = EncryptedTextField(_("details"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    by_node = models.CharField(_("node"), max_length=40)
    by_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    message_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral event")

    @property
    def status_label(self) -> str:
        return str(dict(ReferralStatus.choices).get(self.status, self.status))
