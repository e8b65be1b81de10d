"""Moving a case: ``case_transition`` is the single mover. It checks the transition table, the
actor's right to manage the case and the preconditions (consent, approved best-interest
determination, a caregiver who agreed and is able, approved closure) before anything changes.
Assignment, the caregiver and approvals live here too: they are what the moves depend on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_about, node_text
from corridor.cases import caseloads as cl
from corridor.cases.models import (
    CHILD_FLOW,
    CHILD_STEP_STAGE,
    FOLLOW_UP_MONTHS,
    STAGE_FLOW,
    Approval,
    Case,
    ChildStep,
    Stage,
    Status,
    Task,
)
from corridor.cases.selectors import can_approve
from corridor.cases.services.common import (
    _record_move,
    _require_manager,
)
from corridor.core import said
from corridor.core.numbers import in_a_list
from corridor.core.vocab import vocabulary


def has_consent(case: Case, purpose: str) -> bool:
    return any(c.active for c in case.consents.filter(purpose=purpose, withdrawn_on__isnull=True))


def latest_decided(case: Case, kind: str) -> Approval | None:
    """The case's latest decided approval of ``kind`` (the one in force), or None."""
    return (
        case.approvals.filter(kind=kind)
        .exclude(decision=Approval.Decision.PENDING)
        .order_by("-decided_at")
        .first()
    )


def approved(case: Case, kind: str) -> bool:
    latest = latest_decided(case, kind)
    return latest is not None and latest.decision == Approval.Decision.APPROVED


# What other apps add to the checks here (childcare: the approved determination must be its
# panel's record, deciding return for a return). Each appends itself once, in its ready().
# MOVE_CHECKS: ``check(case, to_step=..., to_stage=...) -> list[str]``, what else is missing
# before a move (a refusal). APPROVAL_CHECKS: ``check(case, kind) -> list[str]``, what a
# supervisor should know before deciding an approval (a warning).
MOVE_CHECKS: list = []
APPROVAL_CHECKS: list = []


def _preconditions(case: Case, *, to_step: str = "", to_stage: str = "") -> list[str]:
    """What is missing before the move; empty when the move may happen."""
    missing = []
    if to_step == ChildStep.TRACING and not has_consent(case, "family_tracing"):
        missing.append(_("consent (or a legal ground) for family tracing"))
    if to_step in (ChildStep.RETURN, ChildStep.ALTERNATIVE_CARE) and not approved(
        case, Approval.Kind.BID
    ):
        missing.append(_("a best-interest determination approved by a supervisor"))
    if to_step == ChildStep.RETURN:
        if not case.caregiver_id:
            missing.append(_("a caregiver to return to"))
        elif not (case.caregiver_agreed and case.caregiver_able):
            missing.append(_("a caregiver who agreed and was assessed as able"))
    if (to_step == ChildStep.RETURN or to_stage == Stage.RETURN) and not has_consent(
        case, "return"
    ):
        missing.append(_("consent (or a legal ground) for the return"))
    if (to_step == ChildStep.CLOSED or to_stage == Stage.CLOSED) and not approved(
        case, Approval.Kind.CLOSURE
    ):
        missing.append(_("an approved closure"))
    for check in MOVE_CHECKS:
        missing.extend(check(case, to_step=to_step, to_stage=to_stage))
    return missing


def approval_prerequisites(case: Case, kind: str) -> list[str]:
    """What a supervisor should know is missing before deciding an approval of ``kind``: a
    warning, never a refusal (the decision is the supervisor's), shown where the request is made
    and where it is decided."""
    missing = []
    if kind == Approval.Kind.BID and not approved(case, Approval.Kind.BIA):
        missing.append(_("No best-interest assessment of this case has been approved."))
    if kind == Approval.Kind.CLOSURE:
        open_tasks = case.tasks.filter(done_on__isnull=True).count()
        if open_tasks:
            missing.append(
                ngettext(
                    "%(n)s task of this case is still open.",
                    "%(n)s tasks of this case are still open.",
                    open_tasks,
                )
                % {"n": open_tasks}
            )
    if kind == Approval.Kind.CASE_PLAN and not case.support_plans.exists():
        missing.append(_("No support plan has been recorded for this case."))
    if kind == Approval.Kind.TRAFFICKING_STATUS and not case.trafficking_status_proposed:
        missing.append(_("No screening or caseworker has proposed a trafficking status."))
    for check in APPROVAL_CHECKS:
        missing.extend(check(case, kind))
    return missing


