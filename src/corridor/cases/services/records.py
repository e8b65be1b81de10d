"""What a case gathers as it runs: trafficking events, support plans, services, tasks, notes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_about
from corridor.cases import caseloads as cl
from corridor.cases.models import (
    Case,
    CaseNote,
    ServiceDelivery,
    SupportPlan,
    Task,
    TraffickingEvent,
)
from corridor.cases.services.caseload import check_group
from corridor.cases.services.common import _require_manager
from corridor.core.vocab import vocabulary


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
    check_group(case, cl.VICTIM, [_("trafficking events")])
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
        actor=actor,
        action=Action.CREATE,
        target=event,
        summary=node_about(case.ref, event.get_event_type_display),
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
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=plan,
        summary=node_about(case.ref, plan.get_plan_type_display),
    )
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
        actor=actor,
        action=Action.CREATE,
        target=delivery,
        summary=node_about(case.ref, delivery.get_service_type_display),
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
        actor=actor,
        action=Action.CREATE,
        target=task,
        summary=node_about(case.ref, lambda: title[:80]),
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
        summary=node_about(task.case.ref, lambda: task.title[:80]),
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
