"""Reading operator files: call detail records (CDR) and mobile-money transaction logs.

Parsing is separate from writing: ``parse`` turns the bytes into checked rows and a list of
errors naming each bad line, and the ``import_run`` service decides what to write. Operators hand
files over in CSV with commas, semicolons (French spreadsheets) or tabs, in UTF-8 or Windows-1252,
read by the shared reader (``corridor.core.tabular``); column names are English or French; times
are ISO 8601 or ``dd/mm/yyyy hh:mm[:ss]`` in the node's time zone. A line is a row of the file as
a spreadsheet numbers it (the header is line 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

from corridor.core import tabular
from corridor.core.forms import IMPLAUSIBLE_DATE, plausible_date
from corridor.i18n import _, ngettext
from corridor.intel import keys

MAX_ROWS = 200_000
LIMITS = tabular.Limits(max_rows=MAX_ROWS)

COLUMNS = {
    "cdr": {
        "caller": ("caller", "a_number", "calling_number", "appelant", "numero_appelant"),
        "callee": ("callee", "b_number", "called_number", "appele", "appelé", "numero_appele"),
        "start": ("start", "start_time", "date", "debut", "début", "date_heure"),
        "duration": ("duration", "duration_s", "duree", "durée"),
        "cell": ("cell", "cell_id", "place", "cellule", "lieu"),
    },
    "money": {
        "sender": ("sender", "from", "payer", "expediteur", "expéditeur", "emetteur"),
        "receiver": ("receiver", "to", "beneficiary", "destinataire", "beneficiaire"),
        "amount": ("amount", "montant"),
        "currency": ("currency", "devise", "monnaie"),
        "time": ("time", "date", "datetime", "date_heure", "heure"),
        "reference": ("reference", "référence", "ref", "transaction_id", "id"),
    },
}
REQUIRED = {
    "cdr": ("caller", "callee", "start", "duration"),
    "money": ("sender", "receiver", "amount", "currency", "time"),
}
CURRENCIES = frozenset({"XOF", "XAF", "NGN", "GHS", "EUR", "USD"})
TIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    text: str = ""


@dataclass(frozen=True)
class Row:
    line: int
    a: str
    b: str
    at: dt.datetime
    natural_key: str
    duration: int | None = None
    place: str = ""
    amount: Decimal | None = None
    currency: str = ""
    reference: str = ""


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_total: int = 0
    fatal: bool = False


class RowProblem(ValueError):
    pass


def _header_map(kind: str, header: list[str]) -> tuple[dict[str, int], list[str]]:
    wanted = COLUMNS[kind]
    found: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip().lower().replace(" ", "_")
        for column, aliases in wanted.items():
            if name in aliases and column not in found:
                found[column] = position
    missing = [c for c in REQUIRED[kind] if c not in found]
    return found, missing


def parse_time(raw: str) -> dt.datetime:
    text = (raw or "").strip()
    if not text:
        raise RowProblem(_("the time is empty"))
    moment = None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for pattern in TIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        raise RowProblem(
            _("“%(value)s” is not a date and time (expected 2025-03-01 14:05 or 01/03/2025 14:05)")
            % {"value": text[:40]}
        )
    if not plausible_date(moment.date()):
        raise RowProblem(str(IMPLAUSIBLE_DATE))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, _zone())
    return moment


def _zone():
    import zoneinfo

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _phone(raw: str, *, region: str, what: str) -> str:
    try:
        return keys.phone_e164(raw, region=region)
    except keys.KeyError_ as error:
        raise RowProblem(f"{what}: {error}") from None


def _content_key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _cdr_row(values: dict[str, str], *, line: int, region: str) -> Row:
    caller = _phone(values["caller"], region=region, what=_("caller"))
    callee = _phone(values["callee"], region=region, what=_("callee"))
    if caller == callee:
        raise RowProblem(_("caller and callee are the same number (%(n)s)") % {"n": caller})
    at = parse_time(values["start"])
    raw_duration = (values.get("duration") or "").strip()
    try:
        duration = int(raw_duration)
    except ValueError:
        raise RowProblem(
            _("the duration “%(value)s” is not a whole number of seconds")
            % {"value": raw_duration[:20]}
        ) from None
    if duration < 0 or duration > 86_400:
        raise RowProblem(
            _("the duration %(value)s is out of range (0 to 86400 seconds)") % {"value": duration}
        )
    cell = (values.get("cell") or "").strip()[:200]
    key = _content_key(
        "cdr", caller, callee, at.astimezone(dt.UTC).isoformat(), str(duration), cell
    )
    return Row(line=line, a=caller, b=callee, at=at, duration=duration, place=cell, natural_key=key)


def _money_row(values: dict[str, str], *, line: int, region: str) -> Row:
    sender = _phone(values["sender"], region=region, what=_("sender"))
    receiver = _phone(values["receiver"], region=region, what=_("receiver"))
    if sender == receiver:
        raise RowProblem(_("sender and receiver are the same wallet (%(n)s)") % {"n": sender})
    raw_amount = (values.get("amount") or "").strip().replace(" ", "").replace("\u00a0", "")
    try:
        amount = Decimal(raw_amount.replace(",", "."))
    except InvalidOperation:
        raise RowProblem(
            _("the amount “%(value)s” is not a number") % {"value": raw_amount[:20]}
        ) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12"):
        raise RowProblem(_("the amount %(value)s must be positive") % {"value": raw_amount[:20]})
    currency = (values.get("currency") or "").strip().upper()
    if currency not in CURRENCIES:
        raise RowProblem(
            _("unknown currency “%(value)s” (expected one of %(known)s)")
            % {"value": currency[:10], "known": ", ".join(sorted(CURRENCIES))}
        )
    at = parse_time(values["time"])
    reference = (values.get("reference") or "").strip()[:100]
    key = (
        _content_key("money-ref", sender, reference)
        if reference
        else _content_key("money", sender, receiver, str(amount), currency, at.isoformat())
    )
    return Row(
        line=line,
        a=sender,
        b=receiver,
        at=at,
        amount=amount.quantize(Decimal("0.01")),
        currency=currency,
        reference=reference,
        natural_key=key,
    )


def parse(*, kind: str, content: bytes, region: str = "TG") -> Parsed:
    """Check every row of an operator file; nothing here writes.

    A file that is not CSV text, lacks a required column or has no data row is ``fatal``; each
    other problem is a ``RowError`` naming its line (the header is line 1): a row with the wrong
    number of fields (a junk line), an unknown phone format, a call to oneself, a bad time,
    amount or currency. Rows repeated inside the file are kept once.
    """
    result = Parsed()
    if not content or not content.strip():
        result.fatal = True
        result.errors.append(RowError(line=0, message=_("the file is empty")))
        return result
    try:
        table = tabular.read_csv(content, limits=LIMITS)
    except tabular.TabularError as error:
        result.fatal = True
        result.errors.append(RowError(line=0, message=str(error)))
        return result
    header, delimiter = table.header, table.delimiter
    columns, missing = _header_map(kind, header)
    if missing:
        result.fatal = True
        result.errors.append(
            RowError(
                line=1,
                message=ngettext(
                    "line 1: missing column %(missing)s; expected a header with %(wanted)s",
                    "line 1: missing columns %(missing)s; expected a header with %(wanted)s",
                    len(missing),
                )
                % {"missing": ", ".join(missing), "wanted": ", ".join(COLUMNS[kind])},
                text=delimiter.join(header)[:200],
            )
        )
        return result
    build = _cdr_row if kind == "cdr" else _money_row
    seen: set[str] = set()
    for row in table.rows:
        line, fields = row.number, row.cells
        if row.is_empty:
            continue
        result.rows_total += 1
        raw = delimiter.join(fields)
        if len(fields) != len(header):
            result.errors.append(
                RowError(
                    line=line,
                    message=_("line %(line)d: expected %(n)d fields, found %(found)d")
                    % {"line": line, "n": len(header), "found": len(fields)},
                    text=raw,
                )
            )
            continue
        values = {c: fields[i] for c, i in columns.items()}
        try:
            built = build(values, line=line, region=region)
        except RowProblem as problem:
            result.errors.append(
                RowError(
                    line=line,
                    message=_("line %(line)d: %(problem)s") % {"line": line, "problem": problem},
                    text=raw,
                )
            )
            continue
        if built.natural_key in seen:
            continue
        seen.add(built.natural_key)
        result.rows.append(built)
    if result.rows_total == 0:
        result.fatal = True
        result.errors.append(RowError(line=1, message=_("the file has a header but no data row")))
    return result


def error_report_csv(errors: list[dict]) -> str:
    """The downloadable error report: one line per rejected row, in the file's own numbering."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "error", "content"])
    for error in errors:
        writer.writerow(
            tabular.spreadsheet_safe(v)
            for v in (error.get("line"), error.get("message"), error.get("text", ""))
        )
    return out.getvalue()
