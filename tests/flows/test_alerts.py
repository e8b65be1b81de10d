from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from corridor.core.navigation import PANELS
from corridor.flows import anomaly
from corridor.flows.models import FlowAlert, Notification
from corridor.flows.services.counts import flow_sheet_record
from tests.flows.conftest import row

pytestmark = pytest.mark.django_db


def test_robust_score():
    assert anomaly.robust_score(20, [1, 2, 1, 3, 2, 1, 2, 2]).is_anomaly
    assert not anomaly.robust_score(3, [1, 2, 1, 3, 2, 1, 2, 2]).is_anomaly
    assert not anomaly.robust_score(20, [1, 2]).is_anomaly  # too little history
    score = anomaly.robust_score(11, [1, 1, 1, 1, 1])
    assert (score.median, score.mad) == (1.0, 0.0)


def _history(point, today, values):
    for weeks, n in enumerate(values, start=1):
        flow_sheet_record(
            actor=None,
            point=point,
            day=today - timedelta(weeks=weeks),
            rows=[row(age_group="child", count=30)],
            vulnerabilities={("in", "unaccompanied"): n},
        )


def test_spike_notifies_national_coordinators(people, points, as_user):
    today = timezone.localdate()
    _history(points["kod"], today, [1, 2, 1, 0, 2, 1, 1, 2])
    assert not FlowAlert.objects.exists()
    flow_sheet_record(
        actor=people["border_officer"],
        point=points["kod"],
        day=today,
        rows=[row(age_group="child", count=30)],
        vulnerabilities={("in", "unaccompanied"): 15},
    )
    alert = FlowAlert.objects.get()
    assert (alert.observed, alert.baseline) == (15, 1.0)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"home.coordinator", "other.coordinator"}
    # Entering the same sheet again raises no second alert.
    flow_sheet_record(
        actor=people["border_officer"],
        point=points["kod"],
        day=today,
        rows=[row(age_group="child", count=30)],
        vulnerabilities={("in", "unaccompanied"): 15},
    )
    assert FlowAlert.objects.count() == 1 and Notification.objects.count() == 2
    panel = _home_panel(people["coordinator"], "flows/panel_alerts.html")
    assert "Kodjovia" in panel and "15" in panel
    assert Notification.objects.first().text.endswith("(usual: 1)")  # a count, not "1.0"
    assert _home_panel(people["border_officer"], "flows/panel_alerts.html") is None
    notification = Notification.objects.get(recipient=people["coordinator"])
    assert (
        as_user(people["coordinator"])
        .post(f"/flows/notifications/{notification.pk}/read/")
        .status_code
        == 302
    )
    notification.refresh_from_db()
    assert notification.read_at is not None


def _home_panel(user, template):
    """Render one of the user's home panels (the home page also renders other apps' panels)."""
    request = RequestFactory().get("/")
    request.user = user
    for panel in PANELS:
        if panel.template == template and user.role in panel.roles:
            context = {"template": template, **panel.context(request)}
            return render_to_string(template, {"panel": context}, request=request)
    return None


def test_normal_day_raises_nothing(people, points):
    today = timezone.localdate()
    _history(points["kod"], today, [3, 4, 2, 3, 5, 3, 4, 3])
    flow_sheet_record(
        actor=None,
        point=points["kod"],
        day=today,
        rows=[row(age_group="child", count=30)],
        vulnerabilities={("in", "unaccompanied"): 5},
    )
    assert not FlowAlert.objects.exists()


def test_flow_alerts_command_rescans(people, points):
    import io

    from django.core.management import call_command

    today = timezone.localdate()
    _history(points["kod"], today, [1, 1, 2, 1, 0, 1, 2, 1])
    flow_sheet_record(
        actor=None,
        point=points["kod"],
        day=today,
        rows=[row(age_group="child", count=30)],
        vulnerabilities={("in", "unaccompanied"): 12},
    )
    FlowAlert.objects.all().delete()
    out = io.StringIO()
    call_command("flow_alerts", "--days", "3", stdout=out)
    assert FlowAlert.objects.count() == 1 and out.getvalue().strip() == "1 new alert."


def test_maps_of_both_countries_draw():
    from corridor.core import svgcharts
    from corridor.flows import charts, vocab

    for country, n in (("TG", 5), ("GA", 9)):
        tiles = [{**r, "value": i} for i, r in enumerate(vocab.regions(country))]
        assert len(tiles) == n
        svg = charts.to_svg_data_uri(charts.tile_map("map", tiles, legend="schematic"))
        assert svg.startswith("data:image/svg+xml;base64,")  # the exports' drawing
        page = svgcharts.tile_map("map", tiles, legend="schematic")
        assert page.count('<rect class="tile') == n
        assert all(str(t["name"]).split()[0] in page for t in tiles)
