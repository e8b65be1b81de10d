"""Flow monitoring benchmark: ingest 1,000,000 count rows, then time every dashboard query.

    .venv/bin/python bench/flows_bench.py --rows 1000000 \
        --database postgres://postgres@127.0.0.1:5432/corridor_bench_flows

Targets (issue 7): ingest under 60 s; every dashboard query under 300 ms on PostgreSQL.
The database is created if missing, migrated, and its flow tables emptied first. Rows are
synthetic: the Togo node's points × 365 days, each point-day holding a random subset of the
6,656 category combinations (direction × sex × age group × nationality × transport × reason),
so every row is a distinct point × day × category combination, as in production.
Ingest goes through ``flows.flow_counts_ingest`` (COPY, then one rebuild of the
``FlowDaily`` pre-aggregate); the dashboard through ``flows.dashboard.dashboard_data``, the same
function the page calls, each SQL statement timed on its own.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/corridor_bench_flows"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each dashboard query")
    args = parser.parse_args()

    _ensure_database(args.database)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("CORRIDOR_NODE", "togo")
    os.environ.setdefault("CORRIDOR_DATA_DIR", tempfile.mkdtemp(prefix="corridor-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corridor.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from corridor.accounts.models import Agency, User
    from corridor.accounts.services import agency_create, user_create
    from corridor.flows.dashboard import Filters, dashboard_data, dashboard_figures
    from corridor.flows.models import FlowCount, FlowPoint, VulnerabilityCount
    from corridor.flows.services.counts import flow_counts_ingest
    from corridor.flows.services.points import point_sync
    from corridor.flows.vocab import (
        NATIONALITIES,
        AgeGroup,
        Direction,
        Reason,
        Sex,
        Transport,
        Vulnerability,
    )

    agency = Agency.objects.filter(name="Bench coordination").first() or agency_create(
        actor=None,
        name="Bench coordination",
        country="TG",
        org_type="CentralGovernmentOrganisation",
    )
    user = User.objects.filter(username="bench.coordinator").first() or user_create(
        actor=None,
        username="bench.coordinator",
        password="Bench-password-2026!",
        agency=agency,
        role="coordinator",
    )
    point_sync(actor=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE flows_flowcount, flows_flowdaily, flows_vulnerabilitycount, "
            "flows_dailysheet, flows_flowalert RESTART IDENTITY CASCADE"
        )
    points = list(FlowPoint.objects.filter(country="TG").values_list("pk", flat=True))
    combos = list(
        itertools.product(
            Direction.values,
            Sex.values,
            AgeGroup.values,
            list(NATIONALITIES),
            Transport.values,
            Reason.values,
        )
    )
    end = date(2026, 6, 30)
    start = end - timedelta(days=args.days - 1)
    per_day = -(-args.rows // (len(points) * args.days))
    if per_day > len(combos):
        parser.error("more rows than point × day × category combinations")
    rng = random.Random(2026)

    def rows():
        produced = 0
        for offset in range(args.days):
            day = start + timedelta(days=offset)
            for point in points:
                for index in rng.sample(range(len(combos)), per_day):
                    if produced >= args.rows:
                        return
                    yield (point, day, *combos[index], rng.randint(1, 40))
                    produced += 1

    t0 = time.perf_counter()
    n = flow_counts_ingest(actor=None, rows=rows(), start=start, end=end)
    ingest = time.perf_counter() - t0
    assert n == args.rows == FlowCount.objects.count()

    vulns = [
        VulnerabilityCount(
            point_id=p,
            day=start + timedelta(days=o),
            direction=d,
            vulnerability=v,
            count=rng.randint(1, 6),
        )
        for o in range(args.days)
        for p in points
        for d in Direction.values
        for v in Vulnerability.values
    ]
    VulnerabilityCount.objects.bulk_create(vulns, batch_size=10_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    timings: dict[str, list[float]] = {}

    def timer(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split())[:90]
            timings.setdefault(key, []).append((time.perf_counter() - t) * 1000)

    scenarios = {
        "last 90 days, national": Filters(start=end - timedelta(days=89), end=end),
        "full year, national": Filters(start=start, end=end),
        "full year, one point": Filters(start=start, end=end, point=points[0]),
        "full year, coastal route": Filters(start=start, end=end, route="coastal"),
    }
    results = {}
    for name, filters in scenarios.items():
        timings.clear()
        totals = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            with connection.execute_wrapper(timer):
                data = dashboard_data(user, filters)
            totals.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        dashboard_figures(data)
        charts_ms = (time.perf_counter() - t) * 1000
        results[name] = {
            "dashboard_data_ms_median": round(sorted(totals)[len(totals) // 2], 1),
            "slowest_query_ms": round(max(max(v) for v in timings.values()), 1),
            "queries": len(timings),
            "charts_ms": round(charts_ms, 1),
            "persons": data["totals"]["persons"],
        }
    report = {
        "rows": n,
        "ingest_s": round(ingest, 2),
        "ingest_rows_per_s": round(n / ingest),
        "dashboard": results,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "database": f"{connection.vendor} {getattr(connection, 'pg_version', '')}",
    }
    print(json.dumps(report, indent=2))
    slow = [k for k, v in results.items() if v["slowest_query_ms"] >= 300]
    return 1 if ingest >= 60 or slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
