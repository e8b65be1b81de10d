"""Network analysis benchmark: a synthetic trafficking-like network at national scale.

    .venv/bin/python bench/network_bench.py --nodes 1000000 --edges 5000000 \
        --compare-nodes 100000 --compare-edges 500000 --samples 64

Part 1 times corridor.intel.graph (python-igraph + leidenalg) on the big network: build,
connected components, PageRank, betweenness estimated from k sampled sources, Leiden. Part 2 runs
the same operations with igraph and with networkx on a smaller network in the same process and
reports the speed ratio, each step run with igraph and then at once with networkx so that the
load of a shared machine weighs on both alike. networkx has no Leiden of its own, so its Louvain
stands in; each networkx step is time-boxed (``--nx-timeout``) and reported as "stopped after"
when it runs out. Betweenness uses the same estimator on both sides (k sampled sources, scaled
by n/k); the overlap of their top-100 actors is reported as a check that they agree.

The network is synthetic: communities of lognormal size (median ~40) each in one country (Togo
55 %, Gabon 45 %), hub-biased ties inside communities, weaker ties between communities of the same
country, and a small set of cross-border brokers carrying the ties between the two countries.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corridor.intel import graph as cg  # noqa: E402

INTRA, SAME_COUNTRY, CROSS_BORDER = 0.80, 0.17, 0.03
BROKER_SHARE = 0.005
TOGO_SHARE = 0.55


def synthetic_network(*, n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sources, targets, country codes 0=TG 1=GA) for n nodes and m generated ties."""
    rng = np.random.default_rng(seed)
    sizes = np.maximum(3, rng.lognormal(mean=np.log(40), sigma=0.8, size=n // 10)).astype(np.int64)
    sizes = sizes[np.cumsum(sizes) <= n]
    if sizes.sum() < n:
        sizes = np.append(sizes, n - sizes.sum())
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    community = np.repeat(np.arange(len(sizes)), sizes)
    n_togo_communities = int(len(sizes) * TOGO_SHARE)
    country = (community >= n_togo_communities).astype(np.int8)
    togo_nodes = int(starts[n_togo_communities]) if n_togo_communities < len(sizes) else n

    def hub_in(comm: np.ndarray) -> np.ndarray:
        """A member of each given community, strongly biased to its first members (the hubs)."""
        return starts[comm] + np.floor(sizes[comm] * rng.random(len(comm)) ** 2).astype(np.int64)

    n_intra = int(m * INTRA)
    n_same = int(m * SAME_COUNTRY)
    n_cross = m - n_intra - n_same
    u1 = rng.integers(0, n, n_intra)
    v1 = hub_in(community[u1])
    u2 = rng.integers(0, n, n_same)
    same_lo = np.where(country[u2] == 0, 0, togo_nodes)
    same_hi = np.where(country[u2] == 0, togo_nodes, n)
    other = same_lo + np.floor(rng.random(n_same) * (same_hi - same_lo)).astype(np.int64)
    v2 = hub_in(community[other])
    brokers = rng.choice(n, size=max(2, int(n * BROKER_SHARE)), replace=False)
    u3 = brokers[rng.integers(0, len(brokers), n_cross)]
    far_lo = np.where(country[u3] == 0, togo_nodes, 0)
    far_hi = np.where(country[u3] == 0, n, togo_nodes)
    far = far_lo + np.floor(rng.random(n_cross) * (far_hi - far_lo)).astype(np.int64)
    v3 = hub_in(community[far])
    sources = np.concatenate((u1, u2, u3))
    targets = np.concatenate((v1, v2, v3))
    return sources, targets, country


class TimeBox(Exception):
    pass


@contextmanager
def time_box(seconds: float):
    """Interrupt pure-Python work after ``seconds`` (SIGALRM); C extensions finish their call."""

    def expire(signum, frame):
        raise TimeBox

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(results: dict, name: str, function, *, limit: float | None = None):
    start = time.perf_counter()
    try:
        if limit is None:
            value = function()
        else:
            with time_box(limit):
                value = function()
        results[name] = round(time.perf_counter() - start, 2)
        return value
    except TimeBox:
        results[name] = f"stopped after {limit:.0f} s"
        return None


def igraph_run(*, sources, targets, n, country, samples, seed, label, with_leidenalg=False) -> dict:
    results: dict = {}
    names = [f"E{i}" for i in range(n)]
    codes = np.array(["TG", "GA"])[country].tolist()
    network = timed(
        results,
        "build",
        lambda: cg.network_from_arrays(
            n_nodes=n, sources=sources, targets=targets, ids=names, countries=codes
        ),
    )
    sizes = timed(results, "components", lambda: cg.component_sizes(network))
    timed(results, "pagerank", lambda: cg.pagerank(network))
    timed(
        results,
        f"betweenness_k{samples}",
        lambda: cg.betweenness(network, samples=samples, seed=seed, normalized=False),
    )
    communities = timed(results, "leiden", lambda: cg.leiden_communities(network, seed=seed))
    if with_leidenalg:
        timed(
            results,
            "leiden_leidenalg",
            lambda: cg.leiden_communities(network, seed=seed, engine="leidenalg"),
        )
    results["analysis_total"] = round(
        sum(
            v
            for k, v in results.items()
            if k not in ("build", "leiden_leidenalg") and isinstance(v, float)
        ),
        2,
    )
    results["build_plus_analysis"] = round(results["analysis_total"] + results["build"], 2)
    results["graph"] = {
        "label": label,
        "nodes": network.graph.vcount(),
        "distinct_ties": network.graph.ecount(),
        "components": len(sizes),
        "largest_component": sizes[0],
        "communities": len(communities.sizes),
        "modularity": round(communities.modularity, 4),
    }
    crossing = timed(results, "country_brokers", lambda: len(cg.country_brokers(network)))
    results["graph"]["country_brokers"] = crossing
    return results


def compare_run(*, sources, targets, n, country, samples, seed, limit) -> tuple[dict, dict]:
    """Each step with igraph, then at once the same step with networkx, so that the load of a
    shared machine weighs on both sides alike."""
    import networkx as nx

    ig_results: dict = {}
    nx_results: dict = {}
    names = [f"E{i}" for i in range(n)]
    codes = np.array(["TG", "GA"])[country].tolist()

    def nx_build():
        graph = nx.Graph()
        graph.add_nodes_from(names)
        graph.add_edges_from(
            (names[u], names[v])
            for u, v in zip(sources.tolist(), targets.tolist(), strict=True)
            if u != v
        )
        return graph

    network = timed(
        ig_results,
        "build",
        lambda: cg.network_from_arrays(
            n_nodes=n, sources=sources, targets=targets, ids=names, countries=codes
        ),
    )
    graph = timed(nx_results, "build", nx_build, limit=limit)
    timed(ig_results, "components", lambda: cg.component_sizes(network))
    timed(
        nx_results,
        "components",
        lambda: sorted((len(c) for c in nx.connected_components(graph)), reverse=True),
        limit=limit,
    )
    timed(ig_results, "pagerank", lambda: cg.pagerank(network))
    timed(nx_results, "pagerank", lambda: nx.pagerank(graph, weight=None), limit=limit)
    step = f"betweenness_k{samples}"
    ig_between = timed(
        ig_results, step, lambda: cg.betweenness(network, samples=samples, seed=seed)
    )
    nx_between = timed(
        nx_results,
        step,
        lambda: nx.betweenness_centrality(graph, k=samples, seed=seed),
        limit=limit,
    )
    communities = timed(ig_results, "leiden", lambda: cg.leiden_communities(network, seed=seed))
    timed(
        ig_results,
        "leiden_leidenalg",
        lambda: cg.leiden_communities(network, seed=seed, engine="leidenalg"),
    )
    louvain = timed(
        nx_results,
        "louvain",
        lambda: nx.community.louvain_communities(graph, seed=seed),
        limit=limit,
    )
    ig_results["graph"] = {
        "nodes": network.graph.vcount(),
        "distinct_ties": network.graph.ecount(),
        "communities": len(communities.sizes),
        "modularity": round(communities.modularity, 4),
    }
    if louvain is not None:
        nx_results["graph"] = {
            "nodes": graph.number_of_nodes(),
            "distinct_ties": graph.number_of_edges(),
            "communities": len(louvain),
            "modularity": round(nx.community.modularity(graph, louvain), 4),
        }
    if nx_between is not None:
        top_ig = {names[i] for i in np.argsort(ig_between)[::-1][:100]}
        top_nx = set(sorted(nx_between, key=nx_between.get, reverse=True)[:100])
        nx_results["betweenness_top100_overlap_with_igraph"] = len(top_ig & top_nx)
    return ig_results, nx_results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=5_000_000)
    parser.add_argument("--compare-nodes", type=int, default=100_000)
    parser.add_argument("--compare-edges", type=int, default=500_000)
    parser.add_argument("--samples", type=int, default=64, help="sampled betweenness sources")
    parser.add_argument("--nx-timeout", type=float, default=600, help="seconds per networkx step")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-compare", action="store_true")
    args = parser.parse_args(argv)
    random.seed(args.seed)
    report: dict = {
        "load_average_at_start": os.getloadavg(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    if not args.skip_big:
        start = time.perf_counter()
        sources, targets, country = synthetic_network(n=args.nodes, m=args.edges, seed=args.seed)
        generated = round(time.perf_counter() - start, 2)
        big = igraph_run(
            sources=sources,
            targets=targets,
            n=args.nodes,
            country=country,
            samples=args.samples,
            seed=args.seed,
            label=f"{args.nodes:,} entities, {args.edges:,} generated relationships",
        )
        big["generate"] = generated
        report["big"] = big
        del sources, targets, country
        print(json.dumps({"big": big}, indent=2), flush=True)
    if not args.skip_compare:
        sources, targets, country = synthetic_network(
            n=args.compare_nodes, m=args.compare_edges, seed=args.seed
        )
        ig_results, nx_results = compare_run(
            sources=sources,
            targets=targets,
            n=args.compare_nodes,
            country=country,
            samples=args.samples,
            seed=args.seed,
            limit=args.nx_timeout,
        )
        ig_results["graph"]["label"] = (
            f"{args.compare_nodes:,} entities, {args.compare_edges:,} generated relationships"
        )
        ratios = {}
        for ig_name, nx_name in [
            ("build", "build"),
            ("components", "components"),
            ("pagerank", "pagerank"),
            (f"betweenness_k{args.samples}", f"betweenness_k{args.samples}"),
            ("leiden", "louvain"),
        ]:
            a, b = ig_results.get(ig_name), nx_results.get(nx_name)
            if isinstance(a, float) and isinstance(b, float):
                ratios[f"{nx_name} / {ig_name}"] = round(b / max(a, 0.01), 1)
        ig_ops = [f"betweenness_k{args.samples}", "components", "pagerank", "leiden", "build"]
        nx_ops = [f"betweenness_k{args.samples}", "components", "pagerank", "louvain", "build"]
        if all(isinstance(ig_results.get(k), float) for k in ig_ops) and all(
            isinstance(nx_results.get(k), float) for k in nx_ops
        ):
            ratios["all five steps"] = round(
                sum(nx_results[k] for k in nx_ops) / sum(ig_results[k] for k in ig_ops), 1
            )
        report["compare"] = {"igraph": ig_results, "networkx": nx_results, "speedup": ratios}
        print(json.dumps({"compare": report["compare"]}, indent=2), flush=True)
    report["load_average_at_end"] = os.getloadavg()
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
