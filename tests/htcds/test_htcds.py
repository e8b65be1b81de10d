"""HTCDS import and export: IOM's template, round trips, bad rows, idempotency, commands, pages."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corridor.audit.models import Action, AuditEntry
from corridor.cases.htcds.exporter import htcds_export
from corridor.cases.htcds.importer import htcds_import
from corridor.cases.models import Case, TraffickingEvent
from corridor.cases.services import case_open, event_add
from corridor.people.models import Person
from corridor.people.services import person_create
from corridor.screening.models import ImportedRow
from tests.permissions import check_matrix

TEMPLATE = (
    Path(__file__).resolve().parents[1] / "data" / "htcds" / "HTCDS_Excel_Spreadsheet_v2.0.xlsx"
)


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Case.objects.count(), ImportedRow.objects.count()


def filled_template(rows: list[dict]) -> bytes:
    """IOM's own template with data typed into it by header name, every quirk kept."""
    book = openpyxl.load_workbook(TEMPLATE)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for offset, values in enumerate(rows):
        for name, value in values.items():
            column = header.index(name) + 1 if name in header else None
            if name == "cas_ReasonForOutgoingReferral":
                column = [c.value for c in sheet[2]].index("Reason for Outgoing Referral") + 1
            sheet.cell(row=3 + offset, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROW = {
    "cas_CaseOwner": "someone.elsewhere",
    "prs_FirstName": "Akosua",
    "prs_SecondName": "DOGBE",
    "con_Consent": "TRUE",
    "prs_Birthdate": date(2011, 5, 2),
    "prs_Gender": "Feminine",
    "prs_Citizenship": "TG",
    "prs_MobilePhone": "+22890123456",
    "prs_MailingCity": "Kpalimé",
    "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
    "vic_TraffickinStatusDecisionMakingOrg": "NGO",
    "vic_MethodOfRecruitment": "ThroughFamilyOrFamilyEvents",
    "vic_LocationOfRecruitment": "Kpalimé",
    "vic_MethodsOfControl": "DebtBondage;WithholdsDocuments",
    "vic_TypeOfExploitation": "Servitude",
    "vic_LocationOfExploitation": "Libreville",
    "cas_Status": "Active",
    "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired",
}


def test_iom_template_as_published_imports_nothing_and_no_error(people):
    report = htcds_import(
        actor=people["coordinator"], name=TEMPLATE.name, content=TEMPLATE.read_bytes()
    )
    assert not report.rejected and report.errors == []
    assert report.created == 0 and report.rows == 0
    assert counts() == (0, 0, 0)


def test_filled_iom_template_imports_with_its_quirks(people):
    second = dict(
        ROW,
        prs_FirstName="Yao",
        prs_SecondName="KOFFI",
        prs_Gender="Masculine",
        prs_Birthdate="1999",
        vic_TraffickinStatusDecisionMakingOrg="Police",
        cas_Status="Closed",
        cas_ReasonForCaseClosure="Returned home",
    )
    content = filled_template([ROW, second])
    report = htcds_import(actor=people["coordinator"], name="filled.xlsx", content=content)
    assert report.errors == [] and report.created == 2
    akosua = Case.objects.get(person__given_names="Akosua")
    assert akosua.status_decision_org == "NGO"
    assert akosua.methods_of_control == ["DebtBondage", "WithholdsDocuments"]
    assert akosua.is_child is True
    assert akosua.owner == people["coordinator"]
    assert TraffickingEvent.objects.filter(case=akosua).count() == 2
    extra = ImportedRow.objects.get(case=akosua).extra
    assert extra["cas_ReasonForOutgoingReferral"] == "AdditionalServicesRequired"
    assert extra["con_Consent"] == "TRUE"
    yao = Case.objects.get(person__given_names="Yao")
    assert yao.person.birth_year == 1999 and yao.person.birth_date is None
    assert yao.status == "Closed" and yao.closure_reason == "Returned home"
    assert AuditEntry.objects.filter(action=Action.IMPORT).count() == 1


def test_reimporting_the_same_file_adds_nothing(people):
    content = filled_template([ROW])
    actor = people["coordinator"]
    first = htcds_import(actor=actor, name="a.xlsx", content=content)
    again = htcds_import(actor=actor, name="a.xlsx", content=content)
    assert (first.created, again.created, again.already) == (1, 0, 1)
    assert counts() == (1, 1, 1)


def test_bad_rows_reject_the_whole_file_naming_rows_and_columns(people):
    rows = [
        ROW,
        dict(ROW, prs_FirstName="Mawuli", prs_Gender="Martian"),
        dict(ROW, prs_FirstName="Edem"),
        dict(
            ROW,
            prs_FirstName="Sena",
            prs_Birthdate="2012-02-30",
            vic_TypeOfExploitation="ForcedLabour;Juggling",
        ),
    ]
    report = htcds_import(
        actor=people["coordinator"], name="bad.xlsx", content=filled_template(rows)
    )
    assert report.rejected
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(4, "prs_Gender"), (6, "prs_Birthdate"), (6, "vic_TypeOfExploitation")}
    assert "Martian" in str(report.errors[0])
    assert counts() == (0, 0, 0)
    audit = AuditEntry.objects.get(action=Action.IMPORT)
    assert audit.detail["rejected"] is True and audit.detail["errors"] == 3


