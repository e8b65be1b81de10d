"""One reader for the tables people upload (CSV and Excel .xlsx): bytes in, a header and rows of
text out, with one set of rules so that every import treats a file the same way.

The rules:

- **Encoding (CSV).** UTF-8, with or without a byte-order mark; UTF-16 when the file starts with
  its byte-order mark (Excel's "Unicode text"); otherwise Windows-1252, the encoding of files saved
  by French-language Windows spreadsheets. Bytes that are none of these, or text holding NUL
  characters, are refused: such a file is not a table.
- **Delimiter (CSV).** Comma, semicolon or tab, whichever the header line holds most of (a comma
  on a tie). Quoted cells may hold delimiters and line breaks.
- **XLSX.** Read with openpyxl in read-only mode, cached values of formulas, from the first sheet
  or the sheet named by the caller.
- **Values are text,** trimmed of surrounding spaces: an empty cell is ``""``, a date
  ``YYYY-MM-DD``, a date and time ``YYYY-MM-DD HH:MM:SS`` (a midnight time is dropped, since
  spreadsheets store dates that way), a whole number without ``.0``.
- **Rows are numbered as in a spreadsheet:** the header is row 1; a quoted cell over several lines
  is still one row. Empty rows at the end of the file are dropped, and so are empty cells at the
  end of a row beyond the header's width; empty rows in between are kept and rows are not padded,
  so that each importer decides what a blank or short row means.
- **Limits** are checked in one place (``Limits``, ``check_size``, ``_check_row``,
  ``_check_dimension``). A workbook's sheet declares its size (``A1:XFD1048576`` is 17 billion
  cells, in a 2 KB file); a sheet declaring more than ``MAX_CELLS`` cells is refused before a cell
  is read, and so is one that turns out to hold more while it is read.
- **Errors** are a ``TabularError`` whose message is translated and says what to do.
- **Formulas do not travel.** Every table written for a person to open in a spreadsheet goes
  through ``spreadsheet_safe`` (``safe_rows`` for many): a text cell starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so the spreadsheet shows it as
  text instead of running it (a name typed as ``=HYPERLINK(…)``). A real number (``-3``,
  ``+22890000001``) stays as it is. The reader takes that quote off again (``cell_text``), so our
  own exports import back unchanged.

Each importer keeps its own column rules (names, aliases, required columns) on top of this.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils.translation import gettext as _

DELIMITERS = ",;\t"
FALLBACK_ENCODING = "cp1252"


class TabularError(ValueError):
    """The file as a whole cannot be read; the message is translated and meant for the user."""


@dataclass(frozen=True)
class Limits:
    """How big a file may be. This is the one place where limits go: every reader path calls
    ``check_size`` before reading and ``_check_row`` for each row it keeps (an upload form may
    call ``check_size`` too, before reading the file). ``None`` is no limit."""

    max_bytes: int | None = None
    max_rows: int | None = None
    max_cells: int | None = None  # of a worksheet; MAX_CELLS when None


MAX_CELLS = 5_000_000  # 50 000 rows of 100 columns: more than any import here needs


NO_LIMITS = Limits()


@dataclass(frozen=True)
class Row:
    number: int
    cells: list[str]

    @property
    def is_empty(self) -> bool:
        return not any(self.cells)


@dataclass
class Table:
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    format: str = "csv"
    delimiter: str = ""
    encoding: str = ""

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """The non-empty rows as (row number, {header name: cell}); a short row lacks the
        names of its missing cells, cells beyond the header are left out."""
        return [
            (row.number, dict(zip(self.header, row.cells, strict=False)))
            for row in self.rows
            if not row.is_empty
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value):
    """A cell value that a spreadsheet shows instead of evaluating (see the module's rules);
    values that are not text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Iterable]) -> list[list]:
    """Rows of cells, each cell through ``spreadsheet_safe``: what every export writer writes."""
    return [[spreadsheet_safe(cell) for cell in row] for row in rows]


