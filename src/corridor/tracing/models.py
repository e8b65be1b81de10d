"""Family tracing: requests from families, candidate duplicates of people, merges, and the
versions of the node's match model.

Reviewers' decisions (match / no match / unsure) are not stored here: they go to the node's one
append-only judgement log, ``intel.MatchJudgement``, through ``intel.services.judgement_record``.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField
from corridor.core.vocab import choices
from corridor.matching.model import Model


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Not known")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched to a child")
    CLOSED = "closed", _("Closed")


class RequesterKind(models.TextChoices):
    FAMILY = "family", _("A family member")
    AGENCY = "agency", _("An agency")


class TracingRequest(models.Model):
    """A family (or an agency for it) looking for a missing child, as the family knows the child.

    Filed only with the requester's consent to tracing, recorded on the request: the child's
    details are compared with the node's children and, through a privacy-preserving look-up,
    with the peer node's.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.CharField(_("reference"), max_length=30, unique=True, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    report_date = models.DateField(_("date of the request"), default=timezone.localdate)
    # The requester
    requester_kind = models.CharField(
        _("filed by"), max_length=10, choices=RequesterKind.choices, default=RequesterKind.FAMILY
    )
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_relationship = models.CharField(
        _("relationship to the child"), max_length=20, choices=choices("people.relationship")
    )
    contact = EncryptedTextField(_("how to reach the requester"), blank=True)
    consent_given = models.BooleanField(_("the requester consents to tracing"), default=False)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    # The sought child, as the family knows the child
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(
        _("age on the date of the request"), null=True, blank=True
    )
    place_of_origin = models.CharField(_("town or village of origin"), max_length=120, blank=True)
    origin_prefecture = models.CharField(
        _("prefecture / province of origin"), max_length=120, blank=True
    )
    nationality = models.CharField(_("nationality (ISO 3166)"), max_length=2, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    last_seen_place = models.CharField(_("last seen at"), max_length=200, blank=True)
    last_seen_on = models.DateField(_("last seen on"), null=True, blank=True)
    circumstances = EncryptedTextField(_("circumstances of the separation"), blank=True)
    # The outcome
    matched_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("matched child"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracing_requests",
    )
    matched_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("matched case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracing_requests",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-report_date", "-id"]
        verbose_name = _("tracing request")
        verbose_name_plural = _("tracing requests")
        indexes = [models.Index(fields=["agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="tracing_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(age_years__isnull=True) | models.Q(age_years__lte=120),
                name="tracing_age_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.ref or f"tracing request {self.pk}"

    @property
    def child_name(self) -> str:
        return " ".join(p for p in [self.family_name.upper(), self.given_names] if p)

    def as_record(self) -> dict:
        """The request in the matching engine's record format (a tracing request, left side)."""
        return {
            "record_id": f"R{self.pk}",
            "given_names": self.given_names,
            "family_name": self.family_name,
            "sex": self.sex if self.sex in ("M", "F") else "",
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "birth_year": str(self.birth_year or ""),
            "age_years": "" if self.age_years is None else str(self.age_years),
            "report_date": self.report_date.isoformat(),
            "place_of_origin": self.place_of_origin,
            "origin_prefecture": self.origin_prefecture,
            "mother_name": self.mother_name,
            "father_name": self.father_name,
            "nationality": self.nationality,
        }


class DuplicateCandidate(models.Model):
    """Two people the engine thinks may be one, waiting for a reviewer (``find_duplicates``).

    The pair is stored low id first, once; re-running the job refreshes the score. What the
    reviewer decided lives in the judgement log, not here.
    """

    first = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="duplicate_candidates_first"
    )
    second = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="duplicate_candidates_second"
    )
    score = models.FloatField(_("match probability"))
    levels = models.JSONField(_("comparison"), default=dict)
    found_at = models.DateTimeField(_("found"), default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="tracing_duplicate_pair"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="tracing_duplicate_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.2f})"


class PersonMerge(models.Model):
    """One merge of a duplicate person into a survivor, and exactly what moved.

    ``moved`` lists the ids of the cases, relationships, other names and tracing requests that
    pointed to the duplicate and now point to the survivor; unmerge moves exactly those back, so a
    merge undone leaves the records as they were (rows added to the survivor since stay with it).
    """

    survivor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="merges_received"
    )
    duplicate = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="merges_given"
    )
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    merged_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge of two people")
        constraints = [
            models.UniqueConstraint(
                fields=["duplicate"],
                condition=models.Q(undone_at__isnull=True),
                name="tracing_one_live_merge_per_duplicate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.survivor_id}"


class PeerLookup(models.Model):
    """One privacy-preserving look-up of a request at the peer node, and its answer.

    What went out is an encoding only (no name, date or place); what came back is the peer's
    candidate ids and Dice scores. Details of a candidate follow only through a referral made
    with consent.
    """

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="lookups")
    query_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    peer = models.CharField(_("peer node"), max_length=40)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.JSONField(_("candidates (peer ids and scores)"), default=list, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("look-up at the peer node")

    def __str__(self) -> str:
        return f"{self.request_id} → {self.peer}"


class MatchModel(models.Model):
    """One version of the node's match model, re-fitted on its reviewers' decisions.

    Versions are append-only: the weights, and the numbers they were judged by, never change;
    only the activation moves, and at most one version is in force. With none in force, ranking
    and duplicate detection use the model shipped with the engine (``matching.default_model``).
    """

    parameters = models.JSONField(_("weights"))
    created_at = models.DateTimeField(_("trained"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trained by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    matches = models.PositiveIntegerField(_("“match” decisions"))
    non_matches = models.PositiveIntegerField(_("“no match” decisions"))
    folds = models.PositiveSmallIntegerField(_("evaluation folds"))
    accuracy = models.FloatField(_("accuracy"))
    f1 = models.FloatField(_("F1"))
    log_loss = models.FloatField(_("log-loss"))
    baseline = models.ForeignKey(
        "self",
        verbose_name=_("model in force when trained"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty: the model shipped with the engine."),
    )
    baseline_accuracy = models.FloatField(_("accuracy of the model in force"))
    baseline_f1 = models.FloatField(_("F1 of the model in force"))
    baseline_log_loss = models.FloatField(_("log-loss of the model in force"))
    is_active = models.BooleanField(_("in force"), default=False)
    activated_at = models.DateTimeField(_("put in force"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("put in force by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match model version")
        verbose_name_plural = _("match model versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="tracing_one_match_model_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"match model {self.pk}"

    def as_model(self) -> Model:
        """The engine's ``Model`` with these weights."""
        return Model.from_json(json.dumps(self.parameters))

    @property
    def not_worse(self) -> bool:
        """Whether the version's cross-validated log-loss is no worse than the model in force's
        on the same decisions (the comparison shown to whoever puts a version in force)."""
        return self.log_loss <= self.baseline_log_loss


class InboundLookup(models.Model):
    """One privacy-preserving look-up the peer node sent us, answered or refused: what the
    coordinator sees on the look-ups page (never the encodings)."""

    peer = models.CharField(_("peer node"), max_length=40)
    query_id = models.CharField(max_length=64)
    requests = models.JSONField(_("the peer's request ids"), default=list)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    candidates = models.PositiveIntegerField(_("candidates answered"), default=0)
    refused = models.CharField(_("refused"), max_length=20, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["peer", "received_at"])]
        verbose_name = _("look-up from the peer node")

    def __str__(self) -> str:
        return f"{self.peer} {self.query_id}"


class LookupControl(models.Model):
    """Whether this node answers a peer's look-ups: a coordinator pauses and resumes them."""

    peer = models.CharField(_("peer node"), max_length=40, unique=True)
    paused = models.BooleanField(_("paused"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.peer}: {'paused' if self.paused else 'answering'}"
