"""Criminal cases (procédures) from complaint to sentence, and the victims' support around them.

Each accused walks the chain of ``EVENT_FLOW``: the table says which event may follow which stage
and where it leads; ``justice.services.event_record`` is the one place that moves an accused and
checks the table, the dates and the charges on the way. Offences and their national legal
references are data (``justice/vocab/offence.yaml``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from corridor.core.crypto import EncryptedTextField
from corridor.core.vocab import choices


class Stage(models.TextChoices):
    REPORTED = "reported", _("Reported (complaint or report)")
    ARRESTED = "arrested", _("Arrested")
    CUSTODY = "custody", _("Police custody")
    REFERRED = "referred", _("Referred to the prosecutor")
    INVESTIGATION = "investigation", _("Judicial investigation")
    INDICTED = "indicted", _("Indicted")
    TRIAL = "trial", _("On trial")
    JUDGED = "judged", _("Judged")
    SENTENCED = "sentenced", _("Sentenced")
    APPEAL = "appeal", _("On appeal")
    CLOSED = "closed", _("Closed (dismissed)")


class EventKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint or report")
    ARREST = "arrest", _("Arrest")
    CUSTODY = "custody", _("Police custody")
    REFERRAL = "referral", _("Referral to the prosecutor")
    INVESTIGATION = "investigation", _("Judicial investigation opened")
    DISMISSAL = "dismissal", _("Dismissal by the prosecutor")
    INDICTMENT = "indictment", _("Indictment")
    HEARING = "hearing", _("Hearing")
    JUDGMENT = "judgment", _("Judgment on a charge")
    SENTENCE = "sentence", _("Sentence")
    APPEAL = "appeal", _("Appeal")
    ASSETS_FROZEN = "assets_frozen", _("Assets frozen")
    ASSETS_CONFISCATED = "assets_confiscated", _("Assets confiscated")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTED = "convicted", pgettext_lazy("verdict on one charge", "Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISMISSED = "dismissed", _("Dismissed")


# The chain of one accused: from each stage, the events that may be recorded and the stage each
# leads to (``None``: the stage does not change). A judgment moves to JUDGED only once every
# charge has an outcome (``services.event_record``).
EVENT_FLOW: dict[str, dict[str, str | None]] = {
    Stage.REPORTED: {
        EventKind.ARREST: Stage.ARRESTED,
        EventKind.REFERRAL: Stage.REFERRED,
        EventKind.ASSETS_FROZEN: None,
    },
    Stage.ARRESTED: {
        EventKind.CUSTODY: Stage.CUSTODY,
        EventKind.REFERRAL: Stage.REFERRED,
        EventKind.ASSETS_FROZEN: None,
    },
    Stage.CUSTODY: {EventKind.REFERRAL: Stage.REFERRED, EventKind.ASSETS_FROZEN: None},
    Stage.REFERRED: {
        EventKind.INVESTIGATION: Stage.INVESTIGATION,
        EventKind.INDICTMENT: Stage.INDICTED,
        EventKind.DISMISSAL: Stage.CLOSED,
        EventKind.ASSETS_FROZEN: None,
    },
    Stage.INVESTIGATION: {
        EventKind.INDICTMENT: Stage.INDICTED,
        EventKind.DISMISSAL: Stage.CLOSED,
        EventKind.ASSETS_FROZEN: None,
    },
    Stage.INDICTED: {EventKind.HEARING: Stage.TRIAL, EventKind.ASSETS_FROZEN: None},
    Stage.TRIAL: {
        EventKind.HEARING: None,
        EventKind.JUDGMENT: Stage.JUDGED,
        EventKind.ASSETS_FROZEN: None,
    },
    Stage.JUDGED: {
        EventKind.SENTENCE: Stage.SENTENCED,
        EventKind.APPEAL: Stage.APPEAL,
        EventKind.ASSETS_CONFISCATED: None,
    },
    Stage.SENTENCED: {EventKind.APPEAL: Stage.APPEAL, EventKind.ASSETS_CONFISCATED: None},
    Stage.APPEAL: {EventKind.HEARING: None, EventKind.JUDGMENT: Stage.JUDGED},
    Stage.CLOSED: {},
}

# Events the judicial police record; everything else is the prosecutor's (or the court's, entered
# by the prosecutor's office).
POLICE_EVENTS = frozenset(
    {
        EventKind.COMPLAINT,
        EventKind.ARREST,
        EventKind.CUSTODY,
        EventKind.REFERRAL,
        EventKind.ASSETS_FROZEN,
    }
)


class CriminalCase(models.Model):
    """A procédure: one file at one court, with its accused, charges and victims."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.CharField(_("reference"), max_length=30, unique=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=30, choices=choices("justice.jurisdiction")
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("unit in charge"),
        on_delete=models.PROTECT,
        related_name="criminal_cases",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    summary = EncryptedTextField(_("summary of the facts"), blank=True)
    evidence = EncryptedTextField(_("evidence list"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        indexes = [models.Index(fields=["jurisdiction", "-opened_on"])]

    def __str__(self) -> str:
        return self.ref or f"criminal case {self.pk}"


class Accused(models.Model):
    """A suspect, then accused, of one criminal case, linked to the intelligence person where
    one exists. Sex, age group and citizenship are what the GLOTIP tables count."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        UNKNOWN = "U", _("Unknown")

    criminal_case = models.ForeignKey(
        CriminalCase, on_delete=models.CASCADE, related_name="accused"
    )
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    is_child = models.BooleanField(_("under 18 at the time of the offence"), default=False)
    citizenship = models.CharField(_("citizenship (ISO 3166)"), max_length=2, blank=True)
    intel_entity = models.ForeignKey(
        "intel.Entity",
        verbose_name=_("intelligence person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.REPORTED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["criminal_case", "id"]
        verbose_name = _("accused")
        verbose_name_plural = _("accused")
        constraints = [
            models.UniqueConstraint(
                fields=["criminal_case", "name_key"], name="justice_accused_once_by_name"
            ),
            models.UniqueConstraint(
                fields=["criminal_case", "intel_entity"],
                condition=models.Q(intel_entity__isnull=False),
                name="justice_accused_once_by_entity",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Charge(models.Model):
    """One offence held against one accused; its outcome is that of its latest judgment."""

    accused = models.ForeignKey(Accused, on_delete=models.CASCADE, related_name="charges")
    offence = models.CharField(_("offence"), max_length=30, choices=choices("justice.offence"))
    exploitation = models.CharField(
        _("form of exploitation"),
        max_length=40,
        choices=choices("cases.exploitation"),
        blank=True,
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["accused", "id"]
        verbose_name = _("charge")
        constraints = [
            models.UniqueConstraint(fields=["accused", "offence"], name="justice_charge_once")
        ]


class ProceedingEvent(models.Model):
    """One dated step of an accused's chain (append-only: a correction is a new event)."""

    accused = models.ForeignKey(Accused, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    charge = models.ForeignKey(
        Charge, null=True, blank=True, on_delete=models.PROTECT, related_name="judgments"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    sentence_months = models.PositiveIntegerField(_("prison (months)"), null=True, blank=True)
    fine = models.PositiveBigIntegerField(_("fine (XOF/XAF)"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("assets (value)"), null=True, blank=True)
    court = models.CharField(_("court or office"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    stage_after = models.CharField(max_length=20, choices=Stage.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("proceeding event")
        indexes = [models.Index(fields=["kind", "date"])]


class VictimLink(models.Model):
    """A victim of the criminal case, named by their protection case's reference only. Linked
    only with the case's consent for "proceedings" or a legal ground recorded here."""

    criminal_case = models.ForeignKey(
        CriminalCase, on_delete=models.CASCADE, related_name="victims"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("protection case"), on_delete=models.PROTECT, related_name="+"
    )
    legal_ground = models.CharField(
        _("legal ground instead of consent"),
        max_length=40,
        choices=choices("cases.legal_ground"),
        blank=True,
    )
    naming_ground = models.CharField(
        _("legal ground to name the victim in the court file"),
        max_length=40,
        choices=choices("cases.legal_ground"),
        blank=True,
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_on = models.DateField(_("linked on"), default=timezone.localdate)

    class Meta:
        ordering = ["criminal_case", "id"]
        verbose_name = _("victim")
        constraints = [
            models.UniqueConstraint(fields=["criminal_case", "case"], name="justice_victim_once")
        ]


class SupportMeasure(models.Model):
    """Victim-witness support: protection measures, legal aid, accompaniment, compensation and
    non-punishment, each requested then granted or refused (compensation: ordered, then paid)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted / ordered")
        REFUSED = "refused", _("Refused")
        PAID = "paid", _("Paid")

    victim = models.ForeignKey(VictimLink, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(_("measure"), max_length=30, choices=choices("justice.support"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (XOF/XAF)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["victim", "requested_on", "id"]
        verbose_name = _("support measure")


MEASURE_FLOW: dict[str, tuple[str, ...]] = {
    SupportMeasure.Status.REQUESTED: (SupportMeasure.Status.GRANTED, SupportMeasure.Status.REFUSED),
    SupportMeasure.Status.GRANTED: (SupportMeasure.Status.PAID,),
    SupportMeasure.Status.REFUSED: (),
    SupportMeasure.Status.PAID: (),
}


class MlaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (awaiting a second person's approval)")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    PARTLY_ANSWERED = "partly_answered", _("Partly answered")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A cross-border request's life: drafted, approved by a second person (sent), answered partly
# (any number of times) then fully, or withdrawn by the sender before the full answer.
MLA_FLOW: dict[str, tuple[str, ...]] = {
    MlaStatus.DRAFT: (MlaStatus.SENT, MlaStatus.WITHDRAWN),
    MlaStatus.SENT: (MlaStatus.PARTLY_ANSWERED, MlaStatus.ANSWERED, MlaStatus.WITHDRAWN),
    MlaStatus.RECEIVED: (MlaStatus.PARTLY_ANSWERED, MlaStatus.ANSWERED, MlaStatus.WITHDRAWN),
    MlaStatus.PARTLY_ANSWERED: (
        MlaStatus.PARTLY_ANSWERED,
        MlaStatus.ANSWERED,
        MlaStatus.WITHDRAWN,
    ),
    MlaStatus.ANSWERED: (),
    MlaStatus.WITHDRAWN: (),
}
MLA_OPEN = (MlaStatus.SENT, MlaStatus.RECEIVED, MlaStatus.PARTLY_ANSWERED)


class MlaRequest(models.Model):
    """A request for police or judicial cooperation to the other country's node (mutual legal
    assistance, information about a suspect, a phone or an account, a joint investigation).
    Outgoing: drafted on a criminal case, approved by a second person, then sent; incoming:
    recorded from the other node's message. Only the suspect's identifiers the request needs
    travel; a victim's details only with a recorded legal ground."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("Sent by this node")
        INCOMING = "in", _("Received from the other node")

    class Reminder(models.TextChoices):
        NONE = "", _("None")
        NEAR = "near", _("Deadline near")
        OVERDUE = "overdue", _("Deadline passed")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    # empty only for a demo request seeded before the nodes were federated
    peer = models.ForeignKey(
        "federation.Peer",
        verbose_name=_("other node"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        _("kind of request"), max_length=30, choices=choices("justice.mla_kind")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MlaStatus.choices, default=MlaStatus.DRAFT
    )
    criminal_case = models.ForeignKey(
        CriminalCase,
        verbose_name=_("criminal case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mla_requests",
    )
    case_ref = models.CharField(_("sender's case reference"), max_length=40)
    jurisdiction = models.CharField(
        _("addressed to (court)"),
        max_length=30,
        choices=choices("justice.jurisdiction"),
        blank=True,
    )
    subject = EncryptedTextField(_("facts and what is asked"))
    suspect_name = EncryptedTextField(_("suspect's name"), blank=True)
    suspect_identifiers = EncryptedTextField(
        _("suspect's identifiers (phone, account, document; one a line)"), blank=True
    )
    victim_ground = models.CharField(
        _("legal ground to share a victim's details"),
        max_length=40,
        choices=choices("cases.legal_ground"),
        blank=True,
    )
    victim_details = EncryptedTextField(_("victim's details needed"), blank=True)
    deadline = models.DateField(_("answer wanted by"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_name = models.CharField(_("requested by"), max_length=150, blank=True)
    reminded = models.CharField(max_length=10, choices=Reminder.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cross-border request")
        verbose_name_plural = _("cross-border requests")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_ref}"

    @property
    def topic(self) -> str:
        return f"justice.mla:{self.uid}"

    @property
    def is_open(self) -> bool:
        return self.status in MLA_OPEN


class MlaEvent(models.Model):
    """One entry of a request's timeline on this node: drafted, approved and sent, received,
    answered (partly or fully), withdrawn. Answers keep their text here."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        APPROVED = "approved", _("Approved and sent")
        RECEIVED = "received", _("Received")
        PARTIAL_ANSWER = "partial", _("Partial answer")
        FULL_ANSWER = "full", _("Full answer")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = EncryptedTextField(_("text"), blank=True)
    by_node = models.CharField(max_length=40)
    by_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    message_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("cross-border request event")
