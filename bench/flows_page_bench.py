"""The flow dashboard page (issue 17, item 10): time to answer at the demo's size, then with a
year of counts at 50 points, cold (the counts just changed: series computed, charts drawn) and
warm (the same counts again: both read from the cache).

    CORRIDOR_DATA_DIR=<demo dir> .venv/bin/python bench/flows_page_bench.py

Takes a node prepared by ``corridor demo --no-serve`` (its ``togo`` directory), copies it to a
temporary directory (the demo is left untouched), and requests ``/flows/`` as the coordinator
through Django's test client (no network, the whole view with its middleware). Then it adds
synthetic points up to 50 and a year of counts (``flows.flow_counts_ingest``) and times the page
over the whole year. Prints a JSON line per measurement: ``cold_ms`` is the first request after
the counts changed (series computed and charts drawn), ``warm_ms`` the median of the next
``--runs``, ``charts_ms`` the drawing of the page's SVG charts alone (``flows.dashboard_charts``)
and ``page_kib`` the page's HTML, charts included (``page_gzip_kib`` gzip-compressed).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _time(client, url: str, runs: int, user, start, end) -> dict:
    """Milliseconds of the first request and the median of the following ones, the page's size
    and the time its charts take to draw."""
    from corridor.flows.dashboard import Filters, dashboard_charts, dashboard_data

    times = []
    for _i in range(runs + 1):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    data = dashboard_data(user, Filters(start=start, end=end))  # the cached series
    began = time.perf_counter()
    dashboard_charts(data)
    charts_ms = round((time.perf_counter() - began) * 1000)
    return {
        "cold_ms": round(times[0]),
        "warm_ms": round(statistics.median(times[1:])),
        "charts_ms": charts_ms,
        "page_kib": round(len(response.content) / 1024, 1),
        "page_gzip_kib": round(len(gzip.compress(response.content)) / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = Path(os.environ.get("CORRIDOR_DATA_DIR", "var")) / "togo"
    if not source.exists():
        sys.exit(f"no prepared togo node under {source.parent}: run `corridor demo --no-serve`")
    work = Path(tempfile.mkdtemp(prefix="corridor-flows-bench-"))
    shutil.copytree(source, work / "togo")
    os.environ.update(
        CORRIDOR_DATA_DIR=str(work),
        CORRIDOR_NODE="togo",
        DJANGO_SETTINGS_MODULE="corridor.settings",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from corridor.accounts.models import User
    from corridor.flows.models import FlowCount, FlowPoint
    from corridor.flows.services.counts import flow_counts_ingest

    settings.ALLOWED_HOSTS = ["*"]
    coordinator = User.objects.get(username="tg.coordinator")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(coordinator, backend="allauth.account.auth_backends.AuthenticationBackend")
    # The process's first request loads the URLs, templates and catalogues: timed apart, on
    # another period.
    first = time.perf_counter()
    client.get("/flows/?start=2020-01-01&end=2020-01-31")
    print(json.dumps({"process_first_request_ms": round((time.perf_counter() - first) * 1000)}))

    today = timezone.localdate()
    timed = _time(client, "/flows/", args.runs, coordinator, today - timedelta(days=89), today)
    print(json.dumps({"size": "demo", "count_rows": FlowCount.objects.count(), **timed}))

    template = FlowPoint.objects.filter(country="TG").first()
    existing = FlowPoint.objects.filter(country="TG").count()
    FlowPoint.objects.bulk_create(
        [
            FlowPoint(
                code=f"BENCH{i:03d}",
                name=f"Point de mesure {i}",
                country="TG",
                region=template.region,
                kind=template.kind,
                route=template.route,
            )
            for i in range(max(0, args.points - existing))
        ]
    )
    points = list(FlowPoint.objects.filter(country="TG").values_list("pk", flat=True))
    rng = random.Random(17)
    start = today - timedelta(days=args.days - 1)

    combos = list(
        itertools.product(
            ["in", "out"],
            ["f", "m"],
            ["child", "adult"],
            ["TG", "GH", "BJ", "NG", "BF", "XX"],
            ["foot", "bus", "car", "truck"],
            ["economic", "family", "trade", "return"],
        )
    )

    def year():
        for point in points:
            for offset in range(args.days):
                day = start + timedelta(days=offset)
                for combo in rng.sample(combos, rng.randint(4, 10)):
                    yield (point, day, *combo, rng.randint(1, 25))

    FlowCount.objects.all().delete()  # the copy's demo counts make way for the year
    loaded = time.perf_counter()
    flow_counts_ingest(actor=None, rows=year(), start=start, end=today)
    loaded = round(time.perf_counter() - loaded, 1)
    url = f"/flows/?start={start.isoformat()}&end={today.isoformat()}"
    timed = _time(client, url, args.runs, coordinator, start, today)
    print(
        json.dumps(
            {
                "size": f"{len(points)} points, {args.days} days",
                "count_rows": FlowCount.objects.count(),
                "load_s": loaded,
                **timed,
            }
        )
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
