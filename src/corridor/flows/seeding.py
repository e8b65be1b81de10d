"""Demo data for flow monitoring: the node's points, a border agency and 120 days of synthetic
counts (idempotent: a second run adds nothing)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.models import Agency, OrgType
from corridor.accounts.services import agency_create
from corridor.flows.models import DailySheet, FlowPoint
from corridor.flows.services.counts import flow_sheet_record
from corridor.flows.services.points import point_set_agency, point_sync

BORDER_AGENCY = {
    "TG": ("Direction générale de la documentation nationale – Police aux frontières", "DGDN-PAF"),
    "GA": ("Direction générale de la documentation et de l'immigration", "DGDI"),
}
NATIONALITY_MIX = {
    "TG": ["TG"] * 5 + ["GH"] * 3 + ["BJ"] * 3 + ["BF", "NG", "NE", "ML", "XX"],
    "GA": ["GA"] * 4 + ["CM"] * 3 + ["TG"] * 2 + ["BJ", "NG", "GQ", "CG", "XX"],
}


def border_agency() -> Agency:
    name, short = BORDER_AGENCY[settings.NODE_COUNTRY]
    agency = Agency.objects.filter(name=name).first()
    return agency or agency_create(
        actor=None,
        name=name,
        short_name=short,
        country=settings.NODE_COUNTRY,
        org_type=OrgType.IMMIGRATION,
    )


# Demo agencies (accounts' demo data) that staff a point; the others get the border agency.
STAFFED_BY = {
    "TG-KOD": "PF Kodjoviakopé",
    "TG-SAN": "PF Sanvée-Condji",
    "GA-LBV": "DGDI Léon-Mba",
    "GA-OWE": "DGDI Owendo",
}


@transaction.atomic
def seed(days: int = 120) -> dict:
    """One transaction: a thousand small commits would cost the demo its start-up time."""
    agency = border_agency()
    counts = point_sync(actor=None, agency=agency)
    for code, short in STAFFED_BY.items():
        point = FlowPoint.objects.filter(code=code, country=settings.NODE_COUNTRY).first()
        staff = Agency.objects.filter(short_name=short).first()
        if point is not None and staff is not None and point.agency_id != staff.pk:
            point_set_agency(actor=None, point=point, agency=staff)
    if DailySheet.objects.exists():
        return counts | {gettext_noop("daily sheets"): 0}
    rng = random.Random(7)
    today = timezone.localdate()
    sheets = 0
    mix = NATIONALITY_MIX[settings.NODE_COUNTRY]
    for point in FlowPoint.objects.filter(country=settings.NODE_COUNTRY):
        size = rng.randint(3, 12)
        for offset in range(days, 0, -1):
            day = today - timedelta(days=offset)
            rows = []
            for _i in range(size):
                rows.append(
                    {
                        "direction": rng.choice(["in", "out"]),
                        "sex": rng.choice(["f", "m"]),
                        "age_group": "child" if rng.random() < 0.22 else "adult",
                        "nationality": rng.choice(mix),
                        "transport": rng.choice(["foot", "motorbike", "bus", "car", "truck"]),
                        "reason": rng.choice(["economic", "family", "trade", "return"]),
                        "count": rng.randint(1, 25),
                    }
                )
            if offset == 1 and point.code.endswith(("SAN", "OWE")):
                # A spike the alert detection picks up: a group of children crossing alone.
                rows.append({**rows[0], "direction": "in", "age_group": "child", "count": 19})
            # Unaccompanied children are among the children counted coming in, never more.
            children_in = sum(
                r["count"] for r in rows if r["direction"] == "in" and r["age_group"] == "child"
            )
            vulns = {
                ("in", "unaccompanied"): min(rng.randint(0, 3), children_in),
                ("in", "under5"): min(rng.randint(0, 6), children_in),
            }
            if offset == 1 and point.code.endswith(("SAN", "OWE")):
                vulns[("in", "unaccompanied")] = 19
            flow_sheet_record(
                actor=None, point=point, day=day, rows=rows, vulnerabilities=vulns, source="demo"
            )
            sheets += 1
    return counts | {"daily sheets": sheets}
