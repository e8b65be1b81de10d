"""The page charts drawn as inline SVG (issue 17, item 10): names from user data render inert,
French numbers and labels, partial periods marked, no style attribute (the CSP forbids them),
and a viewBox that scales to a phone."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

import corridor
from corridor.core import svgcharts
from corridor.flows.charts import PALETTE

pytestmark = pytest.mark.database_independent

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script>'
DAYS = [date(2026, 2, 1) + timedelta(days=i) for i in range(10)]


def _charts() -> list[str]:
    return [
        svgcharts.lines(HOSTILE, {HOSTILE: [(d, i * 3) for i, d in enumerate(DAYS)]}, empty="none"),
        svgcharts.bars("Nationalities", [(HOSTILE, 4), ("Ghana", 12)], empty="none"),
        svgcharts.tile_map("Map", [{"name": HOSTILE, "row": 0, "col": 0, "value": 3}], legend=""),
    ]


def test_a_point_named_script_renders_inert():
    for chart in _charts():
        assert "<script" not in chart and "&lt;script&gt;" in chart
        assert '"x"' not in chart  # quotes escaped too: no attribute can be closed early
        tree = ET.fromstring(chart)  # well-formed: the name did not break the markup
        assert not list(tree.iter(f"{SVG}script"))
        assert HOSTILE in "".join(tree.itertext())  # shown as text, as typed
    assert ET.fromstring(_charts()[0]).get("aria-label") == f"Line chart: {HOSTILE}"


def test_charts_are_named_described_and_fit_a_phone_without_style_attributes():
    for chart in _charts():
        tree = ET.fromstring(chart)
        assert tree.get("role") == "img" and tree.get("aria-label")
        assert tree.find(f"{SVG}title").text and tree.find(f"{SVG}desc").text
        assert tree.get("aria-describedby") == tree.find(f"{SVG}desc").get("id")
        assert tree.get("width") == "100%" and tree.get("viewBox").startswith("0 0 400 ")
        assert "style=" not in chart and "<style" not in chart


def test_french_numbers_dates_and_labels():
    with translation.override("fr"):
        chart = svgcharts.bars("Nationalités", [("Ghana", 1234.5), ("Bénin", 3)], empty="rien")
        line = svgcharts.lines("Voyageurs", {"Cinkassé": [(d, 2) for d in DAYS]}, empty="rien")
    assert "1\u202f234,5" in chart or "1\xa0234,5" in chart  # a decimal comma, grouped
    assert ET.fromstring(chart).get("aria-label") == "Graphique en barres\u00a0: Nationalités"
    assert ET.fromstring(line).get("aria-label") == "Graphique en courbes\u00a0: Voyageurs"
    assert "févr." in line.lower() or "fév" in line.lower()  # the months are French
    assert "Du " in ET.fromstring(line).find(f"{SVG}desc").text


def test_time_axis_reads_in_the_language_order_and_abbreviations():
    september = [date(2026, 9, 7) + timedelta(days=7 * i) for i in range(5)]
    with translation.override("fr"):
        french = svgcharts.lines("Voyageurs", {"Aérien": [(d, 2) for d in september]}, empty="")
    with translation.override("en"):
        english = svgcharts.lines("Travellers", {"Air": [(d, 2) for d in september]}, empty="")
    assert ">7 sept.<" in french and "Sep<" not in french
    assert ">Sept. 7<" in english


def test_a_legend_name_too_long_for_half_the_width_takes_a_whole_row():
    series = {
        "Aérien": [(d, 1) for d in DAYS],
        "Frontières terrestres du nord (Cameroun, Guinée équatoriale)": [(d, 2) for d in DAYS],
        "Maritime (Lomé – Owendo / Port-Gentil)": [(d, 3) for d in DAYS],
    }
    chart = svgcharts.lines("Voyageurs par axe", series, empty="")
    assert "…" not in chart
    texts = [t.text for t in ET.fromstring(chart).findall(f"{SVG}text")]
    assert "Aérien" in texts and "Maritime (Lomé – Owendo / Port-Gentil)" in texts
    assert "Frontières terrestres du nord (Cameroun, Guinée" in texts and "équatoriale)" in texts
    xs = {t.get("x") for t in ET.fromstring(chart).findall(f"{SVG}text") if t.text in texts[-4:]}
    assert xs == {"16.0"}  # one name per row, each at the left
    short = svgcharts.lines(
        "T", {"Air": [(d, 1) for d in DAYS], "Sea": [(d, 2) for d in DAYS]}, empty=""
    )
    assert (
        len(
            {
                t.get("x")
                for t in ET.fromstring(short).findall(f"{SVG}text")
                if t.text in ("Air", "Sea")
            }
        )
        == 2
    )


def test_partial_periods_are_hollow_points_on_dashed_segments():
    series = {"Kodjoviakopé": [(d, 5) for d in DAYS]}
    marked = svgcharts.lines(
        "T", series, empty="", partial=[DAYS[0], DAYS[-1]], partial_label="○ dashed: partial"
    )
    assert marked.count('class="dot s0"') == 2 and marked.count('class="line cut s0"') == 2
    assert "○ dashed: partial" in marked
    whole = svgcharts.lines("T", series, empty="", partial_label="○ dashed: partial")
    assert 'class="dot' not in whole and "cut" not in whole and "dashed" not in whole


def test_nothing_to_draw_says_so():
    assert "No counts" in svgcharts.lines("T", {"a": []}, empty="No counts")
    assert "No counts" in svgcharts.bars("T", [], empty="No counts")


def test_grouped_bars_name_each_series_and_mark_what_is_missing():
    chart = svgcharts.grouped_bars(
        "Referrals",
        [HOSTILE, "accepted"],
        {"togo": [3, None], HOSTILE: [1.5, 40]},
        missing="— : under k, suppressed",
    )
    tree = ET.fromstring(chart)
    assert "<script" not in chart and not list(tree.iter(f"{SVG}script"))
    assert chart.count('class="bar s0"') == 1 and chart.count('class="bar s1"') == 2
    assert "—" in "".join(tree.itertext()) and "under k, suppressed" in chart
    assert "togo —" in tree.find(f"{SVG}desc").text  # the suppressed figure said in words
    assert "style=" not in chart


def test_page_and_export_charts_share_eight_distinct_colours():
    css = (Path(corridor.__file__).parent / "static/corridor/corridor.css").read_text()
    page = dict(re.findall(r"\.svgchart \.s(\d)\{--c:(#[0-9a-f]{6})\}", css))
    assert [page[str(i)] for i in range(svgcharts.COLOURS)] == PALETTE

    def rgb(colour):
        return [int(colour[k : k + 2], 16) for k in (1, 3, 5)]

    closest = min(
        sum((x - y) ** 2 for x, y in zip(rgb(a), rgb(b), strict=True)) ** 0.5
        for i, a in enumerate(PALETTE)
        for b in PALETTE[i + 1 :]
    )
    assert closest > 60, "two lines of one chart would look alike"
