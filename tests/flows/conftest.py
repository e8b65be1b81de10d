from __future__ import annotations

import pytest

from corridor.flows.models import FlowPoint
from corridor.flows.services.points import point_set_agency, point_sync


@pytest.fixture
def points(people, home_agency):
    """The Togo node's points; Kodjoviakopé is staffed by the home agency, Cinkassé by the other
    agency of the permission matrix."""
    point_sync(actor=None)
    kod = FlowPoint.objects.get(code="TG-KOD")
    point_set_agency(actor=None, point=kod, agency=home_agency)
    other = people["other_agency.border_officer"].agency
    cin = FlowPoint.objects.get(code="TG-CIN")
    point_set_agency(actor=None, point=cin, agency=other)
    return {"kod": kod, "cin": cin}


def row(**values) -> dict:
    base = {
        "direction": "in",
        "sex": "f",
        "age_group": "adult",
        "nationality": "GH",
        "transport": "bus",
        "reason": "trade",
        "count": 1,
    }
    return base | values


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English source messages (French is the node's default language)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
