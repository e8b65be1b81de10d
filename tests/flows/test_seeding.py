from __future__ import annotations

import pytest

from corridor.flows import seeding
from corridor.flows.models import DailySheet, FlowAlert, FlowPoint
from corridor.reports import seeding as report_seeding

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent():
    first = seeding.seed(days=9)
    assert first["points created"] == 8 and first["daily sheets"] == 72
    assert FlowPoint.objects.filter(agency__isnull=False).count() == 8
    again = seeding.seed(days=9)
    assert again == {"points created": 0, "points updated": 0, "daily sheets": 0}
    assert DailySheet.objects.count() == 72
    assert FlowAlert.objects.count() <= 2
    assert report_seeding.seed()["privacy budgets"] == 1
    again = report_seeding.seed()
    assert again == {"training sessions": 0, "privacy budgets": 0, "publications": 0}


def test_the_demo_coordinator_publishes_what_a_partner_reads_once(people):
    from corridor.reports.models import Publication

    first = report_seeding.seed()
    assert first["publications"] == 2
    assert set(Publication.objects.values_list("kind", flat=True)) == {"dp", "ctdc"}
    assert Publication.objects.get(kind="ctdc").k == 11
    assert report_seeding.seed()["publications"] == 0 and Publication.objects.count() == 2
