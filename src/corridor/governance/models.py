"""Governance of the data a node holds: data-sharing agreements with the other country, retention
rules and what they erased, the person's requests, the register of processing activities, the
breach log, and the figures the nodes share for the joint picture."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """What a cross-border exchange is for. Each federation message type serves one purpose
    (``MESSAGE_PURPOSES``); an agreement lists the purposes it allows."""

    CROSS_BORDER_REFERRAL = "cross_border_referral", _("Cross-border referral and return")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    INTELLIGENCE = "intelligence", _("Exchange of criminal intelligence")
    MUTUAL_LEGAL_ASSISTANCE = "mutual_legal_assistance", _("Mutual legal assistance")
    JOINT_MONITORING = "joint_monitoring", _("Joint monitoring (aggregates, committee records)")


# Message types by prefix. ``federation.*`` (key rotation) is the transport itself, carries no
# personal data and is bound to no agreement.
MESSAGE_PURPOSES: dict[str, str] = {
    "referral.": Purpose.CROSS_BORDER_REFERRAL,
    "tracing.": Purpose.FAMILY_TRACING,
    "intel.": Purpose.INTELLIGENCE,
    "justice.": Purpose.MUTUAL_LEGAL_ASSISTANCE,
    "governance.": Purpose.JOINT_MONITORING,
}
TRANSPORT_PREFIX = "federation."


def purpose_of(message_type: str) -> str | None:
    for prefix, purpose in MESSAGE_PURPOSES.items():
        if message_type.startswith(prefix):
            return purpose
    return None


class Agreement(models.Model):
    """A data-sharing agreement between nodes (e.g. the Togo–Gabon agreement): who is party to
    it, for which purposes, which fields each purpose may carry, and when it is in force."""

    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    parties = models.JSONField(_("parties (node names)"), default=list)
    purposes = models.JSONField(_("purposes"), default=list)
    field_sets = models.JSONField(_("field sets per purpose"), default=dict, blank=True)
    starts_on = models.DateField(_("in force from"))
    expires_on = models.DateField(_("expires on"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-expires_on", "reference"]
        verbose_name = _("data-sharing agreement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("starts_on")),
                name="agreement_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def in_force(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on < self.expires_on

    def purpose_labels(self) -> list[str]:
        labels = dict(Purpose.choices)
        return [str(labels.get(p, p)) for p in self.purposes]


class RecordType(models.TextChoices):
    """Record types retention rules apply to, each with how its clock starts."""

    CLOSED_CHILD_CASE = "closed_child_case", _("Closed child case (from the 18th birthday)")
    CLOSED_ADULT_CASE = "closed_adult_case", _("Closed adult case (from closure)")
    SCREENING_WITHOUT_CASE = "screening_without_case", _("Screening that never became a case")
    FLOW_SURVEY = "flow_survey", _("Flow monitoring survey (kept only as aggregates)")


# Legal minimum retention in months per record type (records a public service must keep; the
# rule cannot be shorter). Set with both countries' data-protection authorities' guidance.
LEGAL_MINIMUM_MONTHS = {
    RecordType.CLOSED_CHILD_CASE: 60,
    RecordType.CLOSED_ADULT_CASE: 60,
    RecordType.SCREENING_WITHOUT_CASE: 6,
    RecordType.FLOW_SURVEY: 1,
}


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise (keep the figures, erase who)")
    ERASE = "erase", _("Erase")


class RetentionRule(models.Model):
    record_type = models.CharField(
        _("record type"), max_length=30, choices=RecordType.choices, unique=True
    )
    months = models.PositiveIntegerField(_("kept for (months)"))
    action = models.CharField(_("then"), max_length=10, choices=RetentionAction.choices)
    active = models.BooleanField(_("applied"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["record_type"]
        verbose_name = _("retention rule")

    def __str__(self) -> str:
        return self.get_record_type_display()

    @property
    def legal_minimum(self) -> int:
        return LEGAL_MINIMUM_MONTHS[self.record_type]


class RetentionRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    interrupted = models.BooleanField(default=False)
    counts = models.JSONField(default=dict, blank=True)
    run_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("retention run")


class Tombstone(models.Model):
    """What remains of an erased or anonymised record: its type, its id, the rule and when. No
    content; the audit entries about it keep their place in the chain with the content erased."""

    record_type = models.CharField(_("record type"), max_length=30, choices=RecordType.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("action"), max_length=10, choices=RetentionAction.choices)
    run = models.ForeignKey(RetentionRun, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("tombstone")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="tombstone_once")
        ]


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (copy of the data)")
    RECTIFICATION = "rectification", _("Rectification")
    ERASURE = "erasure", _("Erasure")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


RESPONSE_DAYS = 30  # one month to answer a data subject's request


class SubjectRequest(models.Model):
    """A person's request about their data, with its legal deadline and its outcome. While open
    it holds the person's records (retention skips them)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("request"), max_length=15, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    due_on = models.DateField(_("answer due by"))
    details = models.TextField(_("what is asked"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["status", "due_on"]
        verbose_name = _("data subject request")

    @property
    def late(self) -> bool:
        return self.status == RequestStatus.OPEN and self.due_on < timezone.localdate()

    @staticmethod
    def deadline(received_on: date) -> date:
        return received_on + timedelta(days=RESPONSE_DAYS)


class ProcessingActivity(models.Model):
    """One line of the register of processing activities."""

    name = models.CharField(_("processing activity"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    data_subjects = models.CharField(_("data subjects"), max_length=300)
    data_categories = models.TextField(_("categories of data"))
    recipients = models.TextField(_("recipients"), blank=True)
    transfers = models.CharField(_("transfers abroad"), max_length=300, blank=True)
    retention = models.CharField(_("retention"), max_length=300)
    security = models.TextField(_("security measures"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("processing activity")


BREACH_NOTIFICATION_HOURS = 72


class Breach(models.Model):
    """A personal-data breach: the authority must be told within 72 hours of its discovery."""

    detected_at = models.DateTimeField(_("discovered at"))
    description = models.TextField(_("what happened"))
    data_affected = models.TextField(_("data and persons affected"))
    persons_affected = models.PositiveIntegerField(_("number of persons affected (estimate)"))
    measures = models.TextField(_("measures taken"), blank=True)
    authority_notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    persons_notified = models.BooleanField(_("persons notified"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("data breach")

    @property
    def notify_by(self):
        return self.detected_at + timedelta(hours=BREACH_NOTIFICATION_HOURS)

    @property
    def overdue(self) -> bool:
        return self.authority_notified_at is None and timezone.now() > self.notify_by

    @property
    def notified_late(self) -> bool:
        return (
            self.authority_notified_at is not None and self.authority_notified_at > self.notify_by
        )


class JointFigures(models.Model):
    """One node's aggregate figures for the joint picture (this node's own, or received from the
    peer): k-anonymous counts only, never a person."""

    node = models.CharField(_("node"), max_length=40)
    produced_at = models.DateTimeField(_("produced at"))
    received_at = models.DateTimeField(default=timezone.now)
    k = models.PositiveSmallIntegerField(default=11)
    sections = models.JSONField(default=dict)

    class Meta:
        ordering = ["-produced_at"]
        verbose_name = _("joint figures")
        indexes = [models.Index(fields=["node", "-produced_at"])]
