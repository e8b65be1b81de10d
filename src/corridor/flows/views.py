"""Flow pages: daily count entry, surveys, the dashboard (pictures) and its export, field
submission upload, alerts. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from corridor.accounts.models import Role
from corridor.accounts.permissions import role_required
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.core.forms import errors_to_form
from corridor.core.pagination import paginate
from corridor.flows import importers
from corridor.flows.dashboard import Filters, dashboard_charts, dashboard_data, dashboard_figures
from corridor.flows.forms import DashboardFilterForm, SheetForm, SurveyForm, UploadForm
from corridor.flows.selectors import (
    COUNT_WRITERS,
    FLOW_READERS,
    visible_alerts,
    visible_notifications,
    visible_points,
    visible_sheets,
    visible_submissions,
    writable_points,
)
from corridor.flows.services.alerts import notification_mark_read
from corridor.flows.services.counts import flow_sheet_record
from corridor.flows.services.surveys import flow_survey_record

IMPORTERS = (Role.COORDINATOR,)


def _filters(request) -> tuple[DashboardFilterForm, Filters]:
    today = timezone.localdate()
    filters = Filters(start=today - timedelta(days=89), end=today)
    form = DashboardFilterForm(
        request.GET or None,
        points=visible_points(request.user),
        initial={"start": filters.start, "end": filters.end},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = Filters(
            start=data["start"] or filters.start,
            end=data["end"] or filters.end,
            point=data["point"].pk if data["point"] else None,
            route=data["route"] or "",
        )
    return form, filters


@role_required(*FLOW_READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    data = dashboard_data(request.user, filters)
    return render(
        request,
        "flows/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "totals": data["totals"],
            "charts": dashboard_charts(data),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*FLOW_READERS)
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's charts as one PDF (a page per chart) or one PNG image."""
    from corridor.flows import charts

    _form, filters = _filters(request)
    figures = [fig for _anchor, fig in dashboard_figures(dashboard_data(request.user, filters))]
    name = f"flows-{filters.start.isoformat()}-{filters.end.isoformat()}"
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="flows.dashboard",
        summary=f"{name}.{fmt}",
        detail={"point": filters.point, "route": filters.route},
    )
    if fmt == "pdf":
        body, content_type = charts.to_pdf(figures, title=_("Flow monitoring")), "application/pdf"
    else:
        body, content_type = charts.to_png(figures), "image/png"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@role_required(*FLOW_READERS)
def sheet_list(request: HttpRequest) -> HttpResponse:
    page = paginate(visible_sheets(request.user), request.GET.get("page"))
    return render(
        request,
        "flows/sheet_list.html",
        {"page": page, "sheets": page, "can_enter": request.user.role in COUNT_WRITERS},
    )


@role_required(*COUNT_WRITERS)
def sheet_entry(request: HttpRequest) -> HttpResponse:
    points = writable_points(request.user)
    form = SheetForm(request.POST or None, points=points)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = flow_sheet_record(
                actor=request.user,
                point=form.cleaned_data["point"],
                day=form.cleaned_data["day"],
                rows=form.rows(),
                vulnerabilities=form.vulnerabilities(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("point", str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "Counts saved: %(n)s traveller at %(point)s on %(day)s.",
                    "Counts saved: %(n)s travellers at %(point)s on %(day)s.",
                    sheet.travellers,
                )
                % {"n": sheet.travellers, "point": sheet.point.name, "day": sheet.day},
            )
            return redirect("flows:sheet_list")
    return render(request, "flows/sheet_entry.html", {"form": form, "has_points": points.exists()})


@role_required(*COUNT_WRITERS)
def survey_entry(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, points=writable_points(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        point, day, consent = data.pop("point"), data.pop("day"), data.pop("consent")
        try:
            flow_survey_record(actor=request.user, point=point, day=day, consent=consent, **data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Survey recorded."))
            return redirect("flows:survey_entry")
    return render(request, "flows/survey_entry.html", {"form": form})


@role_required(*IMPORTERS)
def submission_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importers.import_file(
            actor=request.user,
            content=upload.read(),
            filename=upload.name,
            form_id=form.cleaned_data["form_id"].strip(),
        )
        if report.errors:
            messages.error(
                request,
                ngettext(
                    "%(n)s submission refused; nothing of it was imported.",
                    "%(n)s submissions refused; nothing of them was imported.",
                    len(report.errors),
                )
                % {"n": len(report.errors)},
            )
        elif not report.total:
            messages.warning(
                request,
                _(
                    "The file holds no submission: nothing was imported. An export of ODK "
                    "Central or KoboToolbox has a header row, then one row per submission."
                ),
            )
        else:
            messages.success(request, _("Import finished without errors."))
    page = paginate(visible_submissions(request.user), request.GET.get("page"))
    return render(
        request,
        "flows/submission_upload.html",
        {
            "form": form,
            "report": report,
            "page": page,
            "submissions": page,
        },
    )


@role_required(Role.COORDINATOR)
def alert_list(request: HttpRequest) -> HttpResponse:
    page = paginate(visible_alerts(request.user), request.GET.get("page"))
    return render(
        request,
        "flows/alert_list.html",
        {
            "page": page,
            "alerts": page,
            "notifications": visible_notifications(request.user).filter(read_at=None)[:50],
        },
    )


@require_POST
@role_required(Role.COORDINATOR)
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(visible_notifications(request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    return redirect("home")
