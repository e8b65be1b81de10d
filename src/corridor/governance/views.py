"""Governance pages: agreements (administrators, coordinators), retention rules and the
register of processing activities and breaches (administrators), data-subject requests and
exports (national coordinators)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read, node_text
from corridor.core.forms import error_text, errors_to_form
from corridor.core.pagination import paginate
from corridor.federation.models import Peer
from corridor.federation.registry import MESSAGE_TYPES
from corridor.governance import (
    agreements,
    annual_report,
    framework,
    joint,
    logframe,
    register,
    retention,
    rights,
)
from corridor.governance.forms import (
    ActivityForm,
    ActivityUpdateForm,
    AgreementForm,
    BreachForm,
    CloseRequestForm,
    DecisionUpdateForm,
    IndicatorValueForm,
    InstrumentForm,
    InstrumentUpdateForm,
    MeetingForm,
    NotifiedForm,
    PlanActivityForm,
    RequestForm,
    RuleForm,
)
from corridor.governance.models import (
    LEGAL_MINIMUM_MONTHS,
    CommitteeDecision,
    CommitteeMeeting,
    IndicatorValue,
    LegalInstrument,
    PlanActivity,
    RetentionRule,
    RetentionRun,
    Tombstone,
)
from corridor.governance.selectors import (
    ADMINISTRATORS,
    AGREEMENT_READERS,
    COORDINATORS,
    visible_activities,
    visible_agreements,
    visible_breaches,
    visible_requests,
)
from corridor.people.selectors import visible_persons


@role_required(*AGREEMENT_READERS)
def agreement_list(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role(*agreements.AGREEMENT_MANAGERS):
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreements.agreement_create(
                    actor=request.user,
                    reference=data["reference"],
                    title=data["title"],
                    parties=form.cleaned_parties(),
                    purposes=data["purposes"],
                    starts_on=data["starts_on"],
                    expires_on=data["expires_on"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Agreement recorded."))
                return redirect("governance:agreements")
    peers = Peer.objects.filter(is_active=True)
    return render(
        request,
        "governance/agreements.html",
        {
            "form": form,
            "agreements": visible_agreements(request.user),
            "bindings": agreements.bindings(peers, MESSAGE_TYPES),
        },
    )


@role_required(*ADMINISTRATORS)
def retention_page(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention.rule_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Retention rule saved."))
            return redirect("governance:retention")
    rules = {r.record_type: r for r in RetentionRule.objects.all()}
    rows = [
        {
            "type": code,
            "label": label,
            "minimum": LEGAL_MINIMUM_MONTHS[code],
            "rule": rules.get(code),
        }
        for code, label in RetentionRule._meta.get_field("record_type").choices
    ]
    return render(
        request,
        "governance/retention.html",
        {
            "form": form,
            "rows": rows,
            "runs": RetentionRun.objects.all()[:10],
            "tombstones": Tombstone.objects.count(),
        },
    )


@role_required(*ADMINISTRATORS)
def register_page(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    activity_form = ActivityForm(request.POST if action == "activity" else None, prefix="activity")
    breach_form = BreachForm(request.POST if action == "breach" else None, prefix="breach")
    notified_form = NotifiedForm(request.POST if action == "notified" else None, prefix="notified")
    if request.method == "POST":
        try:
            if action == "activity" and activity_form.is_valid():
                register.activity_save(actor=request.user, **activity_form.cleaned_data)
                messages.success(request, _("Processing activity recorded."))
                return redirect("governance:register")
            if action == "breach" and breach_form.is_valid():
                register.breach_record(actor=request.user, **breach_form.cleaned_data)
                messages.success(request, _("Breach logged: notify the authority within 72 hours."))
                return redirect("governance:register")
            if action == "notified" and notified_form.is_valid():
                data = notified_form.cleaned_data
                breach = get_object_or_404(visible_breaches(request.user), pk=data["breach"])
                register.breach_notified(
                    actor=request.user,
                    breach=breach,
                    notified_at=data["notified_at"],
                    persons_notified=data["persons_notified"],
                )
                messages.success(request, _("Notification recorded."))
                return redirect("governance:register")
        except ValidationError as error:
            form = {"activity": activity_form, "breach": breach_form}.get(action, notified_form)
            errors_to_form(form, error)
        messages.error(request, _("Nothing was saved: see the form."))
    return render(
        request,
        "governance/register.html",
        {
            "activity_form": activity_form,
            "breach_form": breach_form,
            "activities": visible_activities(request.user),
            "breaches": visible_breaches(request.user),
        },
    )


@role_required(*COORDINATORS)
def request_list(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    form = RequestForm(request.POST if action == "record" else None, prefix="record")
    close_form = CloseRequestForm(request.POST if action == "close" else None, prefix="close")
    if request.method == "POST":
        try:
            if action == "record" and form.is_valid():
                data = form.cleaned_data
                person = visible_persons(request.user).filter(pk=data.pop("person")).first()
                if person is None:
                    raise ValidationError(
                        {"person": _("No person with this number that you can see.")}
                    )
                rights.request_record(actor=request.user, person=person, **data)
                messages.success(request, _("Request logged."))
                return redirect("governance:requests")
            if action == "close" and close_form.is_valid():
                data = close_form.cleaned_data
                subject = get_object_or_404(visible_requests(request.user), pk=data["request"])
                rights.request_close(
                    actor=request.user,
                    request=subject,
                    status=data["status"],
                    outcome=data["outcome"],
                )
                messages.success(request, _("Request closed."))
                return redirect("governance:requests")
        except ValidationError as error:
            errors_to_form(form if action == "record" else close_form, error)
        messages.error(request, _("Nothing was saved: see the form."))
    page = paginate(visible_requests(request.user), request.GET.get("page"))
    return render(
        request,
        "governance/requests.html",
        {"form": form, "close_form": close_form, "page": page, "requests": page.object_list},
    )


@role_required(*COORDINATORS)
def subject_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    content = rights.subject_export(actor=request.user, person=person, fmt=fmt)
    kind = "application/json" if fmt == "json" else "application/pdf"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="personne-{person.pk}.{fmt}"'
    return response


@role_required(*joint.JOINT_READERS)
def joint_page(request: HttpRequest) -> HttpResponse:
    """Both countries' figures side by side (coordinators share theirs from here)."""
    if request.method == "POST":
        if not request.user.has_role(*joint.FIGURE_SHARERS):
            return HttpResponse(status=403)
        try:
            joint.figures_share(actor=request.user, peers=list(Peer.objects.filter(is_active=True)))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Figures recorded and sent to the other node."))
        return redirect("governance:joint")
    nodes, rows = joint.joint_table()
    sections = {row["anchor"]: row["section"] for row in rows}  # in the table's order
    return render(
        request,
        "governance/joint.html",
        {
            "nodes": [(joint.node_label(name), at) for name, at in nodes],
            "rows": rows,
            "sections": list(sections.items()),
            "charts": joint.joint_charts(nodes, rows),
            "below_k": joint.K - 1,
            "can_share": request.user.has_role(*joint.FIGURE_SHARERS),
        },
    )


