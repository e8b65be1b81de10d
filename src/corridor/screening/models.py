"""Screenings: a questionnaire answered about one person, its score and the status it proposes.

A screening proposes; it never decides. The trafficking status is recorded on the case only when a
supervisor or an authorised body approves it (``cases.services.approval_decide``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField
from corridor.core.vocab import choices


class VulnerabilityLevel(models.TextChoices):
    LOW = "low", _("Low vulnerability")
    MEDIUM = "medium", _("Medium vulnerability")
    HIGH = "high", _("High vulnerability")


class Screening(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    questionnaire = models.CharField(
        _("questionnaire"), max_length=40, choices=choices("screening.questionnaires")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    section_scores = models.JSONField(_("score per section"), default=dict, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    proposed_status = models.CharField(
        _("proposed trafficking status"),
        max_length=40,
        choices=choices("cases.trafficking_status"),
        blank=True,
    )
    vulnerability_level = models.CharField(
        _("vulnerability"), max_length=10, choices=VulnerabilityLevel.choices, blank=True
    )
    child = models.BooleanField(_("treated as a child"), default=False)
    unaccompanied = models.BooleanField(_("unaccompanied or separated child"), default=False)
    refer_to_asylum = models.BooleanField(_("refer to the asylum authority"), default=False)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    screened_on = models.DateField(_("date"), default=timezone.localdate)
    place = models.CharField(_("place or border post"), max_length=150, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    approval = models.ForeignKey(
        "cases.Approval",
        verbose_name=_("status decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-screened_on", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [
            models.Index(fields=["agency", "screened_on"]),
            models.Index(fields=["screened_by", "screened_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_questionnaire_display()} · {self.screened_on:%Y-%m-%d}"


class ImportedRow(models.Model):
    """One row of an HTCDS file already imported, keyed by the hash of its values: re-importing
    the same file adds nothing. Kept here rather than in ``cases`` so that the import log has its
    own migrations while the case models are being written. ``extra`` keeps the row's referral,
    consent and other non-contact HTCDS values that have no home in Corridor yet, so that an
    export gives them back."""

    key = models.CharField(max_length=64, unique=True)
    source = models.CharField(_("file"), max_length=200, blank=True)
    row_number = models.PositiveIntegerField(_("row"))
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    extra = models.JSONField(_("HTCDS values Corridor does not model"), default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("imported HTCDS row")
