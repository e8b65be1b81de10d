"""Caseloads: the one a case opens with (chosen, or proposed by the facts known), and the
supervisor's decision that changes it, with its reason, on the timeline and in the audit trail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corridor.cases import caseloads as cl
from corridor.cases.models import Case
from corridor.cases.selectors import can_approve
from corridor.cases.services.common import _record_move


def caseload_proposed(screening) -> str:
    """The caseload a screening proposes (a supervisor may change it later): a proposed
    trafficking status makes a presumed (or identified) victim; then a referral to the asylum
    authority, an unaccompanied or separated child, and otherwise a stranded or vulnerable
    migrant."""
    person = getattr(screening, "person", None)
    return caseload_from_facts(
        trafficking_status=screening.proposed_status or "",
        international_protection=bool(screening.refer_to_asylum)
        or bool(person is not None and person.needs_international_protection),
        unaccompanied_child=bool(screening.unaccompanied)
        and bool(screening.child or (person is not None and person.is_child)),
    )


def caseload_from_facts(
    *,
    trafficking_status: str = "",
    victim_context: bool = False,
    international_protection: bool = False,
    unaccompanied_child: bool = False,
) -> str:
    """The caseload the facts known at opening point to, for an opening that does not choose
    one (an import, a hand-off): a decided victim is identified; a possible one, or victim
    context recorded, presumed; then protection, an unaccompanied child, a stranded migrant."""
    if trafficking_status == cl.ACTUAL:
        return cl.IDENTIFIED_VICTIM
    if trafficking_status == cl.POSSIBLE or victim_context:
        return cl.PRESUMED_VICTIM
    if international_protection:
        return cl.INTERNATIONAL_PROTECTION
    if unaccompanied_child:
        return cl.CHILD_ON_THE_MOVE
    return cl.STRANDED_MIGRANT


def check_caseload(code: str, *, is_child: bool, field: str = "caseload") -> cl.Caseload:
    """The caseload, refused with a translated error when unknown or not for this person."""
    try:
        load = cl.caseload(code)
    except KeyError:
        raise ValidationError({field: _("Unknown caseload “%(c)s”.") % {"c": code}}) from None
    if load.children_only and not is_child:
        raise ValidationError(
            {field: _("This caseload is for children; the person is recorded as an adult.")}
        )
    return load


def check_group(case: Case, group: str, fields: list[str]) -> None:
    """Refuse content the case's caseload does not take (victim fields on a stranded migrant)."""
    if fields and not cl.caseload(case.caseload).shows(group):
        raise ValidationError(
            _("A case of the caseload “%(c)s” does not take: %(f)s.")
            % {"c": cl.caseload(case.caseload).label, "f": ", ".join(fields)}
        )


@transaction.atomic
def case_change_caseload(*, actor, case: Case, caseload: str, reason: str) -> Case:
    """Change the caseload of a case: a decision of a supervisor of the case's agency (or a
    national coordinator), always with its reason. The content of the former caseload is kept
    (a history), only no longer shown or counted."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_approve(actor, case):
        raise PermissionDenied(
            _("Only a supervisor of the case's agency or a coordinator can change the caseload.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change of caseload.")})
    load = check_caseload(caseload, is_child=case.is_child)
    if {case.stage, case.child_step} & load.exclude_steps:
        raise ValidationError(
            {"caseload": _("The case is at a step this caseload leaves out; move it first.")}
        )
    if caseload == case.caseload:
        raise ValidationError({"caseload": _("The case is already in this caseload.")})
    current = case.caseload
    case.caseload = caseload
    case.save(update_fields=["caseload", "updated_at"])
    _record_move(actor=actor, case=case, field="caseload", current=current, comment=reason)
    return case
