"""Reports: capacity building records, the privacy budget ledger and the published aggregates
(the only things the partner role ever sees)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Agency, Country


class TrainingSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    held_on = models.DateField(_("date"))
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    place = models.CharField(_("place"), max_length=120, blank=True)
    organiser = models.ForeignKey(
        Agency, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class Sex(models.TextChoices):
    FEMALE = "f", _("Women")
    MALE = "m", _("Men")


class TrainingAttendance(models.Model):
    """How many officials of one agency, of one sex, a session trained (counts, no names)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendance"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    count = models.PositiveIntegerField(_("officials trained"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("officials trained")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "agency", "sex"], name="reports_attendance_once"
            )
        ]


class PrivacyBudget(models.Model):
    """The total ε that may be spent on differentially private releases of one dataset in one
    period. Each release draws on it; the ledger refuses a release beyond it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    epsilon_total = models.FloatField(_("total ε"), validators=[MinValueValidator(0.01)])
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("privacy budget")

    def __str__(self) -> str:
        return self.name

    @property
    def spent(self) -> float:
        return float(self.releases.aggregate(s=models.Sum("epsilon"))["s"] or 0.0)

    @property
    def remaining(self) -> float:
        return max(0.0, self.epsilon_total - self.spent)


class PublicationKind(models.TextChoices):
    DP_COUNTS = "dp", _("Differentially private counts")
    CTDC = "ctdc", _("k-anonymous CTDC export")


class Publication(models.Model):
    """A published aggregate. DP releases carry their ε (the ledger); CTDC exports carry k."""

    kind = models.CharField(_("kind"), max_length=5, choices=PublicationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    budget = models.ForeignKey(
        PrivacyBudget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
    )
    epsilon = models.FloatField(_("ε spent"), null=True, blank=True)
    k = models.PositiveSmallIntegerField(_("k"), null=True, blank=True)
    dimension = models.CharField(_("broken down by"), max_length=30, blank=True)
    result = models.JSONField(_("published figures"), default=dict)
    content = models.TextField(_("file"), blank=True)
    records = models.PositiveIntegerField(_("records"), default=0)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="dp") | models.Q(epsilon__gt=0, budget__isnull=False),
                name="reports_dp_release_on_budget",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="ctdc") | models.Q(k__gte=11),
                name="reports_ctdc_k_at_least_11",
            ),
        ]

    @property
    def heading(self) -> str:
        """The title in the reader's language when it is the default one."""
        from corridor.reports.publication_labels import heading

        return heading(self)

    @property
    def counts_shown(self) -> list[tuple[str, int]]:
        """The release's categories by their labels in the reader's language, with their counts."""
        from corridor.reports.publication_labels import published_counts

        return published_counts(self)
