"""A tracing request's candidates at scale: blocked in the database against ranked in memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corridor_bench_tracing \
        .venv/bin/python bench/tracing_candidates_bench.py --children 20000 --requests 30

Loads the found children of the engine's synthetic corridor (``matching.synth``) once, in bulk
(persons, their rows of the person index, mothers, open child cases), files ``--requests``
requests whose child is in the register, then for each request, as a national coordinator, runs
``tracing.selectors.ranked_candidates`` (children blocked in the database) and the ranking it
replaced (the whole pool of children loaded and ranked in memory). Prints the SQL queries and
the p50/p95 time of each, and how often the two give the same top ten and find the true child.
Last, over every true pair of the synthetic corridor, how many the database blocking keeps: by a
shared name key, by typo keys only, or not at all.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--skip-in-memory",
        action="store_true",
        help="time only the database blocking (the whole pool in memory takes minutes a request "
        "at 200,000 children)",
    )
    parser.add_argument(
        "--ranked-pool",
        type=int,
        default=None,
        help="candidates scored per request (tracing.selectors.RANKED_POOL; default: as shipped)",
    )
    parser.add_argument(
        "--slowest",
        type=int,
        default=0,
        help="print the N slowest requests of the database run with their slowest queries",
    )
    args = parser.parse_args()
    os.environ.setdefault("CORRIDOR_NODE", "togo")
    os.environ.setdefault(
        "CORRIDOR_DATA_DIR", os.path.join(tempfile.gettempdir(), "corridor-bench-tracing")
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "corridor.settings"
    import django

    django.setup()
    from datetime import date

    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from corridor.accounts.models import User
    from corridor.accounts.seed import seed_accounts
    from corridor.cases.models import Case, ChildStep
    from corridor.matching.synth import generate
    from corridor.people.keys import person_index_keys
    from corridor.people.models import Person, PersonKey, Relationship
    from corridor.tracing import ranking
    from corridor.tracing.models import TracingRequest
    from corridor.tracing.selectors import (
        candidate_children,
        open_requests_context,
        ranked_candidates,
    )
    from corridor.tracing.services import tracing_request_create

    if args.ranked_pool:
        from corridor.tracing import selectors

        selectors.RANKED_POOL = args.ranked_pool
    call_command("migrate", verbosity=0)
    seed_accounts()
    owner = User.objects.get(username="tg.caseworker")
    coordinator = User.objects.get(username="tg.coordinator")
    left, right, truth = generate(n_left=int(args.children * 1.3), seed=11)
    right = right[: args.children]
    gender = {"F": "Feminine", "M": "Masculine"}
    if not Person.objects.exists():
        print(f"loading {len(right)} children …", file=sys.stderr)
        for start in range(0, len(right), 5000):
            batch = right[start : start + 5000]
            persons = []
            for r in batch:
                seen = date.fromisoformat(r["identification_date"])
                persons.append(
                    Person(
                        given_names=r["given_names"],
                        family_name=r["family_name"],
                        gender=gender.get(r["sex"], "NonSpecifiedUnknown"),
                        birth_date=date.fromisoformat(r["birth_date"]) if r["birth_date"] else None,
                        birth_year=int(r["birth_year"]) if r["birth_year"] else None,
                        estimated_age=int(float(r["age_years"])) if r["age_years"] else None,
                        age_estimated_on=seen if r["age_years"] else None,
                        place_of_origin=r["place_of_origin"],
                        origin_prefecture=r["origin_prefecture"],
                        citizenships=[r["nationality"]] if r["nationality"] else [],
                        notes=r["record_id"],
                        agency=owner.agency,
                        registered_by=owner,
                    )
                )
            Person.objects.bulk_create(persons)
            PersonKey.objects.bulk_create(
                PersonKey(person=p, key=key, born=p.index_birth_year())
                for p, r in zip(persons, batch, strict=True)
                for key in person_index_keys(
                    [p.given_names, p.family_name],
                    mothers=[r["mother_name"]],
                    born_on=p.birth_date,
                )
            )
            Relationship.objects.bulk_create(
                Relationship(person=p, kind="mother", relative_name=r["mother_name"])
                for p, r in zip(persons, batch, strict=True)
                if r["mother_name"]
            )
            Case.objects.bulk_create(
                Case(
                    person=p,
                    agency=owner.agency,
                    owner=owner,
                    ref=f"TG-B-{p.pk:07d}",
                    is_child=True,
                    child_step=ChildStep.STUDY,
                    identified_on=date.fromisoformat(r["identification_date"]),
                )
                for p, r in zip(persons, batch, strict=True)
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    by_record = {p.notes: p.pk for p in Person.objects.only("pk", "notes")}
    sought = {lid: by_record[rid] for lid, rid in truth if rid in by_record}
    requests = []
    for record in left:
        if len(requests) >= args.requests:
            break
        if record["record_id"] not in sought:
            continue
        fields = {
            "requester_name": "Bench",
            "requester_relationship": "mother",
            "consent_given": True,
            "given_names": record["given_names"],
            "family_name": record["family_name"],
            "sex": record["sex"] or "U",
            "birth_date": date.fromisoformat(record["birth_date"])
            if record["birth_date"]
            else None,
            "birth_year": int(record["birth_year"]) if record["birth_year"] else None,
            "age_years": int(float(record["age_years"])) if record["age_years"] else None,
            "report_date": date.fromisoformat(record["report_date"]),
            "place_of_origin": record["place_of_origin"],
            "origin_prefecture": record["origin_prefecture"],
            "mother_name": record["mother_name"],
            "father_name": record["father_name"],
        }
        try:
            request = tracing_request_create(actor=owner, **fields)
        except ValidationError:
            continue
        requests.append((request, sought[record["record_id"]]))

    def in_memory(request):
        pool = list(candidate_children(coordinator))
        parents = ranking.parent_names(pool)
        context = [r.as_record() for r in open_requests_context().exclude(pk=request.pk)[:5000]]
        ranked = ranking.rank(
            query=request.as_record(),
            pool=[ranking.person_record(p, parents=parents.get(p.pk, {})) for p in pool],
            context=context,
        )
        return [int(r.record_id) for r in ranked]

    def blocked(request):
        return [c["person"].pk for c in ranked_candidates(coordinator, request)]

    rows = {}
    results = {}
    runs = [("blocked in the database", blocked)]
    if not args.skip_in_memory:
        runs.append(("whole pool in memory", in_memory))
    for label, run in runs:
        times, queries, found, timed = [], [], [], []
        for request, _child in requests:
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                found.append(run(request))
                times.append((time.perf_counter() - start) * 1000)
            queries.append(len(ctx))
            timed.append((times[-1], ctx.captured_queries))
        times.sort()
        rows[label] = (
            statistics.median(times),
            times[int(0.95 * (len(times) - 1))],
            min(queries),
            max(queries),
        )
        results[label] = found
        for total, captured in sorted(timed, key=lambda t: -t[0])[: args.slowest]:
            print(f"{label}: a request in {total:.0f} ms; its slowest queries:")
            for query in sorted(captured, key=lambda q: -float(q["time"]))[:3]:
                print(f"  {1000 * float(query['time']):.0f} ms  {query['sql'][:160]} …")
    same = (
        sum(a == b for a, b in zip(*results.values(), strict=True)) if len(results) == 2 else None
    )
    print(
        f"| {Person.objects.count():,} children, {len(requests)} requests, {connection.vendor} "
        "| p50 ms | p95 ms | SQL queries | true child in the top ten |"
    )
    print("|---|---|---|---|---|")
    for label, (p50, p95, low, high) in rows.items():
        hits = sum(
            child in found for (_r, child), found in zip(requests, results[label], strict=True)
        )
        spread = f"{low}" if low == high else f"{low}–{high}"
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {spread} | {hits}/{len(requests)} |")
    if same is not None:
        print(f"same top ten: {same}/{len(requests)} requests")
    TracingRequest.objects.filter(pk__in=[r.pk for r, _c in requests]).delete()
    print(blocking_recall(left, right, truth))
    return 0


def blocking_recall(left, right, truth) -> str:
    """How the true pairs fare in ``tracing.selectors.blocked_people``'s rules (the birth window
    aside, which no true pair of the corridor falls outside)."""
    from corridor.people.keys import mother_index_keys, name_index_keys, name_typo_keys
    from corridor.tracing.ranking import blocking_keys

    requests = {r["record_id"]: r for r in left}
    children = {r["record_id"]: r for r in right}
    kept = {
        "a given-name and a family-name key": 0,
        "one name (kept within a year)": 0,
        "a name and the mother": 0,
        "the mother (kept within a year)": 0,
        "the written birth date": 0,
        "none (lost)": 0,
    }
    pairs = [(requests[a], children[b]) for a, b in truth if b in children]
    for request, child in pairs:
        names = [child["given_names"], child["family_name"]]
        keys, given, family = blocking_keys(request)
        mothers = mother_index_keys([request["mother_name"]], besides=keys)
        child_keys = name_index_keys(names) | name_typo_keys(names)
        mother = mothers & mother_index_keys([child["mother_name"]])
        if given & child_keys and family & child_keys:
            kept["a given-name and a family-name key"] += 1
        elif keys & child_keys:
            kept["one name (kept within a year)"] += 1
        elif mother and (keys | given | family) & child_keys:
            kept["a name and the mother"] += 1
        elif mother:
            kept["the mother (kept within a year)"] += 1
        elif request["birth_date"] and request["birth_date"] == child["birth_date"]:
            kept["the written birth date"] += 1
        else:
            kept["none (lost)"] += 1
    return f"blocking of {len(pairs)} true pairs: " + ", ".join(
        f"{label} {n} ({n / len(pairs):.2%})" for label, n in kept.items()
    )


if __name__ == "__main__":
    sys.exit(main())
