"""Item 15: bad input is refused early and clearly: a workbook declaring billions of cells, files
over the upload limits, JSON nested too deep, ids in the query string that are not ids."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from corridor.cases.htcds.importer import htcds_import
from corridor.core import tabular

pytestmark = pytest.mark.django_db


def _workbook(rows: list[list[str]], *, declared: str | None = None) -> bytes:
    """An .xlsx of ``rows`` whose first sheet declares the dimension ``declared`` (none if
    ``""``)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    raw = io.BytesIO()
    book.save(raw)
    if declared is None:
        return raw.getvalue()
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<dimension ref=")
                end = data.index(b"/>", start) + 2
                dimension = f'<dimension ref="{declared}"/>' if declared else ""
                data = data[:start] + dimension.encode() + data[end:]
            target.writestr(item, data)
    return out.getvalue()


def test_a_small_workbook_declaring_17_billion_cells_is_refused_before_reading(people):
    bomb = _workbook(
        [["prs_FirstName", "prs_SecondName"], ["Ama", "KOSSI"]], declared="A1:XFD1048576"
    )
    assert len(bomb) < 8000
    started = time.monotonic()
    report = htcds_import(actor=people["coordinator"], name="bomb.xlsx", content=bomb)
    assert time.monotonic() - started < 5
    [error] = report.errors
    assert "5 000 000 cells" in error.message and "16384 columns" in error.message


def test_a_sheet_declaring_no_size_is_stopped_while_read():
    liar = _workbook([[f"c{i}"] for i in range(40)], declared="")
    with pytest.raises(tabular.TabularError, match="limit of 10 cells"):
        tabular.read_xlsx(liar, limits=tabular.Limits(max_cells=10))
    assert len(tabular.read_xlsx(liar, limits=tabular.Limits(max_cells=40)).rows) == 39
