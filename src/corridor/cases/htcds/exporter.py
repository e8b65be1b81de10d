"""Exporting the cases a coordinator can see as an HTCDS file (CSV or XLSX) in the IOM template's
layout: row numbers, header, labels. An export imported into an empty node gives the same export.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.cases.htcds.importer import require_importer
from corridor.cases.htcds.schema import COLUMNS, LABELS
from corridor.cases.selectors import visible_cases
from corridor.core.tabular import safe_rows


def _birthdate(person) -> str:
    if person.birth_date:
        return person.birth_date.isoformat()
    if person.birth_year:
        return str(person.birth_year)
    if person.estimated_age is not None and person.age_estimated_on:
        return str(person.age_estimated_on.year - person.estimated_age)
    return ""


def export_rows(actor) -> list[dict[str, str]]:
    """One row per case the actor can see, in HTCDS column names and value names. A fixed number
    of queries whatever the number of cases: the person and owner come with the case, events and
    phones (in the order they were recorded) in one query each."""
    from corridor.people.models import PersonPhone
    from corridor.screening.models import ImportedRow

    cases = (
        visible_cases(actor)
        .prefetch_related(
            "events", Prefetch("person__phones", queryset=PersonPhone.objects.order_by("id"))
        )
        .order_by("identified_on", "id")
    )
    extras = {}
    for row in ImportedRow.objects.filter(case__in=cases).order_by("imported_at"):
        extras[row.case_id] = row.extra
    rows = []
    for case in cases:
        person = case.person
        phones = [p.number for p in person.phones.all()]
        events = {}
        for event in case.events.all():
            events.setdefault(event.event_type, event.city)
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            {
                "cas_CaseOwner": case.owner.username,
                "prs_FirstName": person.given_names,
                "prs_SecondName": person.family_name,
                "prs_Birthdate": _birthdate(person),
                "prs_Gender": person.gender,
                "prs_Citizenship": ";".join(person.citizenships),
                "prs_MobilePhone": phones[0] if phones else "",
                "prs_HomePhone": phones[1] if len(phones) > 1 else "",
                "prs_MailingCity": person.place_of_origin,
                "prs_MailingState": person.origin_prefecture,
                "prs_PrimaryLanguage": person.languages[0] if person.languages else "",
                "prs_SecondaryLanguage": person.languages[1] if len(person.languages) > 1 else "",
                "vic_TraffickingStatus": case.trafficking_status,
                "vic_TraffickingStatusDecisionMakingOrg": case.status_decision_org,
                "vic_MethodOfRecruitment": case.recruitment_method,
                "vic_LocationOfRecruitment": events.get("Recruitment", ""),
                "vic_MethodsOfControl": ";".join(case.methods_of_control),
                "vic_TypeOfExploitation": ";".join(case.exploitation_types),
                "vic_ForcedLabourIndustry": ";".join(case.industries),
                "vic_LocationOfExploitation": events.get("Exploitation", ""),
                "vic_RelationshipToTrafficker": case.relationship_to_trafficker,
                "vic_AgeWhenTrafficked": (
                    "" if case.age_when_trafficked is None else str(case.age_when_trafficked)
                ),
                "cas_Status": case.status,
                "cas_ReasonForCaseClosure": case.closure_reason,
            }
        )
        for column, value in extras.get(case.pk, {}).items():
            if column in row and not row[column]:
                row[column] = value
        rows.append(row)
    return rows


def _render(rows: list[dict[str, str]], fmt: str) -> bytes:
    header = ["", *COLUMNS]
    labels = ["", *(LABELS[c] for c in COLUMNS)]
    body = [[str(n), *(row[c] for c in COLUMNS)] for n, row in enumerate(rows, 1)]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows(safe_rows([header, labels, *body]))
        return out.getvalue().encode("utf-8-sig")
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([h or None for h in header])
    sheet.append([v or None for v in labels])
    for values in safe_rows(body):
        sheet.append([int(values[0]), *(v if v != "" else None for v in values[1:])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def htcds_export(*, actor, fmt: str) -> bytes:
    """The cases the actor can see as an HTCDS file (``csv`` or ``xlsx``), in the IOM template's
    layout (row numbers, header, labels), audited."""
    require_importer(actor)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(_("Export as .csv or .xlsx."))
    rows = export_rows(actor)
    data = _render(rows, fmt)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        summary=node_text(
            lambda: (
                ngettext("HTCDS export (%(n)s case)", "HTCDS export (%(n)s cases)", len(rows))
                % {"n": len(rows)}
            )
        ),
        detail={"format": fmt, "cases": len(rows)},
    )
    return data
