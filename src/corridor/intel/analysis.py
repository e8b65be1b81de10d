"""From the database to ``graph.py`` and back: the network the intelligence pages analyse.

Nodes are the surviving entities (a merged entity's ties count for its survivor); ties are the
recorded links (undated, or dated from–to) and every pair of participants of an event (dated at
the event). The analysis itself lives in the Django-free ``corridor.intel.graph``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from corridor.intel import graph
from corridor.intel.labels import kind_label, role_labels
from corridor.intel.models import Entity, EntityKind, Event, Link

KIND_COLOURS = {
    EntityKind.PERSON: "#0b5cad",
    EntityKind.ORGANISATION: "#6f42c1",
    EntityKind.PHONE: "#1a7f37",
    EntityKind.ACCOUNT: "#8a5a00",
    EntityKind.VEHICLE: "#4a5560",
    EntityKind.ADDRESS: "#a4161a",
    EntityKind.DOCUMENT: "#bc4c00",
    EntityKind.CASE_REF: "#d63384",
}


@dataclass
class NetworkData:
    network: graph.Network
    entities: dict[str, Entity]
    canonical: dict[int, int]
    events: list[Event] = field(default_factory=list)


def _canonical_map(entities: list[Entity]) -> dict[int, int]:
    parent = {e.pk: e.merged_into_id for e in entities}
    resolved: dict[int, int] = {}
    for pk in parent:
        seen, current = set(), pk
        while parent.get(current) and current not in seen:
            seen.add(current)
            current = parent[current]
        resolved[pk] = current
    return resolved


def load_network(
    *,
    entities,
    links,
    events,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> NetworkData:
    """Build the network of the given (already scoped) querysets, optionally within a window.

    A time window keeps the ties active in it and the undated ones (family, ownership), and
    drops the entities left without any tie, so the picture shows the network of that period.
    """
    all_entities = list(entities)
    canonical = _canonical_map(all_entities)
    survivors = {str(e.pk): e for e in all_entities if canonical[e.pk] == e.pk}
    edges: list[dict[str, Any]] = []
    for link in links.only("kind", "source_entity_id", "target_entity_id", "start", "end"):
        a, b = canonical.get(link.source_entity_id), canonical.get(link.target_entity_id)
        if a is None or b is None:
            continue
        edges.append(
            {
                "source": str(a),
                "target": str(b),
                "kind": link.kind,
                "start": link.start,
                "end": link.end,
            }
        )
    event_list = list(events.order_by("at", "id").prefetch_related("participations__entity"))
    by_event: dict[int, list[int]] = {}
    for event in event_list:
        for participation in event.participations.all():
            if participation.entity_id in canonical:
                by_event.setdefault(event.pk, []).append(canonical[participation.entity_id])
    for event in event_list:
        members = sorted(set(by_event.get(event.pk, [])))
        event._member_ids = members
        event.member_ids_text = " ".join(str(m) for m in members)
        for a, b in combinations(members, 2):
            edges.append({"source": str(a), "target": str(b), "kind": event.kind, "time": event.at})
    nodes = [
        {
            "id": pk,
            "kind": e.kind,
            "country": e.country or None,
            "role": (e.roles[0] if e.roles else None),
            "label": str(e.label),
        }
        for pk, e in survivors.items()
    ]
    network = graph.build_network(edges=edges, nodes=nodes)
    if start or end:
        network = graph.within_window(
            network,
            start=start,
            end=(dt.datetime.combine(end, dt.time.max, tzinfo=dt.UTC) if end else None),
        )
        degrees = network.graph.degree()
        keep = [network.ids[i] for i, d in enumerate(degrees) if d > 0]
        wanted = set(keep)
        window_edges = [
            e
            for e in edges
            if e["source"] in wanted and e["target"] in wanted and _in_window(e, start, end)
        ]
        network = graph.build_network(
            edges=window_edges, nodes=[n for n in nodes if n["id"] in wanted]
        )
        event_list = [e for e in event_list if _event_in_window(e, start, end)]
    return NetworkData(
        network=network,
        entities={pk: survivors[pk] for pk in network.ids},
        canonical=canonical,
        events=event_list,
    )


def _event_in_window(event: Event, start, end) -> bool:
    day = event.at.date()
    return (start is None or day >= start) and (end is None or day <= end)


def _in_window(edge: dict, start, end) -> bool:
    if "time" in edge:
        day = edge["time"].date()
        return (start is None or day >= start) and (end is None or day <= end)
    if edge.get("start") is None and edge.get("end") is None:
        return True
    lo, hi = edge.get("start"), edge.get("end")
    return (end is None or lo is None or lo <= end) and (start is None or hi is None or hi >= start)


def component_of(data: NetworkData, entity_id: str) -> NetworkData:
    """The connected network that contains one entity."""
    network = data.network
    membership = network.graph.connected_components().membership
    target = membership[network.index(entity_id)]
    keep = {network.ids[i] for i, c in enumerate(membership) if c == target}
    return _restrict(data, keep)


def largest_component(data: NetworkData) -> NetworkData:
    sizes = graph.component_sizes(data.network)
    if not sizes:
        return data
    membership = data.network.graph.connected_components().membership
    counts: dict[int, int] = {}
    for c in membership:
        counts[c] = counts.get(c, 0) + 1
    best = max(counts, key=lambda c: (counts[c], -c))
    keep = {data.network.ids[i] for i, c in enumerate(membership) if c == best}
    return _restrict(data, keep)


def _restrict(data: NetworkData, keep: set[str]) -> NetworkData:
    network = data.network
    graph_sub = network.graph.induced_subgraph([network.index(i) for i in sorted(keep, key=int)])
    names = set(graph_sub.vs["name"])
    index = {name: i for i, name in enumerate(graph_sub.vs["name"])}
    old_names = network.ids
    ties = tuple(
        graph.Tie(
            index[old_names[t.source]], index[old_names[t.target]], t.kind, t.weight, t.start, t.end
        )
        for t in network.ties
        if old_names[t.source] in names and old_names[t.target] in names
    )
    restricted = graph.Network(graph=graph_sub, ties=ties, _index=index)
    wanted = {int(i) for i in names}
    return NetworkData(
        network=restricted,
        entities={k: v for k, v in data.entities.items() if k in names},
        canonical=data.canonical,
        events=[
            e for e in data.events if any(p in wanted for p in _event_members(e, data.canonical))
        ],
    )


def _event_members(event: Event, canonical: dict[int, int]) -> list[int]:
    cached = getattr(event, "_member_ids", None)
    if cached is None:
        cached = [
            canonical.get(pk, pk) for pk in event.participations.values_list("entity_id", flat=True)
        ]
        event._member_ids = cached
    return cached


def networks(data: NetworkData) -> list[dict[str, Any]]:
    """The connected networks of two or more entities, largest first, with their counts."""
    network = data.network
    membership = network.graph.connected_components().membership
    groups: dict[int, list[str]] = {}
    for i, c in enumerate(membership):
        groups.setdefault(c, []).append(network.ids[i])
    rows = []
    for members in groups.values():
        if len(members) < 2:
            continue
        people = [data.entities[m] for m in members if data.entities[m].kind == EntityKind.PERSON]
        countries = sorted({data.entities[m].country for m in members if data.entities[m].country})
        anchor = max(members, key=lambda m: (network.graph.degree(network.index(m)), -int(m)))
        rows.append(
            {
                "size": len(members),
                "people": len(people),
                "countries": countries,
                "anchor": data.entities[anchor],
            }
        )
    rows.sort(key=lambda r: (-r["size"], r["anchor"].pk))
    return rows


def network_count() -> int:
    """How many separate networks the node knows of (for the coordinators' counts)."""
    data = load_network(
        entities=Entity.objects.all(), links=Link.objects.all(), events=Event.objects.all()
    )
    return len(networks(data))


def analyse(data: NetworkData, *, key_player_count: int = 3, top: int = 10) -> dict[str, Any]:
    """Summary, per-entity measures and the key-player disruption of one network."""
    network = data.network
    n = network.graph.vcount()
    k = min(key_player_count, n - 1) if n > 2 else 0
    summary = graph.network_summary(network, top=top, key_player_count=k)
    communities = graph.leiden_communities(network)
    measures = {
        "degree": graph.degree(network),
        "betweenness": graph.betweenness(network),
        "eigenvector": graph.eigenvector(network),
    }
    per_node = {}
    for i, node_id in enumerate(network.ids):
        per_node[node_id] = {
            "community": communities.membership[i] if communities.membership else 0,
            **{name: round(values[i], 4) for name, values in measures.items()},
        }
    return {"summary": summary, "per_node": per_node}


def cytoscape_elements(data: NetworkData, analysis: dict[str, Any] | None = None) -> dict:
    """Nodes and edges in Cytoscape.js's JSON shape, with what the page colours and sizes by."""
    network = data.network
    per_node = (analysis or {}).get("per_node", {})
    key_players = set((analysis or {}).get("summary", {}).get("key_players", {}).get("ids", []))
    nodes = []
    for node_id in network.ids:
        entity = data.entities[node_id]
        measures = per_node.get(node_id, {})
        nodes.append(
            {
                "data": {
                    "id": node_id,
                    "label": str(entity.label),
                    "kind": entity.kind,
                    "kind_label": kind_label(entity.kind),
                    "role_label": role_labels(entity.roles[:1]),
                    "country": entity.country or "",
                    "role": entity.roles[0] if entity.roles else entity.kind,
                    "community": measures.get("community", 0),
                    "degree": measures.get("degree", 0),
                    "betweenness": measures.get("betweenness", 0),
                    "eigenvector": measures.get("eigenvector", 0),
                    "key_player": node_id in key_players,
                    "colour": KIND_COLOURS.get(entity.kind, "#4a5560"),
                }
            }
        )
    edges = []
    names = network.ids
    for edge in network.graph.es:
        u, v = edge.tuple
        edges.append(
            {
                "data": {
                    "id": f"e{names[u]}-{names[v]}",
                    "source": names[u],
                    "target": names[v],
                    "kind": edge["kind"] or "",
                    "weight": edge["weight"],
                }
            }
        )
    return {"nodes": nodes, "edges": edges}
