"""Protection cases along the stages of a transnational referral mechanism.

The stages (and, for children, the child-protection steps, which each node names: ECOWAS in Togo, ECCAS in Gabon) are transition tables
next to the model; ``cases.services.case_transition`` is the one place that moves a case and
checks role, consent and approvals on the way.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField
from corridor.core.vocab import choices


class Status(models.TextChoices):
    """HTCDS 2.0 ``cas_Status``."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


class Stage(models.TextChoices):
    """The five standard operating procedures of a transnational referral mechanism; criminal
    and civil proceedings run alongside (``Case.proceedings``)."""

    IDENTIFICATION = "identification", _("Identification")
    FIRST_ASSISTANCE = "first_assistance", _("First assistance and protection")
    LONG_TERM = "long_term", _("Long-term assistance and social inclusion")
    RETURN = "return", _("Return and social inclusion")
    CLOSED = "closed", _("Closure")


STAGE_FLOW: dict[str, tuple[str, ...]] = {
    Stage.IDENTIFICATION: (Stage.FIRST_ASSISTANCE, Stage.CLOSED),
    Stage.FIRST_ASSISTANCE: (Stage.LONG_TERM, Stage.RETURN, Stage.CLOSED),
    Stage.LONG_TERM: (Stage.RETURN, Stage.CLOSED),
    Stage.RETURN: (Stage.LONG_TERM, Stage.CLOSED),
    Stage.CLOSED: (Stage.FIRST_ASSISTANCE,),
}


class ChildStep(models.TextChoices):
    """The child-protection steps, shared by both nodes (each names its procedure: ``cases.caseloads.child_procedure_name``)."""

    IDENTIFICATION = "identification", _("Identification")
    EMERGENCY = "emergency_protection", _("Emergency protection")
    STUDY = "situation_study", _("Study of the child's situation")
    TRACING = "family_tracing", _("Family tracing and assessment")
    BID = "best_interest_determination", _("Best-interest determination")
    RETURN = "return_reunification", _("Return and reunification")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care and local integration")
    REINTEGRATION = "reintegration", _("Reintegration")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


CHILD_FLOW: dict[str, tuple[str, ...]] = {
    ChildStep.IDENTIFICATION: (ChildStep.EMERGENCY,),
    ChildStep.EMERGENCY: (ChildStep.STUDY,),
    ChildStep.STUDY: (ChildStep.TRACING,),
    ChildStep.TRACING: (ChildStep.BID,),
    ChildStep.BID: (ChildStep.RETURN, ChildStep.ALTERNATIVE_CARE),
    ChildStep.RETURN: (ChildStep.REINTEGRATION,),
    ChildStep.ALTERNATIVE_CARE: (ChildStep.REINTEGRATION,),
    ChildStep.REINTEGRATION: (ChildStep.FOLLOW_UP,),
    ChildStep.FOLLOW_UP: (ChildStep.CLOSED,),
    ChildStep.CLOSED: (),
}

# Where each child step sits among the referral-mechanism stages.
CHILD_STEP_STAGE = {
    ChildStep.IDENTIFICATION: Stage.IDENTIFICATION,
    ChildStep.EMERGENCY: Stage.FIRST_ASSISTANCE,
    ChildStep.STUDY: Stage.FIRST_ASSISTANCE,
    ChildStep.TRACING: Stage.FIRST_ASSISTANCE,
    ChildStep.BID: Stage.FIRST_ASSISTANCE,
    ChildStep.RETURN: Stage.RETURN,
    ChildStep.ALTERNATIVE_CARE: Stage.LONG_TERM,
    ChildStep.REINTEGRATION: Stage.RETURN,
    ChildStep.FOLLOW_UP: Stage.RETURN,
    ChildStep.CLOSED: Stage.CLOSED,
}

FOLLOW_UP_MONTHS = (3, 6, 12)


