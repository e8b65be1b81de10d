"""Benchmark: 1,000 cross-border referrals from the Gabon node to the Togo node on loopback.

Both nodes run as real ``corridor serve`` processes with their own data directory and database
(SQLite by default, PostgreSQL when DATABASE_URL is set: two databases derived from it). A
producer process on the Gabon node creates the referrals (person, case, consent, referral,
outbox message, audit) at a steady rate while the Togo node is killed (SIGKILL) and restarted
twice mid-run. Measured from both databases afterwards: throughput, p50/p95 delivery latency
(sender's outbox creation → receiver's inbox record, same machine clock) and lost/duplicated
messages.

    .venv/bin/python bench/federation_bench.py [--count 1000] [--rate 25]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.federation.nodes import prepare_pair, teardown_pair  # noqa: E402


def produce(*, count: int, rate: float) -> dict:
    """Inside the Gabon node: create ``count`` referrals at ``rate`` per second."""
    from corridor.accounts.models import User
    from corridor.cases.services import case_open, consent_record
    from corridor.federation.models import Peer
    from corridor.people.services import person_create
    from corridor.referrals.cross_border import referral_send

    worker = User.objects.get(username="ga.caseworker")
    peer = Peer.objects.get(name="togo")
    started, cpu = time.monotonic(), time.process_time()
    for i in range(count):
        person = person_create(
            actor=worker,
            given_names=f"Bench{i}",
            family_name="DEMO-BENCH",
            gender="Feminine",
            estimated_age=10 + i % 8,
            citizenships=["TG"],
            place_of_origin="Kpalimé",
        )
        case = case_open(actor=worker, person=person)
        consent_record(
            actor=worker, case=case, purpose="cross_border", legal_ground="vital_interest"
        )
        referral_send(actor=worker, case=case, peer=peer, purpose="return", reason="bench")
        pause = started + (i + 1) / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    return {
        "created": count,
        "seconds": round(time.monotonic() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
    }


def sender_facts() -> dict:
    from corridor.federation.models import OutboundMessage

    rows = OutboundMessage.objects.filter(type="referral.create")
    return {
        "pending": rows.filter(state="pending").count(),
        "messages": [
            [str(m), c.timestamp(), d.timestamp() if d else None, a]
            for m, c, d, a in rows.values_list(
                "message_id", "created_at", "delivered_at", "attempts"
            )
        ],
    }


def receiver_facts() -> dict:
    from django.db.models import Count

    from corridor.federation.models import InboundMessage
    from corridor.referrals.models import CrossBorderReferral as Referral
    from corridor.referrals.models import CrossBorderReferralEvent as ReferralEvent

    inbound = InboundMessage.objects.filter(type="referral.create")
    received_events = (
        ReferralEvent.objects.filter(kind="status", status="received")
        .values("referral")
        .annotate(n=Count("id"))
    )
    return {
        "messages": [
            [str(m), r.timestamp(), d]
            for m, r, d in inbound.values_list("message_id", "received_at", "duplicates")
        ],
        "referrals": Referral.objects.filter(direction="in").count(),
        "applied_twice": sum(1 for row in received_events if row["n"] > 1),
    }


def _in_node(node, function: str, **kwargs):
    code = (
        "import json, sys; sys.path.insert(0, '.'); import bench.federation_bench as b; "
        f"print('@@' + json.dumps(b.{function}(**{kwargs!r})))"
    )
    out = node.cli("shell", "-c", code, timeout=3600)
    return json.loads([line for line in out.splitlines() if line.startswith("@@")][-1][2:])


def cpu_seconds(proc) -> float:
    """CPU time (user + system) a node process has used so far (Linux)."""
    try:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=25.0, help="referrals created per second")
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--down", type=float, default=3.0, help="seconds the receiver stays down")
    args = parser.parse_args()

    load_before = [round(x, 2) for x in os.getloadavg()]
    base = Path(tempfile.mkdtemp(prefix="corridor-fed-bench-"))
    database_url = os.environ.get("DATABASE_URL", "")
    print(
        f"preparing two nodes in {base} ({'PostgreSQL' if database_url else 'SQLite'}) …",
        flush=True,
    )
    nodes = prepare_pair(base, database_url, suffix="bench_")
    togo, gabon = nodes["togo"], nodes["gabon"]
    outages = []
    receiver_cpu = sender_cpu = 0.0
    try:
        for node in nodes.values():  # production defaults: 1 s poll, 1 s backoff base
            node.extra_env = {"CORRIDOR_FEDERATION_POLL": "1.0", "CORRIDOR_FEDERATION_BACKOFF": "1"}
            node.start()
        result = {}
        producer = threading.Thread(
            target=lambda: result.update(
                _in_node(gabon, "produce", count=args.count, rate=args.rate)
            )
        )
        started = time.time()
        producer.start()
        duration = args.count / args.rate
        for k in range(args.kills):
            time.sleep(max(0.0, started + duration * (k + 1) / (args.kills + 1) - time.time()))
            down_at = time.time()
            receiver_cpu += cpu_seconds(togo.proc)
            togo.proc.kill()  # SIGKILL: no clean shutdown
            togo.proc.wait()
            time.sleep(args.down)
            togo.start()
            outages.append((down_at, time.time()))
            print(
                f"receiver killed at +{down_at - started:.1f} s, back at +{time.time() - started:.1f} s",
                flush=True,
            )
        producer.join()
        print(f"producer: {result}", flush=True)
        deadline = time.time() + 300
        while True:
            sent = _in_node(gabon, "sender_facts")
            if sent["pending"] == 0 or time.time() > deadline:
                break
            time.sleep(2)
        got = _in_node(togo, "receiver_facts")
        receiver_cpu += cpu_seconds(togo.proc)
        sender_cpu = cpu_seconds(gabon.proc)
    finally:
        teardown_pair(nodes)

    created = {m: c for m, c, _d, _a in sent["messages"]}
    received = {m: r for m, r, _d in got["messages"]}
    lost = sorted(set(created) - set(received))
    redelivered = sum(d for _m, _r, d in got["messages"])
    latencies = [received[m] - created[m] for m in created if m in received]
    in_outage = {m for m, c in created.items() if any(a - 2 <= c <= b + 2 for a, b in outages)}
    steady = [received[m] - created[m] for m in created if m in received and m not in in_outage]
    span = max(received.values()) - min(created.values())
    start = min(created.values())
    windows: dict[int, list[float]] = {}
    for m, c in created.items():
        if m in received:
            windows.setdefault(int((c - start) // 20) * 20, []).append(received[m] - c)
    report = {
        "database": "PostgreSQL" if database_url else "SQLite",
        "referrals_sent": len(created),
        "received": len(received),
        "referrals_created_on_receiver": got["referrals"],
        "lost": len(lost),
        "applied_twice": got["applied_twice"],
        "redelivered_and_deduplicated": redelivered,
        "receiver_kills": len(outages),
        "throughput_per_s": round(len(received) / span, 1),
        "p50_s": round(statistics.median(latencies), 3),
        "p95_s": round(percentile(latencies, 0.95), 3),
        "max_s": round(max(latencies), 3),
        "p50_outside_outages_s": round(statistics.median(steady), 3),
        "p95_outside_outages_s": round(percentile(steady, 0.95), 3),
        "attempts_max": max(a for *_x, a in sent["messages"]),
        "producer": result,
        "cpu_ms_per_referral": {
            "producer": round(1000 * result.get("cpu_seconds", 0) / len(created)),
            "sender_node": round(1000 * sender_cpu / len(created)),
            "receiver_node": round(1000 * receiver_cpu / len(created)),
        },
        "outages_s": [[round(a - start, 1), round(b - start, 1)] for a, b in outages],
        "p95_by_20s_of_creation": {
            f"+{w}s": round(percentile(v, 0.95), 2) for w, v in sorted(windows.items())
        },
        "load_average_before_after": [load_before, [round(x, 2) for x in os.getloadavg()]],
    }
    print(json.dumps(report, indent=1))
    return 0 if not lost and not got["applied_twice"] else 1


if __name__ == "__main__":
    sys.exit(main())
