"""Reading and validating the corridor CSV format, and ages from whatever the record holds.

A bad row is refused with its line number rather than skipped: a caseworker must be able to find
and fix the record, and a silently dropped child is a child nobody looks for.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from corridor.i18n import _

__all__ = [
    "InputError",
    "COMMON_COLUMNS",
    "EVENT_COLUMN",
    "read_records",
    "parse_records",
    "BirthRange",
    "birth_range",
    "parse_date",
]

COMMON_COLUMNS: tuple[str, ...] = (
    "record_id",
    "given_names",
    "family_name",
    "sex",
    "birth_date",
    "birth_year",
    "age_years",
    "place_of_origin",
    "origin_prefecture",
    "mother_name",
    "father_name",
    "nationality",
)
EVENT_COLUMN = {"left": "report_date", "right": "identification_date"}
_MAX_AGE = 120


class InputError(ValueError):
    """A record that cannot be matched as written; ``line`` is the 1-based CSV line."""

    def __init__(self, *, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class BirthRange:
    """Interval of possible birth times in decimal years, and how it was known.

    ``kind`` is "date", "year" or "age": an age estimated by an officer from a child's looks is
    far less certain than a written birth date, and the model weighs the two differently.
    """

    low: float
    high: float
    kind: str
    exact: date | None = None


def _decimal_year(day: date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 366.0


def parse_date(value: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    return date.fromisoformat(value)


def birth_range(*, record: dict, side: str) -> BirthRange | None:
    """Birth interval from birth_date, else birth_year, else age_years on ``age_date`` or the
    event date."""
    born = parse_date(record.get("birth_date", ""))
    if born:
        point = _decimal_year(born)
        return BirthRange(point, point, "date", born)
    year = (record.get("birth_year") or "").strip()
    if year:
        return BirthRange(float(year), float(year) + 1.0, "year")
    age = (record.get("age_years") or "").strip()
    # An age is an estimate on the event date, or on ``age_date`` where a record gives it (the
    # application's people: the day an officer estimated it, with no request or identification).
    event = parse_date(record.get("age_date") or record.get(EVENT_COLUMN[side]) or "")
    if age and event:
        at = _decimal_year(event) - float(age)
        return BirthRange(at - 1.0, at, "age")
    return None


def _check_row(*, row: dict, side: str, path: str, line: int) -> None:
    def fail(message: str) -> None:
        raise InputError(path=path, line=line, message=message)

    if not (row.get("record_id") or "").strip():
        fail(_("empty record_id"))
    if not (row.get("given_names") or "").strip() and not (row.get("family_name") or "").strip():
        fail(_("record has no name (given_names and family_name are both empty)"))
    dates: dict[str, date | None] = {}
    for column in ("birth_date", EVENT_COLUMN[side], "age_date"):  # age_date: optional
        try:
            dates[column] = parse_date(row.get(column, ""))
        except ValueError:
            fail(
                _("%(column)s is not a real date in YYYY-MM-DD form: %(value)r")
                % {"column": column, "value": row.get(column)}
            )
    event = dates[EVENT_COLUMN[side]]
    born = dates["birth_date"]
    if born and event and born > event:
        fail(
            _("birth_date %(born)s is after %(column)s %(event)s")
            % {"born": born, "column": EVENT_COLUMN[side], "event": event}
        )
    year = (row.get("birth_year") or "").strip()
    if year:
        if not year.isdigit() or not 1900 <= int(year) <= (event.year if event else 2100):
            fail(_("impossible birth_year %(value)r") % {"value": year})
    age = (row.get("age_years") or "").strip()
    if age:
        try:
            value = float(age)
        except ValueError:
            value = -1.0
        if not 0 <= value <= _MAX_AGE:
            fail(_("impossible age_years %(value)r") % {"value": age})
    sex = (row.get("sex") or "").strip().upper()
    if sex not in ("", "M", "F", "U"):
        fail(_("sex must be M, F, U or empty, not %(value)r") % {"value": row.get("sex")})


def parse_records(*, text: str, side: str, path: str = "<input>") -> list[dict]:
    """Parse and validate CSV text of one side ("left" or "right"); raise InputError on a bad row."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    required = (*COMMON_COLUMNS, EVENT_COLUMN[side])
    missing = [column for column in required if column not in columns]
    if missing:
        raise InputError(
            path=path,
            line=1,
            message=_("missing columns: %(columns)s") % {"columns": ", ".join(missing)},
        )
    records: list[dict] = []
    seen: dict[str, int] = {}
    start = 2
    for row in reader:
        line = start
        start = reader.line_num + 1
        if None in row or any(value is None for value in row.values()):
            raise InputError(path=path, line=line, message=_("wrong number of fields"))
        _check_row(row=row, side=side, path=path, line=line)
        record_id = row["record_id"].strip()
        if record_id in seen:
            raise InputError(
                path=path,
                line=line,
                message=_("duplicate record_id %(id)r (first on line %(first)d)")
                % {"id": record_id, "first": seen[record_id]},
            )
        seen[record_id] = line
        row["record_id"] = record_id
        records.append(row)
    return records


def read_records(*, path: str | Path, side: str) -> list[dict]:
    """Read one side's CSV file; the encoding must be UTF-8 (with or without BOM)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            path=str(path), line=line, message=_("file is not UTF-8 (re-save it as UTF-8)")
        ) from None
    return parse_records(text=text, side=side, path=str(path))
