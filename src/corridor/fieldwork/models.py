"""What the node keeps of field work done without network: every operation a device sent (once,
by its id), and the conflicts a person must resolve."""

from __future__ import annotations

import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField


class Operation(models.Model):
    """One record made or changed on a device, as sent when the network came back. Kept with its
    outcome, so that sending it twice changes nothing and a refused one is never lost (its
    content, encrypted, waits for a supervisor to reassign the case)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        CONFLICT = "conflict", _("Conflict to resolve")
        REFUSED = "refused", _("Refused, kept for a supervisor")
        RESOLVED = "resolved", _("Resolved")

    uid = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    form = models.CharField(max_length=30)
    record_uid = models.UUIDField(null=True, blank=True)
    base_version = models.PositiveIntegerField(null=True, blank=True)
    payload = EncryptedTextField()  # JSON: the base values and the fields sent
    recorded_at = models.DateTimeField(null=True, blank=True)  # on the device
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    @property
    def form_label(self) -> str:
        """The form by its name in the reader's language ("Visite de suivi")."""
        from corridor.fieldwork.services import FORMS

        spec = FORMS.get(self.form)
        return str(spec.label) if spec else self.form


class Conflict(models.Model):
    """A field changed on the server while a device changed it too: both values, until a person
    chooses. Never resolved silently."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="conflicts")
    field = models.CharField(max_length=50)
    server_value = EncryptedTextField(blank=True)
    device_value = EncryptedTextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kept = models.CharField(max_length=10, blank=True)  # "server" or "device"

    class Meta:
        ordering = ["id"]

    @cached_property
    def form_field(self):
        """The disputed field of the form its operation was sent with, built once (None for a
        form no longer offered offline)."""
        from corridor.fieldwork.services import form_field

        return form_field(self.operation, self.field)

    @property
    def field_label(self) -> str:
        """The field as its form labels it ("Lieu"), not its name in the code."""
        field = self.form_field
        return str(field.label) if field is not None and field.label else self.field

    @property
    def server_shown(self) -> str:
        from corridor.fieldwork.services import value_shown

        return value_shown(self.form_field, self.server_value)

    @property
    def device_shown(self) -> str:
        from corridor.fieldwork.services import value_shown

        return value_shown(self.form_field, self.device_value)
