"""The one reader of uploaded tables: encodings, delimiters, XLSX, trailing blanks, limits and
unreadable files, each with the rule ``core/tabular.py`` states."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from corridor.core import tabular

TEXT = "nom;prénom;âge\nDOGBE;Akossiwa;12\nKOFFI;Sénam;9\n"
ROWS = [["DOGBE", "Akossiwa", "12"], ["KOFFI", "Sénam", "9"]]


def cells(table: tabular.Table) -> list[list[str]]:
    return [row.cells for row in table.rows]


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1252", "utf-16-le", "utf-16-be"],
)
def test_each_encoding_gives_the_same_table(content, encoding):
    table = tabular.read_csv(content)
    assert table.header == ["nom", "prénom", "âge"]
    assert cells(table) == ROWS
    assert table.encoding == encoding


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_each_delimiter_is_found_from_the_header_line(delimiter, name):
    text = TEXT.replace(";", delimiter)
    table = tabular.read_csv(text.encode())
    assert table.delimiter == delimiter, name
    assert cells(table) == ROWS


def test_a_comma_wins_a_tie_and_quoted_cells_keep_delimiters_and_line_breaks():
    assert tabular.sniff_delimiter("a;b,c") == ","
    table = tabular.read_csv(b'a,b\n"Lom\xc3\xa9; Togo","line one\nline two"\n3,4\n')
    assert cells(table) == [["Lomé; Togo", "line one\nline two"], ["3", "4"]]
    # Numbered as in a spreadsheet: the quoted cell over two lines is still row 2.
    assert [row.number for row in table.rows] == [2, 3]


def test_trailing_empty_rows_and_cells_are_dropped_inner_ones_kept():
    table = tabular.read_csv(b"a,b,\n1,2,,\n,,\n3,4,5\n,,\n\n")
    assert table.header == ["a", "b"]
    # An empty cell inside the header's width stays; a cell beyond it with a value stays too.
    assert cells(table) == [["1", "2"], ["", ""], ["3", "4", "5"]]
    assert [row.number for row in table.rows] == [2, 3, 4]
    assert table.records() == [(2, {"a": "1", "b": "2"}), (4, {"a": "3", "b": "4"})]


def test_short_rows_are_not_padded():
    table = tabular.read_csv(b"a,b,c\n1\n")
    assert cells(table) == [["1"]]
    assert table.records() == [(2, {"a": "1"})]


def test_an_empty_file_has_no_header_and_no_rows():
    assert (tabular.read_csv(b"").header, tabular.read_csv(b"").rows) == ([], [])


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_values_are_text():
    content = workbook(
        (
            "Cas",
            [
                ["nom", "né le", "âge", "vu", "consent", None],
                [" DOGBE ", datetime(2011, 5, 2), 12.0, datetime(2025, 3, 1, 14, 5), True, None],
                ["KOFFI", date(2014, 1, 9), 9.5, None, None, None],
                [None, None, None, None, None, None],
            ],
        )
    )
    table = tabular.read_xlsx(content)
    assert table.format == "xlsx"
    assert table.header == ["nom", "né le", "âge", "vu", "consent"]
    assert cells(table) == [
        ["DOGBE", "2011-05-02", "12", "2025-03-01 14:05:00", "True"],
        ["KOFFI", "2014-01-09", "9.5", "", ""],
    ]


def test_xlsx_first_or_named_sheet():
    content = workbook(("Lisez-moi", [["notes"], ["à lire"]]), ("Cas", [["nom"], ["AMA"]]))
    assert cells(tabular.read_xlsx(content)) == [["à lire"]]
    assert cells(tabular.read_xlsx(content, sheet="Cas")) == [["AMA"]]
    with pytest.raises(tabular.TabularError, match="no sheet named “Victimes”.*Lisez-moi, Cas"):
        tabular.read_xlsx(content, sheet="Victimes")


def test_read_table_chooses_by_extension():
    content = workbook(("Feuil1", [["a"], ["1"]]))
    assert tabular.read_table(content, filename="X.XLSX").format == "xlsx"
    assert tabular.read_table(b"a\n1\n", filename="x.csv").format == "csv"
    assert tabular.read_table(b"a\tb\n1\t2\n", filename="x.tsv").delimiter == "\t"
    with pytest.raises(tabular.TabularError, match=r"\.xlsx or \.csv"):
        tabular.read_table(b"%PDF", filename="x.pdf")


@pytest.mark.parametrize(
    ("reader", "content", "message"),
    [
        (tabular.read_csv, b"a,b\n\x81\x8d\x90\n", "not a text \\(CSV\\) file"),
        (tabular.read_csv, b"PK\x03\x04\x00\x00binary", "not a text \\(CSV\\) file"),
        (tabular.read_csv, b'a,b\n"x\x00y",2\n', "not a text \\(CSV\\) file"),
        (tabular.read_xlsx, b"a,b\n1,2\n", "not an Excel .xlsx file"),
        (tabular.read_xlsx, b"PK\x05\x06" + b"\x00" * 18, "cannot be read"),
    ],
    ids=["undecodable", "binary", "nul", "csv as xlsx", "damaged zip"],
)
def test_an_unreadable_file_is_a_clear_error(reader, content, message):
    with pytest.raises(tabular.TabularError, match=message):
        reader(content)


def test_a_broken_csv_names_its_row():
    # The csv module's cell size limit is process-wide (followthemoney raises it on import):
    # set a small one for this test.
    previous = csv.field_size_limit(1000)
    try:
        with pytest.raises(tabular.TabularError, match="Row 2 cannot be read as CSV"):
            tabular.read_csv(b'a,b\n"' + b"x" * 2000 + b'",1\n')
    finally:
        csv.field_size_limit(previous)


def test_errors_are_translated():
    from django.utils import translation

    with translation.override("fr"), pytest.raises(tabular.TabularError) as error:
        tabular.read_xlsx(b"not a zip")
    assert "Excel" in str(error.value) and "This is not" not in str(error.value)


def test_limits_on_bytes_and_rows():
    with pytest.raises(tabular.TabularError, match="larger than 0.5 MB"):
        tabular.read_csv(b"a\n" + b"1\n" * 300_000, limits=tabular.Limits(max_bytes=512 * 1024))
    limits = tabular.Limits(max_rows=2)
    with pytest.raises(tabular.TabularError, match="more than 2 rows"):
        tabular.read_csv(b"a\n1\n2\n3\n", limits=limits)
    # Trailing empty rows do not count against the limit.
    assert len(tabular.read_csv(b"a\n1\n2\n\n\n,\n", limits=limits).rows) == 2
    with pytest.raises(tabular.TabularError, match="more than 2 rows"):
        tabular.read_xlsx(workbook(("S", [["a"], ["1"], ["2"], ["3"]])), limits=limits)
    with pytest.raises(tabular.TabularError, match="10 MB"):
        tabular.check_size(10 * 1024 * 1024 + 1, tabular.Limits(max_bytes=10 * 1024 * 1024))
