"""Reading ODK Central and KoboToolbox submission exports (CSV or JSON).

Each submission is validated against the form definition it was made with (form id and
version must be known; dates, integers and choices must fit) and then imported in its own
transaction: a bad one is refused with a clear message and leaves nothing behind, the good
ones go in. Submissions are keyed by their instance id (``meta/instanceID``, Kobo's ``_uuid``,
Central's ``KEY`` / ``__id``), so importing the same file again changes nothing; an edited
submission (``meta/deprecatedID``) replaces the one it was edited from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from corridor.core import tabular
from corridor.core.forms import IMPLAUSIBLE_DATE, plausible_date
from corridor.core.numbers import colon, in_a_list
from corridor.flows.xlsforms import FormSpec, registry

INSTANCE_KEYS = ("meta/instanceID", "instanceID", "_uuid", "KEY", "__id")
# ODK Central keeps the first version's id as the submission's own (``KEY`` in CSV, ``__id`` in
# OData JSON) while ``meta/instanceID`` names the current, possibly edited, version.
ROOT_KEYS = ("KEY", "__id")
DEPRECATED_KEYS = ("meta/deprecatedID", "deprecatedID")
VERSION_KEYS = (
    "__version__",
    "_version_",
    "_version",
    "FormVersion",
    "__system/formVersion",
    "version",
)
FORM_KEYS = ("_xform_id_string", "formId", "form_id", "__system/formId")
METADATA = {"start", "end", "today", "deviceid", "note"}
LIMITS = tabular.Limits(max_bytes=10 * 2**20)  # an export file of submissions


class SubmissionError(Exception):
    """A submission that cannot be imported, with the reason in words."""


@dataclass
class Parsed:
    instance_id: str
    deprecated_id: str
    root_id: str
    spec: FormSpec
    version: str
    answers: dict
    source: str


@dataclass
class Report:
    imported: int = 0
    replaced: int = 0
    unchanged: int = 0
    pending: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.imported + self.replaced + self.unchanged + self.pending + len(self.errors)

    def refused_text(self) -> str:
        """For a command that imported the rest: how many submissions were refused."""
        n = len(self.errors)
        return ngettext(
            "%(n)s submission refused (the others were imported).",
            "%(n)s submissions refused (the others were imported).",
            n,
        ) % {"n": n}

    def as_text(self) -> str:
        refused = len(self.errors)
        parts = [
            npgettext("submissions", "%(n)s imported", "%(n)s imported", self.imported)
            % {"n": self.imported},
            npgettext(
                "submissions",
                "%(n)s replaced an earlier version",
                "%(n)s replaced an earlier version",
                self.replaced,
            )
            % {"n": self.replaced},
            npgettext(
                "submissions", "%(n)s already imported", "%(n)s already imported", self.unchanged
            )
            % {"n": self.unchanged},
            npgettext(
                "submissions",
                "%(n)s waiting for the case hand-off",
                "%(n)s waiting for the case hand-off",
                self.pending,
            )
            % {"n": self.pending},
            npgettext("submissions", "%(n)s refused", "%(n)s refused", refused) % {"n": refused},
        ]
        lines = [", ".join(parts)]
        for number, instance, message in self.errors:
            lines.append(
                _("submission %(n)s (%(id)s): %(message)s")
                % {"n": number, "id": instance or "?", "message": message}
            )
        return "\n".join(lines)


def _flatten(record: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in record.items():
        path = f"{prefix}/{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_flatten(value, path))
        else:
            out[path] = value
    return out


def read_records(content: bytes, filename: str = "") -> tuple[list[dict], str]:
    """Rows of an export as flat dicts, and the export's source (odk or kobo, as far as known).

    JSON: a list, Kobo's ``{"results": [...]}`` or Central's OData ``{"value": [...]}``.
    CSV: one submission a row (Central writes group paths with ``-``, Kobo with ``/``), read by
    the shared reader (``corridor.core.tabular``: encodings, delimiters, blank rows)."""
    try:
        tabular.check_size(len(content), LIMITS)
        text, _encoding = tabular.decode_text(content)
    except tabular.TabularError as exc:
        raise SubmissionError(str(exc)) from exc
    stripped = text.lstrip()
    if filename.lower().endswith(".json") or stripped[:1] in ("[", "{"):
        try:
            data = json.loads(text)
        except RecursionError:
            raise SubmissionError(_("The JSON is nested too deeply.")) from None
        except json.JSONDecodeError as exc:
            raise SubmissionError(_("The JSON file cannot be read: %(e)s") % {"e": exc}) from exc
        if isinstance(data, dict):
            data = data.get("results", data.get("value", [data]))
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise SubmissionError(_("The JSON file does not hold a list of submissions."))
        records = [_flatten(r) for r in data]
    else:
        try:
            table = tabular.read_csv(content)
        except tabular.TabularError as exc:
            raise SubmissionError(str(exc)) from exc
        if not table.header:
            raise SubmissionError(_("The CSV file has no header row."))
        records = [record for _number, record in table.records()]
    source = "kobo" if any("_uuid" in r or "_xform_id_string" in r for r in records) else "odk"
    return records, source


def _first(record: dict, keys: tuple[str, ...]) -> str:
    for key in keys:
        for candidate in (key, key.replace("/", "-")):
            value = record.get(candidate)
            if value not in (None, ""):
                return str(value).strip()
    return ""


def _clean_id(value: str) -> str:
    return value.removeprefix("uuid:").strip()


def _answers(record: dict, spec: FormSpec) -> dict:
    """Map export columns to the form's field names: the last segment of a group path
    (``group/field`` from Kobo and OData, ``group-field`` from Central's CSV)."""
    names = {f.name for f in spec.fields}
    out = {}
    for key, value in record.items():
        if key in names:
            out[key] = value
            continue
        last = key.rsplit("/", 1)[-1]
        if last not in names:
            last = key.rsplit("-", 1)[-1]
        if last in names and last not in out:
            out[last] = value
    return out


def _value(spec: FormSpec, name: str, raw):
    """One answer, checked and typed; raises SubmissionError with the field's name."""
    f = spec.field(name)
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    kind = f.base_type
    if kind == "integer":
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise SubmissionError(
                _("%(field)s: “%(value)s” is not a whole number.") % {"field": name, "value": raw}
            ) from None
        if number < 0:
            raise SubmissionError(_("%(field)s: a count cannot be negative.") % {"field": name})
        return number
    if kind == "date":
        try:
            day = date.fromisoformat(str(raw).strip()[:10])
        except ValueError:
            raise SubmissionError(
                _("%(field)s: “%(value)s” is not a date (YYYY-MM-DD).")
                % {"field": name, "value": raw}
            ) from None
        if not plausible_date(day):
            raise SubmissionError(f"{name}{colon()} {IMPLAUSIBLE_DATE}")
        return day
    if kind == "select_one":
        value = str(raw).strip()
        if value not in spec.choice_names(f.list_name):
            raise SubmissionError(
                _("%(field)s: “%(value)s” is not in the choice list %(list)s.")
                % {"field": name, "value": value, "list": f.list_name}
            )
        return value
    if kind == "select_multiple":
        values = raw if isinstance(raw, list) else str(raw).split()
        values = [str(v).strip() for v in values if str(v).strip()]
        bad = [v for v in values if v not in spec.choice_names(f.list_name)]
        if bad:
            raise SubmissionError(
                _("%(field)s: “%(value)s” is not in the choice list %(list)s.")
                % {"field": name, "value": " ".join(bad), "list": f.list_name}
            )
        return values
    return str(raw).strip()


def parse(record: dict, *, source: str, form_id: str = "") -> Parsed:
    """Validate one export row; raise SubmissionError naming what is wrong."""
    instance_id = _clean_id(_first(record, INSTANCE_KEYS))
    if not instance_id:
        raise SubmissionError(
            _("no instance id (meta/instanceID or _uuid): cannot be imported safely")
        )
    version = _first(record, VERSION_KEYS)
    form = form_id or _first(record, FORM_KEYS)
    spec = registry().get(form)
    if spec is None:
        # KoboToolbox names a form by its asset uid, not the XLSForm's form_id: a version string
        # that only one known form has identifies it.
        by_version = [f for f in registry().values() if version and version in f.versions]
        spec = by_version[0] if len(by_version) == 1 and by_version[0].kind == "htcds" else None
    if spec is None:
        raise SubmissionError(
            _("unknown form “%(form)s” (known: %(known)s)")
            % {"form": form or "?", "known": ", ".join(sorted(registry()))}
        )
    if version not in spec.versions:
        raise SubmissionError(
            _("form %(form)s version “%(version)s” is unknown (known: %(known)s)")
            % {"form": spec.form_id, "version": version or "?", "known": ", ".join(spec.versions)}
        )
    raw = _answers(record, spec)
    answers = {}
    for f in spec.fields:
        if f.base_type in METADATA or f.base_type == "calculate":
            continue
        value = _value(spec, f.name, raw.get(f.name))
        if value is None and f.required and not f.relevant:
            raise SubmissionError(_("%(field)s is required.") % {"field": f.name})
        answers[f.name] = value
    return Parsed(
        instance_id=instance_id,
        deprecated_id=_clean_id(_first(record, DEPRECATED_KEYS)),
        root_id=_clean_id(_first(record, ROOT_KEYS)),
        spec=spec,
        version=version,
        answers=answers,
        source=source,
    )


def guess_form_id(filename: str) -> str:
    """Central names its CSV exports after the form id (``corridor_flow_count.csv``)."""
    stem = Path(filename).name.split(".")[0]
    return stem if stem in registry() else ""


def import_records(*, actor, records: list[dict], source: str, form_id: str = "") -> Report:
    from corridor.flows.services.submissions import submission_import

    report = Report()
    for number, record in enumerate(records, start=1):
        instance = _clean_id(_first(record, INSTANCE_KEYS))
        try:
            parsed = parse(record, source=source, form_id=form_id)
            with transaction.atomic():
                outcome = submission_import(actor=actor, parsed=parsed)
        except SubmissionError as exc:
            report.errors.append((number, instance, str(exc)))
            continue
        except ValidationError as exc:
            report.errors.append((number, instance, in_a_list(exc.messages)))
            continue
        except PermissionDenied as exc:
            report.errors.append((number, instance, str(exc) or _("not allowed")))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def import_file(*, actor, content: bytes, filename: str = "", form_id: str = "") -> Report:
    try:
        records, source = read_records(content, filename)
    except SubmissionError as exc:
        report = Report()
        report.errors.append((0, "", str(exc)))
        return report
    return import_records(
        actor=actor, records=records, source=source, form_id=form_id or guess_form_id(filename)
    )
