"""What the flow dashboard shows, read through the selectors (so scopes apply) and drawn by
``charts``. Every query reads the ``FlowDaily`` pre-aggregate or the small vulnerability table,
never the raw count rows. The page draws with ``core.svgcharts``, the exports with ``charts``
(matplotlib, imported only for them)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from corridor.core import svgcharts
from corridor.flows import vocab
from corridor.flows.models import FlowDaily, VulnerabilityCount
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


def counts_version() -> str:
    """Changes whenever a count is added, corrected or removed: the pre-aggregate is rebuilt by
    delete and insert (new keys), vulnerability tallies are summed. Two cheap aggregates."""
    daily = FlowDaily.objects.aggregate(m=Max("pk"), n=Count("pk"), s=Sum("persons"))
    vuln = VulnerabilityCount.objects.aggregate(m=Max("pk"), n=Count("pk"), s=Sum("count"))
    return ".".join(str(v) for v in (*daily.values(), *vuln.values()))


def dashboard_data(user, filters: Filters) -> dict:
    """The dashboard's series (cached per visible points, filters, language and counts version)
    and, for case readers, the case indicators (read fresh: they follow the cases)."""
    points = sorted(visible_points(user).values_list("pk", flat=True))
    key = "flows:data:" + _digest(
        [points, filters.start, filters.end, filters.point, filters.route, get_language()]
        + [counts_version(), timezone.localdate()]
    )
    data = cache.get(key)
    if data is None:
        data = _flow_data(user, filters)
        cache.set(key, data, CACHE_SECONDS)
    cases = None
    if user.has_role(*CASE_READERS):
        from corridor.reports.indicators import case_indicators

        cases = case_indicators(user, filters.start, filters.end)
    return {**data, "cases": cases}


CACHE_SECONDS = 24 * 3600


def _digest(parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def dashboard_charts(data: dict) -> list[dict]:
    """The charts of the page as inline SVG (``core.svgcharts``): drawn in milliseconds, so the
    first load after new counts is as quick as the next ones and nothing is cached."""
    return [
        {"anchor": anchor, "svg": getattr(svgcharts, kind)(*args, **options)}
        for anchor, kind, args, options in chart_specs(data)
    ]


def _flow_data(user, filters: Filters) -> dict:
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
    return {
        "span": span,
        "partial": partial_buckets(filters, span),
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


def partial_buckets(filters: Filters, span: int) -> list[date]:
    """The first and last periods of a chart when the filter cuts them, or when the last is not
    over yet (today's counts are still coming in): they plot lower than a whole period."""
    today = timezone.localdate()
    first, last = bucket(filters.start, span), bucket(filters.end, span)
    partial = []
    if first < filters.start:
        partial.append(first)
    if _bucket_end(last, span) > filters.end or _bucket_end(last, span) >= today:
        partial.append(last)
    return sorted(set(partial))


def _bucket_end(start: date, span: int) -> date:
    if span <= 62:
        return start
    if span <= 730:
        return start + timedelta(days=6)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _bucketed(rows, span: int) -> dict[date, int]:
    out: dict[date, int] = defaultdict(int)
    for r in rows:
        out[bucket(r["day"], span)] += r["n"] or 0
    return out


def dashboard_figures(data: dict) -> list[tuple[str, object]]:
    """(anchor, matplotlib figure) pairs in page order, for the PDF and PNG exports only."""
    from corridor.flows import charts

    return [
        (anchor, getattr(charts, kind)(*args, **options))
        for anchor, kind, args, options in chart_specs(data)
    ]


def chart_specs(data: dict) -> list[tuple[str, str, tuple, dict]]:
    """What each chart draws, in page order: (anchor, kind, arguments, options). The page draws
    them as SVG, the exports with matplotlib; both modules take the same arguments."""
    empty = _("No counts in this period")
    marks = {
        "empty": empty,
        "partial": data.get("partial", []),
        "partial_label": _("○ dashed: period not complete"),
    }
    country = _("Togo") if settings.NODE_COUNTRY == "TG" else _("Gabon")
    specs = [
        ("points", "lines", (_("Travellers per point"), data["per_point"]), marks),
        ("routes", "lines", (_("Travellers per route"), data["per_route"]), marks),
        (
            "children",
            "lines",
            (_("Children and unaccompanied children"), data["children"]),
            marks,
        ),
        (
            "nationalities",
            "bars",
            (_("Travellers by nationality"), data["nationalities"]),
            {"empty": empty},
        ),
        (
            "map",
            "tile_map",
            (
                _("Travellers counted by region — %(country)s") % {"country": country},
                data["regions"],
            ),
            {"legend": _("Schematic map: one square per region")},
        ),
    ]
    if data.get("cases") is not None:
        from corridor.reports.indicators import case_indicator_bars

        specs.append(
            (
                "cases",
                "bars",
                (
                    _("Case indicators (cases identified in the period)"),
                    case_indicator_bars(data["cases"]),
                ),
                {"empty": _("No case identified in this period")},
            )
        )
    return specs
