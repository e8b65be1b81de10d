"""Referrals: the service directory, in-country referrals between agencies, and cross-border
referrals to the other country's node (carried by the federation as messages)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField
from corridor.core.vocab import choices


class ServiceProvider(models.Model):
    """An entry of the directory referrals draw on: who offers what, to whom, where."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency in Corridor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="providers",
    )
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    services = models.JSONField(_("services"), default=list)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sexes = models.CharField(
        _("sexes served"),
        max_length=10,
        choices=[("all", _("All")), ("F", _("Women and girls")), ("M", _("Men and boys"))],
        default="all",
    )
    capacity = models.PositiveIntegerField(_("capacity (places)"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        ordering = ["country", "region", "name"]
        verbose_name = _("service provider")

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """A case, or one service of it, referred to another agency. The receiving agency sees only
    what was referred, never the rest of the case."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    FLOW = {
        Status.SENT: (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
        Status.ACCEPTED: (Status.COMPLETED, Status.WITHDRAWN),
        Status.DECLINED: (),
        Status.COMPLETED: (),
        Status.WITHDRAWN: (),
    }

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals_out"
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("to agency"),
        on_delete=models.PROTECT,
        related_name="referrals_in",
    )
    provider = models.ForeignKey(
        ServiceProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_type = models.CharField(
        _("service referred"), max_length=40, choices=choices("cases.support_type"), blank=True
    )
    reason = models.CharField(
        _("reason (HTCDS)"), max_length=40, choices=choices("cases.referral_reason")
    )
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
        ]


class CrossBorderStatus(models.TextChoices):
    """The status both nodes share for one cross-border referral."""

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


S = CrossBorderStatus
CROSS_BORDER_FLOW: dict[str, tuple[str, ...]] = {
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
DECISIONS = ("accepted", "declined", "info_requested")
RECEIVER_DECISIONS = frozenset(DECISIONS)


class CrossBorderReferral(models.Model):
    """One transnational referral as this node knows it. ``uid`` is shared by both nodes; the
    messages about it travel under one federation topic (``topic``), so they arrive in order."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("Sent by this node")
        INCOMING = "in", _("Received from the other node")

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    peer = models.ForeignKey(
        "federation.Peer", on_delete=models.PROTECT, related_name="cross_border_referrals"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case on this node"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cross_border_referrals",
    )
    purpose = models.CharField(_("purpose"), max_length=20)
    status = models.CharField(
        _("shared status"), max_length=30, choices=CrossBorderStatus.choices, default=S.SENT
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

    @property
    def topic(self) -> str:
        """The outbox topic of this referral's messages (the same on both nodes)."""
        return f"referral:{self.uid}"


class CrossBorderReferralEvent(models.Model):
    """The shared timeline of a cross-border referral: status changes and updates, from either
    node."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        FAMILY_TRACED = "family_traced", _("Family traced")
        BID_APPROVED = "bid_approved", _("Best-interest determination approved")
        RETURN_DATE = "return_date", _("Return date")
        FOLLOW_UP_VISIT = "follow_up_visit", _("Follow-up visit")
        INFO_PROVIDED = "info_provided", _("Information provided")
        NOTE = "note", _("Note")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")

    referral = models.ForeignKey(
        CrossBorderReferral, on_delete=models.CASCADE, related_name="events"
    )
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
        verbose_name = _("cross-border referral event")

    @property
    def status_label(self) -> str:
        return str(dict(CrossBorderStatus.choices).get(self.status, self.status))
