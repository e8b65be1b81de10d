"""The PDF and PNG exports' charts (matplotlib) write dates and legends as the page does."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from corridor.flows import charts

pytestmark = pytest.mark.database_independent

WEEKS = [date(2026, 9, 7) + timedelta(days=7 * i) for i in range(12)]


def test_the_export_axis_writes_french_dates_and_its_legend_stays_off_the_lines():
    series = {f"Point {i} (Lomé)": [(d, 100 * i + 5) for d in WEEKS] for i in range(8)}
    with translation.override("fr"):
        figure = charts.lines("Voyageurs par point", series, empty="rien")
        figure.canvas.draw()
        ticks = [t.get_text() for t in figure.axes[0].get_xticklabels() if t.get_text()]
    assert any("sept." in t for t in ticks) and not any("2026-" in t for t in ticks)
    assert figure.axes[0].get_legend() is None  # not drawn inside the plot, over its lines
    assert [t.get_text() for t in figure.legends[0].get_texts()] == list(series)
    fewer = charts.lines("T", dict(list(series.items())[:2]), empty="")
    assert figure.get_figheight() > fewer.get_figheight()  # room for four rows of names
