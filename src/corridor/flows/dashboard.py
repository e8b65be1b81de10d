"""What the flow dashboard shows, read through the selectors (so scopes apply) and drawn by
``charts``. Every query reads the ``FlowDaily`` pre-aggregate or the small vulnerability table,
never the raw count rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _

from corridor.flows import charts, vocab
from corridor.flows.selectors import visible_daily, visible_points, visible_vulnerability_counts

# Roles that also see case indicators on the flow dashboard (through the cases' own scoping).
CASE_READERS = ("coordinator", "supervisor")


@dataclass
class Filters:
    start: date
    end: date
    point: int | None = None
    route: str = ""


def bucket(day: date, span_days: int) -> date:
    """Days for up to two months, ISO weeks (Mondays) up to two years, then months."""
    if span_days <= 62:
        return day
    if span_days <= 730:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _scoped(qs, filters: Filters):
    qs = qs.filter(day__gte=filters.start, day__lte=filters.end)
    if filters.point:
        qs = qs.filter(point_id=filters.point)
    if filters.route:
        qs = qs.filter(point__route=filters.route)
    return qs


def _series(rows, key: str, value: str, span: int, labels: dict) -> dict[str, list]:
    out: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        out[labels.get(r[key], str(r[key]))][bucket(r["day"], span)] += r[value] or 0
    return {k: sorted(v.items()) for k, v in sorted(out.items())}


def dashboard_data(user, filters: Filters) -> dict:
    span = (filters.end - filters.start).days
    daily = _scoped(visible_daily(user), filters)
    points = {p.pk: p.name for p in visible_points(user)}
    per_point = daily.values("point_id", "day").annotate(n=Sum("persons")).order_by()
    per_route = daily.values("point__route", "day").annotate(n=Sum("persons")).order_by()
    kids = daily.values("day").annotate(n=Sum("children")).order_by()
    alone = list(
        _scoped(visible_vulnerability_counts(user), filters)
        .filter(vulnerability=vocab.Vulnerability.UNACCOMPANIED)
        .values("day")
        .annotate(n=Sum("count"))
        .order_by()
    )
    nationalities = daily.values("nationality").annotate(n=Sum("persons")).order_by("-n")
    regions = daily.values("point__region").annotate(n=Sum("persons")).order_by()
    totals = daily.aggregate(persons=Sum("persons"), children=Sum("children"))
    children_series = {
        _("Children"): sorted(_bucketed(kids, span).items()),
        _("Unaccompanied children"): sorted(_bucketed(alone, span).items()),
    }
    by_region = {r["point__region"]: r["n"] or 0 for r in regions}
    cases = None
    if user.has_role(*CASE_READERS):
        from corridor.reports.indicators import case_indicators

        cases = case_indicators(user, filters.start, filters.end)
    return {
        "cases": cases,
        "span": span,
        "totals": {
            "persons": totals["persons"] or 0,
            "children": totals["children"] or 0,
            "unaccompanied": sum(r["n"] or 0 for r in alone),
        },
        "per_point": _series(per_point, "point_id", "n", span, points),
        "per_route": _series(
            per_route, "point__route", "n", span, {k: str(v) for k, v in vocab.ROUTE_LABELS.items()}
        ),
        "children": children_series,
        "nationalities": [
            (str(vocab.NATIONALITIES.get(r["nationality"], r["nationality"])), r["n"] or 0)
            for r in nationalities
        ],
        "regions": [
            {**r, "value": by_region.get(r["code"], 0)}
            for r in vocab.regions(settings.NODE_COUNTRY)
        ],
    }


def _bucketed(rows, span: int) -> dict[date, int]:
    out: dict[date, int] = defaultdict(int)
    for r in rows:
        out[bucket(r["day"], span)] += r["n"] or 0
    return out


def dashboard_figures(data: dict) -> list[tuple[str, object]]:
    """(anchor, figure) pairs in page order."""
    empty = _("No counts in this period")
    country = _("Togo") if settings.NODE_COUNTRY == "TG" else _("Gabon")
    extra = []
    if data.get("cases") is not None:
        from corridor.reports.indicators import case_indicator_bars

        extra.append(
            (
                "cases",
                charts.bars(
                    _("Case indicators (cases identified in the period)"),
                    case_indicator_bars(data["cases"]),
                    empty=_("No case identified in this period"),
                ),
            )
        )
    return [
        (
            "points",
            charts.lines(_("Travellers per point"), data["per_point"], empty=empty),
        ),
        ("routes", charts.lines(_("Travellers per route"), data["per_route"], empty=empty)),
        (
            "children",
            charts.lines(_("Children and unaccompanied children"), data["children"], empty=empty),
        ),
        (
            "nationalities",
            charts.bars(_("Travellers by nationality"), data["nationalities"], empty=empty),
        ),
        (
            "map",
            charts.tile_map(
                _("Travellers counted by region — %(country)s") % {"country": country},
                data["regions"],
                legend=_("Schematic map: one square per region"),
            ),
        ),
        *extra,
    ]
