"""Writes of cases: opening, moving through the stages, approvals, consent, services, tasks.

``case_transition`` is the single mover: it checks the transition table, the actor's right to
manage the case and the preconditions (consent, approved best-interest determination, a
caregiver who agreed and is able, approved closure) before anything changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.cases.models import (
    CHILD_FLOW,
    CHILD_STEP_STAGE,
    FOLLOW_UP_MONTHS,
    STAGE_FLOW,
    Approval,
    Case,
    CaseNote,
    ChildStep,
    Consent,
    ServiceDelivery,
    Stage,
    StageChange,
    Status,
    SupportPlan,
    Task,
    TraffickingEvent,
)
from corridor.cases.selectors import CASE_ROLES, can_approve, can_manage
from corridor.core.vocab import vocabulary
from corridor.people.models import Person

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


def _check_codes(values: dict) -> None:
    errors = {}
    for field, vocab_name in VICTIM_FIELDS.items():
        if field in values:
            bad = [v for v in values[field] or [] if v not in vocabulary(vocab_name)]
            if bad:
                errors[field] = _("Unknown value(s): %(values)s") % {
                    "values": ", ".join(map(str, bad))
                }
    for field, vocab_name in VICTIM_SINGLE_FIELDS.items():
        if values.get(field) and values[field] not in vocabulary(vocab_name):
            errors[field] = _("Unknown value: %(value)s") % {"value": values[field]}
    if errors:
        raise ValidationError(errors)


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
    **victim,
) -> Case:
    """Open a case for a person. A person of uncertain age is treated as a child and follows the
    child-protection steps. ``victim`` takes only ``OPENING_FIELDS``: any other name is a
    programming error (``TypeError``), since no caller passes a user's field names through."""
    unknown = set(victim) - set(OPENING_FIELDS)
    if unknown:
        raise TypeError(f"case_open does not set {sorted(unknown)}")
    if not actor.has_role(*CASE_ROLES):
        raise PermissionDenied(_("Your role cannot open cases."))
    _check_codes(victim)
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
        is_child=is_child,
        child_step=ChildStep.IDENTIFICATION if is_child else "",
        **victim,
    )
    case.full_clean(exclude=["ref"])
    case.save()
    case.ref = f"{actor.country}-{identified_on.year}-{case.pk:06d}"
    case.save(update_fields=["ref"])
    audit_record(
        actor=actor, action=Action.CREATE, target=case, summary=case.ref, detail={"child": is_child}
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
            summary=f"{case.ref}: {Status.ACTIVE} → {status}",
            detail={"prior_status": status},
        )
    return case


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
        summary=f"{case.ref}: {current} → {to}",
        detail={"field": field, "from": current, "to": to, **detail},
    )


@transaction.atomic
def case_update_victim_context(*, actor, case: Case, **values) -> Case:
    _require_manager(actor, case)
    _check_codes(values)
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


def has_consent(case: Case, purpose: str) -> bool:
    return any(c.active for c in case.consents.filter(purpose=purpose, withdrawn_on__isnull=True))


def approved(case: Case, kind: str) -> bool:
    latest = (
        case.approvals.filter(kind=kind)
        .exclude(decision=Approval.Decision.PENDING)
        .order_by("-decided_at")
        .first()
    )
    return latest is not None and latest.decision == Approval.Decision.APPROVED


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
    return missing


def allowed_moves(case: Case) -> dict[str, tuple[str, ...]]:
    if case.is_child:
        return {"child_step": CHILD_FLOW.get(case.child_step, ())}
    return {"stage": STAGE_FLOW.get(case.stage, ())}


def _create_follow_up_tasks(case: Case, start: date) -> None:
    for months in FOLLOW_UP_MONTHS:
        Task.objects.create(
            case=case,
            kind=Task.Kind.FOLLOW_UP,
            title=_("Follow-up visit at %(m)s months") % {"m": months},
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
            _("Not yet possible: missing %(what)s.") % {"what": "; ".join(missing)}
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
        summary=_("assigned to %(u)s") % {"u": assignee.username},
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
        summary=_("caregiver assessment"),
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
    audit_record(actor=actor, action=Action.CREATE, target=approval, summary=f"{case.ref}: {kind}")
    return approval


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
        summary=f"{case.ref}: {approval.kind} {decision}",
        detail={"comment": comment[:200]},
    )
    return approval


@transaction.atomic
def consent_record(
    *,
    actor,
    case: Case,
    purpose: str,
    given: bool = True,
    legal_ground: str = "",
    given_by_guardian: bool = False,
    guardian_name: str = "",
    childs_views: str = "",
    given_on: date | None = None,
) -> Consent:
    """Consent for a child is given by a parent or guardian and records the child's own views."""
    _require_manager(actor, case)
    if purpose not in vocabulary("cases.consent_purpose"):
        raise ValidationError({"purpose": _("Unknown purpose “%(p)s”.") % {"p": purpose}})
    if legal_ground and legal_ground not in vocabulary("cases.legal_ground"):
        raise ValidationError({"legal_ground": _("Unknown legal ground.")})
    if case.is_child and given and not legal_ground:
        errors = {}
        if not given_by_guardian or not guardian_name.strip():
            errors["guardian_name"] = _(
                "A child's consent is given by a parent or guardian: name them."
            )
        if not childs_views.strip():
            errors["childs_views"] = _("Record the child's own views.")
        if errors:
            raise ValidationError(errors)
    consent = Consent(
        case=case,
        purpose=purpose,
        given=given,
        legal_ground=legal_ground,
        given_by_guardian=given_by_guardian,
        guardian_name=guardian_name,
        childs_views=childs_views,
        recorded_by=actor,
        given_on=given_on or timezone.localdate(),
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=consent,
        summary=f"{case.ref}: {purpose}",
        detail={"given": given, "legal_ground": legal_ground},
    )
    return consent


