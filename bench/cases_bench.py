"""Case list and person search at scale: 100,000 persons and 50,000 cases on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corridor_bench_cases \
        .venv/bin/python bench/cases_bench.py --persons 100000 --cases 50000

Loads synthetic rows once (bulk, outside the services: this measures reads, not the seeding),
then times the pages through Django's test client as a national coordinator and as a
caseworker: p50/p95 over repeated requests, and the number of SQL queries per page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("CORRIDOR_NODE", "togo")
    os.environ.setdefault("CORRIDOR_DATA_DIR", "/tmp/corridor-bench-cases")
    os.environ["DJANGO_SETTINGS_MODULE"] = "corridor.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from corridor.accounts.models import User
    from corridor.accounts.seed import seed_accounts
    from corridor.cases.models import Case, ChildStep, Stage
    from corridor.people.keys import person_index_keys
    from corridor.people.models import Person, PersonKey

    call_command("migrate", verbosity=0)
    seed_accounts()
    owner = User.objects.get(username="tg.caseworker")
    coordinator = User.objects.get(username="tg.coordinator")
    rng = random.Random(7)
    given = [
        "Kossi",
        "Ama",
        "Afi",
        "Kodjo",
        "Yawa",
        "Komi",
        "Akossiwa",
        "Mawuli",
        "Essi",
        "Elom",
        "Kafui",
        "Sena",
        "Yao",
        "Abla",
        "Koffi",
    ]
    family = [
        "AMEGAN",
        "AGBEKO",
        "KPODAR",
        "ADJAHO",
        "SEWA",
        "KUAKU",
        "LAWSON",
        "DOSSOU",
        "AKAKPO",
        "AMOUZOU",
        "GBADOE",
        "TCHALLA",
        "ALASSANI",
        "SALIFOU",
        "FIAGAN",
    ]

    def index(persons):
        """Save a batch and its rows of the name index, as ``person_reindex`` would write them."""
        Person.objects.bulk_create(persons)
        PersonKey.objects.bulk_create(
            PersonKey(person=p, key=key, born=p.index_birth_year())
            for p in persons
            for key in person_index_keys([p.given_names, p.family_name], born_on=p.birth_date)
        )

    have = Person.objects.count()
    if have < args.persons:
        print(f"loading {args.persons - have} persons …", file=sys.stderr)
        batch = []
        for i in range(have, args.persons):
            person = Person(
                given_names=f"{rng.choice(given)} {rng.choice(given)}",
                family_name=f"{rng.choice(family)}{i % 997}",
                estimated_age=rng.randint(5, 40),
                age_estimated_on=timezone.localdate(),
                agency=owner.agency,
                registered_by=owner,
            )
            batch.append(person)
            if len(batch) == 5000:
                index(batch)
                batch = []
        index(batch)
    have_cases = Case.objects.count()
    if have_cases < args.cases:
        print(f"loading {args.cases - have_cases} cases …", file=sys.stderr)
        ids = list(Person.objects.values_list("pk", flat=True)[: args.cases])
        stages = list(Stage.values)
        batch = [
            Case(
                person_id=pid,
                agency=owner.agency,
                owner=owner,
                ref=f"TG-B-{pid:07d}",
                stage=rng.choice(stages),
                is_child=pid % 3 != 0,
                child_step=ChildStep.STUDY if pid % 3 else "",
                identified_on=timezone.localdate(),
            )
            for pid in ids[have_cases:]
        ]
        Case.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE") if connection.vendor == "postgresql" else None

    client = Client()
    client.force_login(coordinator, backend="allauth.account.auth_backends.AuthenticationBackend")
    urls = {
        "case list (national, page 1)": "/cases/",
        "case list filtered (stage + child)": "/cases/?stage=first_assistance&child=1",
        "case list, page 200": "/cases/?page=200",
        "case search by name": "/cases/?q=kosi+amegan",
        "person search (variant spelling)": "/people/?q=cossi+kpodar",
        "person search (surname first)": "/people/?q=AGBEKO+Yawa",
    }
    rows = []
    for label, url in urls.items():
        client.get(url)
        times = []
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries = len(ctx)
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        rows.append((label, statistics.median(times), p95, queries))
    print(
        f"| page ({Person.objects.count():,} persons, {Case.objects.count():,} cases, {connection.vendor}) | p50 ms | p95 ms | SQL queries |"
    )
    print("|---|---|---|---|")
    for label, p50, p95, queries in rows:
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {queries} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
