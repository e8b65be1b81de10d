"""The flow dashboard's fixes of issue 17, item 10: the series and charts are cached and follow
new counts, partial periods are marked, the route filter offers this node's routes only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.flows.dashboard import Filters, dashboard_data, figure_uris, partial_buckets
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
    assert figure_uris(first) == figure_uris(dashboard_data(coordinator, filters))
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