def _peers():
    return list(Peer.objects.filter(is_active=True))


@role_required(*logframe.RESULTS_READERS)
def results_page(request: HttpRequest) -> HttpResponse:
    """The logframe with baselines, targets and values per country and year; coordinators
    compute this node's values and enter others by hand with their evidence."""
    language = "fr" if (request.LANGUAGE_CODE or "fr").startswith("fr") else "en"
    choices = [
        (i["code"], f"{i['output']} · {i['title'][language]}") for i in logframe.indicators()
    ]
    action = request.POST.get("action", "")
    form = IndicatorValueForm(
        request.POST if action == "value" else None,
        request.FILES if action == "value" else None,
        indicators=choices,
    )
    if request.method == "POST":
        if not request.user.has_role(*logframe.RESULTS_EDITORS):
            return HttpResponse(status=403)
        try:
            if action == "compute":
                year = request.POST.get("year", "")
                n = logframe.values_compute(
                    actor=request.user, year=int(year) if year.isdigit() else 0
                )
                messages.success(
                    request,
                    ngettext(
                        "%(n)s value computed from the records.",
                        "%(n)s values computed from the records.",
                        n,
                    )
                    % {"n": n},
                )
                return redirect("governance:results")
            if action == "value" and form.is_valid():
                data = form.cleaned_data
                upload = data["evidence"]
                if upload.size > logframe.EVIDENCE_MAX_BYTES:
                    raise ValidationError(
                        {"evidence": _("The evidence file is larger than 10 MB.")}
                    )
                logframe.value_record(
                    actor=request.user,
                    code=data["indicator"],
                    country=data["country"],
                    year=data["year"],
                    value=data["value"],
                    note=data["note"],
                    evidence_name=upload.name,
                    evidence=upload.read(),
                )
                messages.success(request, _("Value recorded with its evidence."))
                return redirect("governance:results")
        except ValidationError as error:
            if action != "value":
                messages.error(
                    request,
                    _("Nothing was computed: %(problems)s") % {"problems": error_text(error)},
                )
                return redirect("governance:results")
            errors_to_form(form, error)
        messages.error(request, _("Nothing was saved: see the form."))
    programme = logframe.logframe()["programme"]
    return render(
        request,
        "governance/results.html",
        {
            "programme": programme,
            "title": programme["title"][language],
            "years": programme["years"],
            "rows": logframe.framework_table(
                language, published_only=logframe.published_only(request.user)
            ),
            "form": form,
            "can_edit": request.user.has_role(*logframe.RESULTS_EDITORS),
            "k": logframe.K,
            "below_k": logframe.K - 1,
        },
    )


