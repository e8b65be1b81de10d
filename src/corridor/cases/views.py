"""Case pages: list, open, the case page and its actions. Each action is one form feeding one
service; the page is re-rendered from the scoped selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read, audit_read_many
from corridor.cases import forms, services
from corridor.cases.caseloads import SMUGGLING, VICTIM, caseload, child_procedure_name
from corridor.cases.models import Approval, Case, ChildStep, SmugglingFacts, Stage, Task
from corridor.cases.registry import case_panels, timeline_items, timeline_text
from corridor.cases.selectors import CASE_ROLES, can_approve, can_manage, visible_cases
from corridor.cases.services.common import move_label
from corridor.core.forms import PageAction, errors_to_form, page_action, page_forms
from corridor.core.forms import error_text as error_text  # referrals/views.py imports it from here
from corridor.core.pagination import paginate
from corridor.people.services import person_add_relationship, person_create


@role_required(*CASE_ROLES)
def case_list(request):
    form = forms.CaseFilterForm(request.GET or None, user=request.user)
    cases = visible_cases(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            # A reference has digits; anything else is a name, looked up in the name index.
            if any(ch.isdigit() for ch in q):
                cases = cases.filter(ref__icontains=q)
            else:
                cases = cases.filter(person__in=_name_matches(request.user, q))
        if data["stage"]:
            cases = cases.filter(stage=data["stage"])
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["child"]:
            cases = cases.filter(is_child=data["child"] == "1")
        if data["agency"]:
            cases = cases.filter(agency=data["agency"])
        if data["overdue"]:
            cases = cases.filter(
                tasks__done_on__isnull=True, tasks__due_on__lt=timezone.localdate()
            ).distinct()
    late = Task.objects.filter(
        case=OuterRef("pk"), done_on__isnull=True, due_on__lt=timezone.localdate()
    )
    cases = cases.annotate(has_overdue=Exists(late))
    page = paginate(cases, request.GET.get("page"))
    query = form.cleaned_data["q"] if form.is_valid() else ""
    audit_read_many(actor=request.user, records=page, kind="cases.case", query=query)
    return render(request, "cases/case_list.html", {"form": form, "page": page})


def _name_matches(user, query: str):
    from corridor.people.selectors import person_search

    return person_search(user, query)


@role_required(*CASE_ROLES)
def case_open(request):
    """Register the person and open the case in one step (nothing is written if either fails)."""
    form = forms.CaseOpenForm(request.POST or None, initial={"identified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = person_create(actor=request.user, **form.person_fields())
                case = services.case_open(
                    actor=request.user,
                    person=person,
                    caseload=data["caseload"],
                    identified_on=data["identified_on"],
                    identified_at_place=data["identified_at_place"],
                    narrative=data["narrative"],
                )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.ref})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_open.html", {"form": form})


@role_required(*CASE_ROLES)
def case_detail(request, pk: int):
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    audit_read(actor=request.user, target=case, summary=case.ref)
    field = "child_step" if case.is_child else "stage"
    moves = services.allowed_moves(case)[field]
    labels = dict(ChildStep.choices) if case.is_child else dict(Stage.choices)
    load = caseload(case.caseload)
    smuggling = SmugglingFacts.objects.filter(case=case).first()
    context = {
        "case": case,
        "caseload": load,
        "shows_victim": load.shows(VICTIM),
        "shows_smuggling": load.shows(SMUGGLING),
        "smuggling": smuggling,
        "procedure_name": child_procedure_name() if case.is_child else _("Stages"),
        "person": case.person,
        "can_manage": can_manage(request.user, case),
        "can_approve": can_approve(request.user, case),
        "moves": [(m, labels[m]) for m in moves],
        "may_close": ChildStep.CLOSED in moves or Stage.CLOSED in moves,
        "steps": services.procedure_steps(case),
        "current_step": case.child_step if case.is_child else case.stage,
        "timeline": _timeline(case, request),
        "panels": case_panels(request, case),
        "approvals": _approvals_with_warnings(case),
        "consents": case.consents.select_related("recorded_by"),
        "services": case.services.select_related("provider"),
        "plans": case.support_plans.all(),
        "tasks": case.tasks.select_related("assigned_to"),
        "notes": case.notes.select_related("author"),
        "events": case.events.all(),
        "relatives": case.person.relationships.all(),
        "forms": page_forms(
            request,
            {
                "transition": forms.TransitionForm(prefix="transition"),
                "note": forms.NoteForm(prefix="note"),
                "consent": forms.ConsentForm(
                    initial={"given_on": timezone.localdate()}, prefix="consent"
                ),
                "approval_request": forms.ApprovalRequestForm(prefix="approval_request"),
                "approval_decide": forms.ApprovalDecideForm(prefix="approval_decide"),
                "service": forms.ServiceForm(
                    initial={"delivered_on": timezone.localdate()}, prefix="service"
                ),
                "plan": forms.PlanForm(prefix="plan"),
                "task": forms.TaskForm(prefix="task"),
                "event": forms.EventForm(prefix="event"),
                "relative": forms.RelativeForm(prefix="relative"),
                "assign": forms.AssignForm(case=case, prefix="assign"),
                "caseload": forms.CaseloadForm(prefix="caseload"),
                "smuggling": forms.SmugglingForm(
                    initial=_smuggling_initial(smuggling),
                    prefix="smuggling",
                ),
                "victim": forms.VictimContextForm(
                    initial={f: getattr(case, f) for f in forms.VictimContextForm.base_fields},
                    prefix="victim",
                ),
            },
            actions=ACTIONS,
            target=case,
        ),
    }
    return render(request, "cases/case_detail.html", context)


@role_required(*CASE_ROLES)
def approval_detail(request, pk: int):
    """The supervisor's approval page: the request and its justification, the case's key facts,
    its approvals and recent history, what is missing, and a decision with no default."""
    approval = get_object_or_404(
        Approval.objects.filter(case__in=visible_cases(request.user)).select_related(
            "case", "case__person", "case__agency", "case__owner", "requested_by", "approver"
        ),
        pk=pk,
    )
    case = approval.case
    may_decide = (
        approval.decision == Approval.Decision.PENDING
        and can_approve(request.user, case)
        and approval.requested_by_id != request.user.pk
    )
    form = forms.ApprovalDecideForm(request.POST if request.method == "POST" else None)
    del form.fields["approval"]  # the page's address names it
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied(_("You cannot decide this request."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.approval_decide(
                    actor=request.user,
                    approval=approval,
                    decision=data["decision"],
                    comment=data["comment"],
                    trafficking_status=data["trafficking_status"],
                    decision_org=data["decision_org"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Decision recorded."))
                return redirect(f"{reverse('cases:detail', args=[case.pk])}#approval-{pk}")
    audit_read(actor=request.user, target=case, summary=case.ref)
    if approval.kind != Approval.Kind.TRAFFICKING_STATUS:
        del form.fields["trafficking_status"], form.fields["decision_org"]
    return render(
        request,
        "cases/approval_detail.html",
        {
            "approval": approval,
            "case": case,
            "person": case.person,
            "may_decide": may_decide,
            "form": form,
            "missing": services.approval_prerequisites(case, approval.kind)
            if approval.decision == Approval.Decision.PENDING
            else [],
            "history": case.approvals.select_related("requested_by", "approver"),
            "timeline": _timeline(case, request)[-12:],
            "consents": case.consents.filter(withdrawn_on__isnull=True),
            "open_tasks": case.tasks.filter(done_on__isnull=True).count(),
            "services_count": case.services.count(),
            "current_step": case.get_child_step_display()
            if case.is_child
            else case.get_stage_display(),
        },
    )


def _approvals_with_warnings(case: Case) -> list[Approval]:
    """The case's approvals, each waiting one carrying what is missing before it is decided."""
    approvals = list(case.approvals.select_related("requested_by", "approver"))
    for approval in approvals:
        approval.missing = (
            services.approval_prerequisites(case, approval.kind)
            if approval.decision == Approval.Decision.PENDING
            else []
        )
    return approvals


