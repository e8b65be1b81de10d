"""Graph analysis: published values, key players, brokers, paths and time windows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corridor.intel import graph as cg

MEXICO_EDGES = Path(__file__).parent / "data" / "mexico-trafficking-edges.txt"


def _mexico() -> cg.Network:
    with MEXICO_EDGES.open() as handle:
        return cg.build_network(edges=cg.parse_edge_list(lines=handle).pairs)


def _two_stars() -> cg.Network:
    """Hubs A and B, five leaves each, the hubs tied to each other."""
    edges = [("A", f"a{i}") for i in range(5)] + [("B", f"b{i}") for i in range(5)]
    return cg.build_network(edges=[*edges, ("A", "B")])


def _barbell() -> cg.Network:
    """Two five-cliques joined only through x."""
    left = [(f"a{i}", f"a{j}") for i in range(5) for j in range(i + 1, 5)]
    right = [(f"b{i}", f"b{j}") for i in range(5) for j in range(i + 1, 5)]
    return cg.build_network(edges=[*left, *right, ("a0", "x"), ("x", "b0")])


def test_mexico_network_reproduces_published_density_and_centralization():
    network = _mexico()
    assert network.graph.vcount() == 34
    assert network.graph.ecount() == 225
    assert round(cg.density(network), 3) == 0.401
    assert round(100 * cg.degree_centralization(network), 2) == 44.32


def test_mexico_summary_reports_the_published_values():
    summary = cg.network_summary(_mexico(), key_player_count=6)
    assert summary["density"] == pytest.approx(0.401, abs=5e-4)
    assert summary["degree_centralization_percent"] == 44.32
    assert summary["components"] == {"count": 1, "sizes": [34]}
    assert [row["id"] for row in summary["central_actors"]["degree"][:2]] == ["13", "21"]
    players = summary["key_players"]
    assert len(players["ids"]) == 6
    assert players["fragmentation_before"] == 0.0
    assert players["fragmentation_after"] > 0.3
    assert players["after_removal"]["components"] == 2


def test_mexico_network_resists_removing_its_hubs():
    """The paper's finding: removing the best-connected actors leaves the network in one piece."""
    network = _mexico()
    hubs = [row["id"] for row in cg.top_actors(network, scores=cg.degree(network), limit=6)]
    disruption = cg.simulate_removal(network, remove=hubs)
    assert disruption.after["components"] == 1
    assert disruption.after["fragmentation"] == 0.0


def test_duplicates_and_reversed_pairs_make_one_tie():
    parsed = cg.parse_edge_list(lines=["a b", "b a", "a b", "b c"])
    assert parsed.pairs == [("a", "b"), ("b", "c")]
    assert parsed.duplicates == 2


def test_freeman_centralization_of_a_star_is_one_and_of_a_cycle_zero():
    star = cg.build_network(edges=[("hub", f"l{i}") for i in range(6)])
    cycle = cg.build_network(edges=[(str(i), str((i + 1) % 6)) for i in range(6)])
    assert cg.degree_centralization(star) == 1.0
    assert cg.degree_centralization(cycle) == 0.0
    assert cg.density(cycle) == pytest.approx(6 / 15)


def test_key_players_of_two_joined_stars_are_the_two_hubs():
    players = cg.key_players(_two_stars(), k=2)
    assert sorted(players.ids) == ["A", "B"]
    assert players.fragmentation_before == 0.0
    assert players.fragmentation_after == 1.0


def test_key_player_of_a_barbell_is_the_bridge_not_a_hub():
    players = cg.key_players(_barbell(), k=1)
    assert players.ids == ["x"]
    assert players.fragmentation_after == pytest.approx(1 - 2 * 5 * 4 / (10 * 9))


def test_fragmentation_counts_unreachable_pairs():
    network = _two_stars()
    index = network.index
    assert cg.fragmentation(network.graph) == 0.0
    after = cg.fragmentation(network.graph, removed=[index("A")])
    assert after == pytest.approx(1 - 6 * 5 / (11 * 10))
    assert cg.fragmentation(network.graph, removed=[index("A"), index("B")]) == 1.0