@role_required(*logframe.RESULTS_READERS)
def results_report(request: HttpRequest, language: str, fmt: str) -> HttpResponse:
    """The fund's annual report, in French or English, as PDF or XLSX."""
    years = logframe.logframe()["programme"]["years"]
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        year = years[0]
    data = annual_report.report_data(actor=request.user, year=year, language=language)
    if fmt == "pdf":
        body, kind = annual_report.report_pdf(data), "application/pdf"
    else:
        body = annual_report.report_xlsx(data)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="rapport-{year}-{language}.{fmt}"'
    return response


@role_required(*logframe.RESULTS_EDITORS)
def results_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, to this node's coordinators only (audited)."""
    row = get_object_or_404(IndicatorValue.objects.exclude(evidence_size=0), pk=pk)
    audit_read(
        actor=request.user, target=row, summary=node_text(gettext_noop("evidence file read"))
    )
    response = HttpResponse(logframe.evidence_bytes(row), content_type=row.evidence_type)
    suffix = {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
    }.get(row.evidence_type, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="preuve-{row.pk}.{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*framework.FRAMEWORK_READERS)
def framework_page(request: HttpRequest) -> HttpResponse:
    """National action plans, the joint committee's meetings and decisions, and the tracker of
    laws, decrees and procedures; coordinators record and update them."""
    action = request.POST.get("action", "")
    bound = request.POST if request.method == "POST" else None
    forms_ = {
        "activity": PlanActivityForm(bound if action == "activity" else None, prefix="activity"),
        "activity_update": ActivityUpdateForm(
            bound if action == "activity_update" else None, prefix="au"
        ),
        "meeting": MeetingForm(bound if action == "meeting" else None, prefix="meeting"),
        "decision_update": DecisionUpdateForm(
            bound if action == "decision_update" else None, prefix="du"
        ),
        "instrument": InstrumentForm(bound if action == "instrument" else None, prefix="law"),
        "instrument_update": InstrumentUpdateForm(
            bound if action == "instrument_update" else None, prefix="lu"
        ),
    }
    if request.method == "POST":
        if not request.user.has_role(*framework.FRAMEWORK_EDITORS):
            return HttpResponse(status=403)
        form = forms_.get(action)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "activity":
                    framework.activity_save(actor=request.user, **data)
                elif action == "activity_update":
                    row = get_object_or_404(
                        PlanActivity.objects.filter(country=settings.NODE_COUNTRY),
                        pk=data["activity"],
                    )
                    framework.activity_update(
                        actor=request.user,
                        activity=row,
                        status=data["status"],
                        evidence=data["evidence"],
                    )
                elif action == "meeting":
                    framework.meeting_record(
                        actor=request.user,
                        held_on=data["held_on"],
                        title=data["title"],
                        place=data["place"],
                        summary=data["summary"],
                        decisions=form.decisions(),
                        peers=_peers(),
                    )
                elif action == "decision_update":
                    decision = get_object_or_404(CommitteeDecision, pk=data["decision"])
                    framework.decision_update(
                        actor=request.user,
                        decision=decision,
                        status=data["status"],
                        peers=_peers(),
                    )
                elif action == "instrument":
                    framework.instrument_save(actor=request.user, **data)
                elif action == "instrument_update":
                    row = get_object_or_404(
                        LegalInstrument.objects.filter(country=settings.NODE_COUNTRY),
                        pk=data.pop("instrument"),
                    )
                    framework.instrument_update(actor=request.user, instrument=row, **data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("governance:framework")
        messages.error(request, _("Nothing was saved: see the form."))
    return render(
        request,
        "governance/framework.html",
        {
            **{f"{k}_form": v for k, v in forms_.items()},
            "activities": PlanActivity.objects.all(),
            "meetings": CommitteeMeeting.objects.prefetch_related("decisions"),
            "instruments": LegalInstrument.objects.prefetch_related("trainings"),
            "late": framework.late_items(request.user),
            "trainings": list(forms_["instrument_update"].fields["trainings"].queryset),
            "can_edit": request.user.has_role(*framework.FRAMEWORK_EDITORS),
        },
    )


@role_required(*framework.FRAMEWORK_READERS)
def late_page(request: HttpRequest) -> HttpResponse:
    """What is late: plan activities, committee decisions, texts not yet in force."""
    return render(request, "governance/late.html", {"late": framework.late_items(request.user)})
