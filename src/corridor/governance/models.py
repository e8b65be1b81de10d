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

from corridor.accounts.models import Country
from corridor.core.crypto import EncryptedTextField


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

    @property
    def result_rows(self) -> list[tuple[str, int]]:
        """What the run did as a reader says it: ("Cases · Erase", 3), ("Cases · held", 1) …
        (the counts are stored under ``record_type:action`` codes)."""
        rows = []
        for key, n in (self.counts or {}).get("records", {}).items():
            record_type, _sep, action = key.partition(":")
            what = RecordType(record_type).label if record_type in RecordType.values else key
            if action in RetentionAction.values:
                done = RetentionAction(action).label
            else:
                done = _("held") if action == "held" else action
            rows.append((f"{what} · {done}", n))
        return rows


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


# --- Results framework (issue 18, item 5) ---------------------------------------------------


class IndicatorValue(models.Model):
    """One yearly value of a logframe indicator for one country: computed from the records
    (``source`` computed, the function named in the logframe) or entered by hand with an evidence
    file (kept encrypted, like every other sensitive content, and served to this node's
    coordinators only)."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Computed from the records")
        MANUAL = "manual", _("Entered by hand")

    indicator = models.CharField(_("indicator"), max_length=40)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    evidence_name = models.CharField(_("evidence file"), max_length=200, blank=True)
    evidence_type = models.CharField(max_length=80, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "country", "year"]
        verbose_name = _("indicator value")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "year"], name="indicator_value_once_a_year"
            )
        ]


# --- Legal and institutional framework (issue 18, item 6) -----------------------------------


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanActivity(models.Model):
    """One activity of a country's national action plan against trafficking."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    plan = models.CharField(_("action plan"), max_length=200)
    axis = models.CharField(_("axis"), max_length=120, blank=True)
    activity = models.CharField(_("activity"), max_length=300)
    lead_institution = models.CharField(_("lead institution"), max_length=120)
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "due_on", "pk"]
        verbose_name = _("action plan activity")

    @property
    def late(self) -> bool:
        return (
            self.status in (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )


class CommitteeMeeting(models.Model):
    """A meeting of the joint committee that follows the bilateral agreement. Non-personal: its
    record and decisions travel between the nodes (``governance.committee``), keyed by ``uid``."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=120, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    origin = models.CharField(_("recorded by node"), max_length=40)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("joint committee meeting")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class CommitteeDecision(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.CharField(_("decision"), max_length=500)
    owner = models.CharField(_("owner (institution)"), max_length=120)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("committee decision")

    @property
    def late(self) -> bool:
        return (
            self.status in (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )


class InstrumentKind(models.TextChoices):
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    SOP = "sop", _("Standard operating procedure")


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")


class LegalInstrument(models.Model):
    """A law, decree or standard operating procedure against trafficking, from draft to in
    force, with the training sessions that make it known (``reports.TrainingSession``)."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=InstrumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=InstrumentStatus.choices)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
    target_on = models.DateField(_("expected by"), null=True, blank=True)
    trainings = models.ManyToManyField(
        "reports.TrainingSession", blank=True, related_name="+", verbose_name=_("training sessions")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "kind", "title"]
        verbose_name = _("law, decree or procedure")

    @property
    def late(self) -> bool:
        return (
            self.status != InstrumentStatus.IN_FORCE
            and self.target_on is not None
            and self.target_on < timezone.localdate()
        )
