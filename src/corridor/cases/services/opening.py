"""Opening a case, the status an imported case arrives with, and the victim context."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_move
from corridor.cases import caseloads as cl
from corridor.cases.models import (
    Case,
    ChildStep,
    Stage,
    Status,
)
from corridor.cases.selectors import CASE_ROLES, can_approve
from corridor.cases.services.caseload import caseload_from_facts, check_caseload, check_group
from corridor.cases.services.common import (
    VICTIM_FIELDS,
    VICTIM_SINGLE_FIELDS,
    _check_codes,
    _record_move,
    _require_manager,
    move_label,
)
from corridor.people.models import Person

OPENING_FIELDS = (
    # The victim context a caseworker records when the case opens (HTCDS ``vic_``).
    "exploitation_types",
    "industries",
    "methods_of_control",
    "vulnerabilities",
    "recruitment_method",
    "relationship_to_trafficker",
    "age_when_trafficked",
    # A trafficking status decided by a competent body before the case came here (an HTCDS
    # import), or one a screening proposes for a supervisor to decide (an approval).
    "trafficking_status",
    "status_decision_org",
    "trafficking_status_proposed",
    # A case referred by the other country's node.
    "cross_border",
)
"""What ``case_open`` sets besides the person, agency, owner, identification and narrative.
Status, stage and child step start at the beginning and move only through ``case_transition``
(or, for a case imported with its history, ``case_record_prior_status``)."""


@transaction.atomic
def case_open(
    *,
    actor,
    person: Person,
    agency=None,
    owner=None,
    identified_on: date | None = None,
    identified_at_place: str = "",
    narrative: str = "",
    caseload: str = "",
    **victim,
) -> Case:
    """Open a case for a person, in a caseload. A person of uncertain age is treated as a child
    and follows the child-protection steps. The page and the API make the caseworker choose the
    caseload; a caller that does not (an import, a hand-off) gets the one the facts it passes
    propose (``caseload_from_facts``). The victim context is refused on a caseload that does not
    take it. ``victim`` takes only ``OPENING_FIELDS``: any other name is a programming error
    (``TypeError``), since no caller passes a user's field names through."""
    unknown = set(victim) - set(OPENING_FIELDS)
    if unknown:
        raise TypeError(f"case_open does not set {sorted(unknown)}")
    if not actor.has_role(*CASE_ROLES):
        raise PermissionDenied(_("Your role cannot open cases."))
    _check_codes(victim)
    context = [f for f in cl.VICTIM_CONTEXT_FIELDS if victim.get(f)]
    if not caseload:
        caseload = caseload_from_facts(
            trafficking_status=victim.get("trafficking_status")
            or victim.get("trafficking_status_proposed")
            or "",
            victim_context=bool(context),
            international_protection=person.needs_international_protection,
            unaccompanied_child=person.is_child and person.unaccompanied,
        )
    load = check_caseload(caseload, is_child=person.is_child)
    if context and not load.shows(cl.VICTIM):
        raise ValidationError(
            _("A case of the caseload “%(c)s” does not take: %(f)s.")
            % {"c": load.label, "f": ", ".join(context)}
        )
    identified_on = identified_on or timezone.localdate()
    if identified_on > timezone.localdate():
        raise ValidationError(
            {"identified_on": _("The identification date cannot be in the future.")}
        )
    is_child = person.is_child
    case = Case(
        person=person,
        agency=agency or actor.agency,
        owner=owner or actor,
        identified_on=identified_on,
        identified_at_place=identified_at_place,
        narrative=narrative,
        caseload=caseload,
        is_child=is_child,
        child_step=ChildStep.IDENTIFICATION if is_child else "",
        **victim,
    )
    case.full_clean(exclude=["ref"])
    case.save()
    case.ref = f"{actor.country}-{identified_on.year}-{case.pk:06d}"
    case.save(update_fields=["ref"])
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=case,
        summary=case.ref,
        detail={"child": is_child, "caseload": caseload},
    )
    return case


PRIOR_STATUS_STAGE = {
    Status.ACTIVE: None,
    Status.FOLLOW_UP: None,
    Status.CLOSED: Stage.CLOSED,
    Status.CLOSED_REFERRED: Stage.CLOSED,
}
"""The statuses a case may bring from the system it comes from, and the stage each puts it at."""


@transaction.atomic
def case_record_prior_status(
    *, actor, case: Case, status: str, closure_reason: str = "", comment: str = ""
) -> Case:
    """Record the status a case already had in the system it comes from (an HTCDS file's
    ``cas_Status``), on a case just opened for it.

    This is history, not a move: the closure was decided elsewhere, so Corridor's preconditions
    (an approved closure) cannot be asked of it. It is therefore allowed only once, on a case
    still where ``case_open`` left it, to someone who could approve a closure (a supervisor of
    the case's agency or a coordinator); the move is logged on the case's timeline and audited
    like a transition. Every later move goes through ``case_transition``."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_approve(actor, case):
        raise PermissionDenied(
            _("Only a supervisor of the case's agency or a coordinator can record its status.")
        )
    if status not in PRIOR_STATUS_STAGE:
        raise ValidationError({"status": _("Unknown case status “%(v)s”.") % {"v": status}})
    fresh = case.stage == Stage.IDENTIFICATION and case.status == Status.ACTIVE
    if not fresh or case.stage_changes.exists():
        raise ValidationError(
            _("The status a case brings can be recorded only on a case just opened.")
        )
    if status == Status.ACTIVE:
        return case
    field = "child_step" if case.is_child else "stage"
    current = getattr(case, field)
    case.status = status
    stage = PRIOR_STATUS_STAGE[status]
    if stage is not None:
        case.stage = stage
        if case.is_child:
            case.child_step = ChildStep.CLOSED
        case.closure_reason = closure_reason[:200]
    case.full_clean(exclude=["ref"])
    case.save()
    if stage is not None:
        _record_move(
            actor=actor,
            case=case,
            field=field,
            current=current,
            comment=comment,
            prior_status=status,
        )
    else:
        audit_record(
            actor=actor,
            action=Action.TRANSITION,
            target=case,
            summary=node_move(
                case.ref,
                lambda: move_label("status", Status.ACTIVE),
                lambda: move_label("status", status),
            ),
            detail={"prior_status": status},
        )
    return case


@transaction.atomic
def case_update_victim_context(*, actor, case: Case, **values) -> Case:
    """Edit the victim context (and the proceedings, place, narrative); the victim fields only
    on a caseload that takes them."""
    _require_manager(actor, case)
    _check_codes(values)
    check_group(
        case,
        cl.VICTIM,
        [f for f in cl.VICTIM_CONTEXT_FIELDS if values.get(f) and getattr(case, f) != values[f]],
    )
    allowed = (
        set(VICTIM_FIELDS)
        | set(VICTIM_SINGLE_FIELDS)
        | {"age_when_trafficked", "narrative", "identified_at_place", "proceedings"}
    )
    changed = []
    for field, value in values.items():
        if field not in allowed:
            raise TypeError(f"not a victim-context field: {field}")
        if getattr(case, field) != value:
            setattr(case, field, value)
            changed.append(field)
    if changed:
        case.full_clean()
        case.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=case,
            summary=case.ref,
            detail={"fields": changed},
        )
    return case
