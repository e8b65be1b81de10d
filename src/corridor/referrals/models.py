"""Service directory and in-country referrals between agencies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.vocab import choices


class ServiceProvider(models.Model):
    """An entry of the directory referrals draw on: who offers what, to whom, where."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency in Corridor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="providers",
    )
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    services = models.JSONField(_("services"), default=list)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sexes = models.CharField(
        _("sexes served"),
        max_length=10,
        choices=[("all", _("All")), ("F", _("Women and girls")), ("M", _("Men and boys"))],
        default="all",
    )
    capacity = models.PositiveIntegerField(_("capacity (places)"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        ordering = ["country", "region", "name"]
        verbose_name = _("service provider")


class Referral(models.Model):
    """A case, or one service of it, referred to another agency. The receiving agency sees only
    what was referred, never the rest of the case."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    FLOW = {
        Status.SENT: (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
        Status.ACCEPTED: (Status.COMPLETED, Status.WITHDRAWN),
        Status.DECLINED: (),
        Status.COMPLETED: (),
        Status.WITHDRAWN: (),
    }

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals_out"
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("to agency"),
        on_delete=models.PROTECT,
        related_name="referrals_in",
    )
    provider = models.ForeignKey(
        ServiceProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_type = models.CharField(
        _("service referred"), max_length=40, choices=choices("cases.support_type"), blank=True
    )
    reason = models.CharField(
        _("reason (HTCDS)"), max_length=40, choices=choices("cases.referral_reason")
    )
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
        ]
