"""The results framework: the logframe's values computed from a hand-made data set, values
entered by hand with a checked evidence file (wrong type or size: a translated error, nothing
saved), the fund's annual report in French and English (PDF, XLSX) with its markers, and the
permission matrix of every page."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook

from corridor.accounts.models import Role
from corridor.cases.services import case_open
from corridor.governance import framework, logframe
from corridor.governance.models import IndicatorValue, LegalInstrument, PlanActivity
from corridor.people.services import person_create
from corridor.reports.indicators import population
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% evidence\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _case(people, days_ago: int, **extra):
    coordinator = people[Role.COORDINATOR]
    person = person_create(
        actor=coordinator,
        given_names="Ama",
        family_name="DEMO-LOGFRAME",
        gender="Feminine",
        birth_date=date(2011, 3, 1),
        citizenships=["TG"],
    )
    return case_open(
        actor=coordinator,
        person=person,
        identified_on=timezone.localdate() - timedelta(days=days_ago),
        trafficking_status="PossibleVictimOfTrafficking",
        exploitation_types=["ChildLabour"],
        **extra,
    )


@pytest.fixture
def data_set(people):
    """Three cases this year (one handled across the border), four plan activities of Togo due
    this year (two done, one dropped, one late) and one of Gabon, two texts of Togo (one in
    force), one committee decision done on time of two."""
    today = timezone.localdate()
    year_start = date(today.year, 1, 1)
    days = max((today - year_start).days, 0)
    for i in range(3):
        _case(people, min(i, days), cross_border=(i == 0))
    coordinator = people[Role.COORDINATOR]
    due = date(today.year, 1, 1)
    for status in ("done", "done", "dropped", "planned"):
        framework.activity_save(
            actor=coordinator,
            plan="PAN",
            activity=f"activité {status}",
            lead_institution="CNLTP",
            due_on=due,
            status=status,
            evidence="PV" if status == "done" else "",
        )
    framework.activity_save(
        actor=coordinator,
        country="GA",
        plan="PNG",
        activity="activité gabonaise",
        lead_institution="DGAS",
        due_on=due,
    )
    framework.instrument_save(
        actor=coordinator,
        kind="law",
        title="Loi",
        status="in_force",
        adopted_on=date(today.year - 2, 1, 1),
        in_force_on=date(today.year - 2, 2, 1),
    )
    framework.instrument_save(actor=coordinator, kind="sop", title="Procédure", status="draft")
    framework.meeting_record(
        actor=coordinator,
        held_on=date(today.year, 1, 1),
        title="Comité",
        decisions=[
            {"text": "A", "owner": "CNLTP", "due_on": date(today.year, 1, 2), "status": "done"},
            {"text": "B", "owner": "DGAS", "due_on": date(today.year, 1, 3)},
        ],
    )
    return today.year


def test_the_logframe_is_data_and_every_computed_indicator_names_a_function():
    items = logframe.indicators()
    assert logframe.logframe()["programme"]["demo"] is True
    assert {"plan_done_pct", "sdg_16_2_2", "persons_identified", "prosecuted"} <= {
        i["code"] for i in items
    }
    for item in items:
        assert item.get("compute") in (None, *logframe.COMPUTERS), item["code"]
        assert set(item["baseline"]) == {"TG", "GA"}
        for country in ("TG", "GA"):
            assert set(item["targets"][country]) == set(logframe.logframe()["programme"]["years"])


def test_computed_values_on_a_hand_made_data_set(people, data_set):
    year = data_set
    coordinator = people[Role.COORDINATOR]
    value = lambda code: logframe.computed_value(coordinator, code, year)  # noqa: E731
    assert value("persons_identified") == 3
    assert value("cross_border") == 1
    assert value("returned") == 0
    assert value("plan_done_pct") == round(100 * 2 / 3, 1)  # dropped ones do not count
    assert value("instruments_in_force") == 1
    assert value("committee_decisions_done_pct") == 50.0
    assert value("survivors_satisfied_pct") is None  # entered by hand
    stored = logframe.values_compute(actor=coordinator, year=year)
    row = IndicatorValue.objects.get(indicator="persons_identified", country="TG", year=year)
    assert row.value == 3 and row.source == "computed" and row.note == "persons_identified"
    assert stored == IndicatorValue.objects.count()
    with pytest.raises(PermissionDenied):
        logframe.values_compute(actor=people[Role.PARTNER], year=year)


def test_value_by_hand_needs_a_valid_evidence_file(people):
    coordinator = people[Role.COORDINATOR]
    args = dict(
        actor=coordinator, code="survivors_satisfied_pct", country="TG", year=2026, value=70
    )
    for name, content in (
        ("preuve.exe", b"MZ\x90\x00"),
        ("preuve.pdf", b"MZ not a pdf"),
        ("preuve.pdf", b""),
        ("preuve.pdf", PDF + b"0" * logframe.EVIDENCE_MAX_BYTES),
        ("preuve.pdf", PDF[:-7]),  # cut short: no end-of-file marker
        ("photo.png", PNG[:-12] + b"0" * 12),  # its last chunk damaged
        ("photo.jpg", b"\xff\xd8\xff" + b"0" * 40),  # a JPEG's first bytes, nothing after
        ("tableau.xlsx", _zip({"notes.txt": "x"})),  # a zip, but no workbook in it
        ("tableau.xlsx", b"PK\x03\x04" + b"0" * 40),  # not even a zip
    ):
        with pytest.raises(ValidationError) as error:
            logframe.value_record(note="", evidence_name=name, evidence=content, **args)
        assert "evidence" in error.value.message_dict
    assert not IndicatorValue.objects.exists()
    row = logframe.value_record(note="", evidence_name="photo.png", evidence=PNG, **args)
    assert row.evidence_type == "image/png" and logframe.evidence_bytes(row) == PNG


def test_a_real_workbook_is_accepted_as_evidence(people):
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    assert logframe.check_evidence("enquete.xlsx", out.getvalue()).endswith("sheet")


def _zip(files: dict) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_value_page_refuses_bad_files_in_french_and_keeps_nothing(people, as_user):
    client = as_user(people[Role.COORDINATOR])
    post = {
        "action": "value",
        "indicator": "survivors_satisfied_pct",
        "country": "TG",
        "year": "2026",
        "value": "70",
    }
    response = client.post(
        "/governance/results/",
        {**post, "evidence": SimpleUploadedFile("x.docx", b"PK\x03\x04...")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    with override("fr"):
        assert "PDF, JPEG, PNG ou XLSX" in response.content.decode()
    assert not IndicatorValue.objects.exists()
    response = client.post(
        "/governance/results/", {**post, "evidence": SimpleUploadedFile("x.pdf", PDF)}
    )
    assert response.status_code == 302
    row = IndicatorValue.objects.get()
    assert row.source == "manual" and row.evidence_name == "x.pdf"
    page = client.get("/governance/results/").content.decode()
    assert f"/governance/results/evidence/{row.pk}/" in page
    evidence = client.get(f"/governance/results/evidence/{row.pk}/")
    assert evidence.content == PDF and evidence["Content-Type"] == "application/pdf"


def test_annual_report_in_both_languages_with_markers(people, data_set, as_user):
    logframe.values_compute(actor=people[Role.COORDINATOR], year=data_set)
    client = as_user(people[Role.COORDINATOR])
    for language, marker in (("fr", "Marqueur"), ("en", "Gender equality marker")):
        xlsx = client.get(f"/governance/results/report.{language}.xlsx?year={data_set}")
        assert xlsx.status_code == 200
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any(marker in c for c in cells), cells[:12]
        assert any("persons" in c.lower() or "personnes" in c.lower() for c in cells)
        assert "3" in cells
        pdf = client.get(f"/governance/results/report.{language}.pdf?year={data_set}")
        assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("/governance/results/", {Role.COORDINATOR, Role.PARTNER}),
        ("/governance/results/report.fr.pdf", {Role.COORDINATOR, Role.PARTNER}),
        ("/governance/results/report.en.xlsx", {Role.COORDINATOR, Role.PARTNER}),
    ],
)
def test_results_matrix(people, url, allowed):
    assert check_matrix(url, people, allowed) == []


def test_evidence_matrix(people):
    row = logframe.value_record(
        actor=people[Role.COORDINATOR],
        code="survivors_satisfied_pct",
        country="TG",
        year=2026,
        value=70,
        note="",
        evidence_name="p.pdf",
        evidence=PDF,
    )
    assert check_matrix(f"/governance/results/evidence/{row.pk}/", people, {Role.COORDINATOR}) == []


def _report_row(client, year: int, code_title: str) -> list:
    xlsx = client.get(f"/governance/results/report.fr.xlsx?year={year}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    return next(
        [c.value for c in row]
        for row in sheet.iter_rows()
        if code_title in str(row[1].value) and row[2].value == "Togo"
    )


def test_a_partner_never_sees_a_small_count_of_persons(people, data_set, as_user):
    """Three persons identified is a count under k: the coordinator sees 3, a partner "< 11" on
    the page and "—" in the report they export; a percentage shows as it is to both, and a rate
    per inhabitant is masked when it gives a small count back."""
    coordinator, partner = people[Role.COORDINATOR], people[Role.PARTNER]
    logframe.values_compute(actor=coordinator, year=data_set)
    title = "Personnes en mobilité identifiées"
    assert _report_row(as_user(coordinator), data_set, title)[5] == 3
    row = _report_row(as_user(partner), data_set, title)
    assert row[5] == "—" and row[6] == "moins de 11, masqué"

    page = as_user(partner).get("/governance/results/").content.decode()
    assert "&lt;&nbsp;11</abbr>" in page
    assert "<strong>3</strong>" not in as_user(partner).get("/governance/results/").content.decode()
    assert "<strong>3</strong>" in as_user(coordinator).get("/governance/results/").content.decode()

    sdg = logframe.indicator("sdg_16_2_2")
    inhabitants = population()["TG"][2026]["total"]
    small, large = 5 * 100_000 / inhabitants, 40 * 100_000 / inhabitants
    assert logframe.gives_a_small_count(sdg, small, "TG", 2026)
    assert not logframe.gives_a_small_count(sdg, large, "TG", 2026)
    assert logframe.gives_a_small_count(sdg, large, "TG", 1900)  # population unknown: masked
    texts = logframe.indicator("instruments_in_force")  # laws, not persons
    assert not logframe.gives_a_small_count(texts, 1, "TG", 2026)
    percent = logframe.indicator("plan_done_pct")
    assert not logframe.gives_a_small_count(percent, 5.0, "TG", 2026)


def test_only_coordinators_write(people, as_user):
    client = as_user(people[Role.PARTNER])
    assert (
        client.post("/governance/results/", {"action": "compute", "year": "2026"}).status_code
        == 403
    )
    assert not IndicatorValue.objects.exists()
    assert not PlanActivity.objects.exists() and not LegalInstrument.objects.exists()


def test_the_other_countrys_values_come_from_its_figures(people, data_set, as_user):
    """Togo's counts travel in its figures (suppressed under k like any count); Gabon's arrive
    the same way and fill Gabon's column of the results framework and the annual report."""
    from corridor.federation.models import Peer
    from corridor.governance import joint

    coordinator = people[Role.COORDINATOR]
    logframe.values_compute(actor=coordinator, year=data_set)
    figures = joint.local_figures(coordinator)
    assert figures[f"logframe.persons_identified.{data_set}"] is None  # 3 < k
    assert figures[f"logframe.instruments_in_force.{data_set}"] == 1  # a law, not a person
    assert figures[f"logframe.plan_done_pct.{data_set}"] == round(100 * 2 / 3, 1)
    assert not any(k.startswith("logframe.sdg_16_2_2") for k in figures)  # a rate gives its count
    peer = Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    joint.on_figures(
        peer=peer,
        message=None,
        body={
            "produced_at": 1767225600,
            "k": 11,
            "figures": {
                f"logframe.persons_identified.{data_set}": 42,
                f"logframe.instruments_in_force.{data_set}": 2,
            },
        },
    )
    with pytest.raises(ValidationError):  # a count of persons under k is refused on receipt
        joint.on_figures(
            peer=peer,
            message=None,
            body={
                "produced_at": 1767225601,
                "k": 11,
                "figures": {f"logframe.persons_identified.{data_set}": 3},
            },
        )
    row = next(
        r
        for r in logframe.framework_table("fr")
        if r["code"] == "persons_identified" and r["country"] == "GA"
    )
    shared = next(y for y in row["years"] if y["year"] == data_set)["value"]
    assert shared.value == 42 and shared.node == "gabon"
    row = next(
        r
        for r in logframe.framework_table("fr", published_only=True)
        if r["code"] == "instruments_in_force" and r["country"] == "GA"
    )
    assert next(y for y in row["years"] if y["year"] == data_set)["value"].value == 2
    xlsx = as_user(coordinator).get(f"/governance/results/report.en.xlsx?year={data_set}")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None]
    assert "42" in cells and "sent by the Gabon node" in cells
    page = as_user(coordinator).get("/governance/results/").content.decode()
    assert "du nœud Gabon" in page
