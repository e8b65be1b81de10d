"""GEXF and GraphML exports read back with the attributes Gephi needs."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date

import igraph as ig
import networkx as nx

from corridor.intel import graph as cg
from corridor.intel.exporters import to_gexf, to_graphml


def _network() -> cg.Network:
    return cg.build_network(
        nodes=[
            {
                "id": "P1",
                "kind": "person",
                "country": "TG",
                "label": "KOSSI A.",
                "role": "recruiter",
            },
            {"id": "P2", "kind": "person", "country": "GA"},
            {"id": "isolated", "kind": "vehicle"},
        ],
        edges=[
            {"source": "P1", "target": "P2", "kind": "call", "time": date(2025, 1, 2)},
            {"source": "P2", "target": "P1", "kind": "payment", "time": date(2025, 2, 1)},
            {"source": "P2", "target": "W9", "kind": "ownership"},
        ],
    )


def test_gexf_reads_back_with_attributes_and_dates():
    network = _network()
    text = to_gexf(network, node_values={"community": [0, 1, 2, 1]})
    graph = nx.read_gexf(io.BytesIO(text.encode()))
    assert graph.number_of_nodes() == 4
    assert graph.number_of_edges() == 2
    assert graph.nodes["P1"]["country"] == "TG"
    assert graph.nodes["P1"]["label"] == "KOSSI A."
    assert graph.nodes["P2"]["community"] == 1
    edge = graph.edges["P1", "P2"]
    assert edge["weight"] == 2.0
    assert edge["count"] == 2
    assert edge["kind"] == "call,payment"
    assert (edge["start"], edge["end"]) == ("2025-01-02", "2025-02-01")
    assert "start" not in graph.edges["P2", "W9"]


def test_gexf_without_dates_is_static():
    network = cg.build_network(edges=[("a", "b")])
    root = ET.fromstring(to_gexf(network).encode())
    graph = root.find("{http://gexf.net/1.3}graph")
    assert graph.get("mode") == "static"


def test_graphml_reads_back_in_networkx_and_igraph(tmp_path):
    network = _network()
    text = to_graphml(network, node_values={"pagerank": cg.pagerank(network)})
    graph = nx.read_graphml(io.BytesIO(text.encode()))
    assert sorted(graph.nodes) == ["P1", "P2", "W9", "isolated"]
    assert graph.nodes["P1"]["role"] == "recruiter"
    assert "country" not in graph.nodes["W9"]
    assert graph.edges["P1", "P2"]["weight"] == 2.0
    assert abs(sum(nx.get_node_attributes(graph, "pagerank").values()) - 1) < 1e-9
    path = tmp_path / "network.graphml"
    path.write_text(text)
    loaded = ig.Graph.Read_GraphML(str(path))
    assert (loaded.vcount(), loaded.ecount()) == (4, 2)
