"""What the child's case in depth adds to other pages: on a child's case page a summary with
the link to the child's file, its records in the case timeline, the shelter-occupancy menu entry,
and its figures in ``corridor stats``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.cases.registry import timeline_text
from corridor.core.navigation import PROTECTION, MenuItem, register_menu
from corridor.core.page_panels import Panel


def _case_panel(request, case) -> dict | None:
    """The case page read ``case`` through its own selector; adults' cases show nothing."""
    if not case.is_child:
        return None
    from corridor.childcare.selectors import child_file

    records = child_file(case)
    return {
        "case": case,
        "assessment": records["assessments"][0] if records["assessments"] else None,
        "determination": records["determinations"][0] if records["determinations"] else None,
        "family": records["family_assessments"][0] if records["family_assessments"] else None,
        "tracing_count": len(records["tracing_actions"]),
        "placement": next((p for p in records["placements"] if p.end_on is None), None),
        "handovers": records["handovers"],
        "visits": records["visits"],
    }


def _timeline(request, case) -> list[dict]:
    if not case.is_child:
        return []
    from corridor.childcare.selectors import child_file

    records = child_file(case)
    items = [
        {"date": a.assessed_on, "kind": "bia", "text": _("Best-interest assessment")}
        for a in records["assessments"]
    ]
    items += [
        {
            "date": d.decided_on,
            "kind": "bid",
            "text": _("Best-interest determination: %(d)s") % {"d": d.get_decision_display()},
        }
        for d in records["determinations"]
    ]
    items += [
        {"date": t.date, "kind": "tracing", "text": f"{t.action} · {t.get_outcome_display()}"}
        for t in records["tracing_actions"]
    ]
    items += [
        {
            "date": f.assessed_on,
            "kind": "family",
            "text": _("Family assessment: %(r)s") % {"r": f.get_recommendation_display()},
        }
        for f in records["family_assessments"]
    ]
    items += [
        {
            "date": p.start_on,
            "kind": "placement",
            "text": timeline_text(p.get_kind_display(), p.provider),
        }
        for p in records["placements"]
    ]
    items += [
        {"date": h.date, "kind": "handover", "text": _("Hand-over at %(p)s") % {"p": h.place}}
        for h in records["handovers"]
    ]
    items += [
        {
            "date": v.visited_on,
            "kind": "follow_up",
            "text": _("Follow-up visit at %(m)s months: score %(s)s")
            % {"m": v.month, "s": v.score},
        }
        for v in records["visits"]
    ]
    return items


def childcare_section() -> dict:
    """Node-wide figures for ``corridor stats`` (counts only)."""
    from corridor.childcare.models import FollowUpVisit, HandOver, Placement

    today = timezone.localdate()
    visits = FollowUpVisit.objects.all()
    return {
        "placements_current": Placement.objects.filter(start_on__lte=today)
        .exclude(end_on__lt=today)
        .count(),
        "handovers": HandOver.objects.count(),
        "handovers_countersigned": HandOver.objects.filter(
            received_signed_at__isnull=False
        ).count(),
        "follow_up_visits": visits.count(),
        "reintegrated_at_visit": visits.filter(reintegrated=True).count(),
    }


def register() -> None:
    from corridor.cases.registry import register_case_panel, register_timeline_source
    from corridor.childcare.selectors import OCCUPANCY_ROLES
    from corridor.core.stats import register_stats_section

    register_case_panel(
        "childcare", Panel(template="childcare/_case_panel.html", context=_case_panel, order=5)
    )
    register_timeline_source("childcare", _timeline)
    register_menu(
        MenuItem(
            gettext_lazy("Shelter occupancy"),
            "childcare:occupancy",
            frozenset(OCCUPANCY_ROLES),
            order=32,
            group=PROTECTION,
        )
    )
    register_stats_section("childcare", childcare_section)
