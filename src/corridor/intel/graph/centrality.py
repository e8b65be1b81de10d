"""Whole-network measures (density, Freeman centralization, components) and who is central
(degree, betweenness, eigenvector, PageRank)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from corridor.i18n import _
from corridor.intel.graph.network import Network, node_attributes


def density(network: Network) -> float:
    """Share of the n(n−1)/2 possible ties that exist; 0 for fewer than two nodes."""
    n = network.graph.vcount()
    return 0.0 if n < 2 else network.graph.ecount() / (n * (n - 1) / 2)


def degree_centralization(network: Network) -> float:
    """Freeman's degree centralization, Σ(d_max − d_i) / ((n−1)(n−2)), between 0 and 1.

    1 is a star (everything goes through one actor), 0 a network where everyone has as many ties.
    The denominator is the star's sum for an undirected simple graph, which is the convention the
    published Mexico network value (44.32 %) uses.
    """
    n = network.graph.vcount()
    if n < 3:
        return 0.0
    degrees = network.graph.degree()
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def component_sizes(network: Network) -> list[int]:
    """Sizes of the connected components, largest first."""
    return sorted(network.graph.connected_components().sizes(), reverse=True)


def degree(network: Network) -> list[float]:
    """Degree divided by n−1: the share of the other actors each one is tied to."""
    n = network.graph.vcount()
    scale = 1 / (n - 1) if n > 1 else 0.0
    return [d * scale for d in network.graph.degree()]


def betweenness(
    network: Network,
    *,
    samples: int | None = None,
    cutoff: int | None = None,
    seed: int = 0,
    normalized: bool = True,
) -> list[float]:
    """Betweenness: how often an actor lies on the shortest paths between two others.

    Exact (Brandes) by default. On big graphs pass ``samples=k``: shortest paths are counted from
    k random sources only (Brandes & Pich 2007) and scaled by (n−1)/k, or (n−1)/(k−1) for an actor
    that was itself sampled (it cannot lie between itself and others). That is unbiased and equal,
    for the same seed, to networkx's ``betweenness_centrality(k=...)``. ``cutoff`` instead ignores
    paths longer than that many hops (a local measure). Normalized values divide by
    (n−1)(n−2)/2, the number of pairs an actor could lie between.
    """
    graph = network.graph
    n = graph.vcount()
    if n == 0:
        return []
    if samples is not None and samples < n:
        if samples < 2:
            raise ValueError(_("estimating betweenness needs at least two sampled sources"))
        sources = random.Random(seed).sample(range(n), samples)
        sampled = set(sources)
        raw = graph.betweenness(directed=False, cutoff=cutoff, sources=sources)
        raw = [
            value * (n - 1) / (samples - 1 if i in sampled else samples)
            for i, value in enumerate(raw)
        ]
    else:
        raw = graph.betweenness(directed=False, cutoff=cutoff)
    if not normalized or n < 3:
        return list(raw)
    scale = 2 / ((n - 1) * (n - 2))
    return [value * scale for value in raw]


def eigenvector(network: Network) -> list[float]:
    """Eigenvector centrality scaled to a maximum of 1: ties to well-tied actors count more.

    On a disconnected network only the component with the largest eigenvalue gets non-zero values;
    read it per component or use PageRank.
    """
    if network.graph.ecount() == 0:
        return [0.0] * network.graph.vcount()
    return network.graph.eigenvector_centrality()


def pagerank(network: Network, *, damping: float = 0.85, weighted: bool = False) -> list[float]:
    """PageRank (sums to 1); robust on disconnected graphs, unlike eigenvector centrality."""
    weights = "weight" if weighted else None
    return network.graph.pagerank(directed=False, damping=damping, weights=weights)


def top_actors(
    network: Network, *, scores: Sequence[float], limit: int = 10
) -> list[dict[str, Any]]:
    """The ``limit`` highest-scoring actors with their attributes, ties broken by id."""
    graph = network.graph
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], graph.vs[i]["name"]))
    rows = []
    for i in order[:limit]:
        rows.append(
            {
                "id": graph.vs[i]["name"],
                "score": round(float(scores[i]), 6),
                **node_attributes(graph, i),
            }
        )
    return rows
