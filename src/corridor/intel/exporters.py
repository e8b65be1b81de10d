"""Network exports for Gephi and other graph tools: GEXF 1.3 and GraphML, as strings.

Pure functions over a :class:`corridor.intel.graph.Network`: the caller decides where the bytes go
(an HTTP response, a sealed file) and writes the audit entry, since an export of intelligence is
itself an auditable act. Optional per-node values (community, centrality scores) are added as
attributes so that Gephi can colour and size by them without recomputing.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from corridor.intel.graph import NODE_ATTRIBUTES, Network

__all__ = ["to_gexf", "to_graphml"]

GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def _node_columns(
    network: Network, extra: Mapping[str, Sequence[Any]]
) -> list[tuple[str, str, list[Any]]]:
    """(name, type, values) for every node attribute that has at least one value."""
    graph = network.graph
    columns = []
    for name in NODE_ATTRIBUTES:
        if name in graph.vs.attributes() and any(v is not None for v in graph.vs[name]):
            columns.append((name, "string", graph.vs[name]))
    for name, values in extra.items():
        if len(values) != graph.vcount():
            raise ValueError(
                f"node value '{name}' has {len(values)} entries for {graph.vcount()} nodes"
            )
        kind = "integer" if all(isinstance(v, int) for v in values) else "double"
        if not all(isinstance(v, int | float) for v in values):
            kind = "string"
        columns.append((name, kind, list(values)))
    return columns


def _edge_spells(network: Network) -> dict[tuple[int, int], tuple[float, float]]:
    """First and last dated moment of each tie, for Gephi's timeline; undated ties have none."""
    spells: dict[tuple[int, int], tuple[float, float]] = {}
    for tie in network.ties:
        if tie.start is None:
            continue
        key = (min(tie.source, tie.target), max(tie.source, tie.target))
        lo = tie.start
        hi = tie.end
        if key in spells:
            lo, hi = min(lo, spells[key][0]), max(hi, spells[key][1])
        spells[key] = (lo, hi)
    return spells


def _iso(seconds: float, *, whole_days: bool) -> str | None:
    if math.isinf(seconds):
        return None
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%dT%H:%M:%S")


