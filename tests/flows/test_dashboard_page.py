"""The flow dashboard's fixes of issue 17, item 10: the series are cached and follow new counts,
the charts are inline SVG drawn without matplotlib, partial periods are marked, the route filter offers this node's routes only."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.flows.dashboard import (
    Filters,
    bucket,
    dashboard_charts,
    dashboard_data,
    partial_buckets,
)
from corridor.flows.forms import DashboardFilterForm
from corridor.flows.models import FlowPoint
from corridor.flows.selectors import visible_points
from corridor.flows.services.counts import flow_sheet_record
from tests.flows.conftest import row

pytestmark = pytest.mark.django_db


def test_cached_series_follow_new_counts(people, points):
    coordinator = people["coordinator"]
    day = timezone.localdate() - timedelta(days=2)
    filters = Filters(start=day - timedelta(days=10), end=day)
    flow_sheet_record(actor=None, point=points["kod"], day=day, rows=[row(count=3)])
    first = dashboard_data(coordinator, filters)
    assert first["totals"]["persons"] == 3
    assert dashboard_charts(first) == dashboard_charts(dashboard_data(coordinator, filters))
    flow_sheet_record(actor=None, point=points["cin"], day=day, rows=[row(count=4)])
    assert dashboard_data(coordinator, filters)["totals"]["persons"] == 7


def test_partial_periods_are_the_cut_or_unfinished_ones():
    today = timezone.localdate()
    assert partial_buckets(Filters(start=today - timedelta(days=20), end=today), 20) == [today]
    closed = Filters(start=today - timedelta(days=30), end=today - timedelta(days=10))
    assert partial_buckets(closed, 20) == []
    # Weekly buckets: a start in mid-week cuts the first week.
    start = today - timedelta(days=200)
    start += timedelta(days=(2 - start.weekday()) % 7)  # a Wednesday
    cut = partial_buckets(Filters(start=start, end=today), (today - start).days)
    assert start - timedelta(days=2) in cut


def test_route_filter_offers_this_nodes_routes_only(people, points):
    form = DashboardFilterForm(points=visible_points(people["coordinator"]))
    offered = {code for code, _label in form.fields["route"].choices if code}
    ours = set(FlowPoint.objects.filter(country="TG").values_list("route", flat=True))
    assert offered == ours and "north" not in offered and "south" not in offered


def test_the_page_draws_its_charts_without_matplotlib(people, points, as_user, monkeypatch):
    """The first load after new counts must be quick: the page's charts are inline SVG, and no
    matplotlib figure is built for them (the PDF and PNG exports still build one per chart)."""
    from matplotlib.figure import Figure

    built = []
    original = Figure.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "__init__", counting)
    flow_sheet_record(
        actor=None, point=points["kod"], day=timezone.localdate(), rows=[row(count=3)]
    )
    client = as_user(people["coordinator"])
    page = client.get("/flows/").content.decode()
    assert page.count('<svg class="svgchart"') == 6 and len(built) == 0
    assert client.get("/flows/dashboard.pdf").status_code == 200 and len(built) == 6


def test_the_page_modules_do_not_import_matplotlib():
    """The flow dashboard and indicator pages import no chart code that loads matplotlib: it
    loads for an export only (the intel app's igraph may load it in a server, not these)."""
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); import corridor.flows.views, corridor.reports.views; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib' "
        "or m == 'corridor.flows.charts'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"


def test_a_point_named_script_is_inert_on_the_page(people, points, as_user):
    points["kod"].name = "<script>alert(1)</script>"
    points["kod"].save()
    flow_sheet_record(
        actor=None, point=points["kod"], day=timezone.localdate(), rows=[row(count=3)]
    )
    page = as_user(people["coordinator"]).get("/flows/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_date_fields_show_the_period_drawn(people, points, as_user):
    """Unfiltered, the dashboard draws the last 90 days: its date fields say which."""
    today = timezone.localdate()
    page = as_user(people["coordinator"]).get("/flows/").content.decode()
    assert f'name="start" value="{(today - timedelta(days=89)).isoformat()}"' in page
    assert f'name="end" value="{today.isoformat()}"' in page


def test_weekly_and_monthly_periods_are_summed_as_bucket_says(people, points):
    """The database groups the days into the chart's periods: a week starts on Monday, a month
    on its first day, and each period holds the sum of its days."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 14)
    counts = [(monday, 2), (monday + timedelta(days=3), 5), (monday - timedelta(days=40), 4)]
    for day, n in counts:
        flow_sheet_record(actor=None, point=points["kod"], day=day, rows=[row(count=n)])
    for span in (100, 800):
        filters = Filters(start=today - timedelta(days=span), end=today)
        expected: dict = {}
        for day, n in counts:
            expected[bucket(day, span)] = expected.get(bucket(day, span), 0) + n
        series = dashboard_data(people["coordinator"], filters)["per_point"]
        assert dict(series[points["kod"].name]) == expected
