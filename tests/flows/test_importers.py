from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.cases.models import Case
from corridor.flows import importers
from corridor.flows.models import FlowCount, FlowSurvey, Submission, VulnerabilityCount

pytestmark = pytest.mark.django_db


def group(instance, **values) -> dict:
    """One KoboToolbox JSON submission of the group-count form."""
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    base = {
        "_id": 1,
        "_uuid": instance,
        "_xform_id_string": "corridor_flow_count",
        "__version__": "2026.1",
        "meta/instanceID": f"uuid:{instance}",
        "start": f"{day}T08:00:00.000+00:00",
        "point": "TG-KOD",
        "day": day,
        "direction": "in",
        "nationality": "GH",
        "transport": "bus",
        "reason": "trade",
        "adult_m": "2",
        "adult_f": "3",
        "child_m": "1",
        "child_f": "1",
        "unaccompanied": "1",
    }
    return base | values


def kobo(*submissions) -> bytes:
    return json.dumps({"count": len(submissions), "results": list(submissions)}).encode()


def travellers() -> int:
    return FlowCount.objects.aggregate(n=Sum("count"))["n"] or 0


def run(people, content, filename="export.json", form_id=""):
    return importers.import_file(
        actor=people[Role.COORDINATOR], content=content, filename=filename, form_id=form_id
    )


def test_kobo_json_is_idempotent(people, points):
    content = kobo(group("a1"), group("a2", adult_m="10"))
    report = run(people, content)
    assert (report.imported, report.errors) == (2, [])
    assert travellers() == 7 + 15
    assert VulnerabilityCount.objects.get().count == 2
    again = run(people, content)
    assert (again.imported, again.unchanged) == (0, 2)
    assert travellers() == 22


def test_edited_submission_replaces_the_earlier_one(people, points):
    run(people, kobo(group("a1")))
    edited = group("a1-v2", adult_m="0", **{"meta/deprecatedID": "uuid:a1"})
    edited["_uuid"] = "a1-v2"
    report = run(people, kobo(edited))
    assert report.replaced == 1
    assert travellers() == 5
    assert Submission.objects.get(instance_id="a1").status == "superseded"
    # The earlier version arriving again later changes nothing.
    assert run(people, kobo(group("a1"))).unchanged == 1
    assert travellers() == 5


