"""Report pages: results indicators (pictures), training records, publication of privacy-safe
aggregates, and what partners see (published aggregates only)."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.accounts.models import Agency
from corridor.accounts.permissions import role_required
from corridor.accounts.selectors import visible_agencies
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.core import svgcharts
from corridor.core.forms import errors_to_form
from corridor.core.pagination import paginate
from corridor.core.tabular import safe_rows
from corridor.core.vocab import vocabulary
from corridor.justice.selectors import GLOTIP_READERS
from corridor.reports import indicators, services
from corridor.reports.forms import BudgetForm, CtdcForm, DpReleaseForm, PeriodForm, TrainingForm
from corridor.reports.selectors import (
    PUBLICATION_READERS,
    PUBLISHERS,
    REPORT_READERS,
    TRAINING_MANAGERS,
    visible_budgets,
    visible_publications,
    visible_trainings,
)


def _period(request):
    start, end = indicators.default_period()
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


def _charts(data: dict, charts) -> list:
    """The page's three bar charts, drawn by ``charts``: ``core.svgcharts`` for the page (inline
    SVG), ``flows.charts`` (matplotlib) for the PDF and PNG exports."""
    c, t = data["cases"], data["training"]
    empty = _("Nothing recorded in this period")
    labels = dict(Agency._meta.get_field("country").choices)
    services_vocab = vocabulary("cases.support_type")  # the services by name, not by code
    women, men = _("women"), _("men")  # outside the f-string, where extraction sees them
    return [
        charts.bars(_("Case indicators"), indicators.case_indicator_bars(c), empty=empty),
        charts.bars(
            _("Persons assisted, by type of service"),
            sorted(
                ((services_vocab.label(code), n) for code, n in c["assisted_by_service"].items()),
                key=lambda kv: -kv[1],
            ),
            empty=empty,
        ),
        charts.bars(
            _("Officials trained, by agency and sex"),
            [
                (
                    f"{r['agency__short_name'] or r['agency__name']} · {labels.get(r['agency__country'], '')} · "
                    f"{women if r['sex'] == 'f' else men}",
                    r["n"],
                )
                for r in t["by_agency"]
            ],
            empty=empty,
        ),
    ]


@role_required(*REPORT_READERS)
def index(request: HttpRequest) -> HttpResponse:
    form, start, end = _period(request)
    data = indicators.indicator_report(request.user, start, end)
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "data": data,
            "charts": _charts(data, svgcharts),
            "query": request.GET.urlencode(),
            "reads_glotip": request.user.has_role(*GLOTIP_READERS),
        },
    )


@role_required(*REPORT_READERS)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    from corridor.flows import charts

    _form, start, end = _period(request)
    figures = _charts(indicators.indicator_report(request.user, start, end), charts)
    name = f"indicators-{start.isoformat()}-{end.isoformat()}.{fmt}"
    audit_record(
        actor=request.user, action=Action.EXPORT, object_type="reports.indicators", summary=name
    )
    if fmt == "pdf":
        response = HttpResponse(
            charts.to_pdf(figures, title=_("Indicators")), content_type="application/pdf"
        )
    else:
        response = HttpResponse(charts.to_png(figures), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*TRAINING_MANAGERS)
def training(request: HttpRequest) -> HttpResponse:
    agencies = visible_agencies(request.user).filter(is_active=True)
    form = TrainingForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.training_session_create(
                actor=request.user,
                title=data["title"],
                topic=data["topic"],
                held_on=data["held_on"],
                place=data["place"],
                organiser=data["organiser"],
                attendance=form.attendance(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Training session recorded."))
            return redirect("reports:training")
    page = paginate(visible_trainings(request.user), request.GET.get("page"))
    return render(
        request,
        "reports/training.html",
        {"form": form, "page": page, "sessions": page},
    )


@role_required(*PUBLISHERS)
def publish(request: HttpRequest) -> HttpResponse:
    budgets = visible_budgets(request.user)
    budget_form = BudgetForm(
        request.POST if request.POST.get("action") == "budget" else None, prefix="b"
    )
    dp_form = DpReleaseForm(
        request.POST if request.POST.get("action") == "dp" else None, budgets=budgets, prefix="dp"
    )
    ctdc_form = CtdcForm(request.POST if request.POST.get("action") == "ctdc" else None, prefix="c")
    if request.method == "POST":
        action = request.POST.get("action")
        form = {"budget": budget_form, "dp": dp_form, "ctdc": ctdc_form}.get(action)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "budget":
                    services.privacy_budget_create(actor=request.user, **data)
                    messages.success(request, _("Privacy budget created."))
                elif action == "dp":
                    services.publication_dp_release(actor=request.user, **data)
                    messages.success(request, _("Differentially private counts published."))
                else:
                    pub = services.publication_ctdc_export(actor=request.user, **data)
                    messages.success(
                        request,
                        _("CTDC export published: %(records)s, %(suppressed)s.")
                        % {
                            "records": ngettext("%(n)s record", "%(n)s records", pub.records)
                            % {"n": pub.records},
                            "suppressed": ngettext(
                                "%(n)s suppressed", "%(n)s suppressed", pub.result["suppressed"]
                            )
                            % {"n": pub.result["suppressed"]},
                        },
                    )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                return redirect("reports:publish")
    page = paginate(visible_publications(request.user), request.GET.get("page"))
    return render(
        request,
        "reports/publish.html",
        {
            "budget_form": budget_form,
            "dp_form": dp_form,
            "ctdc_form": ctdc_form,
            "budgets": budgets,
            "page": page,
            "publications": page,
        },
    )


@role_required(*PUBLICATION_READERS)
def published(request: HttpRequest) -> HttpResponse:
    page = paginate(visible_publications(request.user), request.GET.get("page"))
    return render(
        request,
        "reports/published.html",
        {
            "page": page,
            "publications": page,
            "country": settings.NODE_COUNTRY,
        },
    )


@role_required(*PUBLICATION_READERS)
def publication_download(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(visible_publications(request.user), pk=pk)
    if publication.kind == "ctdc":
        body = publication.content
    else:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(
            safe_rows([("category", "count"), *publication.result.get("counts", {}).items()])
        )
        body = out.getvalue()
    audit_record(
        actor=request.user, action=Action.EXPORT, target=publication, summary=publication.title
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="corridor-{publication.kind}-{publication.pk}.csv"'
    )
    return response