CONSENT_WITHDRAWN_HOOKS: list = []


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, comment: str = "") -> Consent:
    """Withdrawal stops further sharing for that purpose; hooks (in-country referrals, the
    federation) are told in the same transaction so they stop and propagate it."""
    _require_manager(actor, consent.case)
    if consent.withdrawn_on:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.withdrawn_on = timezone.localdate()
    consent.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=consent,
        summary=_("consent withdrawn"),
        detail={"purpose": consent.purpose, "comment": comment[:200]},
    )
    for hook in CONSENT_WITHDRAWN_HOOKS:
        hook(actor=actor, consent=consent)
    return consent


@transaction.atomic
def event_add(
    *,
    actor,
    case: Case,
    event_type: str,
    date: date | None = None,
    city: str = "",
    state: str = "",
    country: str = "",
    description: str = "",
) -> TraffickingEvent:
    _require_manager(actor, case)
    if event_type not in vocabulary("cases.event_type"):
        raise ValidationError({"event_type": _("Unknown event type.")})
    if date and date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    from corridor.people.validation import country_codes

    event = TraffickingEvent(
        case=case,
        event_type=event_type,
        date=date,
        city=city,
        state=state,
        country=country_codes([country])[0] if country else "",
        description=description,
    )
    event.full_clean()
    event.save()
    audit_record(
        actor=actor, action=Action.CREATE, target=event, summary=f"{case.ref}: {event_type}"
    )
    return event


@transaction.atomic
def support_plan_add(
    *,
    actor,
    case: Case,
    plan_type: str,
    objectives: str = "",
    action_plan: str = "",
    planned_end: date | None = None,
) -> SupportPlan:
    _require_manager(actor, case)
    if plan_type not in vocabulary("cases.support_type"):
        raise ValidationError({"plan_type": _("Unknown type of support.")})
    plan = SupportPlan(
        case=case,
        plan_type=plan_type,
        objectives=objectives,
        action_plan=action_plan,
        planned_end=planned_end,
    )
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action=Action.CREATE, target=plan, summary=f"{case.ref}: {plan_type}")
    return plan


@transaction.atomic
def service_record(
    *,
    actor,
    case: Case,
    service_type: str,
    delivered_on: date,
    provider=None,
    provider_name: str = "",
    outcome: str = "",
    plan: SupportPlan | None = None,
) -> ServiceDelivery:
    _require_manager(actor, case)
    if service_type not in vocabulary("cases.support_type"):
        raise ValidationError({"service_type": _("Unknown service.")})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("A service cannot be delivered in the future.")})
    delivery = ServiceDelivery(
        case=case,
        plan=plan,
        service_type=service_type,
        delivered_on=delivered_on,
        provider=provider,
        provider_name=provider_name,
        outcome=outcome,
        recorded_by=actor,
    )
    delivery.full_clean()
    delivery.save()
    if not case.first_assistance_on or delivered_on < case.first_assistance_on:
        case.first_assistance_on = delivered_on
        case.save(update_fields=["first_assistance_on", "updated_at"])
    audit_record(
        actor=actor, action=Action.CREATE, target=delivery, summary=f"{case.ref}: {service_type}"
    )
    return delivery


@transaction.atomic
def task_create(*, actor, case: Case, title: str, due_on: date, assigned_to=None) -> Task:
    _require_manager(actor, case)
    if not title.strip():
        raise ValidationError({"title": _("Describe the task.")})
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        due_on=due_on,
        assigned_to=assigned_to or case.assigned_to or case.owner,
    )
    audit_record(
        actor=actor, action=Action.CREATE, target=task, summary=f"{case.ref}: {title[:80]}"
    )
    return task


@transaction.atomic
def task_complete(*, actor, task: Task, outcome: str = "", done_on: date | None = None) -> Task:
    _require_manager(actor, task.case)
    if task.done_on:
        raise ValidationError(_("This task is already done."))
    task.done_on = done_on or timezone.localdate()
    task.outcome = outcome
    task.save(update_fields=["done_on", "outcome"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=task,
        summary=f"{task.case.ref}: {task.title[:80]}",
        detail={"done": str(task.done_on)},
    )
    return task


@transaction.atomic
def note_add(*, actor, case: Case, text: str) -> CaseNote:
    _require_manager(actor, case)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = CaseNote.objects.create(case=case, author=actor, text=text)
    audit_record(actor=actor, action=Action.CREATE, target=note, summary=case.ref)
    return note
