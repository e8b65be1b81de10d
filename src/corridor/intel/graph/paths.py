"""Chains between two actors: the fewest hops, and the earliest time-respecting chain."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

from corridor.i18n import _
from corridor.intel.graph.network import Network, Tie, as_time, iso_time


def shortest_path(network: Network, *, source: str, target: str) -> list[str] | None:
    """Fewest-hop chain of actors from ``source`` to ``target``, or None when unreachable."""
    graph = network.graph
    s, t = network.index(source), network.index(target)
    path = graph.get_shortest_path(s, to=t, mode="all")
    if not path:
        return None
    return [graph.vs[i]["name"] for i in path]


@dataclass(frozen=True)
class TemporalHop:
    source: str
    target: str
    time: str | None
    kind: str | None


@dataclass(frozen=True)
class TemporalPath:
    hops: list[TemporalHop]
    arrival: str | None

    @property
    def actors(self) -> list[str]:
        return [self.hops[0].source, *[h.target for h in self.hops]] if self.hops else []


def temporal_path(
    network: Network,
    *,
    source: str,
    target: str,
    start: Any = None,
    end: Any = None,
    directed: bool = False,
) -> TemporalPath | None:
    """Earliest-arriving time-respecting chain from ``source`` to ``target``, or None.

    A chain is time-respecting when each tie is used at a time no earlier than the previous one
    (equal times are allowed), inside ``[start, end]``: information or money can only travel
    forward in time, so a static shortest path can name a route that never happened. An interval
    tie can be used at any moment it is active. Undated ties are ignored. With ``directed`` a tie
    is only followed from its source to its target (calls, payments). The search is Dijkstra on
    arrival time, exact because waiting at an actor is always allowed.
    """
    if not network.ties and network.graph.ecount():
        raise ValueError(_("this network was built without dated ties"))
    s, t = network.index(source), network.index(target)
    lo = as_time(start)
    hi = as_time(end)
    lo = -math.inf if lo is None else lo
    hi = math.inf if hi is None else hi
    adjacency: dict[int, list[Tie]] = {}
    for tie in network.ties:
        if tie.start is None:
            continue
        adjacency.setdefault(tie.source, []).append(tie)
        if not directed:
            adjacency.setdefault(tie.target, []).append(
                Tie(tie.target, tie.source, tie.kind, tie.weight, tie.start, tie.end)
            )
    arrival = {s: lo}
    hops_to = {s: 0}
    previous: dict[int, tuple[Tie, float]] = {}
    queue = [(lo, 0, s)]
    done: set[int] = set()
    while queue:
        now, hops, u = heapq.heappop(queue)
        if u in done:
            continue
        done.add(u)
        if u == t:
            break
        for tie in adjacency.get(u, ()):
            moment = max(now, tie.start)
            if moment > tie.end or moment > hi:
                continue
            v = tie.target
            if (moment, hops + 1) < (arrival.get(v, math.inf), hops_to.get(v, math.inf)):
                arrival[v] = moment
                hops_to[v] = hops + 1
                previous[v] = (tie, moment)
                heapq.heappush(queue, (moment, hops + 1, v))
    if t not in done:
        return None
    names = network.ids
    hops_list: list[TemporalHop] = []
    node = t
    while node != s:
        tie, moment = previous[node]
        hops_list.append(
            TemporalHop(names[tie.source], names[tie.target], iso_time(moment), tie.kind)
        )
        node = tie.source
    hops_list.reverse()
    return TemporalPath(hops=hops_list, arrival=iso_time(arrival[t]) if hops_list else iso_time(lo))
