"""Network analysis of trafficking networks: who holds the network together and what breaks it.

Everything here works on plain values (string ids, dicts, lists) and python-igraph, never on
Django models, so the ``intel`` app, the ``corridor network`` command and the benchmarks share one
implementation. The structural measures use one convention everywhere: the network is undirected
and simple (one tie per pair, no self-loops), which is how the social-network literature reports
density and Freeman centralization; repeated contacts between two actors add up in the tie's
weight and stay available, with their times, to the temporal path search.

The package's interface is this module (``from corridor.intel import graph``); the code is
organised by subject: ``edgelist`` (reading ``a b`` files), ``network`` (building the network and
time windows), ``centrality``, ``communities`` (cells and brokers), ``paths`` (shortest and
time-respecting chains), ``disruption`` (fragmentation, key players, removal) and ``summary``.
"""

from __future__ import annotations

from corridor.intel.graph.centrality import (
    betweenness,
    component_sizes,
    degree,
    degree_centralization,
    density,
    eigenvector,
    pagerank,
    top_actors,
)
from corridor.intel.graph.communities import (
    Broker,
    Communities,
    community_brokers,
    country_brokers,
    leiden_communities,
)
from corridor.intel.graph.disruption import (
    Disruption,
    KeyPlayers,
    fragmentation,
    key_players,
    simulate_removal,
)
from corridor.intel.graph.edgelist import (
    BadLine,
    EdgeListError,
    ParsedEdgeList,
    parse_edge_list,
)
from corridor.intel.graph.network import (
    NODE_ATTRIBUTES,
    Network,
    Tie,
    build_network,
    network_from_arrays,
    within_window,
)
from corridor.intel.graph.paths import (
    TemporalHop,
    TemporalPath,
    shortest_path,
    temporal_path,
)
from corridor.intel.graph.summary import (
    network_summary,
)

__all__ = [
    "NODE_ATTRIBUTES",
    "EdgeListError",
    "BadLine",
    "ParsedEdgeList",
    "Tie",
    "Network",
    "Communities",
    "Broker",
    "TemporalHop",
    "TemporalPath",
    "KeyPlayers",
    "Disruption",
    "parse_edge_list",
    "build_network",
    "network_from_arrays",
    "within_window",
    "density",
    "degree_centralization",
    "component_sizes",
    "degree",
    "betweenness",
    "eigenvector",
    "pagerank",
    "top_actors",
    "leiden_communities",
    "community_brokers",
    "country_brokers",
    "shortest_path",
    "temporal_path",
    "fragmentation",
    "key_players",
    "simulate_removal",
    "network_summary",
]
