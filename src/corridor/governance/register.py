"""The register of processing activities and the breach log (administrators)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.governance.models import Breach, ProcessingActivity

REGISTER_KEEPERS = (Role.ADMINISTRATOR,)
ACTIVITY_FIELDS = (
    "name",
    "purpose",
    "legal_basis",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "retention",
    "security",
)


def _require(actor):
    if actor is not None and not actor.has_role(*REGISTER_KEEPERS):
        raise PermissionDenied


@transaction.atomic
def activity_save(*, actor, activity: ProcessingActivity | None = None, **fields):
    """Create a line of the register, or change one."""
    _require(actor)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    created = activity is None
    activity = activity or ProcessingActivity()
    for name, value in fields.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    activity.full_clean()
    activity.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=activity,
        summary=activity.name,
    )
    return activity


@transaction.atomic
def breach_record(
    *,
    actor,
    detected_at: datetime,
    description: str,
    data_affected: str,
    persons_affected: int,
    measures: str = "",
) -> Breach:
    """Log a breach as soon as it is known: the authority must be told within 72 hours."""
    _require(actor)
    if detected_at > timezone.now():
        raise ValidationError({"detected_at": _("A breach cannot be discovered in the future.")})
    breach = Breach(
        detected_at=detected_at,
        description=description.strip(),
        data_affected=data_affected.strip(),
        persons_affected=persons_affected,
        measures=measures.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    breach.full_clean()
    breach.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=breach,
        summary=node_text(gettext_noop("data breach")),
        detail={"notify_by": breach.notify_by.isoformat(), "persons": persons_affected},
    )
    return breach


@transaction.atomic
def breach_notified(
    *, actor, breach: Breach, notified_at: datetime, persons_notified: bool, measures: str = ""
) -> Breach:
    """Record when the data-protection authority was told (late notifications are kept as
    late: the log shows it)."""
    _require(actor)
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if notified_at < breach.detected_at or notified_at > timezone.now():
        raise ValidationError(
            {"authority_notified_at": _("Between the discovery and now, please.")}
        )
    breach.authority_notified_at, breach.persons_notified = notified_at, persons_notified
    if measures.strip():
        breach.measures = measures.strip()
    breach.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=breach,
        summary=node_text(gettext_noop("authority notified")),
        detail={"late": breach.notified_late},
    )
    return breach
