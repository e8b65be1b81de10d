"""Intake: the ways a person enters the protection system before any case exists.

- **The border hand-off.** A border officer's screening (on the web, or an ODK screening imported
  from a border post) that flags a child, an unaccompanied or separated child, a presumed victim
  or high vulnerability is handed at once to the social-service agency on duty for that post
  (``DutyAgency``, per monitoring point or per region). The ``Handoff`` is that emergency
  referral; its clock runs from the screening to the receiving agency's first action.
- **Hotline and SMS intake.** A call or an SMS to the child helpline becomes an ``Intake``:
  acknowledged, triaged, dispatched to the local social worker, then converted into a case or an
  intelligence tip (or closed with no further action).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField

HANDOFF_HOURS = 24
"""A hand-off still waiting after this many hours is overdue on the coordinator's dashboard."""


class DutyAgency(models.Model):
    """The social-service agency that takes the hand-offs of one monitoring point, or of every
    point of a region that has no agency of its own. Data, kept by a coordinator or an
    administrator: duty rotas change more often than code."""

    point = models.OneToOneField(
        "flows.FlowPoint",
        verbose_name=_("monitoring point"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.CharField(_("region"), max_length=8, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency on duty"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region", "point__name"]
        verbose_name = _("agency on duty")
        verbose_name_plural = _("agencies on duty")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(point__isnull=False) & models.Q(region=""))
                | (models.Q(point__isnull=True) & ~models.Q(region="")),
                name="intake_duty_point_or_region",
            ),
            models.UniqueConstraint(
                fields=["region"], condition=~models.Q(region=""), name="intake_duty_one_per_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point or self.region} → {self.agency}"


class HandoffReason(models.TextChoices):
    CHILD = "child", _("Child")
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied or separated child")
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim of trafficking")
    HIGH_VULNERABILITY = "high_vulnerability", _("High vulnerability")


class Handoff(models.Model):
    """One border hand-off: an emergency referral from a border post to the agency on duty.

    ``started_at`` is the screening's recording; ``first_action_at`` the receiving agency's first
    action (accepting the hand-off or opening the case), which stops the clock."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the agency on duty")
        ACCEPTED = "accepted", _("Accepted")
        CASE_OPENED = "case_opened", _("Case opened")

    FLOW = {
        Status.WAITING: (Status.ACCEPTED, Status.CASE_OPENED),
        Status.ACCEPTED: (Status.CASE_OPENED,),
        Status.CASE_OPENED: (),
    }

    class Source(models.TextChoices):
        WEB = "web", _("Screening in Corridor")
        ODK = "odk", _("ODK screening")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    screening = models.OneToOneField(
        "screening.Screening",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handoff",
    )
    submission = models.OneToOneField(
        "flows.Submission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handoff",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    point = models.ForeignKey(
        "flows.FlowPoint", verbose_name=_("border post"), on_delete=models.PROTECT, related_name="+"
    )
    from_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency on duty"),
        on_delete=models.PROTECT,
        related_name="handoffs_in",
    )
    reasons = models.JSONField(_("reasons"), default=list)
    summary = models.CharField(
        _("summary"),
        max_length=200,
        blank=True,
        help_text=_("Sex, age and nationality as screened: what the agency needs to find them."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    started_at = models.DateTimeField(_("handed off at"), default=timezone.now)
    first_action_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    first_action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intel_report_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    interception_sent_at = models.DateTimeField(
        _("interception report sent"), null=True, blank=True
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("border hand-off")
        verbose_name_plural = _("border hand-offs")
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["status", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(screening__isnull=False) | models.Q(submission__isnull=False),
                name="intake_handoff_has_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.point} → {self.to_agency} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> float:
        """Hours on the clock: to the first action, or until now while waiting."""
        end = self.first_action_at or timezone.now()
        return (end - self.started_at).total_seconds() / 3600

    @property
    def overdue(self) -> bool:
        return self.first_action_at is None and self.hours > HANDOFF_HOURS

    def reason_labels(self) -> list[str]:
        labels = dict(HandoffReason.choices)
        return [str(labels.get(r, r)) for r in self.reasons]


class Channel(models.TextChoices):
    CALL = "call", _("Phone call")
    SMS = "sms", _("SMS")


class Concern(models.TextChoices):
    TRAFFICKING = "trafficking", _("Suspected trafficking")
    SMUGGLING = "smuggling", _("Smuggling of migrants")
    UNACCOMPANIED = "unaccompanied", _("Child alone or separated")
    LABOUR = "labour", _("Child labour or exploitation")
    ABUSE = "abuse", _("Violence or abuse")
    MISSING = "missing", _("Missing child")
    OTHER = "other", _("Other concern")


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate danger")
    DAY = "day", _("Within 24 hours")
    ROUTINE = "routine", _("Routine")


class Intake(models.Model):
    """A report to the helpline, by call or SMS. The reporter may stay anonymous; what they say
    is encrypted at rest. A workflow table moves it from received to closed; closing records the
    outcome (a case, an intelligence tip, or no further action)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRIAGED = "triaged", _("Triaged")
        DISPATCHED = "dispatched", _("Dispatched")
        CLOSED = "closed", _("Closed")

    FLOW = {
        Status.RECEIVED: (Status.TRIAGED, Status.CLOSED),
        Status.TRIAGED: (Status.DISPATCHED, Status.CLOSED),
        Status.DISPATCHED: (Status.CLOSED,),
        Status.CLOSED: (),
    }

    class Outcome(models.TextChoices):
        CASE = "case", _("Case opened")
        TIP = "tip", _("Intelligence tip")
        NO_ACTION = "no_action", _("No further action")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.CharField(_("reference"), max_length=30, unique=True, blank=True)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    gateway_id = models.CharField(
        _("gateway message id"), max_length=100, null=True, blank=True, unique=True
    )
    anonymous = models.BooleanField(_("anonymous reporter"), default=False)
    reporter_name = EncryptedTextField(_("reporter's name"), blank=True)
    reporter_phone = EncryptedTextField(_("reporter's phone"), blank=True)
    place = models.CharField(_("place"), max_length=150, blank=True)
    concern_type = models.CharField(
        _("concern"), max_length=15, choices=Concern.choices, default=Concern.OTHER
    )
    concern = EncryptedTextField(_("what was reported"))
    children_involved = models.PositiveSmallIntegerField(
        _("children involved"), null=True, blank=True
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.DAY
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("hotline"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    acknowledgement = models.CharField(_("acknowledgement"), max_length=300, blank=True)
    triage_note = EncryptedTextField(_("triage note"), blank=True)
    dispatched_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("social worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = EncryptedTextField(_("closing note"), blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intel_report_id = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("hotline intake")
        verbose_name_plural = _("hotline intakes")
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["dispatched_to", "status"]),
        ]

    def __str__(self) -> str:
        return self.ref or str(self.uid)


class WebhookNonce(models.Model):
    """A nonce the SMS gateway used: a signed request seen once is never accepted again."""

    nonce = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
