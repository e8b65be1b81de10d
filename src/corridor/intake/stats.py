"""The intake figures of ``corridor stats`` and the coordinator's dashboard: aggregates only."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from corridor.intake.models import HANDOFF_HOURS, Channel, Handoff, Intake


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``, None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return round(ordered[rank - 1], 1)


def handoff_figures() -> dict:
    """Hand-offs: how many, how many still waiting, the median and 90th percentile of hours to
    the receiving agency's first action, and how many waited (or are waiting) past 24 hours."""
    limit = timedelta(hours=HANDOFF_HOURS)
    now = timezone.now()
    rows = list(Handoff.objects.values_list("started_at", "first_action_at"))
    hours = [(end - start).total_seconds() / 3600 for start, end in rows if end is not None]
    waiting = [start for start, end in rows if end is None]
    return {
        "total": len(rows),
        "waiting": len(waiting),
        "median_hours": percentile(hours, 0.5),
        "p90_hours": percentile(hours, 0.9),
        "past_24h_waiting": sum(1 for start in waiting if now - start > limit),
        "past_24h_answered": sum(
            1 for start, end in rows if end is not None and end - start > limit
        ),
    }


def intake_figures() -> dict:
    """Intakes by channel and by outcome ("open" while not closed), and the cross-table."""
    table = {c: {o: 0 for o in [*Intake.Outcome.values, "open"]} for c in Channel.values}
    for row in Intake.objects.values("channel", "outcome").annotate(n=Count("id")):
        table.setdefault(row["channel"], {})[row["outcome"] or "open"] = row["n"]
    return {
        "total": sum(sum(v.values()) for v in table.values()),
        "by_channel": {c: sum(v.values()) for c, v in table.items()},
        "by_outcome": {
            o: sum(v.get(o, 0) for v in table.values()) for o in [*Intake.Outcome.values, "open"]
        },
        "by_channel_and_outcome": table,
    }
