"""Screening pages: list, the form (htmx person search), detail, opening a case and deciding the
proposed status. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read, audit_read_many
from corridor.cases.models import Approval
from corridor.cases.selectors import can_manage, visible_cases
from corridor.cases.services import approval_decide
from corridor.core.forms import errors_to_form
from corridor.core.pagination import paginate
from corridor.core.vocab import vocabulary
from corridor.people.selectors import person_search, visible_persons
from corridor.screening import services
from corridor.screening.forms import DecisionForm, ScreeningForm
from corridor.screening.questionnaires import get_questionnaire
from corridor.screening.selectors import (
    CASE_OPENERS,
    DECIDERS,
    SCREENERS,
    visible_screenings,
)


@role_required(*SCREENERS)
def screening_list(request: HttpRequest) -> HttpResponse:
    screenings = visible_screenings(request.user)
    questionnaire = request.GET.get("questionnaire", "")
    if questionnaire:
        screenings = screenings.filter(questionnaire=questionnaire)
    page = paginate(screenings, request.GET.get("page"))
    audit_read_many(actor=request.user, records=page, kind="screening.screening")
    return render(
        request,
        "screening/list.html",
        {
            "page": page,
            "questionnaire": questionnaire,
            "questionnaires": vocabulary("screening.questionnaires").terms,
        },
    )


@role_required(*SCREENERS)
def person_lookup(request: HttpRequest) -> HttpResponse:
    """htmx partial: people the user may screen whose names match the query."""
    query = request.GET.get("q", "").strip()
    people = list(person_search(request.user, query)[:10]) if query else []
    audit_read_many(actor=request.user, records=people, kind="people.person", query=query)
    return render(
        request,
        "screening/_people.html",
        {"people": people, "query": query, "questionnaire": request.GET.get("questionnaire", "")},
    )


@role_required(*SCREENERS)
def screening_new(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("questionnaire", "")
    person = None
    if request.GET.get("person"):
        try:
            uid = uuid.UUID(request.GET["person"])
        except ValueError:
            raise Http404 from None
        person = visible_persons(request.user).filter(uid=uid).first()
        if person is None:
            raise Http404
    try:
        questionnaire = get_questionnaire(code) if code else None
    except KeyError:
        questionnaire = None
    if questionnaire is None:
        return render(
            request,
            "screening/choose.html",
            {
                "questionnaires": vocabulary("screening.questionnaires").terms,
                "person": person,
            },
        )
    open_case = services.open_case_of(person) if person is not None else None
    form = ScreeningForm(
        request.POST or None,
        initial={"screened_on": timezone.localdate()},
        questionnaire=questionnaire,
        person=person,
        can_open_case=request.user.has_role(*CASE_OPENERS) and open_case is None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(
                actor=request.user,
                questionnaire=questionnaire.code,
                answers=form.answers(),
                person=person,
                new_person=form.new_person(),
                screened_on=form.cleaned_data["screened_on"],
                place=form.cleaned_data["place"],
                notes=form.cleaned_data["notes"],
                open_case=form.cleaned_data.get("open_case", False),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Screening recorded."))
            return redirect("screening:detail", uid=screening.uid)
    return render(
        request,
        "screening/form.html",
        {
            "form": form,
            "questionnaire": questionnaire,
            "person": person,
            "open_case": open_case,
            "open_case_visible": open_case is not None
            and visible_cases(request.user).filter(pk=open_case.pk).exists(),
        },
    )


def _visible(request, uid) -> object:
    return get_object_or_404(visible_screenings(request.user), uid=uid)


@role_required(*SCREENERS)
def screening_detail(request: HttpRequest, uid) -> HttpResponse:
    screening = _visible(request, uid)
    audit_read(actor=request.user, target=screening)
    questionnaire = get_questionnaire(screening.questionnaire)
    answer_label = vocabulary("screening.answers").label
    section_label = vocabulary("screening.sections").label
    sections = [
        {
            "label": section_label(section),
            "score": screening.section_scores.get(section, 0),
            "rows": [
                (_(t.label), answer_label(screening.answers.get(t.code, "unknown"))) for t in terms
            ],
        }
        for section, terms in questionnaire.sections()
    ]
    case_visible = (
        screening.case_id is not None
        and visible_cases(request.user).filter(pk=screening.case_id).exists()
    )
    approval = screening.approval
    can_decide = (
        approval is not None
        and approval.decision == Approval.Decision.PENDING
        and request.user.has_role(*DECIDERS)
        and approval.requested_by_id != request.user.pk
    )
    decision_form = (
        DecisionForm(initial={"trafficking_status": screening.proposed_status})
        if can_decide
        else None
    )
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "sections": sections,
            "can_open_case": screening.case_id is None and request.user.has_role(*CASE_OPENERS),
            "case_visible": case_visible,
            "can_propose": bool(
                case_visible
                and screening.proposed_status
                and screening.approval_id is None
                and can_manage(request.user, screening.case)
            ),
            "decision_form": decision_form,
            "approval": approval,
        },
    )


@require_POST
@role_required(*CASE_OPENERS)
def screening_open_case(request: HttpRequest, uid) -> HttpResponse:
    screening = _visible(request, uid)
    try:
        case = services.screening_open_case(actor=request.user, screening=screening)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Case %(ref)s opened.") % {"ref": case.ref})
    return redirect("screening:detail", uid=screening.uid)


@require_POST
@role_required(*DECIDERS)
def screening_decide(request: HttpRequest, uid) -> HttpResponse:
    """A supervisor (or a coordinator) records the trafficking status the screening proposed, and
    the body that decided it."""
    screening = _visible(request, uid)
    if screening.approval is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision, a status and the deciding body."))
        return redirect("screening:detail", uid=screening.uid)
    try:
        approval_decide(
            actor=request.user,
            approval=screening.approval,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            trafficking_status=form.cleaned_data["trafficking_status"],
            decision_org=form.cleaned_data["decision_org"],
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("screening:detail", uid=screening.uid)


@require_POST
@role_required(*CASE_OPENERS)
def screening_propose(request: HttpRequest, uid) -> HttpResponse:
    """The status the screening proposes becomes a request for a decision on its case."""
    screening = _visible(request, uid)
    try:
        services.screening_propose_status(actor=request.user, screening=screening)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The proposed status waits for a supervisor's decision."))
    if request.POST.get("from") == "case" and screening.case_id:
        return redirect(f"{reverse('cases:detail', args=[screening.case_id])}#screenings")
    return redirect("screening:detail", uid=screening.uid)