def allowed_moves(case: Case) -> dict[str, tuple[str, ...]]:
    """The moves of the case's procedure (child steps for a child, stages for an adult) less the
    steps its caseload leaves out (no return for a person referred for international
    protection)."""
    excluded = cl.caseload(case.caseload).exclude_steps
    if case.is_child:
        return {
            "child_step": tuple(s for s in CHILD_FLOW.get(case.child_step, ()) if s not in excluded)
        }
    return {"stage": tuple(s for s in STAGE_FLOW.get(case.stage, ()) if s not in excluded)}


def procedure_steps(case: Case) -> list[tuple[str, str]]:
    """The steps the case page shows: its procedure's, less those its caseload leaves out."""
    excluded = cl.caseload(case.caseload).exclude_steps
    steps = ChildStep.choices if case.is_child else Stage.choices
    return [(code, label) for code, label in steps if code not in excluded]


def _create_follow_up_tasks(case: Case, start: date) -> None:
    for months in FOLLOW_UP_MONTHS:
        Task.objects.create(
            case=case,
            kind=Task.Kind.FOLLOW_UP,
            title=said.say(said.FOLLOW_UP_VISIT, m=months),
            due_on=start + timedelta(days=round(months * 30.44)),
            assigned_to=case.assigned_to or case.owner,
        )


@transaction.atomic
def case_transition(
    *,
    actor,
    case: Case,
    to: str,
    comment: str = "",
    closure_reason: str = "",
    referred: bool = False,
    on: date | None = None,
) -> Case:
    """Move a case one step along its transition table (child steps for a child, stages for an
    adult); refuse with the list of what is missing when a precondition does not hold. ``on`` is
    the day the move happened when it is recorded afterwards (a return recorded the next day)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_manager(actor, case)
    field = "child_step" if case.is_child else "stage"
    current = getattr(case, field)
    if to not in allowed_moves(case)[field]:
        raise ValidationError(
            _("A case cannot go from “%(from)s” to “%(to)s”.") % {"from": current, "to": to}
        )
    missing = _preconditions(
        case, to_step=to if case.is_child else "", to_stage="" if case.is_child else to
    )
    if missing:
        raise ValidationError(
            _("Not yet possible: missing %(what)s.") % {"what": in_a_list(missing)}
        )
    today = timezone.localdate()
    if on is not None:
        if on > today or on < case.identified_on:
            raise ValidationError(
                _("The date of the move must be between the identification and today.")
            )
        today = on
    setattr(case, field, to)
    if case.is_child:
        case.stage = CHILD_STEP_STAGE[to]
        if to == ChildStep.REINTEGRATION and current == ChildStep.RETURN:
            case.returned_on = case.returned_on or today
            _create_follow_up_tasks(case, case.returned_on)
        elif to == ChildStep.REINTEGRATION:
            _create_follow_up_tasks(case, today)
    if case.stage == Stage.FIRST_ASSISTANCE and not case.first_assistance_on:
        case.first_assistance_on = today
    if case.stage == Stage.CLOSED:
        case.status = Status.CLOSED_REFERRED if referred else Status.CLOSED
        case.closed_on = today
        case.closure_reason = closure_reason
    elif case.is_child and to == ChildStep.FOLLOW_UP:
        case.status = Status.FOLLOW_UP
    else:
        case.status = Status.ACTIVE
        case.closed_on = None
    case.save()
    moved_at = None if on is None else timezone.make_aware(datetime.combine(on, time(12)))
    _record_move(actor=actor, case=case, field=field, current=current, comment=comment, at=moved_at)
    return case


@transaction.atomic
def case_assign(*, actor, case: Case, assignee) -> Case:
    """Assign or reassign: a supervisor of the case's agency (or a coordinator), to a caseworker
    or supervisor of that agency."""
    if not can_approve(actor, case):
        raise PermissionDenied(_("Only a supervisor of the case's agency can assign it."))
    if assignee.agency_id != case.agency_id or not assignee.has_role(
        Role.CASEWORKER, Role.SUPERVISOR
    ):
        raise ValidationError(
            _("A case can only be assigned to a caseworker or supervisor of its agency.")
        )
    previous = case.assigned_to
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    Task.objects.filter(case=case, done_on__isnull=True, assigned_to=previous or case.owner).update(
        assigned_to=assignee
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=case,
        summary=node_text(gettext_noop("assigned to %(u)s"), u=assignee.username),
        detail={"from": previous.username if previous else None, "to": assignee.username},
    )
    return case


@transaction.atomic
def case_set_caregiver(*, actor, case: Case, caregiver, agreed: bool, able: bool) -> Case:
    _require_manager(actor, case)
    if caregiver is not None and caregiver.person_id != case.person_id:
        raise ValidationError(_("The caregiver must be one of this person's relatives."))
    case.caregiver, case.caregiver_agreed, case.caregiver_able = caregiver, agreed, able
    case.save(update_fields=["caregiver", "caregiver_agreed", "caregiver_able", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=case,
        summary=node_text(gettext_noop("caregiver assessment")),
        detail={"agreed": agreed, "able": able},
    )
    return case


@transaction.atomic
def approval_request(*, actor, case: Case, kind: str, comment: str = "") -> Approval:
    _require_manager(actor, case)
    if kind not in Approval.Kind.values:
        raise ValidationError(_("Unknown approval “%(k)s”.") % {"k": kind})
    if case.approvals.filter(kind=kind, decision=Approval.Decision.PENDING).exists():
        raise ValidationError(_("This approval is already waiting for a decision."))
    approval = Approval.objects.create(
        case=case, kind=kind, requested_by=actor, request_comment=comment
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=approval,
        summary=node_about(case.ref, approval.get_kind_display),
    )
    return approval


@transaction.atomic
def case_propose_trafficking_status(
    *, actor, case: Case, status: str, justification: str = ""
) -> Approval:
    """A proposed trafficking status (from a screening) becomes the case's proposal and a
    request for a supervisor's decision; the one already waiting is reused, never doubled."""
    _require_manager(actor, case)
    if status not in vocabulary("cases.trafficking_status"):
        raise ValidationError(_("Unknown trafficking status “%(s)s”.") % {"s": status})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.trafficking_status and case.trafficking_status_proposed != status:
        case.trafficking_status_proposed = status
        case.save(update_fields=["trafficking_status_proposed", "updated_at"])
    waiting = case.approvals.filter(
        kind=Approval.Kind.TRAFFICKING_STATUS, decision=Approval.Decision.PENDING
    ).first()
    if waiting is not None:
        return waiting
    return approval_request(
        actor=actor, case=case, kind=Approval.Kind.TRAFFICKING_STATUS, comment=justification
    )


