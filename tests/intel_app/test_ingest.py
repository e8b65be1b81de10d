"""Operator files: idempotent, all or nothing, every bad line named."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from corridor.audit.models import Action, AuditEntry
from corridor.intel.models import Entity, Event, ImportBatch, Link
from corridor.intel.services import import_run

CDR = (
    "caller,callee,start,duration,cell\n"
    "90 11 22 33,+22891112233,2025-03-01 10:00,120,LOME-01\n"
    "+228 90 11 22 33,+241 62 11 22 33,01/03/2025 11:30,45,LOME-01\n"
    "0022891112233,90112233,2025-03-02T08:15:00,300,KPALIME-2\n"
)
MONEY = (
    "sender;receiver;amount;currency;time;reference\n"
    "90112233;91112233;25 000;XOF;2025-03-01 10:05;TX-001\n"
    "91112233;+241 62 11 22 33;150000,50;XAF;2025-03-03 09:00;TX-002\n"
)


def run(kind, text, **kwargs):
    return import_run(
        actor=None, kind=kind, filename=f"{kind}.csv", content=text.encode(), **kwargs
    )


@pytest.mark.django_db
def test_cdr_import_creates_phones_and_calls_once():
    batch = run("cdr", CDR)
    assert (batch.status, batch.rows_total, batch.rows_imported, batch.rows_error) == (
        "done",
        3,
        3,
        0,
    )
    phones = sorted(Entity.objects.filter(kind="phone").values_list("key", flat=True))
    assert phones == ["+22890112233", "+22891112233", "+24162112233"]
    assert Event.objects.filter(kind="call").count() == 3
    call = Event.objects.get(place="KPALIME-2")
    assert call.duration_seconds == 300
    assert sorted(call.participations.values_list("role", "entity__key")) == [
        ("callee", "+22890112233"),
        ("caller", "+22891112233"),
    ]
    assert Entity.objects.get(key="+24162112233").country == "GA"
    # The same file again: recognised by its hash, nothing added.
    again = run("cdr", CDR)
    assert again.pk == batch.pk
    assert (Event.objects.count(), Entity.objects.count(), ImportBatch.objects.count()) == (3, 3, 1)
    # An overlapping file adds only its new row.
    overlap = run("cdr", CDR + "91112233,+24162112233,2025-03-04 12:00,60,LOME-02\n")
    assert (overlap.rows_imported, overlap.rows_duplicate) == (1, 3)
    assert Event.objects.count() == 4 and Entity.objects.count() == 3
    assert (
        AuditEntry.objects.filter(action=Action.IMPORT, object_type="intel.importbatch").count()
        == 2
    )


@pytest.mark.django_db
def test_money_import_with_semicolons_and_french_amounts():
    batch = run("money", MONEY)
    assert (batch.status, batch.rows_imported) == ("done", 2)
    payments = Event.objects.filter(kind="payment").order_by("at")
    assert [(str(p.amount), p.currency, p.reference) for p in payments] == [
        ("25000.00", "XOF", "TX-001"),
        ("150000.50", "XAF", "TX-002"),
    ]
    assert Entity.objects.filter(kind="account").count() == 3
    assert Link.objects.filter(kind="uses", source_entity__kind="account").count() == 3
    # Same reference from the same sender in another export of the operator: not a new payment.
    other = run(
        "money",
        MONEY.replace("25 000", "25000") + "90112233;91112233;5000;XOF;2025-03-09 10:00;TX-009\n",
    )
    assert (other.rows_imported, other.rows_duplicate) == (1, 2)
    assert Event.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("caller,callee,start\n90112233,91112233,2025-03-01 10:00\n", "missing column duration"),
        ("caller,callee,start,duration,cell\n", "no data row"),
        (CDR + "this is junk\n", "line 5: expected 5 fields, found 1"),
        (
            CDR + "12,91112233,2025-03-01 10:00,10,X\n",
            "line 5: caller: “12” is not a valid phone number",
        ),
        (
            CDR + "abc,91112233,2025-03-01 10:00,10,X\n",
            "line 5: caller: “abc” is not a phone number",
        ),
        (
            CDR + "90112233,+22890112233,2025-03-01 10:00,10,X\n",
            "line 5: caller and callee are the same number",
        ),
        (CDR + "90112233,91112233,yesterday,10,X\n", "line 5: “yesterday” is not a date and time"),
        (
            CDR + "90112233,91112233,0025-03-01 10:00,10,X\n",
            "line 5: Give a date between 1900 and 2100",
        ),
        (
            CDR + "90112233,91112233,2025-03-01 10:00,ten,X\n",
            "line 5: the duration “ten” is not a whole number",
        ),
    ],
)
def test_bad_cdr_files_import_nothing_and_name_the_line(settings, text, expected):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        batch = run("cdr", text)
    assert batch.status == "rejected"
    assert any(expected in e["message"] for e in batch.errors), batch.errors
    assert (Event.objects.count(), Entity.objects.count(), Link.objects.count()) == (0, 0, 0)
    assert (
        AuditEntry.objects.filter(action=Action.REJECT, object_type="intel.importbatch").count()
        == 1
    )


@pytest.mark.django_db
def test_bad_money_rows(settings):
    from django.utils import translation

    bad = (
        MONEY
        + "90112233;91112233;-5;XOF;2025-03-01 10:00;TX-3\n"
        + "90112233;91112233;10;ZZZ;2025-03-01 10:00;TX-4\n"
    )
    with translation.override("en"):
        batch = run("money", bad)
    assert batch.status == "rejected"
    assert [e["line"] for e in batch.errors] == [4, 5]
    assert "must be positive" in batch.errors[0]["message"]
    assert "unknown currency “ZZZ”" in batch.errors[1]["message"]
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_skip_bad_imports_the_good_rows_and_reports_the_others():
    text = CDR + "junk\n" + "90112233,90112233,2025-03-01 10:00,10,X\n"
    batch = run("cdr", text, skip_bad=True)
    assert (batch.status, batch.rows_total, batch.rows_imported, batch.rows_error) == (
        "partial",
        5,
        3,
        2,
    )
    assert [e["line"] for e in batch.errors] == [5, 6]
    assert Event.objects.count() == 3


@pytest.mark.django_db
def test_binary_file_is_refused():
    batch = import_run(
        actor=None, kind="cdr", filename="x.xlsx", content=b"PK\x03\x04\x00\x00binary"
    )
    assert batch.status == "rejected" and Event.objects.count() == 0


@pytest.mark.django_db
def test_upload_page_and_error_report(people, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(people["investigator"])
    bad = SimpleUploadedFile("cdr.csv", (CDR + "junk line\n").encode(), content_type="text/csv")
    response = client.post(
        "/intel/imports/", {"kind": "cdr", "file": bad, "reliability": "B", "credibility": "2"}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intel/imports/{batch.pk}/"
    assert Event.objects.count() == 0
    page = client.get(f"/intel/imports/{batch.pk}/").content.decode()
    assert "junk line" in page
    report = client.get(f"/intel/imports/{batch.pk}/errors.csv")
    assert report["Content-Type"].startswith("text/csv")
    lines = report.content.decode().splitlines()
    assert lines[0] == "line,error,content" and lines[1].startswith("5,")
    good = SimpleUploadedFile("cdr2.csv", CDR.encode(), content_type="text/csv")
    client.post(
        "/intel/imports/", {"kind": "cdr", "file": good, "reliability": "B", "credibility": "2"}
    )
    assert Event.objects.count() == 3


@pytest.mark.django_db
def test_management_command(tmp_path, capsys):
    path = tmp_path / "calls.csv"
    path.write_text(CDR, encoding="utf-8")
    call_command("intel_import", "cdr", str(path), "--source", "Opérateur DEMO, réquisition 1")
    assert Event.objects.count() == 3
    capsys.readouterr()
    with translation.override("fr"):
        call_command("intel_import", "cdr", str(path))
    # the same file again is the same import; each count agrees with its number as French
    # does it (0 and 1 singular)
    batch = ImportBatch.objects.get()
    assert capsys.readouterr().out == (
        "Importé\u00a0: 3 lignes, 3 importées, 0 déjà connue, 0 en erreur "
        f"(importation n° {batch.pk})\n"
    )
    assert Event.objects.count() == 3
    assert Event.objects.first().source == "Opérateur DEMO, réquisition 1"
    bad = tmp_path / "bad.csv"
    bad.write_text(CDR + "junk\n", encoding="utf-8")
    errors = tmp_path / "errors.csv"
    with pytest.raises(CommandError):
        call_command("intel_import", "cdr", str(bad), "--errors", str(errors))
    assert errors.read_text(encoding="utf-8").splitlines()[1].startswith("5,")
    assert Event.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("intel_import", "money", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_operator_files_are_read_by_the_shared_reader_rules():
    """Tabs and Windows-1252 (a French spreadsheet's own export) read like the UTF-8 CSV."""
    from corridor.intel import ingest

    tabbed = CDR.replace(",", "\t").encode("cp1252")
    parsed = ingest.parse(kind="cdr", content=tabbed)
    assert (parsed.fatal, parsed.rows_total, len(parsed.rows), parsed.errors) == (False, 3, 3, [])
    binary = ingest.parse(kind="cdr", content=b"PK\x03\x04\x00\x00\x00")
    assert binary.fatal and "not a text (CSV) file" in binary.errors[0].message


@pytest.mark.django_db
def test_a_file_over_the_row_limit_is_refused(monkeypatch):
    from corridor.core import tabular
    from corridor.intel import ingest

    monkeypatch.setattr(ingest, "LIMITS", tabular.Limits(max_rows=2))
    parsed = ingest.parse(kind="cdr", content=CDR.encode())
    assert parsed.fatal and "more than 2 rows" in parsed.errors[0].message
