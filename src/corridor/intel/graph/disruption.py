"""What breaks the network: Borgatti's fragmentation, the key players whose removal fragments it
most, and what is left once given actors are removed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig
import numpy as np

from corridor.i18n import _
from corridor.intel.graph.centrality import betweenness
from corridor.intel.graph.network import Network


def fragmentation(
    graph: ig.Graph, *, removed: Iterable[int] = (), distance_weighted: bool = False
) -> float:
    """Borgatti's fragmentation of what remains once ``removed`` nodes are gone, from 0 to 1.

    F = 1 − Σ_k s_k(s_k − 1) / (n(n − 1)) over the component sizes s_k of the n remaining nodes:
    the share of pairs of remaining actors that can no longer reach each other. The
    distance-weighted variant 1 − Σ_{i≠j} (1/d_ij) / (n(n − 1)) also rewards lengthening the paths
    that survive (slower, costlier communication); it needs all-pairs distances, so it is limited
    to networks of at most 5,000 nodes.
    """
    gone = set(removed)
    keep = [i for i in range(graph.vcount()) if i not in gone]
    n = len(keep)
    if n < 2:
        return 1.0
    sub = graph.induced_subgraph(keep) if gone else graph
    if not distance_weighted:
        sizes = np.asarray(sub.connected_components().sizes(), dtype=np.float64)
        return float(1 - (sizes * (sizes - 1)).sum() / (n * (n - 1)))
    if n > 5000:
        raise ValueError(_("distance-weighted fragmentation is limited to 5,000 nodes"))
    distances = np.asarray(sub.distances(), dtype=np.float64)
    with np.errstate(divide="ignore"):
        reciprocal = np.where(np.isfinite(distances) & (distances > 0), 1 / distances, 0.0)
    return float(1 - reciprocal.sum() / (n * (n - 1)))


@dataclass(frozen=True)
class KeyPlayers:
    ids: list[str]
    fragmentation_before: float
    fragmentation_after: float
    distance_fragmentation_before: float | None
    distance_fragmentation_after: float | None
    objective: str


def key_players(
    network: Network,
    *,
    k: int,
    distance_weighted: bool | None = None,
    candidates: int | None = None,
    max_rounds: int = 50,
    tie_break_limit: int = 40,
) -> KeyPlayers:
    """Borgatti's KPP-Neg: the k actors whose removal fragments the network most.

    Greedy start (add the actor that raises the objective most, ties to the higher degree), then
    Borgatti's swap search: exchange a chosen actor for an outside one while that raises the
    objective, until no swap helps or ``max_rounds``. Unlike ranking by degree or betweenness,
    this optimises the set: two hubs next to each other are worth less than a hub and the one
    broker holding a separate cell.

    The objective is fragmentation F; with ``distance_weighted=True`` it is the distance-weighted
    fragmentation instead (all-pairs distances per trial: meant for networks of a few hundred
    actors, and by default searched over the 100 best-tied). By default (``None``) networks of up
    to 300 actors rank sets by F and break ties by distance-weighted fragmentation among the
    ``tie_break_limit`` best-tied candidates: a dense network (such as the Mexico one) does not
    split for any small k, and the tie-break then still finds a set whose removal lengthens the
    surviving paths, instead of an arbitrary one. On big networks, ``candidates`` limits the
    search to that many actors ranked by degree and by betweenness (default: all when n ≤ 500,
    else 200). Each trial is one component count, O(n + m), and a run makes about
    k × candidates trials per round: seconds up to a few thousand actors, a minute at 20,000, so
    the web app should run it as a background task on big networks. Deterministic.
    """
    graph = network.graph
    n = graph.vcount()
    if not 0 < k < n:
        raise ValueError(
            _("the number of key players must be between 1 and %(max)d") % {"max": n - 1}
        )
    if distance_weighted:
        objective = "distance-weighted fragmentation"
    elif distance_weighted is None and n <= 300:
        objective = "fragmentation, ties broken by distance-weighted fragmentation"
    else:
        objective = "fragmentation"
    degrees = graph.degree()
    if candidates is None:
        candidates = min(n, 100) if distance_weighted else (n if n <= 500 else 200)
    if candidates < n:
        between = betweenness(network, samples=min(n, 200), normalized=False)
        by_degree = sorted(range(n), key=lambda i: (-degrees[i], i))[:candidates]
        by_between = sorted(range(n), key=lambda i: (-between[i], i))[:candidates]
        pool = sorted(set(by_degree) | set(by_between), key=lambda i: (-degrees[i], i))
    else:
        pool = sorted(range(n), key=lambda i: (-degrees[i], i))

    def plain(chosen: Sequence[int]) -> float:
        return round(fragmentation(graph, removed=chosen), 12)

    def weighted(chosen: Sequence[int]) -> float:
        return round(fragmentation(graph, removed=chosen, distance_weighted=True), 12)

    def best(options: list[list[int]]) -> tuple[list[int], tuple[float, float]] | None:
        """The best option, scored (primary, tie-break); options come in preference order."""
        if not options:
            return None
        if distance_weighted:
            scored = [(weighted(o), o) for o in options]
            top = max(value for value, _o in scored)
            return next(o for value, o in scored if value == top), (top, 0.0)
        values = [plain(o) for o in options]
        top = max(values)
        tied = [o for o, value in zip(options, values, strict=True) if value == top]
        if objective == "fragmentation" or len(tied) == 1:
            return tied[0], (top, 0.0)
        scored = [(weighted(o), o) for o in tied[:tie_break_limit]]
        second = max(value for value, _o in scored)
        return next(o for value, o in scored if value == second), (top, second)

    chosen: list[int] = []
    score: tuple[float, float] = (0.0, 0.0)
    for _step in range(k):
        chosen, score = best([[*chosen, v] for v in pool if v not in chosen])
    for _round in range(max_rounds):
        swaps = [
            [*chosen[:position], v, *chosen[position + 1 :]]
            for v in pool
            if v not in chosen
            for position in range(len(chosen))
        ]
        found = best(swaps)
        if found is None or found[1] <= score:
            break
        chosen, score = found
    names = network.ids
    small = n <= 5000
    return KeyPlayers(
        ids=[names[i] for i in sorted(chosen, key=lambda i: (-degrees[i], names[i]))],
        fragmentation_before=fragmentation(graph),
        fragmentation_after=fragmentation(graph, removed=chosen),
        distance_fragmentation_before=(
            fragmentation(graph, distance_weighted=True) if small else None
        ),
        distance_fragmentation_after=(
            fragmentation(graph, removed=chosen, distance_weighted=True) if small else None
        ),
        objective=objective,
    )


@dataclass(frozen=True)
class Disruption:
    removed: list[str]
    before: dict[str, Any]
    after: dict[str, Any]
    remaining_components: list[list[str]]


def _structure(graph: ig.Graph, *, removed: Sequence[int]) -> dict[str, Any]:
    gone = set(removed)
    keep = [i for i in range(graph.vcount()) if i not in gone]
    sub = graph.induced_subgraph(keep)
    sizes = sorted(sub.connected_components().sizes(), reverse=True)
    n = len(keep)
    return {
        "n_nodes": n,
        "n_edges": sub.ecount(),
        "components": len(sizes),
        "largest_component": sizes[0] if sizes else 0,
        "largest_component_share": round(sizes[0] / n, 6) if n else 0.0,
        "isolates": sum(1 for s in sizes if s == 1),
        "component_sizes": sizes[:20],
        "fragmentation": round(fragmentation(graph, removed=gone), 6),
    }


def simulate_removal(
    network: Network, *, remove: Iterable[str], list_components: int = 10
) -> Disruption:
    """What is left of the network once the given actors are arrested or otherwise removed.

    Reports, before and after, the number and sizes of components, the share of actors still in
    the largest one, isolates and fragmentation, and lists the members of the largest remaining
    components (up to ``list_components``) so that investigators see which cells survive intact.
    """
    graph = network.graph
    removed = [network.index(node) for node in remove]
    gone = set(removed)
    keep = [i for i in range(graph.vcount()) if i not in gone]
    sub = graph.induced_subgraph(keep)
    groups = sorted(
        ([sub.vs[i]["name"] for i in members] for members in sub.connected_components()),
        key=lambda members: (-len(members), sorted(members)),
    )
    return Disruption(
        removed=[graph.vs[i]["name"] for i in removed],
        before=_structure(graph, removed=()),
        after=_structure(graph, removed=removed),
        remaining_components=[sorted(g) for g in groups[:list_components]],
    )
