"""The network: a simple undirected igraph graph plus the dated ties it was built from, built
from records or from index arrays, and cut to a time window."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import igraph as ig
import numpy as np

from corridor.i18n import _

NODE_ATTRIBUTES = ("kind", "country", "role", "label")


def as_time(value: Any) -> float | None:
    """Times are compared as POSIX seconds; naive datetimes and dates are taken as UTC.

    Strings are ISO 8601; a partial date ("2025", "2025-03"), common in case files, stands for
    the start of that year or month.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise TypeError(_("a time cannot be a boolean"))
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.timestamp()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 4 and text.isdigit():
            text += "-01-01"
        elif len(text) == 7 and text[:4].isdigit() and text[4] == "-":
            text += "-01"
        try:
            return as_time(datetime.fromisoformat(text))
        except ValueError:
            raise ValueError(
                _("not an ISO 8601 date or time: %(value)s") % {"value": value}
            ) from None
    raise TypeError(_("unsupported time value: %(value)r") % {"value": value})


def iso_time(seconds: float | None) -> str | None:
    if seconds is None or math.isinf(seconds):
        return None
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()


@dataclass(frozen=True)
class Tie:
    """One recorded relationship between two node indexes, active from ``start`` to ``end``.

    An instant (a call, a transfer) has ``start == end``; an open interval end is infinite;
    an undated tie has both ``None``.
    """

    source: int
    target: int
    kind: str | None = None
    weight: float = 1.0
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class Network:
    """A simple undirected igraph graph plus the dated ties it was built from.

    Vertex attribute ``name`` holds the caller's string id; ``kind``, ``country``, ``role`` and
    ``label`` are kept when given. Edge attribute ``weight`` is the sum of the tie weights and
    ``count`` the number of ties collapsed into the edge. ``ties`` is empty for graphs built from
    arrays, which therefore support no time window or temporal path.
    """

    graph: ig.Graph
    ties: tuple[Tie, ...] = ()
    self_loops_dropped: int = 0
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ids(self) -> list[str]:
        return self.graph.vs["name"]

    def index(self, node_id: str) -> int:
        if not self._index:
            self._index.update((name, i) for i, name in enumerate(self.ids))
        try:
            return self._index[str(node_id)]
        except KeyError:
            raise KeyError(_("unknown node: %(node)s") % {"node": node_id}) from None


def _edge_fields(edge: Mapping[str, Any] | Sequence[Any]) -> dict[str, Any]:
    if isinstance(edge, Mapping):
        if "source" not in edge or "target" not in edge:
            raise ValueError(_("an edge needs a source and a target"))
        return dict(edge)
    if len(edge) < 2:
        raise ValueError(_("an edge needs a source and a target"))
    return {"source": edge[0], "target": edge[1]}


def build_network(
    *,
    edges: Iterable[Mapping[str, Any] | Sequence[Any]],
    nodes: Iterable[Mapping[str, Any]] = (),
) -> Network:
    """Build the network from edge records and optional node records.

    Edges are ``(a, b)`` pairs or dicts with ``source``, ``target`` and optional ``kind``,
    ``weight``, ``time`` (an instant) or ``start``/``end`` (an interval), times being datetimes,
    dates, ISO strings or POSIX seconds. Nodes are dicts with ``id`` and optional ``kind``,
    ``country``, ``role``, ``label``; a node without ties is kept (an isolate is information).
    Self-loops carry no structure and are dropped and counted, because records merged by entity
    resolution legitimately produce them.
    """
    index: dict[str, int] = {}
    attributes: dict[str, list[Any]] = {name: [] for name in NODE_ATTRIBUTES}

    def node_index(node_id: Any) -> int:
        key = str(node_id)
        if key not in index:
            index[key] = len(index)
            for values in attributes.values():
                values.append(None)
        return index[key]

    for node in nodes:
        i = node_index(node["id"])
        for name in NODE_ATTRIBUTES:
            if node.get(name) is not None:
                attributes[name][i] = node[name]

    ties: list[Tie] = []
    self_loops = 0
    for raw in edges:
        data = _edge_fields(raw)
        u, v = node_index(data["source"]), node_index(data["target"])
        if u == v:
            self_loops += 1
            continue
        instant = as_time(data.get("time"))
        start = instant if instant is not None else as_time(data.get("start"))
        end = instant if instant is not None else as_time(data.get("end"))
        if start is not None and end is None:
            end = math.inf
        if end is not None and start is None:
            start = -math.inf
        if start is not None and end is not None and end < start:
            raise ValueError(
                _("the tie %(a)s–%(b)s ends before it starts")
                % {"a": data["source"], "b": data["target"]}
            )
        weight = float(data.get("weight", 1.0) or 1.0)
        ties.append(Tie(u, v, data.get("kind"), weight, start, end))

    graph = _simple_graph(n=len(index), ties=ties)
    graph.vs["name"] = list(index)
    for name, values in attributes.items():
        graph.vs[name] = values
    return Network(graph=graph, ties=tuple(ties), self_loops_dropped=self_loops, _index=index)