def test_keep_valid_rows_imports_the_others_and_reports(people):
    rows = [ROW, dict(ROW, prs_FirstName="Mawuli", prs_Gender="Martian")]
    report = htcds_import(
        actor=people["coordinator"],
        name="bad.xlsx",
        content=filled_template(rows),
        keep_valid_rows=True,
    )
    assert not report.rejected and report.created == 1
    assert [(e.row, e.column) for e in report.errors] == [(4, "prs_Gender")]
    assert counts() == (1, 1, 1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.pdf", b"%PDF-1.4", "xlsx or .csv"),
        ("cases.xlsx", b"not a zip", "not an Excel"),
        ("cases.csv", b"name,age\nAma,12\n", "No HTCDS header"),
        ("cases.csv", b"x" * (10 * 1024 * 1024 + 1), "10 MB"),
    ],
)
def test_wrong_files_are_refused_with_a_clear_error(people, name, content, message):
    report = htcds_import(actor=people["coordinator"], name=name, content=content)
    assert report.rejected and message in report.errors[0].message
    assert counts() == (0, 0, 0)


def test_only_coordinators_import_and_export(people):
    from django.core.exceptions import PermissionDenied

    for role in ("caseworker", "supervisor", "administrator", "other_country.coordinator"):
        with pytest.raises(PermissionDenied):
            htcds_import(actor=people[role], name="a.csv", content=b"")
        with pytest.raises(PermissionDenied):
            htcds_export(actor=people[role], fmt="csv")


def make_cases(people):
    worker = people["caseworker"]
    one = person_create(
        actor=worker,
        given_names="Ama",
        family_name="Kossi",
        gender="Feminine",
        birth_year=2010,
        citizenships=["TG", "BJ"],
        languages=["ewe", "fr"],
        phones=["+22890000001", "+22890000002"],
        place_of_origin="Vogan",
    )
    case = case_open(
        actor=worker,
        person=one,
        exploitation_types=["ForcedLabour", "ChildLabour"],
        industries=["G_WholesaleAndRetailTradeRepairOfMotorVehicles"],
        methods_of_control=["FalsePromises"],
        recruitment_method="AtWork",
        relationship_to_trafficker="Acquainted",
        age_when_trafficked=11,
    )
    event_add(actor=worker, case=case, event_type="Exploitation", city="Owendo")
    two = person_create(actor=worker, family_name="Amegah", estimated_age=30, gender="Masculine")
    case_open(
        actor=worker,
        person=two,
        trafficking_status="ActualVictimOfTrafficking",
        status_decision_org="Police",
    )


def rows_of(fmt: str, data: bytes) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]


def wipe():
    """An empty node: no people, no cases (users and agencies stay)."""
    ImportedRow.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_node_round_trips(people, fmt):
    make_cases(people)
    coordinator = people["coordinator"]
    first = htcds_export(actor=coordinator, fmt=fmt)
    table = rows_of(fmt, first)
    assert table[0][1:3] == ["cas_CaseOwner", "prs_Salutation"]
    assert table[1][3] == "First Name"
    by_name = {
        r[table[0].index("prs_FirstName")]: dict(zip(table[0], r, strict=False)) for r in table[2:]
    }
    assert by_name["Ama"]["prs_Birthdate"] == "2010"
    assert by_name["Ama"]["vic_TypeOfExploitation"] == "ForcedLabour;ChildLabour"
    assert by_name["Ama"]["prs_MobilePhone"] == "+22890000001"
    assert by_name[""]["vic_TraffickingStatusDecisionMakingOrg"] == "Police"
    wipe()
    report = htcds_import(actor=coordinator, name=f"export.{fmt}", content=first)
    assert report.errors == [] and report.created == 2
    second = htcds_export(actor=coordinator, fmt=fmt)
    assert rows_of(fmt, second) == table
    assert AuditEntry.objects.filter(action=Action.EXPORT).count() == 2


