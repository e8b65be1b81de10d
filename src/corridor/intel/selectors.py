"""Reads of intelligence, scoped. Intelligence is for this node's investigators and nobody else;
national coordinators get counts only (``intel_aggregates``), never a record."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from corridor.accounts.models import Role
from corridor.intel.models import (
    Decision,
    Entity,
    Event,
    ImportBatch,
    IntelRequest,
    Link,
    MatchJudgement,
    Report,
)

INTEL_READERS = (Role.INVESTIGATOR,)
AGGREGATE_READERS = (Role.COORDINATOR, Role.INVESTIGATOR)


def _is_reader(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*INTEL_READERS)


def visible_entities(user) -> QuerySet[Entity]:
    """Every entity of the node for its investigators (national scope); nothing for anyone else,
    including investigators of the other country, who ask through a federation request."""
    if not _is_reader(user):
        return Entity.objects.none()
    return Entity.objects.all()


def visible_links(user) -> QuerySet[Link]:
    if not _is_reader(user):
        return Link.objects.none()
    return Link.objects.select_related("source_entity", "target_entity")


def visible_events(user) -> QuerySet[Event]:
    if not _is_reader(user):
        return Event.objects.none()
    return Event.objects.all()


def visible_reports(user) -> QuerySet[Report]:
    if not _is_reader(user):
        return Report.objects.none()
    return Report.objects.all()


def visible_imports(user) -> QuerySet[ImportBatch]:
    if not _is_reader(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.all()


def visible_intel_requests(user) -> QuerySet[IntelRequest]:
    """Cross-border requests, sent and received, for this node's investigators only."""
    if not _is_reader(user):
        return IntelRequest.objects.none()
    return IntelRequest.objects.all()


def visible_judgements(user) -> QuerySet[MatchJudgement]:
    """The judgement log of intelligence entities, for investigators; tracing reads its own
    record types through its own selector."""
    if not _is_reader(user):
        return MatchJudgement.objects.none()
    return MatchJudgement.objects.filter(left_type="intel.entity")


def current_decisions(judgements: QuerySet[MatchJudgement]) -> dict[tuple, MatchJudgement]:
    """The latest judgement per pair: later judgements supersede earlier ones."""
    current: dict[tuple, MatchJudgement] = {}
    for judgement in judgements.order_by("at", "id"):
        key = (judgement.left_type, judgement.left_id, judgement.right_type, judgement.right_id)
        current[key] = judgement
    return current


def current_decision(*, left, right) -> MatchJudgement | None:
    """The decision in force on one pair of records, or None when nobody judged it."""
    from corridor.intel.services import judgement_pair

    left_type, left_id, right_type, right_id = judgement_pair(left, right)
    return (
        MatchJudgement.objects.filter(
            left_type=left_type, left_id=left_id, right_type=right_type, right_id=right_id
        )
        .order_by("-at", "-id")
        .first()
    )


def judgement_clusters(judgements: QuerySet[MatchJudgement]) -> list[set[tuple[str, str]]]:
    """Connected components of the pairs whose current decision is positive."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (lt, li, rt, ri), judgement in current_decisions(judgements).items():
        if judgement.decision == Decision.POSITIVE:
            parent[find((lt, li))] = find((rt, ri))
    groups: dict[tuple[str, str], set] = defaultdict(set)
    for item in parent:
        groups[find(item)].add(item)
    return [g for g in groups.values() if len(g) > 1]


def visible_network(user, *, start=None, end=None, anchor: int | None = None):
    """The network an investigator asks for, built from the records they may see: the
    component of entity ``anchor`` (default: the largest) with the ties active between ``start``
    and ``end``. An anchor with no tie in that window is a 404."""
    from corridor.intel import analysis

    data = analysis.load_network(
        entities=visible_entities(user),
        links=visible_links(user),
        events=visible_events(user),
        start=start,
        end=end,
    )
    if not anchor:
        return analysis.largest_component(data)
    canonical = str(data.canonical.get(anchor, anchor))
    if canonical not in data.entities:
        raise Http404(_("This entity has no tie in the chosen period."))
    return analysis.component_of(data, canonical)


def intel_aggregates(user, *, months: int = 18) -> dict:
    """Counts only, for national coordinators and investigators: networks, entities by kind and
    events per month. No name, number or record leaves this function."""
    if not (getattr(user, "is_authenticated", False) and user.has_role(*AGGREGATE_READERS)):
        return {}
    entities = Entity.objects.active()
    by_kind = dict(entities.values_list("kind").annotate(n=Count("id")).order_by("kind"))
    per_month = list(
        Event.objects.annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-month")[:months]
    )
    from corridor.intel.analysis import network_count

    return {
        "entities": sum(by_kind.values()),
        "by_kind": by_kind,
        "events": Event.objects.count(),
        "per_month": [(row["month"], row["n"]) for row in reversed(per_month)],
        "networks": network_count(),
    }
