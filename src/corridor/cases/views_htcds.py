"""HTCDS pages for national coordinators: upload a file (with a per-row error report, also as
CSV) and download the node's cases. Thin: the work is in ``cases.htcds``."""

from __future__ import annotations

import csv
import io

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.accounts.permissions import role_required
from corridor.cases.htcds.exporter import htcds_export
from corridor.cases.htcds.importer import IMPORTERS, htcds_import
from corridor.cases.htcds.parser import LIMITS
from corridor.core import tabular

SESSION_KEY = "htcds_import_errors"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HTCDS file (.xlsx or .csv, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    keep_valid_rows = forms.BooleanField(
        label=gettext_lazy("Import the valid rows and report the others"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            tabular.check_size(upload.size, LIMITS)
        except tabular.TabularError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an HTCDS file as .xlsx or .csv."))
        return upload


@role_required(*IMPORTERS)
def htcds_page(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = htcds_import(
            actor=request.user,
            name=upload.name,
            content=upload.read(),
            keep_valid_rows=form.cleaned_data["keep_valid_rows"],
        )
        request.session[SESSION_KEY] = [[e.row, e.column, e.message] for e in report.errors]
    return render(request, "cases/htcds_page.html", {"form": form, "report": report})


@role_required(*IMPORTERS)
def htcds_error_report(request: HttpRequest) -> HttpResponse:
    """The last import's refused rows as CSV: row number, column, reason."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_("row"), _("column"), _("error")])
    writer.writerows(tabular.safe_rows(request.session.get(SESSION_KEY, [])))
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = 'attachment; filename="htcds-import-errors.csv"'
    return response


@role_required(*IMPORTERS)
def htcds_download(request: HttpRequest, fmt: str) -> HttpResponse:
    data = htcds_export(actor=request.user, fmt=fmt)
    name = f"htcds-{request.user.country.lower()}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
