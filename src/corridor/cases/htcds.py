"""HTCDS 2.0 import and export: IOM's Excel template (and CSV) in, the same columns out.

The template as IOM publishes it has a header row of field names, a row of labels under it, an
unnamed first column numbering the rows, a misspelt ``vic_TraffickinStatusDecisionMakingOrg`` and
an unnamed column whose label is "Reason for Outgoing Referral": all are read as they are. Values
are HTCDS value names (labels are accepted, ignoring case, spaces and punctuation); dates are
YYYY-MM-DD (a birth date may be a year alone).

A file is all-or-nothing by default: one bad row rejects it and names every bad row by its
spreadsheet row number and column. Each imported row keeps a key (the hash of its values), so
importing the same file again adds nothing. Rows go through ``person_create`` and ``case_open``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.cases.models import Case, Status
from corridor.cases.selectors import visible_cases
from corridor.cases.services import (
    OPENING_FIELDS,
    case_open,
    case_record_prior_status,
    event_add,
)
from corridor.core.vocab import vocabulary
from corridor.people.services import person_create
from corridor.people.validation import country_codes, e164, language_codes

MAX_BYTES = 10 * 1024 * 1024
IMPORTERS = (Role.COORDINATOR,)

# The IOM template's columns in its order (B onwards), with the misspelling and the unnamed column
# given their HTCDS 2.0 names; then the HTCDS fields Corridor also keeps.
TEMPLATE_COLUMNS = (
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "con_Consent",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "cas_Status",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)
EXTRA_COLUMNS = (
    "vic_RelationshipToTrafficker",
    "vic_AgeWhenTrafficked",
    "prs_PrimaryLanguage",
    "prs_SecondaryLanguage",
)
COLUMNS = TEMPLATE_COLUMNS + EXTRA_COLUMNS
ALIASES = {"vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg"}
UNNAMED_LABELS = {"reasonforoutgoingreferral": "cas_ReasonForOutgoingReferral"}
LABELS = {
    "cas_CaseOwner": "Case Owner",
    "prs_Salutation": "Salutation",
    "prs_FirstName": "First Name",
    "prs_SecondName": "Second Name",
    "con_Consent": "Consent",
    "prs_Birthdate": "Birthdate",
    "prs_Gender": "Gender",
    "prs_Citizenship": "Citizenship",
    "prs_Title": "Title",
    "prs_Email": "Email",
    "prs_HomePhone": "Home Phone",
    "prs_MobilePhone": "Mobile Phone",
    "prs_MailingCity": "Mailing City",
    "prs_MailingCountry": "Mailing Country",
    "prs_MailingState": "Mailing State/Province",
    "prs_MailingStreet": "Mailing Street",
    "prs_MailingPostalCode": "Mailing Zip/Postal Code",
    "vic_TraffickingStatus": "Trafficking Status",
    "vic_TraffickingStatusDecisionMakingOrg": "Trafficking Status Decision Making Organization",
    "vic_MethodOfRecruitment": "Method of Recruitment",
    "vic_LocationOfRecruitment": "Location of Recruitment",
    "vic_MethodsOfControl": "Methods of Control",
    "vic_TypeOfExploitation": "Type of Exploitation",
    "vic_ForcedLabourIndustry": "Forced Labour Industry",
    "vic_TypeOfSexExploitation": "Type of Sex Exploitation",
    "vic_LocationOfExploitation": "Location of Exploitation",
    "cas_Status": "Status",
    "cas_ReferringOrganisation": "Referring Organisation",
    "cas_IncomingReferralDate": "Incoming Referral Date",
    "cas_ReferringPrimaryCaseWorker": "Referring Primary Case Worker",
    "cas_ReasonForIncomingReferral": "Reason for Incoming Referral",
    "cas_IncomingReferralDetails": "Incoming Referral Details",
    "cas_ReferredOrganisation": "Referred Organisation",
    "cas_ReferredPrimaryCaseWorker": "Referred Primary Case Worker",
    "cas_ReasonForOutgoingReferral": "Reason for Outgoing Referral",
    "cas_OutgoingReferralDate": "Outgoing Referral Date",
    "cas_OutgoingReferralDetails": "Outgoing Referral Details",
    "cas_ReasonForCaseClosure": "Reason for Case Closure",
    "vic_RelationshipToTrafficker": "Relationship to Trafficker",
    "vic_AgeWhenTrafficked": "Age when Trafficked",
    "prs_PrimaryLanguage": "Primary Language",
    "prs_SecondaryLanguage": "Secondary Language",
}
# Values with no home in Corridor yet (referrals are recorded by the referrals app): kept with the
# imported row and given back on export. Contact details Corridor does not keep are not stored.
EXTRA_FIELDS = (
    "prs_Salutation",
    "con_Consent",
    "prs_MailingCountry",
    "vic_TypeOfSexExploitation",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
)
NOT_KEPT = ("prs_Title", "prs_Email", "prs_MailingStreet", "prs_MailingPostalCode")
SEX_EXPLOITATION = (
    "Prostitution",
    "Pornography",
    "RemoteInteractiveServices",
    "PrivateSexualServices",
)
MULTI = {
    "vic_MethodsOfControl": "cases.methods_of_control",
    "vic_TypeOfExploitation": "cases.exploitation",
    "vic_ForcedLabourIndustry": "cases.industry",
}
SINGLE = {
    "vic_TraffickingStatus": "cases.trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "cases.decision_org",
    "vic_RelationshipToTrafficker": "cases.relationship_to_trafficker",
    "cas_ReasonForIncomingReferral": "cases.referral_reason",
    "cas_ReasonForOutgoingReferral": "cases.referral_reason",
}
TRUE = {"true", "yes", "oui", "1", "x", "vrai"}
FALSE = {"false", "no", "non", "0", "faux"}


class HtcdsFileError(ValueError):
    """The file as a whole cannot be read (type, size, no HTCDS header)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


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