def _text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_gexf(network: Network, *, node_values: Mapping[str, Sequence[Any]] | None = None) -> str:
    """GEXF 1.3 with node attributes, edge weights and kinds, and, when ties are dated, each
    edge's first–last dates as start/end so Gephi's timeline can replay the network.

    Times are UTC; the time format is ``date`` when every bound falls on a day boundary (what
    most tools read, networkx included) and ``dateTime`` otherwise.
    """
    graph = network.graph
    columns = _node_columns(network, node_values or {})
    spells = _edge_spells(network)
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "Corridor"
    graph_attributes = {"defaultedgetype": "undirected", "mode": "static"}
    bounds = [b for spell in spells.values() for b in spell if not math.isinf(b)]
    whole_days = all(b % 86400 == 0 for b in bounds)
    if spells:
        timeformat = "date" if whole_days else "dateTime"
        graph_attributes.update({"mode": "dynamic", "timeformat": timeformat})
    xml_graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", graph_attributes)
    node_attrs = ET.SubElement(xml_graph, f"{{{GEXF_NS}}}attributes", {"class": "node"})
    for position, (name, kind, _values) in enumerate(columns):
        ET.SubElement(
            node_attrs,
            f"{{{GEXF_NS}}}attribute",
            {"id": str(position), "title": name, "type": kind},
        )
    edge_attrs = ET.SubElement(xml_graph, f"{{{GEXF_NS}}}attributes", {"class": "edge"})
    ET.SubElement(
        edge_attrs, f"{{{GEXF_NS}}}attribute", {"id": "kind", "title": "kind", "type": "string"}
    )
    ET.SubElement(
        edge_attrs, f"{{{GEXF_NS}}}attribute", {"id": "count", "title": "count", "type": "integer"}
    )
    xml_nodes = ET.SubElement(xml_graph, f"{{{GEXF_NS}}}nodes")
    names = graph.vs["name"]
    labels = graph.vs["label"] if "label" in graph.vs.attributes() else [None] * graph.vcount()
    for i, name in enumerate(names):
        node = ET.SubElement(
            xml_nodes, f"{{{GEXF_NS}}}node", {"id": name, "label": labels[i] or name}
        )
        values = ET.SubElement(node, f"{{{GEXF_NS}}}attvalues")
        for position, (_name, _kind, column) in enumerate(columns):
            if column[i] is not None:
                ET.SubElement(
                    values,
                    f"{{{GEXF_NS}}}attvalue",
                    {"for": str(position), "value": _text(column[i])},
                )
    xml_edges = ET.SubElement(xml_graph, f"{{{GEXF_NS}}}edges")
    edge_attributes = graph.es.attributes()
    for edge in graph.es:
        u, v = edge.tuple
        attributes = {
            "id": str(edge.index),
            "source": names[u],
            "target": names[v],
            "weight": _text(float(edge["weight"]) if "weight" in edge_attributes else 1.0),
        }
        spell = spells.get((min(u, v), max(u, v)))
        if spell:
            start = _iso(spell[0], whole_days=whole_days)
            end = _iso(spell[1], whole_days=whole_days)
            if start:
                attributes["start"] = start
            if end:
                attributes["end"] = end
        xml_edge = ET.SubElement(xml_edges, f"{{{GEXF_NS}}}edge", attributes)
        values = ET.SubElement(xml_edge, f"{{{GEXF_NS}}}attvalues")
        if "kind" in edge_attributes and edge["kind"]:
            ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": "kind", "value": edge["kind"]})
        if "count" in edge_attributes:
            ET.SubElement(
                values, f"{{{GEXF_NS}}}attvalue", {"for": "count", "value": str(int(edge["count"]))}
            )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def to_graphml(network: Network, *, node_values: Mapping[str, Sequence[Any]] | None = None) -> str:
    """GraphML with typed keys, readable by Gephi, yEd, Cytoscape, igraph and networkx.

    Written by hand rather than with igraph's writer so that missing values are left out instead
    of becoming empty strings or NaN, and node ids stay the caller's ids.
    """
    graph = network.graph
    columns = _node_columns(network, node_values or {})
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    types = {"string": "string", "integer": "long", "double": "double"}
    for position, (name, kind, _values) in enumerate(columns):
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": f"n{position}", "for": "node", "attr.name": name, "attr.type": types[kind]},
        )
    edge_keys = [("weight", "double"), ("count", "long"), ("kind", "string")]
    for name, kind in edge_keys:
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": f"e_{name}", "for": "edge", "attr.name": name, "attr.type": kind},
        )
    xml_graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"edgedefault": "undirected"})
    names = graph.vs["name"]
    for i, name in enumerate(names):
        node = ET.SubElement(xml_graph, f"{{{GRAPHML_NS}}}node", {"id": name})
        for position, (_name, _kind, column) in enumerate(columns):
            if column[i] is not None:
                ET.SubElement(node, f"{{{GRAPHML_NS}}}data", {"key": f"n{position}"}).text = _text(
                    column[i]
                )
    edge_attributes = graph.es.attributes()
    for edge in graph.es:
        u, v = edge.tuple
        xml_edge = ET.SubElement(
            xml_graph, f"{{{GRAPHML_NS}}}edge", {"source": names[u], "target": names[v]}
        )
        for name, _kind in edge_keys:
            if name in edge_attributes and edge[name] is not None:
                value = {"weight": float, "count": int}.get(name, str)(edge[name])
                ET.SubElement(xml_edge, f"{{{GRAPHML_NS}}}data", {"key": f"e_{name}"}).text = _text(
                    value
                )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
