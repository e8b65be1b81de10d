"""What the case services share: the victim-context codes, the manager check, the record of a move."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_move
from corridor.cases.models import (
    Case,
    StageChange,
)
from corridor.cases.selectors import can_manage
from corridor.core.vocab import vocabulary

VICTIM_FIELDS = {
    "exploitation_types": "cases.exploitation",
    "industries": "cases.industry",
    "methods_of_control": "cases.methods_of_control",
    "vulnerabilities": "cases.vulnerabilities",
}
VICTIM_SINGLE_FIELDS = {
    "recruitment_method": "cases.recruitment",
    "relationship_to_trafficker": "cases.relationship_to_trafficker",
}


def _require_manager(actor, case: Case) -> None:
    if not can_manage(actor, case):
        raise PermissionDenied(_("You cannot change this case."))


def unknown_values(bad: list) -> str:
    """The error for codes a vocabulary does not hold: "Unknown values: x, y"."""
    return ngettext("Unknown value: %(values)s", "Unknown values: %(values)s", len(bad)) % {
        "values": ", ".join(map(str, bad))
    }


def _check_codes(values: dict) -> None:
    errors = {}
    for field, vocab_name in VICTIM_FIELDS.items():
        if field in values:
            bad = [v for v in values[field] or [] if v not in vocabulary(vocab_name)]
            if bad:
                errors[field] = unknown_values(bad)
    for field, vocab_name in VICTIM_SINGLE_FIELDS.items():
        if values.get(field) and values[field] not in vocabulary(vocab_name):
            errors[field] = _("Unknown value: %(value)s") % {"value": values[field]}
    if errors:
        raise ValidationError(errors)


def _record_move(*, actor, case: Case, field: str, current: str, comment: str, at=None, **detail):
    """The timeline entry and the audit entry of a move the case has just made."""
    to = getattr(case, field)
    StageChange.objects.create(
        case=case,
        field=field,
        from_value=current,
        to_value=to,
        actor=actor,
        comment=comment,
        at=at or timezone.now(),
    )
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=case,
        summary=node_move(
            case.ref, lambda: move_label(field, current), lambda: move_label(field, to)
        ),
        detail={"field": field, "from": current, "to": to, **detail},
    )


def move_label(field: str, code: str) -> str:
    """A case's status, stage, child protection step or caseload as the active language reads
    it (the code itself when it is not one of the field's choices)."""
    return str(dict(Case._meta.get_field(field).flatchoices).get(code, code))