# Reading -----------------------------------------------------------------------------------------


def _norm(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).lower())


def _cell(value) -> str | date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_table(name: str, content: bytes) -> list[tuple[int, list]]:
    """(spreadsheet row number, cells) for every row of the first sheet or of the CSV."""
    if len(content) > MAX_BYTES:
        raise HtcdsFileError(_("The file is larger than 10 MB."))
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not zipfile.is_zipfile(io.BytesIO(content)):
            raise HtcdsFileError(_("This is not an Excel .xlsx file."))
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise HtcdsFileError(_("The Excel file cannot be read: %(e)s") % {"e": exc}) from exc
        sheet = book.worksheets[0]
        rows = [
            (n, [_cell(v) for v in row])
            for n, row in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
        book.close()
        return rows
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [(n, [_cell(v) for v in row]) for n, row in enumerate(reader, 1)]
    raise HtcdsFileError(_("Upload an HTCDS file as .xlsx or .csv."))


def _columns(rows: list[tuple[int, list]]) -> tuple[dict[int, str], int, list[str]]:
    """Map column positions to HTCDS names; return the map, the index of the first data row and
    the names of columns that are not read."""
    if not rows:
        raise HtcdsFileError(_("The file is empty."))
    header = rows[0][1]
    labels = rows[1][1] if len(rows) > 1 else []
    label_norms = {_norm(v): k for k, v in LABELS.items()}
    known = set(COLUMNS)
    mapping, ignored = {}, []
    for i, raw in enumerate(header):
        name = ALIASES.get(str(raw).strip(), str(raw).strip())
        label = _norm(labels[i]) if i < len(labels) and isinstance(labels[i], str) else ""
        if not name:
            if label in UNNAMED_LABELS:
                mapping[i] = UNNAMED_LABELS[label]
            continue
        if name in known:
            mapping[i] = name
        else:
            ignored.append(name)
    if "prs_FirstName" not in mapping.values() and "prs_SecondName" not in mapping.values():
        raise HtcdsFileError(
            _("No HTCDS header row: the first row must name the columns (prs_FirstName …).")
        )
    start = 1
    if labels:
        matches = sum(
            1
            for i, name in mapping.items()
            if i < len(labels)
            and isinstance(labels[i], str)
            and label_norms.get(_norm(labels[i])) == name
        )
        if matches >= max(1, len(mapping) // 2):
            start = 2
    return mapping, start, ignored


def _code(value: str, vocab_name: str) -> str | None:
    vocab = vocabulary(vocab_name)
    wanted = _norm(value)
    for term in vocab.terms:
        if _norm(term.code) == wanted or _norm(term.label) == wanted:
            return term.code
    return None


def _split(value) -> list[str]:
    return [v.strip() for v in re.split(r"[;,]", str(value)) if v.strip()]


def _date(value, *, allow_year: bool = False) -> tuple[date | None, int | None]:
    """A date cell or text: YYYY-MM-DD, or a year alone where ``allow_year``."""
    if isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        if allow_year and re.fullmatch(r"\d{4}", text):
            year = int(text)
            if not 1900 <= year <= timezone.localdate().year:
                raise ValueError(_("the year %(y)s is not possible") % {"y": text})
            return None, year
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
        if not match:
            raise ValueError(_("“%(v)s” is not a date (YYYY-MM-DD)") % {"v": text})
        try:
            day = date(*map(int, match.groups()))
        except ValueError:
            raise ValueError(_("“%(v)s” is not a possible date") % {"v": text}) from None
    if day > timezone.localdate():
        raise ValueError(_("%(v)s is in the future") % {"v": day.isoformat()})
    if day.year < 1900:
        raise ValueError(_("“%(v)s” is not a possible date") % {"v": day.isoformat()})
    return day, None


@dataclass
class ParsedRow:
    number: int
    key: str
    person: dict
    phones: list[str]
    case: dict
    owner: str
    events: list[tuple[str, str]]
    extra: dict


def _parse_row(number: int, values: dict[str, object]) -> tuple[ParsedRow | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    def text(column: str) -> str:
        value = values.get(column, "")
        return value.isoformat() if isinstance(value, date) else str(value).strip()

    person: dict = {"given_names": text("prs_FirstName"), "family_name": text("prs_SecondName")}
    if not (person["given_names"] or person["family_name"]):
        bad("prs_FirstName", _("a first or second name is needed"))
    gender = text("prs_Gender")
    if gender:
        code = _code(gender, "people.gender")
        if code is None:
            bad("prs_Gender", _("unknown value “%(v)s”") % {"v": gender})
        person["gender"] = code or ""
    if values.get("prs_Birthdate", "") != "":
        try:
            day, year = _date(values["prs_Birthdate"], allow_year=True)
        except ValueError as exc:
            bad("prs_Birthdate", str(exc))
        else:
            if day:
                person["birth_date"] = day
            else:
                person["birth_year"] = year
    if text("prs_Citizenship"):
        try:
            person["citizenships"] = country_codes(_split(text("prs_Citizenship")))
        except ValidationError as exc:
            bad("prs_Citizenship", " ".join(exc.messages))
    languages = [text(c) for c in ("prs_PrimaryLanguage", "prs_SecondaryLanguage") if text(c)]
    if languages:
        try:
            person["languages"] = language_codes(languages)
        except ValidationError as exc:
            bad("prs_PrimaryLanguage", " ".join(exc.messages))
    person["place_of_origin"] = text("prs_MailingCity")
    person["origin_prefecture"] = text("prs_MailingState")
    phones = []
    for column in ("prs_MobilePhone", "prs_HomePhone"):
        if text(column):
            try:
                phones.append(e164(text(column), region=settings.NODE_COUNTRY))
            except ValidationError as exc:
                bad(column, " ".join(exc.messages))

    case: dict = {}
    for column, vocab_name in SINGLE.items():
        value = text(column)
        if value and _code(value, vocab_name) is None:
            bad(column, _("unknown value “%(v)s”") % {"v": value})
    if text("vic_TraffickingStatus"):
        case["trafficking_status"] = _code(
            text("vic_TraffickingStatus"), "cases.trafficking_status"
        )
    if text("vic_TraffickingStatusDecisionMakingOrg"):
        case["status_decision_org"] = _code(
            text("vic_TraffickingStatusDecisionMakingOrg"), "cases.decision_org"
        )
    if text("vic_RelationshipToTrafficker"):
        case["relationship_to_trafficker"] = _code(
            text("vic_RelationshipToTrafficker"), "cases.relationship_to_trafficker"
        )
    recruitment = _split(text("vic_MethodOfRecruitment"))
    if recruitment:
        codes = [_code(v, "cases.recruitment") for v in recruitment]
        unknown = [v for v, c in zip(recruitment, codes, strict=True) if c is None]
        if unknown:
            bad("vic_MethodOfRecruitment", _("unknown value “%(v)s”") % {"v": ", ".join(unknown)})
        elif len(set(codes)) > 1:
            bad(
                "vic_MethodOfRecruitment",
                _("Corridor keeps one method of recruitment per case; the row gives several"),
            )
        else:
            case["recruitment_method"] = codes[0]
    for column, vocab_name in MULTI.items():
        items = _split(text(column))
        codes = [_code(v, vocab_name) for v in items]
        unknown = [v for v, c in zip(items, codes, strict=True) if c is None]
        if unknown:
            bad(column, _("unknown value “%(v)s”") % {"v": ", ".join(unknown)})
        elif items:
            field_name = {
                "vic_MethodsOfControl": "methods_of_control",
                "vic_TypeOfExploitation": "exploitation_types",
                "vic_ForcedLabourIndustry": "industries",
            }[column]
            case[field_name] = list(dict.fromkeys(codes))
    sex = _split(text("vic_TypeOfSexExploitation"))
    norms = {_norm(v): v for v in SEX_EXPLOITATION}
    unknown = [v for v in sex if _norm(v) not in norms]
    if unknown:
        bad("vic_TypeOfSexExploitation", _("unknown value “%(v)s”") % {"v": ", ".join(unknown)})
    if text("vic_AgeWhenTrafficked"):
        try:
            age = int(text("vic_AgeWhenTrafficked"))
            if not 0 <= age <= 120:
                raise ValueError
            case["age_when_trafficked"] = age
        except ValueError:
            bad(
                "vic_AgeWhenTrafficked",
                _("“%(v)s” is not an age") % {"v": text("vic_AgeWhenTrafficked")},
            )
    status = text("cas_Status")
    if status:
        codes = {_norm(c): c for c in Status.values}
        if _norm(status) not in codes:
            bad("cas_Status", _("unknown value “%(v)s”") % {"v": status})
        else:
            case["status"] = codes[_norm(status)]
    if text("cas_ReasonForCaseClosure"):
        case["closure_reason"] = text("cas_ReasonForCaseClosure")[:200]
    for column in ("cas_IncomingReferralDate", "cas_OutgoingReferralDate"):
        if values.get(column, "") != "":
            try:
                _date(values[column])
            except ValueError as exc:
                bad(column, str(exc))
    consent = text("con_Consent").lower()
    if consent and consent not in TRUE | FALSE:
        bad("con_Consent", _("answer TRUE or FALSE, not “%(v)s”") % {"v": text("con_Consent")})

    events = [
        (event_type, text(column))
        for event_type, column in (
            ("Recruitment", "vic_LocationOfRecruitment"),
            ("Exploitation", "vic_LocationOfExploitation"),
        )
        if text(column)
    ]
    extra = {}
    for column in EXTRA_FIELDS:
        if text(column):
            extra[column] = text(column)
    if sex:
        extra["vic_TypeOfSexExploitation"] = ";".join(norms[_norm(v)] for v in sex)
    if consent:
        extra["con_Consent"] = "TRUE" if consent in TRUE else "FALSE"
    if errors:
        return None, errors
    canonical = {c: text(c) for c in COLUMNS if text(c)}
    key = hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
    return (
        ParsedRow(
            number=number,
            key=key,
            person=person,
            phones=phones,
            case=case,
            owner=text("cas_CaseOwner"),
            events=events,
            extra=extra,
        ),
        [],
    )


def parse(name: str, content: bytes) -> tuple[list[ParsedRow], list[RowError], list[str]]:
    """Every data row of the file, parsed and checked; nothing is written."""
    rows = _read_table(name, content)
    mapping, start, ignored = _columns(rows)
    parsed, errors = [], []
    for number, cells in rows[start:]:
        values = {name: cells[i] for i, name in mapping.items() if i < len(cells)}
        if all(v == "" for v in values.values()):
            continue
        row, row_errors = _parse_row(number, values)
        errors += row_errors
        if row is not None:
            parsed.append(row)
    return parsed, errors, ignored


# Writing -----------------------------------------------------------------------------------------


def _owner(actor, username: str):
    """The row's case owner when they are case staff of this node, otherwise the importer."""
    from corridor.accounts.models import User

    if username:
        user = User.objects.filter(username=username).select_related("agency").first()
        if user is not None and user.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR):
            return user
    return actor


def _write_row(actor, row: ParsedRow, source: str) -> Case:
    from corridor.screening.models import ImportedRow

    owner = _owner(actor, row.owner)
    person = person_create(actor=actor, agency=owner.agency, phones=row.phones, **row.person)
    opening = {k: v for k, v in row.case.items() if k in OPENING_FIELDS}
    case = case_open(actor=actor, person=person, agency=owner.agency, owner=owner, **opening)
    if row.case.get("status"):
        case = case_record_prior_status(
            actor=actor,
            case=case,
            status=row.case["status"],
            closure_reason=row.case.get("closure_reason", ""),
            comment=_("Status in the imported file %(name)s") % {"name": source[:100]},
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


def _require_importer(actor) -> None:
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
    _require_importer(actor)
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


FIELD_COLUMNS = {
    "given_names": "prs_FirstName",
    "family_name": "prs_SecondName",
    "birth_date": "prs_Birthdate",
    "birth_year": "prs_Birthdate",
    "gender": "prs_Gender",
    "citizenships": "prs_Citizenship",
    "identified_on": "",
}


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
        summary=_("HTCDS file %(name)s") % {"name": name[:150]},
        detail={
            "format": "htcds",
            "rows": report.rows,
            "created": report.created,
            "already": report.already,
            "errors": len(report.errors),
            "rejected": report.rejected,
        },
    )


# Export ------------------------------------------------------------------------------------------


def _birthdate(person) -> str:
    if person.birth_date:
        return person.birth_date.isoformat()
    if person.birth_year:
        return str(person.birth_year)
    if person.estimated_age is not None and person.age_estimated_on:
        return str(person.age_estimated_on.year - person.estimated_age)
    return ""


def export_rows(actor) -> list[dict[str, str]]:
    """One row per case the actor can see, in HTCDS column names and value names."""
    from corridor.screening.models import ImportedRow

    cases = (
        visible_cases(actor)
        .prefetch_related("events", "person__phones")
        .order_by("identified_on", "id")
    )
    extras = {}
    for row in ImportedRow.objects.filter(case__in=cases).order_by("imported_at"):
        extras[row.case_id] = row.extra
    rows = []
    for case in cases:
        person = case.person
        phones = [p.number for p in person.phones.all().order_by("id")]
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
        writer.writerows([header, labels, *body])
        return out.getvalue().encode("utf-8-sig")
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append([h or None for h in header])
    sheet.append([v or None for v in labels])
    for values in body:
        sheet.append([int(values[0]), *(v if v != "" else None for v in values[1:])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def htcds_export(*, actor, fmt: str) -> bytes:
    """The cases the actor can see as an HTCDS file (``csv`` or ``xlsx``), in the IOM template's
    layout (row numbers, header, labels), audited."""
    _require_importer(actor)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(_("Export as .csv or .xlsx."))
    rows = export_rows(actor)
    data = _render(rows, fmt)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        summary=_("HTCDS export (%(n)s cases)") % {"n": len(rows)},
        detail={"format": fmt, "cases": len(rows)},
    )
    return data
