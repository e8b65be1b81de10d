"""Intelligence records: entities, the links and events between them, their sources and gradings,
and the node's append-only judgement log of "same or not the same" decisions.

The shape follows FollowTheMoney (Person, Organization, BankAccount, Vehicle, Address,
Identification; Family, Associate, Employment, Ownership, Representation; Call, Payment, Event)
so that an export is a mapping, not a translation. Victims never appear by name: an entity of kind
``case_ref`` holds only the reference of their protection case.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from corridor.core.said import again


class Reliability(models.TextChoices):
    """Admiralty (NATO) source reliability, A to F."""

    A = "A", _("A – Completely reliable")
    B = "B", _("B – Usually reliable")
    C = "C", _("C – Fairly reliable")
    D = "D", _("D – Not usually reliable")
    E = "E", _("E – Unreliable")
    F = "F", _("F – Reliability cannot be judged")


class Credibility(models.TextChoices):
    """Admiralty (NATO) information credibility, 1 to 6."""

    CONFIRMED = "1", _("1 – Confirmed by other sources")
    PROBABLE = "2", _("2 – Probably true")
    POSSIBLE = "3", _("3 – Possibly true")
    DOUBTFUL = "4", _("4 – Doubtful")
    IMPROBABLE = "5", _("5 – Improbable")
    UNKNOWN = "6", _("6 – Truth cannot be judged")


class Handling(models.TextChoices):
    """The handling code of the 3x5x2 model: may the item be shared, and on what terms."""

    PERMITTED = "P", _("P – Lawful sharing permitted")
    CONDITIONS = "C", _("C – Lawful sharing permitted with conditions")


# 3x5x2 source evaluation and intelligence assessment, mapped onto the stored Admiralty grades so
# that one scale is stored and both can be read (College of Policing APP, 2016).
SOURCE_EVALUATION_3X5X2 = {"1": "A", "2": "F", "3": "E"}
ASSESSMENT_3X5X2 = {"A": "1", "B": "2", "C": "3", "D": "6", "E": "5"}


class EntityKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    PHONE = "phone", _("Phone")
    ACCOUNT = "account", _("Mobile-money or bank account")
    VEHICLE = "vehicle", _("Vehicle")
    ADDRESS = "address", _("Address or place")
    DOCUMENT = "document", _("Identity document")
    CASE_REF = "case_ref", _("Victim (case reference)")


KEYED_KINDS = frozenset(
    {
        EntityKind.PHONE,
        EntityKind.ACCOUNT,
        EntityKind.VEHICLE,
        EntityKind.DOCUMENT,
        EntityKind.CASE_REF,
    }
)


class PersonRole(models.TextChoices):
    """HTCDS 2.0 ``per_RoleInProcess`` value names."""

    TRAVELLING_PARTNER = "TravellingPartner", _("Travelling partner")
    TRANSPORTER = "Transporter", _("Transporter")
    RECRUITER = "RecruiterOrIntermediary", _("Recruiter or intermediary")
    BROKER = "BrokerTravelAgent", _("Broker / travel agent")
    TRANSFERRED = "TransferredIndividual", _("Transferred individual")
    HARBOURED = "HarbouredIndividual", _("Harboured individual")
    SOLD = "SoldIndividual", _("Sold individual")
    BOUGHT = "BoughtIndividual", _("Bought individual")
    RECEIVED = "ReceivedIndividual", _("Received individual")
    CONTROLLED = "ControlledIndividual", _("Controlled individual")
    SMUGGLER = "Smuggler", _("Smuggler")
    ABUSER = "Abuser", _("Abuser")
    KIDNAPPER = "Kidnapper", _("Kidnapper")
    EXPLOITER = "Exploiter", _("Exploiter")
    OTHER = "Other", _("Other")


class AccountType(models.TextChoices):
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    BANK = "bank", _("Bank")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    PERMIT = "permit", _("Residence or work permit")
    OTHER = "other", _("Other document")


class LinkKind(models.TextChoices):
    FAMILY = "family", _("Family")
    ASSOCIATE = "associate", _("Associate")
    EMPLOYMENT = "employment", _("Employment")
    OWNERSHIP = "ownership", _("Ownership")
    REPRESENTATION = "representation", _("Representation / broker")
    USES = "uses", _("Uses (phone, account)")
    LOCATED = "located", _("Lives or operates at")
    HOLDER = "holder", _("Holder of document")
    VICTIM = "victim", _("Victim of")


# FollowTheMoney interval schema for each relationship kind that has one.
LINK_FTM_SCHEMA = {
    LinkKind.FAMILY: "Family",
    LinkKind.ASSOCIATE: "Associate",
    LinkKind.EMPLOYMENT: "Employment",
    LinkKind.OWNERSHIP: "Ownership",
    LinkKind.REPRESENTATION: "Representation",
}


class EventKind(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSPORT = "transport", _("Transport")
    EXPLOITATION = "exploitation", _("Exploitation")
    PAYMENT = "payment", _("Payment")
    CALL = "call", _("Call")
    TRIP = "trip", _("Trip")


class Sourced(models.Model):
    """Where an item comes from and how far it can be trusted: every intelligence item says so."""

    source = models.CharField(_("source"), max_length=200)
    reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    credibility = models.CharField(
        _("information credibility"),
        max_length=1,
        choices=Credibility.choices,
        default=Credibility.UNKNOWN,
    )
    handling = models.CharField(
        _("handling code"), max_length=1, choices=Handling.choices, default=Handling.CONDITIONS
    )
    report = models.ForeignKey(
        "intel.Report",
        verbose_name=_("intelligence report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    batch = models.ForeignKey(
        "intel.ImportBatch",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def grading(self) -> str:
        return f"{self.reliability}{self.credibility}"


class Report(models.Model):
    """An intelligence report as an investigator files it: the source of the items it mentions."""

    title = models.CharField(_("title"), max_length=200)
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("source"), max_length=200)
    reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices
    )
    credibility = models.CharField(
        _("information credibility"), max_length=1, choices=Credibility.choices
    )
    handling = models.CharField(
        _("handling code"), max_length=1, choices=Handling.choices, default=Handling.CONDITIONS
    )
    narrative = models.TextField(_("narrative"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")

    def __str__(self) -> str:
        return again(self.title)  # in the reader's language, when the node wrote it

    @property
    def grading(self) -> str:
        return f"{self.reliability}{self.credibility}"


class ImportKind(models.TextChoices):
    CDR = "cdr", _("Call detail records")
    MONEY = "money", _("Mobile-money transactions")


class ImportStatus(models.TextChoices):
    DONE = "done", _("Imported")
    PARTIAL = "partial", _("Imported except the rows in error")
    REJECTED = "rejected", _("Rejected, nothing imported")


class ImportBatch(models.Model):
    """One operator file handed to the police and loaded (or refused) as a whole."""

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(_("content hash"), max_length=64)
    source = models.CharField(_("source"), max_length=200)
    reliability = models.CharField(
        _("source reliability"), max_length=1, choices=Reliability.choices, default=Reliability.B
    )
    credibility = models.CharField(
        _("information credibility"),
        max_length=1,
        choices=Credibility.choices,
        default=Credibility.PROBABLE,
    )
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("rows already known"), default=0)
    rows_error = models.PositiveIntegerField(_("rows in error"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"


CASE_REF_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9/_.-]{2,39}$")


class EntityQuerySet(models.QuerySet):
    def active(self):
        """Entities not merged into another one (the survivors of entity resolution)."""
        return self.filter(merged_into__isnull=True)


class Entity(Sourced):
    """A person, organisation, phone, account, vehicle, place, document or victim reference.

    ``key`` is the normalised natural key of the kinds that have one (E.164 number, normalised
    plate, document or account number, case reference): imports find existing entities by it, so
    loading the same number twice yields one phone. A merged entity keeps its links and events and
    points to its survivor, so an unmerge restores it exactly.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=EntityKind.choices)
    name = models.CharField(_("name or label"), max_length=200)
    key = models.CharField(_("normalised key"), max_length=120, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    roles = models.JSONField(_("roles in the process (HTCDS)"), default=list, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], condition=~Q(key=""), name="intel_entity_unique_key"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="intel_entity_not_merged_into_self"
            ),
        ]
        indexes = [models.Index(fields=["kind", "merged_into"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == EntityKind.CASE_REF:
            if not CASE_REF_PATTERN.match(self.name or ""):
                raise ValidationError(
                    {
                        "name": _(
                            "A victim appears only as the reference of their case (capital "
                            "letters, digits and - / _ . such as TG-2025-0012), never a name."
                        )
                    }
                )
            if self.aliases or self.details.get("birth_date"):
                raise ValidationError(
                    _("A victim reference carries no alias and no personal detail.")
                )
        unknown = [r for r in self.roles or [] if r not in PersonRole.values]
        if unknown:
            raise ValidationError(
                {
                    "roles": ngettext(
                        "Unknown role: %(roles)s", "Unknown roles: %(roles)s", len(unknown)
                    )
                    % {"roles": ", ".join(unknown)}
                }
            )
        if self.kind in KEYED_KINDS and not self.key:
            raise ValidationError({"key": _("This kind of entity needs its number or reference.")})

    @property
    def label(self) -> str:
        """What the network view and the case file print: a wallet and the phone it runs on share
        a number, so the wallet says what it is."""
        if self.kind == EntityKind.ACCOUNT:
            return _("wallet %(number)s") % {"number": self.name}
        return self.name

    @property
    def canonical(self) -> Entity:
        entity = self
        seen = set()
        while entity.merged_into_id is not None and entity.pk not in seen:
            seen.add(entity.pk)
            entity = entity.merged_into
        return entity


class Link(Sourced):
    """A relationship between two entities, undated or from ``start`` to ``end``."""

    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    source_entity = models.ForeignKey(
        Entity, verbose_name=_("from"), on_delete=models.PROTECT, related_name="links_out"
    )
    target_entity = models.ForeignKey(
        Entity, verbose_name=_("to"), on_delete=models.PROTECT, related_name="links_in"
    )
    start = models.DateField(_("from date"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_entity=models.F("target_entity")),
                name="intel_link_no_self_loop",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_entity} – {self.get_kind_display()} – {self.target_entity}"

    def clean(self) -> None:
        if self.source_entity_id and self.source_entity_id == self.target_entity_id:
            raise ValidationError(_("A link needs two different entities."))
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The link ends before it starts.")})


class Event(Sourced):
    """Something that happened at a time: a recruitment, a transport, a call, a payment …

    ``natural_key`` is the content hash (or operator reference) of an imported row: the database
    refuses a second copy, which is what makes a re-import add nothing.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("when"))
    place = models.CharField(_("place or cell"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    reference = models.CharField(_("operator reference"), max_length=100, blank=True)
    natural_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    participants = models.ManyToManyField(
        Entity, through="Participation", verbose_name=_("participants"), related_name="events"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Participation(models.Model):
    """An entity's part in an event (caller, callee, sender, receiver, recruiter, victim …)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("part"), max_length=30)

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "entity", "role"], name="intel_participation_unique"
            )
        ]