def _smuggling_initial(smuggling: SmugglingFacts | None) -> dict:
    if smuggling is None:
        return {"currency": "XOF"}
    return {f: getattr(smuggling, f) for f in forms.SmugglingForm.base_fields}


def _timeline(case: Case, request=None) -> list[dict]:
    """One chronological list of what happened to the case, for the page's timeline, with what
    other apps add to it (``cases.registry.register_timeline_source``)."""
    items = [
        {
            "date": case.identified_on,
            "kind": "identified",
            "text": _("Identified at %(place)s") % {"place": case.identified_at_place}
            if case.identified_at_place
            else _("Identified"),
        }
    ]
    items += [
        {
            "date": e.date,
            "kind": "event",
            "text": timeline_text(e.get_event_type_display(), f"{e.city} {e.country}".strip()),
        }
        for e in case.events.all()
        if e.date
    ]
    items += [
        {
            "date": timezone.localdate(c.at),
            "kind": "caseload" if c.field == "caseload" else "stage",
            "text": (
                _("Caseload: %(from)s → %(to)s")
                if c.field == "caseload"
                else _("%(from)s → %(to)s")
            )
            % {
                "from": move_label(c.field, c.from_value),
                "to": move_label(c.field, c.to_value),
            },
            "who": c.actor,
            "comment": c.comment,
        }
        for c in case.stage_changes.select_related("actor")
    ]
    items += [
        {
            "date": s.delivered_on,
            "kind": "service",
            "text": timeline_text(s.get_service_type_display(), s.provider_name or s.provider),
        }
        for s in case.services.all()
    ]
    items += [
        {
            "date": a.decided_at.date(),
            "kind": "approval",
            "text": _("%(label)s: %(value)s")
            % {"label": a.get_kind_display(), "value": a.get_decision_display()},
        }
        for a in case.approvals.all()
        if a.decided_at
    ]
    if request is not None:
        items += timeline_items(request, case)
    return sorted(items, key=lambda item: item["date"])


