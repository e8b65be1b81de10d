from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from corridor.audit.models import AuditEntry
from corridor.flows.dashboard import Filters, dashboard_data
from corridor.flows.models import DailySheet, FlowCount, FlowDaily, VulnerabilityCount
from corridor.flows.selectors import visible_daily, visible_points
from corridor.flows.services.counts import flow_counts_ingest, flow_sheet_record
from tests.flows.conftest import row

pytestmark = pytest.mark.django_db


def test_sheet_replaces_and_preaggregates(people, points):
    officer, day = people["border_officer"], timezone.localdate() - timedelta(days=1)
    flow_sheet_record(
        actor=officer,
        point=points["kod"],
        day=day,
        rows=[row(count=10), row(count=5), row(age_group="child", sex="m", count=3)],
        vulnerabilities={("in", "unaccompanied"): 2},
    )
    assert FlowCount.objects.count() == 2  # identical categories are added together
    assert FlowDaily.objects.get(point=points["kod"], day=day).persons == 18
    sheet = flow_sheet_record(
        actor=officer, point=points["kod"], day=day, rows=[row(nationality="TG", count=7)]
    )
    assert sheet.travellers == 7
    assert (
        FlowCount.objects.filter(point=points["kod"], day=day).aggregate(n=Sum("count"))["n"] == 7
    )
    assert list(FlowDaily.objects.values_list("nationality", "persons")) == [("TG", 7)]
    assert VulnerabilityCount.objects.count() == 0
    assert AuditEntry.objects.filter(object_type="flows.dailysheet", action="update").count() == 1


def test_officer_only_at_own_agency_points(people, points):
    day = timezone.localdate()
    with pytest.raises(PermissionDenied):
        flow_sheet_record(
            actor=people["border_officer"], point=points["cin"], day=day, rows=[row()]
        )
    assert set(visible_points(people["border_officer"])) == {points["kod"]}
    assert visible_points(people["coordinator"]).count() == 8
    for outsider in ("partner", "caseworker", "investigator", "other_country.coordinator"):
        assert not visible_points(people[outsider]).exists()


@pytest.mark.parametrize(
    "rows, day_offset, message",
    [
        ([row(count=-1)], 1, "whole number"),
        ([row(nationality="ZZ")], 1, "Invalid line"),
        ([row(transport="camel")], 1, "Invalid line"),
        ([row()], -1, "future"),
    ],
)
def test_bad_input_changes_nothing(people, points, rows, day_offset, message):
    day = timezone.localdate() - timedelta(days=day_offset)
    with pytest.raises(ValidationError) as exc:
        flow_sheet_record(actor=people["border_officer"], point=points["kod"], day=day, rows=rows)
    assert message in " ".join(exc.value.messages)
    assert not FlowCount.objects.exists() and not DailySheet.objects.exists()


def test_dashboard_data_national_and_scoped(people, points):
    day = timezone.localdate() - timedelta(days=2)
    flow_sheet_record(
        actor=None,
        point=points["kod"],
        day=day,
        rows=[row(count=4, age_group="child")],
        vulnerabilities={("in", "unaccompanied"): 1},
    )
    flow_sheet_record(actor=None, point=points["cin"], day=day, rows=[row(count=6)])
    filters = Filters(start=day - timedelta(days=10), end=day)
    national = dashboard_data(people["coordinator"], filters)
    assert national["totals"] == {"persons": 10, "children": 4, "unaccompanied": 1}
    assert {r["code"]: r["value"] for r in national["regions"]}["TG-S"] == 6
    officer = dashboard_data(people["border_officer"], filters)
    assert officer["totals"]["persons"] == 4
    assert dashboard_data(people["partner"], filters)["totals"]["persons"] == 0
    assert not visible_daily(people["other_country.coordinator"]).exists()


def test_bulk_ingest_matches_sheet_path(people, points):
    day = timezone.localdate() - timedelta(days=3)
    rows = [
        (points["kod"].pk, day, "in", "f", "adult", "GH", "bus", "trade", 5),
        (points["kod"].pk, day, "out", "m", "child", "TG", "foot", "family", 2),
    ]
    n = flow_counts_ingest(actor=people["coordinator"], rows=iter(rows), start=day, end=day)
    assert n == 2
    daily = FlowDaily.objects.get(point=points["kod"], day=day, nationality="GH")
    assert (daily.persons, daily.children, daily.females, daily.inbound) == (5, 0, 5, 5)
    with pytest.raises(PermissionDenied):
        flow_counts_ingest(actor=people["border_officer"], rows=[], start=day, end=day)


def test_dashboard_query_count_does_not_grow_with_points(
    people, points, django_assert_max_num_queries
):
    """A fixed number of queries (flows pre-aggregate plus the case indicators, whose
    reintegration reads the follow-up visits, and the three that key the cache of the series),
    no N+1."""
    day = timezone.localdate() - timedelta(days=1)
    for point in (points["kod"], points["cin"]):
        flow_sheet_record(actor=None, point=point, day=day, rows=[row(count=2)])
    with django_assert_max_num_queries(25):
        dashboard_data(people["coordinator"], Filters(start=day - timedelta(days=30), end=day))
