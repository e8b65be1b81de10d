"""Flow monitoring (IOM DTM style): points, daily counts, surveys, field submissions, alerts.

A count row is one point × day × category combination (direction, sex, age group, nationality,
transport, reason) with the number of travellers; vulnerabilities are counted apart because one
traveller can have several. ``FlowDaily`` is the pre-aggregate the dashboards read: one row per
point × day × nationality, refreshed by the services that write counts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Agency, Country
from corridor.flows.vocab import (
    NATIONALITIES,
    AgeGroup,
    Direction,
    PointKind,
    Reason,
    Sex,
    Transport,
    Vulnerability,
)

NATIONALITY_CHOICES = list(NATIONALITIES.items())


class FlowPoint(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("region"), max_length=8)
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices)
    route = models.CharField(_("route"), max_length=20)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("border agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The agency whose officers enter the counts of this point."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("flow monitoring point")
        verbose_name_plural = _("flow monitoring points")

    def __str__(self) -> str:
        return self.name


class FlowCount(models.Model):
    point = models.ForeignKey(FlowPoint, on_delete=models.PROTECT, verbose_name=_("point"))
    day = models.DateField(_("day"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices)
    nationality = models.CharField(_("nationality"), max_length=2, choices=NATIONALITY_CHOICES)
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    reason = models.CharField(_("reason for travel"), max_length=10, choices=Reason.choices)
    count = models.PositiveIntegerField(_("travellers"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("flow count")
        verbose_name_plural = _("flow counts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "point",
                    "day",
                    "direction",
                    "sex",
                    "age_group",
                    "nationality",
                    "transport",
                    "reason",
                ],
                name="flows_count_one_row_per_combination",
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="flows_count_positive"),
        ]
        indexes = [models.Index(fields=["day", "point"], name="flows_count_day_point")]


class VulnerabilityCount(models.Model):
    point = models.ForeignKey(FlowPoint, on_delete=models.PROTECT, verbose_name=_("point"))
    day = models.DateField(_("day"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    vulnerability = models.CharField(
        _("vulnerability"), max_length=15, choices=Vulnerability.choices
    )
    count = models.PositiveIntegerField(_("persons"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("vulnerability count")
        verbose_name_plural = _("vulnerability counts")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "day", "direction", "vulnerability"],
                name="flows_vulnerability_one_row",
            ),
        ]
        indexes = [models.Index(fields=["day", "point"], name="flows_vuln_day_point")]


class FlowDaily(models.Model):
    """Pre-aggregate of ``FlowCount`` per point × day × nationality (what every chart reads)."""

    point = models.ForeignKey(FlowPoint, on_delete=models.CASCADE)
    day = models.DateField()
    nationality = models.CharField(max_length=2)
    persons = models.PositiveIntegerField(default=0)
    children = models.PositiveIntegerField(default=0)
    females = models.PositiveIntegerField(default=0)
    inbound = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["point", "day", "nationality"], name="flows_daily_one_row"
            )
        ]
        indexes = [models.Index(fields=["day", "point"], name="flows_daily_day_point")]


# Where a day's counts came from, as ``DailySheet.source`` stores it.
SHEET_SOURCES = {
    "form": _("entered on this node"),
    "field": _("field work, synchronised"),
    "api": _("API"),
    "odk": _("ODK export"),
    "kobo": _("KoboToolbox"),
    "central": _("ODK Central"),
    "demo": _("demonstration data"),
}


class DailySheet(models.Model):
    """Who entered (or last replaced) the counts of one point on one day."""

    point = models.ForeignKey(FlowPoint, on_delete=models.PROTECT, verbose_name=_("point"))
    day = models.DateField(_("day"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    travellers = models.PositiveIntegerField(_("travellers"), default=0)
    source = models.CharField(_("source"), max_length=20, default="form")

    class Meta:
        ordering = ["-day", "point__name"]
        verbose_name = _("daily count sheet")
        verbose_name_plural = _("daily count sheets")
        constraints = [
            models.UniqueConstraint(fields=["point", "day"], name="flows_sheet_one_per_day")
        ]

    @property
    def source_label(self) -> str:
        """The source in words; a source a newer version wrote, as stored."""
        return str(SHEET_SOURCES.get(self.source, self.source))


class FlowSurvey(models.Model):
    """One flow monitoring survey interview. Without consent nothing but the refusal is kept."""

    point = models.ForeignKey(FlowPoint, on_delete=models.PROTECT, verbose_name=_("point"))
    day = models.DateField(_("day"))
    consent = models.BooleanField(_("consent given"))
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=2, choices=NATIONALITY_CHOICES, blank=True
    )
    origin_country = models.CharField(_("country of departure"), max_length=2, blank=True)
    destination_country = models.CharField(_("country of destination"), max_length=2, blank=True)
    transport = models.CharField(
        _("transport"), max_length=10, choices=Transport.choices, blank=True
    )
    reason = models.CharField(
        _("reason for travel"), max_length=10, choices=Reason.choices, blank=True
    )
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    instance_id = models.CharField(_("submission instance id"), max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("flow monitoring survey")
        verbose_name_plural = _("flow monitoring surveys")


class SubmissionStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    SUPERSEDED = "superseded", _("Replaced by an edited submission")
    PENDING_HANDOFF = "pending", _("Validated, waiting for the case-management hand-off")


class Submission(models.Model):
    """One ODK Central / KoboToolbox submission, keyed by its instance id (idempotent re-import).

    An edited submission carries the earlier id as ``deprecated_id`` (ODK's meta/deprecatedID,
    Kobo) or the first version's id as ``root_id`` (ODK Central's ``KEY`` / ``__id``): it replaces
    the current version of that submission, which stays here as ``superseded`` for the record.
    """

    instance_id = models.CharField(_("instance id"), max_length=100, unique=True)
    root_id = models.CharField(
        _("first version's instance id"),
        max_length=100,
        db_index=True,
        help_text=_("The same for every edited version of one submission."),
    )
    deprecated_id = models.CharField(_("replaces"), max_length=100, blank=True)
    form_id = models.CharField(_("form"), max_length=60)
    form_version = models.CharField(_("form version"), max_length=60)
    source = models.CharField(_("source"), max_length=20)
    status = models.CharField(_("status"), max_length=12, choices=SubmissionStatus.choices)
    data = models.JSONField(_("normalised answers"), default=dict)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("field submission")
        verbose_name_plural = _("field submissions")


class FlowAlert(models.Model):
    """A count far above its seasonal baseline (robust z-score on median and MAD)."""

    point = models.ForeignKey(FlowPoint, on_delete=models.CASCADE, verbose_name=_("point"))
    day = models.DateField(_("day"))
    metric = models.CharField(_("indicator"), max_length=20)
    observed = models.PositiveIntegerField(_("observed"))
    baseline = models.FloatField(_("baseline (median)"))
    mad = models.FloatField(_("median absolute deviation"))
    score = models.FloatField(_("robust z-score"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-score"]
        verbose_name = _("flow alert")
        verbose_name_plural = _("flow alerts")
        constraints = [
            models.UniqueConstraint(fields=["point", "day", "metric"], name="flows_alert_once")
        ]


class Notification(models.Model):
    """An in-application message to one user (read on the home page)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flow_notifications"
    )
    alert = models.ForeignKey(FlowAlert, on_delete=models.CASCADE, null=True, blank=True)
    text = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