def _do_transition(actor, case, data):
    return services.case_transition(
        actor=actor,
        case=case,
        to=data["to"],
        comment=data["comment"],
        closure_reason=data["closure_reason"],
    )


def _do_approval_decide(actor, case, data):
    approval = get_object_or_404(Approval, pk=data["approval"], case=case)
    return services.approval_decide(
        actor=actor,
        approval=approval,
        decision=data["decision"],
        comment=data["comment"],
        trafficking_status=data["trafficking_status"],
        decision_org=data["decision_org"],
    )


def _do_withdraw(actor, case, data):
    consent = get_object_or_404(case.consents, pk=data["consent"])
    return services.consent_withdraw(actor=actor, consent=consent, comment=data["comment"])


def _do_task_done(actor, case, data):
    task = get_object_or_404(case.tasks, pk=data["task"])
    return services.task_complete(actor=actor, task=task, outcome=data["outcome"])


def _do_caregiver(actor, case, data):
    relative = get_object_or_404(case.person.relationships, pk=data["caregiver"])
    return services.case_set_caregiver(
        actor=actor, case=case, caregiver=relative, agreed=data["agreed"], able=data["able"]
    )


def _do_relative(actor, case, data):
    if not can_manage(actor, case):
        raise PermissionDenied(_("You cannot change this case."))
    return person_add_relationship(actor=actor, person=case.person, **data)


def _do_victim(actor, case, data):
    return services.case_update_victim_context(
        actor=actor, case=case, **{k: (v if v is not None else None) for k, v in data.items()}
    )


ACTIONS: dict[str, PageAction] = {
    "transition": PageAction(forms.TransitionForm, _do_transition),
    "note": PageAction(
        forms.NoteForm,
        lambda actor, case, d: services.note_add(actor=actor, case=case, text=d["text"]),
    ),
    "consent": PageAction(
        forms.ConsentForm,
        lambda actor, case, d: services.consent_record(actor=actor, case=case, **d),
    ),
    "withdraw_consent": PageAction(forms.WithdrawConsentForm, _do_withdraw),
    "approval_request": PageAction(
        forms.ApprovalRequestForm,
        lambda actor, case, d: services.approval_request(actor=actor, case=case, **d),
    ),
    "approval_decide": PageAction(forms.ApprovalDecideForm, _do_approval_decide),
    "service": PageAction(
        forms.ServiceForm,
        lambda actor, case, d: services.service_record(actor=actor, case=case, **d),
    ),
    "plan": PageAction(
        forms.PlanForm,
        lambda actor, case, d: services.support_plan_add(actor=actor, case=case, **d),
    ),
    "task": PageAction(
        forms.TaskForm,
        lambda actor, case, d: services.task_create(actor=actor, case=case, **d),
    ),
    "task_done": PageAction(forms.TaskDoneForm, _do_task_done),
    "event": PageAction(
        forms.EventForm,
        lambda actor, case, d: services.event_add(actor=actor, case=case, **d),
    ),
    "relative": PageAction(forms.RelativeForm, _do_relative),
    "caregiver": PageAction(forms.CaregiverForm, _do_caregiver),
    "assign": PageAction(
        forms.AssignForm,
        lambda actor, case, d: services.case_assign(actor=actor, case=case, assignee=d["assignee"]),
        form_kwargs=lambda case: {"case": case},
    ),
    "victim": PageAction(forms.VictimContextForm, _do_victim),
    "caseload": PageAction(
        forms.CaseloadForm,
        lambda actor, case, d: services.case_change_caseload(actor=actor, case=case, **d),
    ),
    "smuggling": PageAction(
        forms.SmugglingForm,
        lambda actor, case, d: services.smuggling_facts_record(actor=actor, case=case, **d),
    ),
}


@require_POST
@role_required(*CASE_ROLES)
def case_action(request, pk: int, action: str):
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    return page_action(
        request,
        target=case,
        action=action,
        actions=ACTIONS,
        redirect_to=reverse("cases:detail", args=[case.pk]),
    )
