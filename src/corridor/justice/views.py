"""Justice pages: the list of criminal cases, opening one, the case page and its actions. Each
action is one form feeding one service; every read goes through ``justice.selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.accounts.models import Role
from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read, audit_read_many
from corridor.core.forms import PageAction, errors_to_form, page_action
from corridor.core.pagination import paginate
from corridor.justice import forms, mla, services
from corridor.justice.models import (
    EVENT_FLOW,
    MLA_FLOW,
    EventKind,
    MlaRequest,
    MlaStatus,
    SupportMeasure,
)
from corridor.justice.selectors import (
    GLOTIP_READERS,
    JUSTICE_ROLES,
    case_search,
    visible_accused,
    visible_criminal_cases,
    visible_mla_requests,
    visible_victims,
)


@role_required(*JUSTICE_ROLES)
def case_list(request):
    form = forms.FilterForm(request.GET or None)
    cases = visible_criminal_cases(request.user)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        cases = case_search(cases, query)
        if form.cleaned_data["stage"]:
            cases = cases.filter(accused__stage=form.cleaned_data["stage"]).distinct()
    page = paginate(cases, request.GET.get("page"))
    audit_read_many(
        actor=request.user, records=page.object_list, kind="justice.criminalcase", query=query
    )
    return render(request, "justice/case_list.html", {"form": form, "page": page})


@role_required(*JUSTICE_ROLES)
def case_create(request):
    form = forms.CriminalCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.criminal_case_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Criminal case %(ref)s opened.") % {"ref": case.ref})
            return redirect("justice:detail", pk=case.pk)
    return render(request, "justice/case_form.html", {"form": form})


def _accused(criminal_case, user, data):
    return get_object_or_404(visible_accused(user), pk=data["accused"], criminal_case=criminal_case)


def _victim(criminal_case, user, data):
    return get_object_or_404(visible_victims(user), pk=data["victim"], criminal_case=criminal_case)


def _intel_entity(number):
    if not number:
        return None
    from corridor.intel.models import Entity

    entity = Entity.objects.filter(pk=number).first()
    if entity is None:
        raise ValidationError({"intel_entity": _("No intelligence person has this number.")})
    return entity


def _do_accused(actor, case, data):
    data = dict(data)
    entity = _intel_entity(data.pop("intel_entity"))
    return services.accused_add(actor=actor, criminal_case=case, intel_entity=entity, **data)


def _do_event(actor, case, data):
    accused = _accused(case, actor, data)
    charge = accused.charges.filter(pk=data["charge"]).first() if data["charge"] else None
    if data["charge"] and charge is None:
        raise ValidationError({"charge": _("This charge is not held against this accused.")})
    return services.event_record(
        actor=actor,
        accused=accused,
        kind=data["kind"],
        date=data["date"],
        charge=charge,
        outcome=data["outcome"],
        sentence_months=data["sentence_months"],
        fine=data["fine"],
        amount=data["amount"],
        court=data["court"],
        note=data["note"],
    )


def _do_measure_decide(actor, case, data):
    measure = get_object_or_404(
        SupportMeasure.objects.filter(
            victim__in=visible_victims(actor), victim__criminal_case=case
        ),
        pk=data["measure"],
    )
    return services.measure_decide(
        actor=actor,
        measure=measure,
        status=data["status"],
        decided_on=data["decided_on"],
        amount=data["amount"],
    )


def _with_case(case):
    return {"criminal_case": case}


ACTIONS = {
    "file": PageAction(
        forms.FileForm,
        lambda actor, case, data: services.criminal_case_update(
            actor=actor, criminal_case=case, **data
        ),
    ),
    "accused": PageAction(forms.AccusedForm, _do_accused),
    "event": PageAction(forms.EventForm, _do_event, _with_case),
    "charge": PageAction(
        forms.ChargeForm,
        lambda actor, case, data: services.charge_add(
            actor=actor,
            accused=_accused(case, actor, data),
            offence=data["offence"],
            exploitation=data["exploitation"],
        ),
        _with_case,
    ),
    "victim": PageAction(
        forms.VictimForm,
        lambda actor, case, data: services.victim_link(actor=actor, criminal_case=case, **data),
    ),
    "naming": PageAction(
        forms.NamingForm,
        lambda actor, case, data: services.victim_naming_ground(
            actor=actor, victim=_victim(case, actor, data), ground=data["ground"]
        ),
        _with_case,
    ),
    "measure": PageAction(
        forms.MeasureForm,
        lambda actor, case, data: services.measure_request(
            actor=actor,
            victim=_victim(case, actor, data),
            measure=data["measure"],
            requested_on=data["requested_on"],
            amount=data["amount"],
            note=data["note"],
        ),
        _with_case,
    ),
    "measure_decide": PageAction(forms.MeasureDecideForm, _do_measure_decide, _with_case),
}


@role_required(*JUSTICE_ROLES)
def case_detail(request, pk: int):
    case = get_object_or_404(visible_criminal_cases(request.user), pk=pk)
    audit_read(actor=request.user, target=case, summary=case.ref)
    accused = list(
        case.accused.prefetch_related("charges", "events__charge", "events__recorded_by")
    )
    victims = list(case.victims.select_related("case").prefetch_related("measures"))
    today = timezone.localdate()
    is_prosecutor = request.user.role == Role.PROSECUTOR
    context = {
        "criminal_case": case,
        "accused": [
            {
                "accused": a,
                "allowed": [EventKind(k).label for k in EVENT_FLOW[a.stage]],
            }
            for a in accused
        ],
        "victims": victims,
        "today": today,
        "is_prosecutor": is_prosecutor,
        "forms": {
            "file": forms.FileForm(
                initial={"summary": case.summary, "evidence": case.evidence}, prefix="file"
            ),
            "accused": forms.AccusedForm(initial={"complaint_on": today}, prefix="accused"),
            "event": forms.EventForm(criminal_case=case, initial={"date": today}, prefix="event"),
            "charge": forms.ChargeForm(criminal_case=case, prefix="charge"),
            "victim": forms.VictimForm(prefix="victim"),
            "naming": forms.NamingForm(criminal_case=case, prefix="naming"),
            "measure": forms.MeasureForm(
                criminal_case=case, initial={"requested_on": today}, prefix="measure"
            ),
            "measure_decide": forms.MeasureDecideForm(
                criminal_case=case, initial={"decided_on": today}, prefix="measure_decide"
            ),
        },
    }
    return render(request, "justice/case_detail.html", context)


@role_required(*JUSTICE_ROLES)
@require_POST
def case_action(request, pk: int, action: str):
    case = get_object_or_404(visible_criminal_cases(request.user), pk=pk)
    return page_action(
        request,
        target=case,
        action=action,
        actions=ACTIONS,
        redirect_to=reverse("justice:detail", args=[case.pk]),
    )


@role_required(*JUSTICE_ROLES)
def court_file(request, pk: int):
    """The printable court file (French), audited as an export."""
    from django.http import HttpResponse

    from corridor.justice.court_file import court_file_pdf

    case = get_object_or_404(visible_criminal_cases(request.user), pk=pk)
    try:
        pdf = court_file_pdf(actor=request.user, criminal_case=case)
    except PermissionDenied:
        raise
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.ref}.pdf"'
    return response


@role_required(*GLOTIP_READERS)
def glotip(request):
    """The node's GLOTIP tables of a year (aggregates, no name), with CSV and XLSX downloads
    laid out as the questionnaire's long rows."""
    from django.http import HttpResponse

    from corridor.audit.models import Action
    from corridor.audit.services import audit_record
    from corridor.justice.glotip import CATEGORIES, glotip_csv, glotip_tables, glotip_xlsx

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1990), 2100)
    tables = glotip_tables(year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        name = f"glotip-{tables['country']}-{year}.{fmt}"
        audit_record(
            actor=request.user, action=Action.EXPORT, object_type="justice.glotip", summary=name
        )
        if fmt == "csv":
            response = HttpResponse(glotip_csv(tables), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                glotip_xlsx(tables),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    labels = {"trafficking": _("Trafficking in persons"), "smuggling": _("Smuggling of migrants")}
    measures = {
        "contact": _("In formal contact with the police"),
        "prosecuted": _("Prosecuted"),
        "convicted": _("Convicted"),
    }
    sections = [
        {
            "label": labels[c],
            "rows": [{"label": measures[m], **tables[c][m]} for m in measures],
        }
        for c in CATEGORIES
    ]
    return render(
        request, "justice/glotip.html", {"year": year, "tables": tables, "sections": sections}
    )


@role_required(*JUSTICE_ROLES)
def mla_list(request):
    """The queue of cross-border requests this user may read: received ones first to answer,
    then those this node sent."""
    requests = visible_mla_requests(request.user)
    page = paginate(requests, request.GET.get("page"))
    audit_read_many(actor=request.user, records=page.object_list, kind="justice.mlarequest")
    return render(request, "justice/mla_list.html", {"page": page, "today": timezone.localdate()})


@role_required(*JUSTICE_ROLES)
def mla_create(request, pk: int):
    case = get_object_or_404(visible_criminal_cases(request.user), pk=pk)
    form = forms.MlaDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = mla.mla_draft(actor=request.user, criminal_case=case, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Request drafted: a second person must now approve it."))
            return redirect("justice:mla_detail", pk=item.pk)
    return render(request, "justice/mla_form.html", {"form": form, "criminal_case": case})


@role_required(*JUSTICE_ROLES)
def mla_detail(request, pk: int):
    item = get_object_or_404(visible_mla_requests(request.user), pk=pk)
    audit_read(actor=request.user, target=item, summary=item.case_ref)
    outgoing = item.direction == MlaRequest.Direction.OUTGOING
    return render(
        request,
        "justice/mla_detail.html",
        {
            "item": item,
            "events": item.events.all(),
            "today": timezone.localdate(),
            "can_approve": outgoing
            and item.status == MlaStatus.DRAFT
            and item.drafted_by_id != request.user.pk,
            "can_withdraw": outgoing and MlaStatus.WITHDRAWN in MLA_FLOW[item.status],
            "can_answer": not outgoing and item.is_open and request.user.role == Role.PROSECUTOR,
            "answer_form": forms.MlaAnswerForm(prefix="answer"),
            "withdraw_form": forms.MlaWithdrawForm(prefix="withdraw"),
        },
    )


MLA_ACTIONS = {
    "approve": PageAction(
        forms.MlaApproveForm,
        lambda actor, item, data: mla.mla_approve(actor=actor, request=item),
    ),
    "answer": PageAction(
        forms.MlaAnswerForm,
        lambda actor, item, data: mla.mla_answer(actor=actor, request=item, **data),
    ),
    "withdraw": PageAction(
        forms.MlaWithdrawForm,
        lambda actor, item, data: mla.mla_withdraw(actor=actor, request=item, **data),
    ),
}


@role_required(*JUSTICE_ROLES)
@require_POST
def mla_action(request, pk: int, action: str):
    item = get_object_or_404(visible_mla_requests(request.user), pk=pk)
    return page_action(
        request,
        target=item,
        action=action,
        actions=MLA_ACTIONS,
        redirect_to=reverse("justice:mla_detail", args=[item.pk]),
    )
