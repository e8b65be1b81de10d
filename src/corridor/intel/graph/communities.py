"""Cells and go-betweens: Leiden communities, actors whose ties span communities, actors with
ties into two or more countries."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import igraph as ig
import leidenalg
import numpy as np

from corridor.i18n import _
from corridor.intel.graph.network import Network, node_attributes


@dataclass(frozen=True)
class Communities:
    membership: list[int]
    modularity: float

    @property
    def sizes(self) -> list[int]:
        return (
            sorted(np.bincount(self.membership).tolist(), reverse=True) if self.membership else []
        )


def leiden_communities(
    network: Network,
    *,
    seed: int = 0,
    n_iterations: int = 2,
    weighted: bool = False,
    engine: str = "igraph",
) -> Communities:
    """Leiden communities maximising modularity (Traag, Waltman & van Eck 2019), numbered by size.

    Leiden, unlike Louvain, guarantees that every community is internally connected, so a
    "cell" it reports is a group that can actually reach itself. The default engine is igraph's
    own implementation, about 15 times faster than ``leidenalg`` on a 100,000-node network for the
    same modularity; ``engine="leidenalg"`` runs the reference implementation by the algorithm's
    authors. The seed makes runs repeatable.
    """
    graph = network.graph
    if graph.vcount() == 0:
        return Communities(membership=[], modularity=0.0)
    weights = "weight" if weighted else None
    if engine == "leidenalg":
        partition = leidenalg.find_partition(
            graph,
            leidenalg.ModularityVertexPartition,
            weights=weights,
            n_iterations=n_iterations,
            seed=seed,
        )
        raw = partition.membership
    elif engine == "igraph":
        ig.set_random_number_generator(random.Random(seed))
        try:
            clustering = graph.community_leiden(
                objective_function="modularity", weights=weights, n_iterations=n_iterations
            )
        finally:
            ig.set_random_number_generator(random)
        raw = clustering.membership
    else:
        raise ValueError(_("unknown community engine: %(engine)s") % {"engine": engine})
    counts = np.bincount(raw)
    rank = {c: r for r, c in enumerate(sorted(range(len(counts)), key=lambda c: (-counts[c], c)))}
    membership = [rank[c] for c in raw]
    return Communities(
        membership=membership, modularity=float(graph.modularity(membership, weights=weights))
    )


@dataclass(frozen=True)
class Broker:
    id: str
    score: float
    detail: dict[str, Any]


def community_brokers(
    network: Network, *, communities: Communities, limit: int = 10
) -> list[Broker]:
    """Actors whose ties spread across communities, by Guimerà–Amaral participation coefficient.

    P_i = 1 − Σ_c (k_ic / k_i)²: 0 when all of i's ties stay in one community, near 1 when they
    are spread evenly over many. These are the go-betweens linking cells (recruiters to
    transporters to exploiters); an actor needs ties to at least two communities to be listed.
    """
    graph = network.graph
    membership = communities.membership
    brokers = []
    for i in range(graph.vcount()):
        neighbours = graph.neighbors(i)
        if not neighbours:
            continue
        per_community: dict[int, int] = {}
        for j in neighbours:
            per_community[membership[j]] = per_community.get(membership[j], 0) + 1
        if len(per_community) < 2:
            continue
        k = len(neighbours)
        participation = 1 - sum((c / k) ** 2 for c in per_community.values())
        outside = k - per_community.get(membership[i], 0)
        brokers.append(
            Broker(
                id=graph.vs[i]["name"],
                score=round(participation, 6),
                detail={
                    **node_attributes(graph, i),
                    "community": membership[i],
                    "communities_reached": len(per_community),
                    "ties_outside_own_community": outside,
                    "degree": k,
                },
            )
        )
    brokers.sort(key=lambda b: (-b.score, -b.detail["ties_outside_own_community"], b.id))
    return brokers[:limit]


def country_brokers(network: Network, *, limit: int | None = None) -> list[Broker]:
    """Actors with direct ties into two or more countries, the cross-border links of the network.

    Ranked by the smaller of their per-country tie counts, so an actor with many contacts on both
    sides ranks above one with a single contact abroad. Needs the node attribute ``country``.
    """
    graph = network.graph
    if "country" not in graph.vs.attributes():
        return []
    countries = graph.vs["country"]
    brokers = []
    for i in range(graph.vcount()):
        per_country: dict[str, int] = {}
        for j in graph.neighbors(i):
            if countries[j]:
                per_country[countries[j]] = per_country.get(countries[j], 0) + 1
        if len(per_country) < 2:
            continue
        brokers.append(
            Broker(
                id=graph.vs[i]["name"],
                score=float(min(per_country.values())),
                detail={
                    "country": countries[i],
                    "ties_by_country": dict(sorted(per_country.items())),
                },
            )
        )
    brokers.sort(key=lambda b: (-b.score, -sum(b.detail["ties_by_country"].values()), b.id))
    return brokers if limit is None else brokers[:limit]
