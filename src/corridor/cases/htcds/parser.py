"""Reading an HTCDS file into checked rows, without writing anything.

Values are HTCDS value names (labels are accepted, ignoring case, spaces and punctuation); dates
are YYYY-MM-DD (a birth date may be a year alone). Every bad cell is reported by its spreadsheet
row number and column. Each row gets a key (the hash of its values) so that importing the same
file again can skip it. The file itself is read by ``corridor.core.tabular``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.cases.htcds.schema import (
    ALIASES,
    COLUMNS,
    EXTRA_FIELDS,
    FALSE,
    LABELS,
    MULTI,
    SEX_EXPLOITATION,
    SINGLE,
    TRUE,
    UNNAMED_LABELS,
)
from corridor.cases.models import Status
from corridor.core import tabular
from corridor.core.forms import EARLIEST_DATE, plausible_date
from corridor.core.vocab import vocabulary
from corridor.people.validation import country_codes, e164, language_codes

MAX_BYTES = 10 * 1024 * 1024
LIMITS = tabular.Limits(max_bytes=MAX_BYTES)


class HtcdsFileError(ValueError):
    """The file as a whole cannot be read (type, size, no HTCDS header)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:  # the file as a whole
            return self.message
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


def _norm(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).lower())


def _read_table(name: str, content: bytes) -> tabular.Table:
    if not name.lower().endswith((".xlsx", ".csv")):
        raise HtcdsFileError(_("Upload an HTCDS file as .xlsx or .csv."))
    try:
        return tabular.read_table(content, filename=name, limits=LIMITS)
    except tabular.TabularError as exc:
        raise HtcdsFileError(str(exc)) from exc


def _columns(table: tabular.Table) -> tuple[dict[int, str], bool, list[str]]:
    """Map column positions to HTCDS names; return the map, whether the first row under the
    header holds the template's labels, and the names of columns that are not read."""
    if not table.header and not table.rows:
        raise HtcdsFileError(_("The file is empty."))
    header = table.header
    labels = table.rows[0].cells if table.rows and table.rows[0].number == 2 else []
    label_norms = {_norm(v): k for k, v in LABELS.items()}
    known = set(COLUMNS)
    mapping, ignored = {}, []
    for i, raw in enumerate(header):
        name = ALIASES.get(raw, raw)
        label = _norm(labels[i]) if i < len(labels) else ""
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
    has_labels = False
    if labels:
        matches = sum(
            1
            for i, name in mapping.items()
            if i < len(labels) and label_norms.get(_norm(labels[i])) == name
        )
        has_labels = matches >= max(1, len(mapping) // 2)
    return mapping, has_labels, ignored


def _code(value: str, vocab_name: str) -> str | None:
    vocab = vocabulary(vocab_name)
    wanted = _norm(value)
    for term in vocab.terms:
        if _norm(term.code) == wanted or _norm(term.label) == wanted:
            return term.code
    return None


def _split(value) -> list[str]:
    return [v.strip() for v in re.split(r"[;,]", str(value)) if v.strip()]


def _date(text: str, *, allow_year: bool = False) -> tuple[date | None, int | None]:
    """YYYY-MM-DD (a time after it is ignored), or a year alone where ``allow_year``."""
    if allow_year and re.fullmatch(r"\d{4}", text):
        year = int(text)
        if not EARLIEST_DATE.year <= year <= timezone.localdate().year:
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
    if not plausible_date(day):  # (the future is refused above)
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


def _parse_row(number: int, values: dict[str, str]) -> tuple[ParsedRow | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    def text(column: str) -> str:
        return values.get(column, "")

    person: dict = {"given_names": text("prs_FirstName"), "family_name": text("prs_SecondName")}
    if not (person["given_names"] or person["family_name"]):
        bad("prs_FirstName", _("a first or second name is needed"))
    gender = text("prs_Gender")
    if gender:
        code = _code(gender, "people.gender")
        if code is None:
            bad("prs_Gender", _("unknown value “%(v)s”") % {"v": gender})
        person["gender"] = code or ""
    if text("prs_Birthdate"):
        try:
            day, year = _date(text("prs_Birthdate"), allow_year=True)
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
        if text(column):
            try:
                _date(text(column))
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
    table = _read_table(name, content)
    mapping, has_labels, ignored = _columns(table)
    parsed, errors = [], []
    for row in table.rows[1:] if has_labels else table.rows:
        values = {name: row.cells[i] for i, name in mapping.items() if i < len(row.cells)}
        if all(v == "" for v in values.values()):
            continue
        parsed_row, row_errors = _parse_row(row.number, values)
        errors += row_errors
        if parsed_row is not None:
            parsed.append(parsed_row)
    return parsed, errors, ignored