class Proceedings(models.TextChoices):
    NONE = "none", _("None")
    COMPLAINT = "complaint", _("Complaint filed")
    INVESTIGATION = "investigation", _("Under investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    TRIAL = "trial", _("Trial")
    CONVICTION = "conviction", _("Conviction")
    ACQUITTAL = "acquittal", _("Acquittal")
    DROPPED = "dropped", _("Dropped")


class Case(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.CharField(_("reference"), max_length=30, unique=True, blank=True)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="cases"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case owner"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFICATION
    )
    caseload = models.CharField(
        _("caseload"),
        max_length=40,
        choices=choices("cases.caseload"),
        # Cases opened before caseloads existed were all trafficking cases.
        default="presumed_trafficking_victim",
    )
    is_child = models.BooleanField(_("child"), default=False)
    child_step = models.CharField(
        _("child protection step"), max_length=30, choices=ChildStep.choices, blank=True
    )
    proceedings = models.CharField(
        _("criminal and civil proceedings"),
        max_length=20,
        choices=Proceedings.choices,
        default=Proceedings.NONE,
    )
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    identified_at_place = models.CharField(_("place of identification"), max_length=150, blank=True)
    first_assistance_on = models.DateField(_("first assistance on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("reason for closure"), max_length=200, blank=True)
    # Victim context (HTCDS vic_)
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=40,
        choices=choices("cases.trafficking_status"),
        blank=True,
    )
    trafficking_status_proposed = models.CharField(
        _("proposed trafficking status"),
        max_length=40,
        choices=choices("cases.trafficking_status"),
        blank=True,
    )
    status_decision_org = models.CharField(
        _("status decided by"), max_length=40, choices=choices("cases.decision_org"), blank=True
    )
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    industries = models.JSONField(_("forced-labour industries"), default=list, blank=True)
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_method = models.CharField(
        _("method of recruitment"), max_length=40, choices=choices("cases.recruitment"), blank=True
    )
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"),
        max_length=20,
        choices=choices("cases.relationship_to_trafficker"),
        blank=True,
    )
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    age_when_trafficked = models.PositiveSmallIntegerField(
        _("age when trafficked"), null=True, blank=True
    )
    narrative = EncryptedTextField(_("narrative"), blank=True)
    # Return to family (child): the caregiver must agree and be able.
    caregiver = models.ForeignKey(
        "people.Relationship",
        verbose_name=_("caregiver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caregiver_agreed = models.BooleanField(_("caregiver agreed"), default=False)
    caregiver_able = models.BooleanField(_("caregiver assessed as able"), default=False)
    cross_border = models.BooleanField(_("handled jointly with the other country"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["agency", "status", "stage"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["-identified_on", "-id"], name="case_list_order"),
            models.Index(fields=["caseload", "identified_on"]),
        ]

    def __str__(self) -> str:
        return self.ref or f"case {self.pk}"


class SmugglingFacts(models.Model):
    """The smuggling of a migrant (UN Smuggling Protocol): who smuggled them, what was paid and to
    whom, the route and means of transport, the documents, the aggravating circumstances
    (art. 6(3): life or safety endangered; inhuman or degrading treatment), and the protection
    and assistance given (art. 16). The migrant is the object of the offence, never its author
    (art. 5): nothing here records the migrant as an offender."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="smuggling")
    intermediary = models.CharField(_("smuggler or intermediary"), max_length=200, blank=True)
    intermediary_phone = models.CharField(_("smuggler's phone"), max_length=40, blank=True)
    amount_paid = models.DecimalField(
        _("amount paid"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="XOF", blank=True)
    paid_to = models.CharField(_("paid to"), max_length=200, blank=True)
    route = models.TextField(_("route"), blank=True)
    transport_means = models.JSONField(_("means of transport"), default=list, blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    endangered_life = models.BooleanField(_("life or safety endangered"), default=False)
    inhuman_treatment = models.BooleanField(_("inhuman or degrading treatment"), default=False)
    circumstances = EncryptedTextField(_("what happened on the way"), blank=True)
    protection_given = models.JSONField(
        _("protection and assistance given"), default=list, blank=True
    )
    # The smuggler as an intelligence entity: set by the service, never shown to case workers.
    intel_entity_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    intel_reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("smuggling facts")
        verbose_name_plural = _("smuggling facts")

    @property
    def aggravating(self) -> list[str]:
        return [f for f in ("endangered_life", "inhuman_treatment") if getattr(self, f)]


class Approval(models.Model):
    class Kind(models.TextChoices):
        BIA = "bia", _("Best-interest assessment")
        BID = "bid", _("Best-interest determination")
        CASE_PLAN = "case_plan", _("Case plan")
        CLOSURE = "closure", _("Closure")
        TRAFFICKING_STATUS = "trafficking_status", _("Trafficking status")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("approval"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    request_comment = models.TextField(_("request"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("approval")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(decision="pending"),
                name="one_pending_approval_per_kind",
            )
        ]


class Consent(models.Model):
    """Consent for one purpose (HTCDS con_), or the legal ground that replaces it. A child's
    consent is given by a guardian and records the child's own views."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(
        _("purpose"), max_length=30, choices=choices("cases.consent_purpose")
    )
    given = models.BooleanField(_("consent given"), default=True)
    legal_ground = models.CharField(
        _("legal ground instead of consent"),
        max_length=40,
        choices=choices("cases.legal_ground"),
        blank=True,
    )
    given_by_guardian = models.BooleanField(_("given by a parent or guardian"), default=False)
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    childs_views = EncryptedTextField(_("the child's own views"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_on = models.DateField(_("date"), default=timezone.localdate)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["purpose", "-given_on"]
        verbose_name = _("consent")

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None and (self.given or bool(self.legal_ground))


class TraffickingEvent(models.Model):
    """HTCDS hte_: where and when the person was recruited, moved and exploited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(_("type"), max_length=20, choices=choices("cases.event_type"))
    date = models.DateField(_("date"), null=True, blank=True)
    city = models.CharField(_("city or village"), max_length=120, blank=True)
    state = models.CharField(_("region / prefecture"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("trafficking event")


class SupportPlan(models.Model):
    """HTCDS spl_: one plan per type of support."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_plans")
    plan_type = models.CharField(
        _("type of support"), max_length=40, choices=choices("cases.support_type")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    action_plan = models.TextField(_("action plan"), blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        verbose_name = _("support plan")


class ServiceDelivery(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    plan = models.ForeignKey(
        SupportPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    service_type = models.CharField(
        _("service"), max_length=40, choices=choices("cases.support_type")
    )
    delivered_on = models.DateField(_("date"))
    provider = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_name = models.CharField(_("provider"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-delivered_on"]
        verbose_name = _("service delivered")


class Task(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("Task")
        FOLLOW_UP = "follow_up", _("Follow-up visit")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("task")
        indexes = [
            models.Index(fields=["assigned_to", "done_on", "due_on"]),
            models.Index(fields=["case", "done_on", "due_on"]),
        ]

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case note")


class StageChange(models.Model):
    """The case's timeline of moves (the audit log keeps who and when too; this is for display)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    field = models.CharField(max_length=20)
    from_value = models.CharField(max_length=40, blank=True)
    to_value = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
