"""Operator files (CDR, mobile money): upload, the batch and its error report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from corridor.audit.models import Action
from corridor.audit.services import audit_read, audit_record, node_text
from corridor.core.forms import errors_to_form
from corridor.core.pagination import paginate
from corridor.intel import forms, ingest, selectors, services
from corridor.intel.views.common import audit_page, investigator_only


@investigator_only
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        content = upload.read()
        try:
            batch = services.import_run(
                actor=request.user,
                kind=data["kind"],
                filename=upload.name,
                content=content,
                source=data["source"],
                reliability=data["reliability"],
                credibility=data["credibility"],
                skip_bad=data["skip_bad"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            if batch.status == "rejected":
                messages.error(
                    request,
                    ngettext(
                        "Nothing was imported: %(n)d problem. Correct the file and upload it again.",
                        "Nothing was imported: %(n)d problems. Correct the file and upload it again.",
                        len(batch.errors),
                    )
                    % {"n": len(batch.errors)},
                )
            else:
                messages.success(
                    request,
                    ngettext("%(n)d row imported", "%(n)d rows imported", batch.rows_imported)
                    % {"n": batch.rows_imported}
                    + ", "
                    + ngettext("%(n)d already known", "%(n)d already known", batch.rows_duplicate)
                    % {"n": batch.rows_duplicate}
                    + ", "
                    + ngettext("%(n)d in error.", "%(n)d in error.", batch.rows_error)
                    % {"n": batch.rows_error},
                )
            return redirect("intel:import_detail", pk=batch.pk)
    audit_page(request, "import_upload")
    page = paginate(selectors.visible_imports(request.user), request.GET.get("page"))
    return render(
        request,
        "intel/import_upload.html",
        {"form": form, "page": page, "imports": page},
    )


@investigator_only
@require_GET
def import_detail(request, pk: int):
    batch = get_object_or_404(selectors.visible_imports(request.user), pk=pk)
    audit_read(actor=request.user, target=batch, summary=batch.filename)
    return render(
        request, "intel/import_detail.html", {"batch": batch, "errors": batch.errors[:200]}
    )


@investigator_only
@require_GET
def import_errors(request, pk: int):
    batch = get_object_or_404(selectors.visible_imports(request.user), pk=pk)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        target=batch,
        summary=node_text(gettext_noop("import error report")),
        detail={"errors": len(batch.errors)},
    )
    response = HttpResponse(
        ingest.error_report_csv(batch.errors), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="errors-{batch.pk}.csv"'
    return response