@transaction.atomic
def approval_decide(
    *,
    actor,
    approval: Approval,
    decision: str,
    comment: str = "",
    decision_org: str = "",
    trafficking_status: str = "",
) -> Approval:
    """A supervisor approves or rejects, with a comment; the requester cannot approve their own
    request. Approving a trafficking status records it on the case with the deciding body."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    case = approval.case
    if not can_approve(actor, case):
        raise PermissionDenied(
            _("Only a supervisor of the case's agency or a coordinator can decide.")
        )
    if approval.requested_by_id == actor.pk:
        raise PermissionDenied(_("You cannot approve your own request."))
    if approval.decision != Approval.Decision.PENDING:
        raise ValidationError(_("This approval was already decided."))
    if decision not in (Approval.Decision.APPROVED, Approval.Decision.REJECTED):
        raise ValidationError(_("Choose approve or reject."))
    if decision == Approval.Decision.REJECTED and not comment.strip():
        raise ValidationError({"comment": _("Say why the request is rejected.")})
    if approval.kind == Approval.Kind.TRAFFICKING_STATUS and decision == Approval.Decision.APPROVED:
        if trafficking_status not in vocabulary(
            "cases.trafficking_status"
        ) or decision_org not in vocabulary("cases.decision_org"):
            raise ValidationError(_("Record the trafficking status and the body that decided it."))
        case.trafficking_status, case.status_decision_org = trafficking_status, decision_org
        case.save(update_fields=["trafficking_status", "status_decision_org", "updated_at"])
        decided_load = {cl.ACTUAL: cl.IDENTIFIED_VICTIM, cl.POSSIBLE: cl.PRESUMED_VICTIM}.get(
            trafficking_status
        )
        if decided_load and not (
            case.caseload == cl.IDENTIFIED_VICTIM or case.caseload == decided_load
        ):
            # The decision is the supervisor's: the case moves to the victim caseload with it.
            current = case.caseload
            case.caseload = decided_load
            case.save(update_fields=["caseload", "updated_at"])
            _record_move(
                actor=actor,
                case=case,
                field="caseload",
                current=current,
                comment=comment or _("Trafficking status decided."),
            )
    approval.decision, approval.approver, approval.decided_at, approval.comment = (
        decision,
        actor,
        timezone.now(),
        comment,
    )
    approval.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=approval,
        summary=node_about(
            case.ref,
            gettext_noop("%(kind)s, %(decision)s"),
            kind=approval.get_kind_display,
            decision=approval.get_decision_display,
        ),
        detail={"comment": comment[:200]},
    )
    return approval
