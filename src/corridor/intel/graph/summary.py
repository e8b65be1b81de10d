"""The JSON-ready overview of a network, shared by ``corridor network stats`` and the pages."""

from __future__ import annotations

from typing import Any

from corridor.intel.graph.centrality import (
    betweenness,
    component_sizes,
    degree,
    degree_centralization,
    density,
    eigenvector,
    top_actors,
)
from corridor.intel.graph.communities import community_brokers, country_brokers, leiden_communities
from corridor.intel.graph.disruption import key_players, simulate_removal
from corridor.intel.graph.network import Network, node_attributes


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def network_summary(
    network: Network,
    *,
    top: int = 10,
    key_player_count: int = 0,
    betweenness_samples: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """The JSON-ready overview shown by ``corridor network stats`` and the intelligence pages.

    Exact betweenness up to 5,000 nodes, else estimated from 500 sampled sources unless
    ``betweenness_samples`` says otherwise; ``degree_centralization`` is a fraction and
    ``degree_centralization_percent`` the same in percent, rounded to two decimals as published.
    """
    graph = network.graph
    n = graph.vcount()
    if betweenness_samples is None and n > 5000:
        betweenness_samples = 500
    sizes = component_sizes(network)
    centralization = degree_centralization(network)
    communities = leiden_communities(network, seed=seed)
    groups: dict[int, list[str]] = {}
    for i, c in enumerate(communities.membership):
        groups.setdefault(c, []).append(graph.vs[i]["name"])
    summary: dict[str, Any] = {
        "n_nodes": n,
        "n_edges": graph.ecount(),
        "density": round(density(network), 6),
        "degree_centralization": round(centralization, 6),
        "degree_centralization_percent": round(100 * centralization, 2),
        "components": {"count": len(sizes), "sizes": sizes[:50]},
        "central_actors": {
            "degree": top_actors(network, scores=degree(network), limit=top),
            "betweenness": top_actors(
                network,
                scores=betweenness(network, samples=betweenness_samples, seed=seed),
                limit=top,
            ),
            "eigenvector": top_actors(network, scores=eigenvector(network), limit=top),
        },
        "betweenness_method": (
            "exact"
            if betweenness_samples is None or betweenness_samples >= n
            else f"estimated from {betweenness_samples} sampled sources"
        ),
        "communities": {
            "count": len(groups),
            "modularity": round(communities.modularity, 6),
            "sizes": communities.sizes[:50],
            "members": [sorted(groups[c]) for c in sorted(groups)][:top] if n <= 5000 else [],
        },
        "community_brokers": [
            {"id": b.id, "participation": b.score, **b.detail}
            for b in community_brokers(network, communities=communities, limit=top)
        ],
        "country_brokers": [
            {"id": b.id, "min_ties_per_country": b.score, **b.detail}
            for b in country_brokers(network, limit=top)
        ],
    }
    if key_player_count:
        players = key_players(network, k=key_player_count)
        disruption = simulate_removal(network, remove=players.ids, list_components=top)
        summary["key_players"] = {
            "k": key_player_count,
            "ids": players.ids,
            "actors": [{"id": i, **node_attributes(graph, network.index(i))} for i in players.ids],
            "objective": players.objective,
            "fragmentation_before": round(players.fragmentation_before, 6),
            "fragmentation_after": round(players.fragmentation_after, 6),
            "distance_weighted_fragmentation_before": _round(players.distance_fragmentation_before),
            "distance_weighted_fragmentation_after": _round(players.distance_fragmentation_after),
            "after_removal": disruption.after,
            "remaining_components": disruption.remaining_components,
        }
    return summary
