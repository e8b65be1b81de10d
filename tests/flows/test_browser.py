"""A border officer enters a day's counts in the browser; the coordinator sees them on the
dashboard chart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.flows.models import FlowPoint
from corridor.flows.services.points import point_set_agency, point_sync
from tests.browser_support import login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_count_reaches_coordinator_chart(live_server, browser):  # noqa: F811
    post = make_agency(name="PF Kodjoviakopé (test)")
    make_user("border_officer", agency=post, username="tg.border")
    make_user("coordinator", agency=make_agency(name="CNLTP (test)"), username="tg.coord")
    point_sync(actor=None)
    point = FlowPoint.objects.get(code="TG-KOD")
    point_set_agency(actor=None, point=point, agency=post)
    day = (timezone.localdate() - timedelta(days=1)).isoformat()

    officer = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 600})
    page_ = officer.new_page()
    login(page_, live_server.url, "tg.border", PASSWORD)
    page_.wait_for_url(f"{live_server.url}/")
    page_.goto(f"{live_server.url}/flows/sheets/new/")
    page_.select_option("select[name=point]", str(point.pk))
    page_.fill("input[name=day]", day)
    page_.select_option("select[name=l0_direction]", "in")
    page_.select_option("select[name=l0_sex]", "f")
    page_.select_option("select[name=l0_age_group]", "child")
    page_.select_option("select[name=l0_nationality]", "GH")
    page_.select_option("select[name=l0_transport]", "bus")
    page_.select_option("select[name=l0_reason]", "family")
    page_.fill("input[name=l0_count]", "17")
    page_.fill("input[name=v_in_unaccompanied]", "4")
    page_.click("#sheet-form button[type=submit]")
    page_.wait_for_url(f"{live_server.url}/flows/sheets/")
    assert "17" in page_.locator("table").inner_text()
    officer.close()

    coordinator = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 600})
    page_ = coordinator.new_page()
    login(page_, live_server.url, "tg.coord", PASSWORD)
    page_.wait_for_url(f"{live_server.url}/")
    page_.goto(f"{live_server.url}/flows/")
    assert page_.locator("#kpi-persons").inner_text().strip() == "17"
    assert page_.locator("#kpi-unaccompanied").inner_text().strip() == "4"
    chart = page_.locator("#chart-points svg")
    assert chart.is_visible()
    # Drawn under the CSP: its colours come from the stylesheet's classes, not style attributes.
    assert chart.locator("polyline, circle").first.evaluate("e => getComputedStyle(e).stroke")
    svg = chart.evaluate("e => e.outerHTML")
    assert "Kodjoviakopé" in svg  # the point's line is on the chart
    children = page_.locator("#chart-children svg").evaluate("e => e.outerHTML")
    assert "non accompagnés" in children or "Unaccompanied" in children
    coordinator.close()
