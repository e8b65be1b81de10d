"""The content of a child's case along its steps: best-interest assessment and determination
(UNHCR best-interests procedure), family tracing actions and family assessment, alternative-care
placements, the return hand-over signed on both sides of the border, and the follow-up visits at
3, 6 and 12 months scored on IOM's reintegration sustainability dimensions.

Every record can later be written from an offline sync or an ODK submission: the services take
plain validated data, and each record carries ``version`` (incremented on each change) and
``updated_at`` so that an edit made against an older version is detected as a conflict.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField


class Versioned(models.Model):
    """What conflict detection reads: a counter bumped by every service write, and the time."""

    version = models.PositiveIntegerField(default=1, editable=False)
    # Empty on a copy received from the other node.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Option(models.TextChoices):
    """The durable solutions a best-interest procedure weighs (UNHCR BIP guidelines)."""

    RETURN = "return", _("Return and reunification with the family")
    KINSHIP = "kinship", _("Care by other relatives (kinship care)")
    FOSTER = "foster", _("Foster family")
    SHELTER = "shelter", _("Residential care in a shelter")
    INDEPENDENT = "independent", _("Supported independent living")
    LOCAL_INTEGRATION = "local_integration", _("Local integration in this country")


class BestInterestAssessment(Versioned):
    """The best-interest assessment: what the caseworker learned, submitted to a supervisor for
    approval through the case's approvals (kind BIA)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="bias")
    assessed_on = models.DateField(_("assessed on"))
    childs_views = EncryptedTextField(_("the child's views and wishes"))
    safety_risks = EncryptedTextField(_("safety and risks"))
    retrafficking_risk = models.CharField(
        _("risk of re-trafficking"), max_length=10, choices=Level.choices
    )
    family_situation = EncryptedTextField(_("family situation"), blank=True)
    health = models.TextField(_("health"), blank=True)
    education = models.TextField(_("education"), blank=True)
    options = models.JSONField(_("options identified"), default=list)
    recommendation = models.CharField(
        _("recommended option"), max_length=20, choices=Option.choices
    )
    approval = models.OneToOneField(
        "cases.Approval", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("best-interest assessment")

    @property
    def decision(self) -> str:
        return self.approval.decision if self.approval_id else "draft"

    @property
    def approved(self) -> bool:
        return self.decision == "approved"


class FamilyAssessment(Versioned):
    """The family assessment of the area of origin: done here, or received from the other node
    (a structured update under the "return" purpose) and recorded as such."""

    class Source(models.TextChoices):
        LOCAL = "local", _("Assessed by this node's social services")
        PEER = "peer", _("Received from the other country's node")

    class Recommendation(models.TextChoices):
        RETURN = "return", _("Return to this family")
        RETURN_WITH_SUPPORT = "return_with_support", _("Return with support to the family")
        NOT_NOW = "not_now", _("No return for now")
        NO_RETURN = "no_return", _("No return to this family")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="family_assessments"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.LOCAL
    )
    received_from = models.CharField(_("received from (node)"), max_length=40, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    place = models.CharField(_("place (area of origin)"), max_length=150)
    assessor = models.CharField(_("assessor"), max_length=150)
    household = EncryptedTextField(_("household (who lives there)"))
    caregiver_name = models.CharField(_("caregiver"), max_length=200, blank=True)
    caregiver_willing = models.BooleanField(_("the caregiver is willing"), default=False)
    caregiver_able = models.BooleanField(_("the caregiver is able"), default=False)
    living_conditions = models.TextField(_("living conditions"), blank=True)
    risks = EncryptedTextField(_("risks"), blank=True)
    support_needed = models.TextField(_("support needed"), blank=True)
    recommendation = models.CharField(
        _("assessor's recommendation"), max_length=20, choices=Recommendation.choices
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("family assessment")

    @property
    def favourable(self) -> bool:
        return self.recommendation in (
            self.Recommendation.RETURN,
            self.Recommendation.RETURN_WITH_SUPPORT,
        )


class BestInterestDetermination(Versioned):
    """The best-interest determination by a panel (UNHCR BIP): who sat and in what role, the
    options weighed, how the child was heard, the decision, its reasons and any dissent. It is
    approved by a supervisor through the case's approvals (kind BID), which the child steps'
    transition table already requires."""

    class HeardHow(models.TextChoices):
        IN_PERSON = "in_person", _("In person before the panel")
        INTERVIEW = "interview", _("Interview by the caseworker, reported to the panel")
        REPRESENTATIVE = "representative", _("Through a guardian or representative")
        NOT_HEARD = "not_heard", _("Not heard (reason recorded)")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="bids")
    assessment = models.ForeignKey(
        BestInterestAssessment, on_delete=models.PROTECT, related_name="determinations"
    )
    family_assessment = models.ForeignKey(
        FamilyAssessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    panel = models.JSONField(_("panel members and roles"), default=list)
    options_considered = models.JSONField(_("options considered"), default=list)
    child_heard = models.BooleanField(_("the child was heard"), default=True)
    heard_how = models.CharField(
        _("how the child was heard"), max_length=20, choices=HeardHow.choices
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Option.choices)
    reasons = EncryptedTextField(_("reasons"))
    dissent = EncryptedTextField(_("dissent"), blank=True)
    approval = models.OneToOneField(
        "cases.Approval", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("best-interest determination")

    @property
    def status(self) -> str:
        return self.approval.decision if self.approval_id else "draft"


class TracingAction(Versioned):
    """One step of the family tracing: what was done, where, by whom and what came of it."""

    class Outcome(models.TextChoices):
        NO_NEWS = "no_news", _("No news")
        LEAD = "lead", _("A lead to follow")
        FAMILY_FOUND = "family_found", _("Family found")
        FAMILY_CONTACTED = "family_contacted", _("Family contacted")
        DEAD_END = "dead_end", _("Dead end")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tracing_actions")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date = models.DateField(_("date"))
    action = models.CharField(_("action"), max_length=200)
    place = models.CharField(_("place"), max_length=150, blank=True)
    who = models.CharField(_("who"), max_length=150)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("tracing action")


class PlacementType(models.TextChoices):
    FOSTER = "foster", _("Foster family")
    SHELTER = "shelter", _("Shelter")
    KINSHIP = "kinship", _("Kinship care")
    INDEPENDENT = "independent", _("Independent living with support")


class Placement(Versioned):
    """An alternative-care placement: its type, the provider from the service directory, its
    dates, the reviews due and the caregivers who looked after the child (a list of
    ``{"name", "from", "to"}``)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="placements")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("type of care"), max_length=20, choices=PlacementType.choices)
    provider = models.ForeignKey(
        "referrals.ServiceProvider",
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(_("reason for the end"), max_length=200, blank=True)
    review_dates = models.JSONField(_("review dates"), default=list, blank=True)
    caregivers = models.JSONField(_("caregiver history"), default=list, blank=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = _("placement")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="placement_ends_after_start",
            )
        ]

    @property
    def current(self) -> bool:
        return self.end_on is None or self.end_on >= timezone.localdate()


class HandOver(Versioned):
    """The return hand-over, signed by the escorting side and countersigned by the receiving
    agency. Each node keeps its own copy; the two copies share ``uid`` and the cross-border
    referral that links the two cases."""

    class Side(models.TextChoices):
        HANDING = "handing", _("We hand the child over")
        RECEIVING = "receiving", _("We receive the child")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="handovers"
    )
    referral = models.ForeignKey(
        "referrals.CrossBorderReferral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=150)
    escort = models.CharField(_("escort"), max_length=200)
    documents = models.JSONField(_("documents handed over"), default=list)
    receiving_agency = models.CharField(_("receiving agency"), max_length=200)
    handed_by = models.CharField(_("signed by (handing side)"), max_length=150)
    handed_signed_at = models.DateTimeField(_("signed at"))
    received_by = models.CharField(
        _("countersigned by (receiving side)"), max_length=150, blank=True
    )
    received_signed_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("hand-over")

    @property
    def countersigned(self) -> bool:
        return self.received_signed_at is not None


class FollowUpVisit(Versioned):
    """A follow-up visit at 3, 6 or 12 months, structured, with its reintegration score on the
    three dimensions of IOM's reintegration sustainability model (``scoring.py``)."""

    class LivingWith(models.TextChoices):
        PARENTS = "parents", _("Parents")
        RELATIVES = "relatives", _("Other relatives")
        FOSTER = "foster", _("Foster family")
        SHELTER = "shelter", _("Shelter")
        INDEPENDENT = "independent", _("On their own, with support")
        LEFT = "left", _("Left the family: whereabouts unknown")
        RETRAFFICKED = "retrafficked", _("Re-trafficked or exploited again")

    class Schooling(models.TextChoices):
        SCHOOL = "school", _("At school")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship or training")
        WORK = "work", _("Working (legal age and conditions)")
        NONE = "none", _("Neither school nor training")

    class Safety(models.TextChoices):
        SAFE = "safe", _("Safe")
        CONCERNS = "concerns", _("Some concerns")
        UNSAFE = "unsafe", _("Unsafe")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(
        Placement, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    month = models.PositiveSmallIntegerField(
        _("visit"), choices=[(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))]
    )
    visited_on = models.DateField(_("visited on"))
    living_with = models.CharField(_("living with"), max_length=20, choices=LivingWith.choices)
    schooling = models.CharField(
        _("school or apprenticeship"), max_length=20, choices=Schooling.choices
    )
    safety = models.CharField(_("safety"), max_length=10, choices=Safety.choices)
    wellbeing = models.TextField(_("well-being"), blank=True)
    childs_account = EncryptedTextField(_("the child's own account"), blank=True)
    # IOM reintegration sustainability items, each rated 1 (worst) to 5 (best): see scoring.py.
    econ_needs = models.PositiveSmallIntegerField(
        _("household meets the child's basic needs"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    econ_learning = models.PositiveSmallIntegerField(
        _("regular school or training attendance"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    soc_housing = models.PositiveSmallIntegerField(
        _("adequate housing"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    soc_services = models.PositiveSmallIntegerField(
        _("access to health care, documents and services"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    psy_wellbeing = models.PositiveSmallIntegerField(
        _("emotional well-being"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    psy_safety = models.PositiveSmallIntegerField(
        _("feels safe at home and in the community"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    psy_belonging = models.PositiveSmallIntegerField(
        _("relations with family, peers and community"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    economic_score = models.DecimalField(max_digits=4, decimal_places=3, editable=False)
    social_score = models.DecimalField(max_digits=4, decimal_places=3, editable=False)
    psychosocial_score = models.DecimalField(max_digits=4, decimal_places=3, editable=False)
    score = models.DecimalField(
        _("reintegration score"), max_digits=4, decimal_places=3, editable=False
    )
    reintegrated = models.BooleanField(_("sustainably reintegrated"), default=False, editable=False)

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = _("follow-up visit")
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="one_follow_up_per_milestone")
        ]