def test_commands(people, tmp_path):
    make_cases(people)
    out = tmp_path / "cases.xlsx"
    call_command("export", "htcds", "--out", str(out), "--user", "home.coordinator")
    wipe()
    said = io.StringIO()
    call_command("import", "htcds", str(out), "--user", "home.coordinator", stdout=said)
    assert (
        Case.objects.count() == 2
        and said.getvalue().strip() == "2 cases created; 0 rows already imported"
    )
    said = io.StringIO()
    call_command("import", "htcds", str(out), "--user", "home.coordinator", stdout=said)
    assert (
        Case.objects.count() == 2
        and said.getvalue().strip() == "0 cases created; 2 rows already imported"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("prs_FirstName,prs_Birthdate\nAma,2020-13-01\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="rejected, nothing imported: 1 error.$"):
        call_command("import", "htcds", str(bad), "--user", "home.coordinator", stderr=err)
    assert "row 2, prs_Birthdate" in err.getvalue()
    bad.write_text("name,age\nAma,12\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="rejected, nothing imported: 1 error.$"):
        call_command("import", "htcds", str(bad), "--user", "home.coordinator", stderr=err)
    assert err.getvalue().startswith("No HTCDS header")  # a file's error names no row
    with pytest.raises(CommandError):
        call_command("import", "htcds", str(bad), "--user", "home.caseworker")
    with pytest.raises(CommandError):
        call_command(
            "export", "htcds", "--out", str(tmp_path / "x.pdf"), "--user", "home.coordinator"
        )


# Pages -------------------------------------------------------------------------------------------


def test_page_matrix(people):
    problems = check_matrix("/cases/htcds/", people, {"coordinator"})
    problems += check_matrix("/cases/htcds/export/csv/", people, {"coordinator"})
    problems += check_matrix("/cases/htcds/export/xlsx/", people, {"coordinator"})
    problems += check_matrix("/cases/htcds/import/report.csv", people, {"coordinator"})
    problems += check_matrix("/cases/htcds/", people, {"coordinator"}, method="post")
    assert problems == []


def test_upload_page_imports_and_reports_bad_rows(people, as_user):
    client = as_user(people["coordinator"])
    bad = filled_template([ROW, dict(ROW, prs_FirstName="Mawuli", prs_Gender="Martian")])
    upload = io.BytesIO(bad)
    upload.name = "bad.xlsx"
    response = client.post("/cases/htcds/", {"file": upload})
    assert response.status_code == 200
    assert b"prs_Gender" in response.content and counts() == (0, 0, 0)
    report = client.get("/cases/htcds/import/report.csv")
    assert report.status_code == 200 and b"prs_Gender" in report.content
    upload = io.BytesIO(bad)
    upload.name = "bad.xlsx"
    response = client.post("/cases/htcds/", {"file": upload, "keep_valid_rows": "on"})
    assert counts() == (1, 1, 1)


def test_upload_page_refuses_wrong_type(people, as_user):
    client = as_user(people["coordinator"])
    upload = io.BytesIO(b"%PDF")
    upload.name = "x.pdf"
    response = client.post("/cases/htcds/", {"file": upload})
    assert response.status_code == 200 and b"xlsx" in response.content
    assert counts() == (0, 0, 0)


def test_download_page(people, as_user):
    make_cases(people)
    response = as_user(people["coordinator"]).get("/cases/htcds/export/xlsx/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert len(rows_of("xlsx", response.content)) == 4


def add_cases(people, n: int) -> None:
    """``n`` more cases, each with two phones and two trafficking events."""
    worker = people["caseworker"]
    start = Case.objects.count()
    for i in range(start, start + n):
        person = person_create(
            actor=worker,
            given_names=f"Akouvi {i}",
            family_name="MENSAH",
            gender="Feminine",
            birth_year=2009,
            phones=[f"+2289000{i:04d}", f"+2289100{i:04d}"],
        )
        case = case_open(actor=worker, person=person, exploitation_types=["ForcedLabour"])
        event_add(actor=worker, case=case, event_type="Recruitment", city="Vogan")
        event_add(actor=worker, case=case, event_type="Exploitation", city="Owendo")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_runs_the_same_number_of_queries_for_3_and_30_cases(people, fmt):
    coordinator = people["coordinator"]
    add_cases(people, 3)
    with CaptureQueriesContext(connection) as small:
        htcds_export(actor=coordinator, fmt=fmt)
    add_cases(people, 27)
    with CaptureQueriesContext(connection) as big:
        data = htcds_export(actor=coordinator, fmt=fmt)
    assert len(rows_of(fmt, data)) == 2 + 30
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_audit_summary_of_an_export_counts_in_french(people):
    """Audit summaries are written in the node's language: "export HTCDS (0 dossier)" as French
    writes a count of 0, "export HTCDS (2 dossiers)"."""
    coordinator = people["coordinator"]
    wipe()
    htcds_export(actor=coordinator, fmt="csv")
    make_cases(people)
    htcds_export(actor=coordinator, fmt="csv")
    summaries = list(
        AuditEntry.objects.filter(action=Action.EXPORT, actor=coordinator)
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries[-2:] == ["export HTCDS (0 dossier)", "export HTCDS (2 dossiers)"]