class Decision(models.TextChoices):
    POSITIVE = "positive", _("Same (match)")
    NEGATIVE = "negative", _("Not the same")
    UNSURE = "unsure", _("Unsure")


class MatchJudgement(models.Model):
    """The node's append-only log of reviewers' "same / not the same / unsure" decisions.

    One log for the whole node: entity resolution here and family tracing in ``tracing`` write to
    it with ``judgement_record``. A pair is stored in a canonical order; a new judgement on a pair
    supersedes the earlier ones (the latest is the current decision) and never overwrites them, so
    the history of who decided what stays auditable. Clusters are the connected components of
    the pairs whose current decision is positive (nomenklatura's resolver model).
    """

    left_type = models.CharField(_("left record type"), max_length=60)
    left_id = models.CharField(_("left record"), max_length=64)
    right_type = models.CharField(_("right record type"), max_length=60)
    right_id = models.CharField(_("right record"), max_length=64)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("match judgement")
        verbose_name_plural = _("match judgements")
        indexes = [models.Index(fields=["left_type", "left_id", "right_type", "right_id", "at"])]

    def __str__(self) -> str:
        return (
            f"{self.left_type}:{self.left_id} ~ {self.right_type}:{self.right_id} {self.decision}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Judgements are never changed; record a new one instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Judgements are never deleted; record a new one instead."))


class ExchangeDirection(models.TextChoices):
    OUT = "out", _("Sent to the other node")
    IN = "in", _("Received from the other node")


class ExchangeStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting answer")
    RECEIVED = "received", _("Received, to answer")
    ANSWERED = "answered", _("Answered")


class IntelRequest(models.Model):
    """A cross-border intelligence request, as sent by this node or received from its peer.

    It holds identifiers (normalised keys), never this node's records; the answer holds only what
    the answering node's handling codes allow it to share.
    """

    direction = models.CharField(_("direction"), max_length=3, choices=ExchangeDirection.choices)
    request_id = models.UUIDField(_("request id"))
    peer = models.CharField(_("other node"), max_length=40)
    identifiers = models.JSONField(_("identifiers"), default=list)
    purpose = models.CharField(_("purpose"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ExchangeStatus.choices)
    answer = models.JSONField(_("answer"), default=list, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("intelligence request")
        verbose_name_plural = _("intelligence requests")
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "request_id"], name="intel_request_unique_per_direction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} · {self.peer} · {self.created_at:%Y-%m-%d}"