def central_csv(rows: list[dict]) -> bytes:
    header = [
        "SubmissionDate",
        "point",
        "day",
        "direction",
        "nationality",
        "transport",
        "reason",
        "adult_m",
        "adult_f",
        "child_m",
        "child_f",
        "unaccompanied",
        "meta-instanceID",
        "KEY",
        "SubmitterName",
        "ReviewState",
        "Edits",
        "FormVersion",
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return out.getvalue().encode()


def central_row(instance, key=None, **values):
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    base = {
        "SubmissionDate": f"{day}T10:00:00Z",
        "point": "TG-KOD",
        "day": day,
        "direction": "out",
        "nationality": "TG",
        "transport": "foot",
        "reason": "family",
        "adult_m": "1",
        "adult_f": "1",
        "child_m": "0",
        "child_f": "2",
        "unaccompanied": "",
        "meta-instanceID": f"uuid:{instance}",
        "KEY": f"uuid:{key or instance}",
        "Edits": "0",
        "FormVersion": "2026.1",
    }
    return base | values


def test_central_csv_form_from_filename_and_edits_by_key(people, points):
    report = run(people, central_csv([central_row("c1")]), filename="corridor_flow_count.csv")
    assert (report.imported, report.errors) == (1, [])
    assert travellers() == 4
    # Central exports only the current version: same KEY, new meta-instanceID.
    report = run(
        people,
        central_csv([central_row("c1-v3", key="c1", adult_m="5", Edits="2")]),
        filename="corridor_flow_count.csv",
    )
    assert report.replaced == 1 and travellers() == 8


@pytest.mark.parametrize(
    "submission, message",
    [
        (group("b1", __version__="2025.9"), "version “2025.9” is unknown"),
        (group("", **{"meta/instanceID": "", "_uuid": ""}), "no instance id"),
        (group("b2", day="2026-13-45"), "is not a date"),
        (group("b3", nationality="Wakanda"), "not in the choice list nationality"),
        (group("b4", adult_f="three"), "not a whole number"),
        (group("b5", point="XX-NOPE"), "not in the choice list point"),
        (group("b6", point="GA-LBV"), "not a monitoring point of this node"),
        (group("b7", unaccompanied="9"), "more unaccompanied children than children"),
        (group("b8", _xform_id_string="mystery_form"), "unknown form “mystery_form”"),
        (group("b9", day="2099-01-01"), "future"),
        (group("b10", day="0026-05-01"), "day: Give a date between 1900 and 2100"),
    ],
)
def test_bad_submissions_are_refused_and_leave_nothing(people, points, submission, message):
    report = run(people, kobo(group("good"), submission))
    assert report.imported == 1
    assert len(report.errors) == 1 and message in report.errors[0][2], report.errors
    assert travellers() == 7  # only the good one
    assert Submission.objects.count() == 1


def test_central_csv_saved_by_a_french_spreadsheet_is_read(people, points):
    """Semicolons and Windows-1252, as Excel in French saves a CSV: the shared reader's rules."""
    text = central_csv([central_row("c1", SubmitterName="Agent Sénam")]).decode()
    content = text.replace(",", ";").encode("cp1252")
    report = run(people, content, filename="corridor_flow_count.csv")
    assert (report.imported, report.errors) == (1, [])
    assert travellers() == 4


def test_unreadable_files(people, points):
    assert "cannot be read" in run(people, b"{not json", "x.json").errors[0][2]
    assert "UTF-8" in run(people, b"point,day\n\x81\x8d\x90\n", "x.csv").errors[0][2]
    assert "no header row" in run(people, b"\n\n", "x.csv").errors[0][2]
    assert "list of submissions" in run(people, b'{"results": 3}', "x.json").errors[0][2]


@pytest.mark.parametrize(
    "name, content",
    [("export.csv", b"point,day,direction\n"), ("export.json", b'{"count": 0, "results": []}')],
)
def test_a_file_without_submissions_says_so(people, points, as_user, name, content):
    """A header alone, or an empty export, is not reported as a successful import."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(people[Role.COORDINATOR])
    response = client.post("/flows/submissions/", {"file": SimpleUploadedFile(name, content)})
    text = response.content.decode()
    assert "holds no submission" in text and "without errors" not in text
    assert Submission.objects.count() == 0


def test_survey_import_and_edit(people, points):
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    survey = {
        "_uuid": "s1",
        "meta/instanceID": "uuid:s1",
        "_xform_id_string": "corridor_flow_survey",
        "__version__": "2026.1",
        "point": "TG-KOD",
        "day": day,
        "consent": "yes",
        "direction": "in",
        "sex": "f",
        "age_group": "child",
        "nationality": "BJ",
        "vulnerabilities": "unaccompanied under5",
    }
    assert run(people, kobo(survey)).imported == 1
    assert FlowSurvey.objects.get().vulnerabilities == ["unaccompanied", "under5"]
    edit = survey | {
        "_uuid": "s2",
        "meta/instanceID": "uuid:s2",
        "meta/deprecatedID": "uuid:s1",
        "consent": "no",
    }
    assert run(people, kobo(edit)).replaced == 1
    only = FlowSurvey.objects.get()
    assert (only.consent, only.sex, only.vulnerabilities) == (False, "", [])


HTCDS_VERSION = "vSmt4GQA3C9uBMLPEVfgND"


def htcds(instance, **values):
    base = {
        "_uuid": instance,
        "meta/instanceID": f"uuid:{instance}",
        "_xform_id_string": "htcds_xlsform",
        "__version__": HTCDS_VERSION,
        "con_Consent": "TRUE",
        "prs_First_Name": "Kossi",
        "prs_Second_Name": "DEMO-AMEVI",
        "prs_Birthdate": "2011-04-02",
        "prs_Gender": "Masculine",
        "prs_Citizenship": "TG",
        "vic_TypeOfExploitation": "ChildLabour ForcedBegging",
        "vic_Methods_of_Control": "DebtBondage FalsePromises",
        "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
        "cas_Status": "Active",
    }
    return base | values


def test_htcds_submission_validates(people, points):
    report = run(
        people,
        kobo(
            htcds("h1"),
            htcds("h2", prs_Gender="Robot"),
            htcds("h3", vic_TypeOfExploitation="ChildLabour Piracy"),
        ),
    )
    assert (report.imported, report.pending) == (1, 0)
    messages = " ".join(e[2] for e in report.errors)
    assert "prs_Gender" in messages and "Piracy" in messages
    sub = Submission.objects.get(instance_id="h1")
    assert (sub.form_id, sub.status, sub.target_type) == ("htcds_xlsform", "imported", "cases.case")
    assert "prs_First_Name" not in sub.data  # the person lives in the people app now
    case = Case.objects.get(pk=sub.target_id)
    assert case.exploitation_types == ["ChildLabour", "ForcedBegging"]
    assert case.trafficking_status == "PossibleVictimOfTrafficking"
    assert (case.person.given_names, case.person.family_name) == ("Kossi", "DEMO-AMEVI")
    assert case.person.citizenships == ["TG"] and case.is_child
    # Re-import: nothing created twice.
    assert run(people, kobo(htcds("h1"))).unchanged == 1
    assert Case.objects.count() == 1


def test_htcds_without_consent_waits_and_keeps_no_name(people, points):
    report = run(people, kobo(htcds("n1", con_Consent="FALSE")))
    assert report.pending == 1
    sub = Submission.objects.get(instance_id="n1")
    assert sub.status == "pending" and "prs_First_Name" not in sub.data
    assert sub.data["prs_Gender"] == "Masculine"
    assert not Case.objects.exists()


def test_screening_form_by_command_waits_for_a_caseworker(people, points, tmp_path):
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    path = tmp_path / "corridor_screening.csv"
    path.write_text(
        "point,screening_date,con_Consent,prs_First_Name,prs_Gender,prs_EstimatedAge,"
        "unaccompanied,vic_TraffickingStatus,meta-instanceID,KEY,FormVersion\n"
        f"TG-SAN,{day},TRUE,Afi,Feminine,14,yes,PossibleVictimOfTrafficking,uuid:s9,uuid:s9,2026.1\n",
        encoding="utf-8",
    )
    # A child screened at a border post goes to the agency on duty there (docs/intake.md).
    from corridor.intake.services import duty_agency_set
    from corridor.referrals.services import provider_save

    provider_save(
        actor=None,
        name="Duty (test)",
        country="TG",
        agency=points["kod"].agency,
        services=["SocialCare"],
    )
    duty_agency_set(actor=None, agency=points["kod"].agency, region="TG-M")
    out = io.StringIO()
    call_command("import_submissions", str(path), stdout=out)
    assert "1 waiting for the case hand-off" in out.getvalue()


def test_import_command(people, points, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(kobo(group("k1"), group("k2", adult_m="x")))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_submissions", str(path), stdout=out)
    assert "1 imported" in out.getvalue() and "not a whole number" in out.getvalue()
    out = io.StringIO()
    path.write_bytes(kobo(group("k1")))
    call_command("import_submissions", str(path), stdout=out)
    assert "1 already imported" in out.getvalue()


def test_upload_page(people, points, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(people[Role.COORDINATOR])
    upload = SimpleUploadedFile("export.json", kobo(group("u1"), group("u2", day="yesterday")))
    page = client.post("/flows/submissions/", {"file": upload}).content.decode()
    assert 'id="import-report"' in page and "is not a date" in page
    assert Submission.objects.count() == 1


def test_command_as_coordinator_hands_off(people, points, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(kobo(htcds("c1")))
    with pytest.raises(CommandError):
        call_command("import_submissions", str(path), "--as", "home.partner", stdout=io.StringIO())
    call_command("import_submissions", str(path), "--as", "home.coordinator", stdout=io.StringIO())
    assert Case.objects.count() == 1


def test_kobo_asset_uid_htcds_form_recognised_by_version(people, points):
    submission = htcds("kb1", _xform_id_string="aXk3sPq9TzLmN2")
    assert run(people, kobo(submission)).imported == 1
    # An explicit form id wins over what the file says.
    other = group("kb2", _xform_id_string="aXk3sPq9TzLmN2")
    assert run(people, kobo(other), form_id="corridor_flow_count").imported == 1