def test_distance_weighted_key_player_of_a_path_is_its_middle():
    path = cg.build_network(edges=[("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    players = cg.key_players(path, k=1, distance_weighted=True)
    assert players.ids == ["c"]
    assert players.objective == "distance-weighted fragmentation"
    assert players.distance_fragmentation_after == pytest.approx(1 - 4 / 12)


def test_disruption_lists_what_remains():
    disruption = cg.simulate_removal(_barbell(), remove=["x"])
    assert disruption.before["components"] == 1
    assert disruption.after["components"] == 2
    assert disruption.after["component_sizes"] == [5, 5]
    assert disruption.remaining_components == [
        ["a0", "a1", "a2", "a3", "a4"],
        ["b0", "b1", "b2", "b3", "b4"],
    ]


def test_betweenness_exact_and_sampled():
    network = _barbell()
    exact = cg.betweenness(network)
    names = network.ids
    assert names[max(range(len(exact)), key=exact.__getitem__)] == "x"
    sampled_all = cg.betweenness(network, samples=network.graph.vcount())
    assert sampled_all == pytest.approx(exact)
    sampled = cg.betweenness(network, samples=5, seed=1)
    assert len(sampled) == network.graph.vcount()
    assert max(sampled) > 0


def test_leiden_finds_the_two_cliques():
    network = _barbell()
    communities = cg.leiden_communities(network, seed=3)
    names = network.ids
    group = {names[i]: c for i, c in enumerate(communities.membership)}
    assert len({group[f"a{i}"] for i in range(5)}) == 1
    assert len({group[f"b{i}"] for i in range(5)}) == 1
    assert group["a0"] != group["b0"]
    assert communities.modularity > 0.3
    again = cg.leiden_communities(network, seed=3, engine="leidenalg")
    assert len(again.sizes) == len(communities.sizes)


def test_community_brokers_are_the_actors_tying_the_cliques():
    network = _barbell()
    communities = cg.leiden_communities(network, seed=3)
    brokers = {b.id for b in cg.community_brokers(network, communities=communities)}
    assert brokers and brokers <= {"a0", "b0", "x"}
    assert "a1" not in brokers


def test_country_brokers_have_ties_on_both_sides():
    network = cg.build_network(
        edges=[("t1", "t2"), ("t2", "t3"), ("t2", "g1"), ("t2", "g2"), ("g1", "g2"), ("t3", "g2")],
        nodes=[
            {"id": "t1", "country": "TG"},
            {"id": "t2", "country": "TG"},
            {"id": "t3", "country": "TG"},
            {"id": "g1", "country": "GA"},
            {"id": "g2", "country": "GA"},
        ],
    )
    brokers = cg.country_brokers(network)
    assert [b.id for b in brokers] == ["t2", "g2", "g1", "t3"]
    assert brokers[0].detail["ties_by_country"] == {"GA": 2, "TG": 2}


def _calls() -> cg.Network:
    """A calls B on day 1, but B reaches C on day 3 only via D: a → b (1), b → c (0), b → d (2),
    d → c (3). The static shortest path a-b-c never happened in time order."""
    return cg.build_network(
        edges=[
            {"source": "a", "target": "b", "kind": "call", "time": date(2025, 1, 1)},
            {"source": "b", "target": "c", "kind": "call", "time": date(2024, 12, 31)},
            {"source": "b", "target": "d", "kind": "payment", "time": date(2025, 1, 2)},
            {"source": "d", "target": "c", "kind": "call", "time": date(2025, 1, 3)},
        ]
    )


def test_shortest_path_ignores_time():
    assert cg.shortest_path(_calls(), source="a", target="c") == ["a", "b", "c"]


def test_temporal_path_respects_time_order():
    path = cg.temporal_path(_calls(), source="a", target="c")
    assert path.actors == ["a", "b", "d", "c"]
    times = [hop.time for hop in path.hops]
    assert times == sorted(times)
    assert [hop.kind for hop in path.hops] == ["call", "payment", "call"]
    assert path.arrival.startswith("2025-01-03")


def test_temporal_path_within_a_window():
    assert cg.temporal_path(_calls(), source="a", target="c", end="2025-01-02") is None
    assert cg.temporal_path(_calls(), source="a", target="c", start="2025-01-02") is None
    assert cg.temporal_path(_calls(), source="b", target="c", start="2025-01-02").actors == [
        "b",
        "d",
        "c",
    ]


def test_temporal_path_allows_equal_times_and_intervals():
    network = cg.build_network(
        edges=[
            {"source": "b", "target": "c", "time": 5},
            {"source": "a", "target": "b", "time": 5},
            {"source": "c", "target": "d", "start": 0, "end": 6},
            {"source": "d", "target": "e", "start": 0, "end": 4},
        ]
    )
    assert cg.temporal_path(network, source="a", target="d").actors == ["a", "b", "c", "d"]
    assert cg.temporal_path(network, source="a", target="e") is None


def test_directed_temporal_path_follows_the_money():
    network = cg.build_network(
        edges=[
            {"source": "x", "target": "y", "kind": "payment", "time": 1},
            {"source": "z", "target": "y", "kind": "payment", "time": 2},
        ]
    )
    assert cg.temporal_path(network, source="x", target="z").actors == ["x", "y", "z"]
    assert cg.temporal_path(network, source="x", target="z", directed=True) is None


def test_time_window_filters_ties_and_keeps_nodes():
    network = _calls()
    window = cg.within_window(network, start="2025-01-01", end="2025-01-02")
    assert window.graph.vcount() == 4
    pairs = {tuple(sorted((window.ids[e.source], window.ids[e.target]))) for e in window.graph.es}
    assert pairs == {("a", "b"), ("b", "d")}


def test_undated_ties_are_kept_in_windows_unless_asked():
    network = cg.build_network(
        edges=[
            {"source": "mother", "target": "child", "kind": "family"},
            {"source": "child", "target": "recruiter", "time": "2025-05-01"},
        ]
    )
    assert cg.within_window(network, start="2026-01-01").graph.ecount() == 1
    assert cg.within_window(network, start="2026-01-01", keep_undated=False).graph.ecount() == 0


def test_parallel_ties_add_up_in_the_weight():
    network = cg.build_network(
        edges=[
            {"source": "a", "target": "b", "kind": "call", "time": 1},
            {"source": "b", "target": "a", "kind": "payment", "time": 2, "weight": 3},
            ("a", "a"),
        ]
    )
    assert network.graph.ecount() == 1
    edge = network.graph.es[0]
    assert edge["weight"] == 4.0
    assert edge["count"] == 2
    assert edge["kind"] == "call,payment"
    assert network.self_loops_dropped == 1


def test_arrays_build_the_same_simple_graph():
    import numpy as np

    network = cg.network_from_arrays(
        n_nodes=4, sources=np.array([0, 1, 1, 2, 3]), targets=np.array([1, 0, 2, 2, 0])
    )
    assert network.graph.ecount() == 3
    assert cg.component_sizes(network) == [4]
    assert sum(cg.pagerank(network)) == pytest.approx(1.0)


def test_unknown_node_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown node"):
        cg.shortest_path(_two_stars(), source="A", target="nobody")


def test_key_player_count_must_fit_the_network():
    with pytest.raises(ValueError):
        cg.key_players(_two_stars(), k=12)


def test_sampled_betweenness_is_the_networkx_estimator():
    """Same sampled sources, same scaling: the estimate equals networkx's ``k=`` estimate."""
    import networkx as nx

    graph = nx.les_miserables_graph()
    names = list(graph)
    network = cg.build_network(edges=list(graph.edges()), nodes=[{"id": n} for n in names])
    ours = cg.betweenness(network, samples=20, seed=5)
    theirs = nx.betweenness_centrality(graph, k=20, seed=5)
    assert ours == pytest.approx([theirs[n] for n in names])
