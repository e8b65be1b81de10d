"""The fund's annual report on the results framework: per indicator and country the baseline,
the year's target and value and where the value came from, with the programme's gender and
human-rights markers, as PDF or XLSX in French or English (``logframe.framework_table``, small
counts masked for a partner)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core.numbers import colon, decimal
from corridor.federation.peers import node_label
from corridor.governance.joint import K
from corridor.governance.logframe import (
    MASKED,
    RESULTS_READERS,
    SharedValue,
    _title,
    framework_table,
    logframe,
    published_only,
)
from corridor.governance.models import IndicatorValue


def _num(value, *, sheet: bool = False):
    """A value of the report: a number for the spreadsheet (its reader's software formats it),
    written in the report's language for the PDF (``12,5`` in French)."""
    if value is None or value is MASKED:
        return "—"
    if isinstance(value, IndicatorValue | SharedValue):
        value = value.value
    value = Decimal(str(value)).normalize()
    if sheet:
        return int(value) if value == value.to_integral_value() else value
    return decimal(value, 4)


def report_data(*, actor, year: int, language: str) -> dict:
    if not actor.has_role(*RESULTS_READERS):
        raise PermissionDenied
    with override(language):
        programme = logframe()["programme"]
        data = {
            "title": _title(programme, language),
            "demo": programme.get("demo", False),
            "year": year,
            "node": node_label(settings.NODE_NAME),
            "language": language,
            "produced": date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            "markers": programme["markers"],
            "outcomes": [
                {"code": o["code"], "title": _title(o, language)} for o in logframe()["outcomes"]
            ],
            "rows": framework_table(language, published_only=published_only(actor)),
            "labels": {
                "report": _("Annual report to the fund"),
                "demo": _("Demonstration logframe: to confirm with the programme document."),
                "gender_marker": _("Gender equality marker (OECD DAC)"),
                "rights_marker": _("Human-rights marker"),
                "indicator": _("Indicator"),
                "country": _("Country"),
                "baseline": _("Baseline"),
                "target": _("Target"),
                "value": _("Value"),
                "source": _("Source"),
                "computed": _("computed"),
                "manual": _("entered, with evidence"),
                "shared": _("sent by the %(node)s node"),
                "masked": _("under %(k)s, masked") % {"k": K},
                "markers": _("Markers"),
                "gender": _("gender"),
                "rights": _("human rights"),
                "outcome": _("Outcome"),
                "produced": _("Produced on"),
                "year": _("Year"),
                "population": _("Population for SDG 16.2.2"),
            },
            "population_source": population_source(),
        }
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        target=None,
        summary=node_text(gettext_noop("annual report exported")),
        detail={"year": year, "language": language},
    )
    return data


def population_source() -> str:
    """Where the population behind the SDG 16.2.2 rates comes from (reports/vocab)."""
    import yaml as _yaml

    from corridor.reports import indicators as _indicators

    path = Path(_indicators.__file__).resolve().parent / "vocab" / "population.yaml"
    return str(_yaml.safe_load(path.read_text("utf-8")).get("source", ""))


def _report_rows(data: dict, *, sheet: bool = False) -> list[list]:
    labels = data["labels"]
    year = data["year"]
    header = [
        labels["outcome"],
        labels["indicator"],
        labels["country"],
        labels["baseline"],
        f"{labels['target']} {year}",
        f"{labels['value']} {year}",
        labels["source"],
        labels["markers"],
    ]
    rows = [header]
    for row in data["rows"]:
        of_year = next((y for y in row["years"] if y["year"] == year), {})
        value = of_year.get("value")
        source = ""
        if value is not None:
            source = {
                "computed": labels["computed"],
                "manual": labels["manual"],
                "shared": labels["shared"] % {"node": node_label(getattr(value, "node", ""))},
                "masked": labels["masked"],
            }[value.source]
        markers = ", ".join(
            m
            for m, on in (
                (labels["gender"], row["gender"]),
                (labels["rights"], row["human_rights"]),
            )
            if on
        )
        rows.append(
            [
                row["output"],
                row["title"],
                row["country_name"],
                _num(row["baseline"], sheet=sheet),
                _num(of_year.get("target"), sheet=sheet),
                _num(value, sheet=sheet),
                source,
                markers,
            ]
        )
    return rows


def report_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(data["year"])
    sheet.append([data["title"]])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([data["labels"]["report"], data["year"], data["node"]])
    sheet.append([data["labels"]["produced"], data["produced"]])
    sheet.append([data["labels"]["gender_marker"], data["markers"]["gender"]])
    sheet.append([data["labels"]["rights_marker"], data["markers"]["human_rights"]])
    sheet.append([data["labels"]["population"], data["population_source"]])
    if data["demo"]:
        sheet.append([data["labels"]["demo"]])
    sheet.append([])
    for i, row in enumerate(_report_rows(data, sheet=True)):
        sheet.append(row)
        if i == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(data: dict) -> bytes:
    """The annual report as a PDF, numbers and punctuation in the report's language."""
    with override(data.get("language", "fr")):
        return _report_pdf(data)


def _report_pdf(data: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from corridor.intel.exports import _fonts

    font, bold = _fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle("b", parent=styles["BodyText"], fontName=font, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName=bold, fontSize=14)

    def text(value, style=body):
        return Paragraph(escape(str(value)), style)

    labels = data["labels"]
    story = [
        text(data["title"], h1),
        text(f"{labels['report']} — {labels['year']} {data['year']} — {data['node']}"),
        text(f"{labels['produced']}{colon()} {data['produced']}"),
        text(f"{labels['gender_marker']}{colon()} {data['markers']['gender']}"),
        text(f"{labels['rights_marker']}{colon()} {data['markers']['human_rights']}"),
        text(f"{labels['population']}{colon()} {data['population_source']}"),
    ]
    if data["demo"]:
        story.append(text(labels["demo"]))
    story.append(Spacer(1, 4 * mm))
    rows = [[text(c) for c in row] for row in _report_rows(data)]
    table = Table(
        rows,
        colWidths=[18 * mm, 91 * mm, 16 * mm, 20 * mm, 22 * mm, 22 * mm, 32 * mm, 32 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9d1d9")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    out = io.BytesIO()
    SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, title=data["title"]
    ).build(story)
    return out.getvalue()
