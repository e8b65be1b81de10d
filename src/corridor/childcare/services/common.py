"""What every childcare service shares: the checks, the audit and the message types."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.services import audit_record
from corridor.cases.models import Case
from corridor.cases.selectors import can_manage

OUTGOING_HANDOVER = "referral.handover"
HANDOVER_COUNTERSIGNED = "referral.handover_countersigned"
FAMILY_ASSESSMENT = "referral.family_assessment"
SHELTER_SERVICE = "Shelter"


def _require_child_case(actor, case: Case) -> Case:
    if not can_manage(actor, case):
        raise PermissionDenied(_("You cannot change this case."))
    if not case.is_child:
        raise ValidationError(_("These records belong to a child's case."))
    return case


def _check_day(case: Case, day: date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Give the date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if day < case.identified_on:
        raise ValidationError(
            {
                field: _("This date is before the child was identified (%(d)s).")
                % {"d": case.identified_on.isoformat()}
            }
        )


def _required(values: dict[str, str]) -> None:
    missing = {
        f: _("This field is required.") for f, v in values.items() if not str(v or "").strip()
    }
    if missing:
        raise ValidationError(missing)


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the values offered.")})


def _check_version(record, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != record.version:
        raise ValidationError(
            _(
                "Conflict: this record was changed by someone else since you opened it (your "
                "version %(mine)s, now %(now)s). Reload it and apply your changes again."
            )
            % {"mine": expected_version, "now": record.version}
        )


def _audit(actor, action, record, summary: str, **detail) -> None:
    audit_record(actor=actor, action=action, target=record, summary=summary, detail=detail or None)


def actor_name(actor) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]