def _simple_graph(*, n: int, ties: Sequence[Tie]) -> ig.Graph:
    graph = ig.Graph(n=n, edges=[(t.source, t.target) for t in ties], directed=False)
    graph.es["weight"] = [t.weight for t in ties]
    graph.es["count"] = [1] * len(ties)
    graph.es["kind"] = [t.kind for t in ties]
    graph.simplify(
        multiple=True,
        loops=True,
        combine_edges={"weight": "sum", "count": "sum", "kind": _combine_kinds},
    )
    return graph


def _combine_kinds(kinds: list[str | None]) -> str | None:
    distinct = sorted({k for k in kinds if k})
    return ",".join(distinct) if distinct else None


def network_from_arrays(
    *,
    n_nodes: int,
    sources: np.ndarray,
    targets: np.ndarray,
    ids: Sequence[str] | None = None,
    countries: Sequence[str | None] | None = None,
) -> Network:
    """Build a large network from integer index arrays without per-edge Python objects.

    Meant for bulk loads and benchmarks (millions of ties): the same simple undirected
    convention as :func:`build_network`, weights counting repeated pairs, but no dated ties.
    """
    pairs = np.column_stack((np.asarray(sources), np.asarray(targets))).tolist()
    graph = ig.Graph(n=n_nodes, edges=pairs, directed=False)
    graph.es["weight"] = 1.0
    graph.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    graph.vs["name"] = list(ids) if ids is not None else [str(i) for i in range(n_nodes)]
    if countries is not None:
        graph.vs["country"] = list(countries)
    return Network(graph=graph)


def within_window(
    network: Network,
    *,
    start: Any = None,
    end: Any = None,
    keep_undated: bool = True,
) -> Network:
    """The network of ties active at some moment in ``[start, end]`` (either bound may be open).

    Undated ties (family, long-standing association) are kept by default because they are true
    for the whole window; pass ``keep_undated=False`` to see only what was observed in it. Every
    node is kept so that ids, and comparisons between windows, stay stable.
    """
    if not network.ties and network.graph.ecount():
        raise ValueError(_("this network was built without dated ties"))
    lo = as_time(start)
    hi = as_time(end)
    lo = -math.inf if lo is None else lo
    hi = math.inf if hi is None else hi
    kept = [
        t
        for t in network.ties
        if (t.start is None and keep_undated)
        or (t.start is not None and t.start <= hi and t.end >= lo)
    ]
    graph = _simple_graph(n=network.graph.vcount(), ties=kept)
    for name in network.graph.vs.attributes():
        graph.vs[name] = network.graph.vs[name]
    return Network(graph=graph, ties=tuple(kept), self_loops_dropped=network.self_loops_dropped)


def node_attributes(graph: ig.Graph, i: int) -> dict[str, Any]:
    present = graph.vs.attributes()
    return {
        name: graph.vs[i][name]
        for name in NODE_ATTRIBUTES
        if name in present and graph.vs[i][name] is not None
    }