def _unquote(text: str) -> str:
    """Undo ``spreadsheet_safe`` on a cell read back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def check_size(size: int, limits: Limits) -> None:
    """Refuse a file of ``size`` bytes that is over the limit."""
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise TabularError(
            _("The file is larger than %(size)s MB.")
            % {"size": f"{limits.max_bytes / (1024 * 1024):g}"}
        )


def _check_row(count: int, limits: Limits) -> None:
    """``count`` rows under the header have been read so far."""
    if limits.max_rows is not None and count > limits.max_rows:
        raise TabularError(
            _("The file has more than %(n)s rows; split it into smaller files.")
            % {"n": limits.max_rows}
        )


def _check_dimension(rows: int, columns: int, limits: Limits) -> None:
    """A sheet of ``rows`` × ``columns`` cells (declared, or read so far) is over the limit."""
    limit = limits.max_cells or MAX_CELLS
    if rows * columns > limit:
        raise TabularError(
            _(
                "The sheet spans %(rows)s rows and %(columns)s columns, more than the limit of "
                "%(limit)s cells: delete the empty rows and columns after the data, or copy the "
                "data into a new sheet."
            )
            % {"rows": rows, "columns": columns, "limit": f"{limit:,}".replace(",", " ")}
        )


def _sheet_rows(worksheet, limits: Limits):
    """The rows of a worksheet, refused before reading when it declares too many cells and while
    reading when it holds more than it declared."""
    _check_dimension(worksheet.max_row or 0, worksheet.max_column or 0, limits)
    cells = 0
    widest = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
        cells += len(values)
        widest = max(widest, len(values))
        if cells > (limits.max_cells or MAX_CELLS):
            _check_dimension(number, widest, limits)
        yield number, values


def decode_text(content: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read with (see the module's rules)."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8-sig", FALLBACK_ENCODING)
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise TabularError(
        _(
            "This is not a text (CSV) file in UTF-8 or Windows-1252: save it from the "
            "spreadsheet as CSV UTF-8."
        )
    )


def sniff_delimiter(line: str) -> str:
    """Comma, semicolon or tab: the one the header line holds most of, a comma on a tie."""
    return max(DELIMITERS, key=line.count)


def cell_text(value) -> str:
    """A cell value as text, by the module's rules."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _unquote(str(value).strip())


def _trim(cells: list[str], width: int) -> list[str]:
    """Drop empty cells at the end of a row beyond ``width``."""
    end = len(cells)
    while end > width and not cells[end - 1]:
        end -= 1
    return cells[:end]


def _table(raw_rows, *, limits: Limits, **meta) -> Table:
    """Header and rows from an iterator of (row number, cells), by the module's rules."""
    header: list[str] | None = None
    rows: list[Row] = []
    kept = 0  # rows up to the last non-empty one
    for number, cells in raw_rows:
        if header is None:
            header = _trim([cell_text(c) for c in cells], 0)
            continue
        row = Row(number, _trim([cell_text(c) for c in cells], len(header)))
        rows.append(row)
        if not row.is_empty:
            kept = len(rows)
            _check_row(kept, limits)
    return Table(header=header or [], rows=rows[:kept], **meta)


def read_csv(content: bytes, *, limits: Limits = NO_LIMITS) -> Table:
    check_size(len(content), limits)
    text, encoding = decode_text(content)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table(
            enumerate(reader, 1),
            limits=limits,
            format="csv",
            delimiter=delimiter,
            encoding=encoding,
        )
    except csv.Error as exc:
        raise TabularError(
            _("Row %(row)s cannot be read as CSV (%(error)s).")
            % {"row": reader.line_num, "error": exc}
        ) from exc


def read_xlsx(content: bytes, *, sheet: str | None = None, limits: Limits = NO_LIMITS) -> Table:
    """The first sheet of a workbook, or the sheet named ``sheet``."""
    check_size(len(content), limits)
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise TabularError(_("This is not an Excel .xlsx file."))
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise TabularError(_("The Excel file cannot be read: %(e)s") % {"e": exc}) from exc
    try:
        if sheet is None:
            if not book.worksheets:
                raise TabularError(_("The Excel file has no sheet."))
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise TabularError(
                _("The Excel file has no sheet named “%(name)s” (it has: %(names)s).")
                % {"name": sheet, "names": ", ".join(book.sheetnames)}
            )
        try:
            return _table(_sheet_rows(worksheet, limits), limits=limits, format="xlsx")
        except TabularError:
            raise
        except Exception as exc:  # a damaged sheet fails while it is read, not when opened
            raise TabularError(_("The Excel file cannot be read: %(e)s") % {"e": exc}) from exc
    finally:
        book.close()


def read_table(
    content: bytes, *, filename: str, sheet: str | None = None, limits: Limits = NO_LIMITS
) -> Table:
    """Read an uploaded table, XLSX or CSV by the file name's extension (``.xlsx``; ``.csv``,
    ``.tsv`` or ``.txt``)."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(content, sheet=sheet, limits=limits)
    if lower.endswith((".csv", ".tsv", ".txt")):
        return read_csv(content, limits=limits)
    raise TabularError(_("Upload the table as .xlsx or .csv."))
