"""Importing HTCDS rows as people and cases, through ``person_create`` and ``case_open``.

A file is all-or-nothing by default: one bad row rejects it and names every bad row by its
spreadsheet row number and column. Each imported row keeps its key, so importing the same file
again adds nothing. The import, accepted or rejected, is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.cases import caseloads as cl
from corridor.cases.htcds.parser import HtcdsFileError, ParsedRow, RowError, parse
from corridor.cases.htcds.schema import FIELD_COLUMNS
from corridor.cases.models import Case
from corridor.cases.services import (
    OPENING_FIELDS,
    case_open,
    case_record_prior_status,
    event_add,
)
from corridor.core import said
from corridor.people.services import person_create

IMPORTERS = (Role.COORDINATOR,)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    already: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejected: bool = False

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "already": self.already,
            "rejected": self.rejected,
            "errors": [[e.row, e.column, e.message] for e in self.errors],
            "ignored_columns": self.ignored_columns,
        }


def _owner(actor, username: str):
    """The row's case owner when they are case staff of this node, otherwise the importer."""
    from corridor.accounts.models import User

    if username:
        user = User.objects.filter(username=username).select_related("agency").first()
        if user is not None and user.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR):
            return user
    return actor


def htcds_caseload(opening: dict) -> str:
    """An HTCDS record is a trafficking case: identified when a competent body decided the person
    is a victim, presumed otherwise (a record decided "not a victim" stays presumed and is not
    counted; a supervisor moves it to the caseload that fits, with the reason)."""
    if opening.get("trafficking_status") == cl.ACTUAL:
        return cl.IDENTIFIED_VICTIM
    return cl.PRESUMED_VICTIM


def _write_row(actor, row: ParsedRow, source: str) -> Case:
    from corridor.screening.models import ImportedRow

    owner = _owner(actor, row.owner)
    person = person_create(actor=actor, agency=owner.agency, phones=row.phones, **row.person)
    opening = {k: v for k, v in row.case.items() if k in OPENING_FIELDS}
    case = case_open(
        actor=actor,
        person=person,
        agency=owner.agency,
        owner=owner,
        caseload=htcds_caseload(opening),
        **opening,
    )
    if row.case.get("status"):
        case = case_record_prior_status(
            actor=actor,
            case=case,
            status=row.case["status"],
            closure_reason=row.case.get("closure_reason", ""),
            comment=said.say(said.IMPORTED_STATUS, name=source[:100]),
        )
    for event_type, place in row.events:
        event_add(actor=actor, case=case, event_type=event_type, city=place)
    imported = ImportedRow(
        key=row.key,
        source=source[:200],
        row_number=row.number,
        case=case,
        extra=row.extra,
        imported_by=actor,
    )
    imported.full_clean()
    imported.save()
    return case


def require_importer(actor) -> None:
    if actor is None or not actor.has_role(*IMPORTERS):
        raise PermissionDenied(_("Only a national coordinator can import or export HTCDS files."))


class _Rollback(Exception):
    pass


def htcds_import(
    *, actor, name: str, content: bytes, keep_valid_rows: bool = False
) -> ImportReport:
    """Import an HTCDS file. All-or-nothing unless ``keep_valid_rows``: then valid rows are
    imported and the others reported. Rows already imported (same key) are skipped. The import,
    accepted or rejected, is audited."""
    require_importer(actor)
    from corridor.screening.models import ImportedRow

    report = ImportReport()
    try:
        rows, errors, report.ignored_columns = parse(name, content)
    except HtcdsFileError as exc:
        report.errors = [RowError(0, "", str(exc))]
        report.rejected = True
        _audit_import(actor, name, report)
        return report
    report.rows = len(rows) + len({e.row for e in errors})
    report.errors = errors
    if errors and not keep_valid_rows:
        report.rejected = True
        _audit_import(actor, name, report)
        return report
    try:
        with transaction.atomic():
            seen = set()
            for row in rows:
                if row.key in seen or ImportedRow.objects.filter(key=row.key).exists():
                    report.already += 1
                    continue
                seen.add(row.key)
                try:
                    with transaction.atomic():
                        _write_row(actor, row, name)
                except ValidationError as exc:
                    for column, messages in _columns_of(exc):
                        report.errors.append(RowError(row.number, column, messages))
                    continue
                report.created += 1
            if report.errors and not keep_valid_rows:
                raise _Rollback
            _audit_import(actor, name, report)
    except _Rollback:
        report.created = report.already = 0
        report.rejected = True
        _audit_import(actor, name, report)
    return report


def _columns_of(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field_name, messages in exc.message_dict.items():
            yield FIELD_COLUMNS.get(field_name, field_name), " ".join(messages)
    else:
        yield "", " ".join(exc.messages)


@transaction.atomic
def _audit_import(actor, name: str, report: ImportReport) -> None:
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        summary=node_text(gettext_noop("HTCDS file %(name)s"), name=name[:150]),
        detail={
            "format": "htcds",
            "rows": report.rows,
            "created": report.created,
            "already": report.already,
            "errors": len(report.errors),
            "rejected": report.rejected,
        },
    )
