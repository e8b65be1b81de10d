"""Migration ``people.0009`` (the person index's typo keys re-filed) on a loaded database, in the
worst case: every typo row written anew.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corridor_bench_tracing \\
        .venv/bin/python bench/person_index_refile.py

Run it on the database ``bench/tracing_candidates_bench.py`` loaded (200,000 children), never on
a node's: it migrates people back to 0008, deletes every typo row (``~``), then migrates forward
and prints the seconds, the peak memory of this process and the typo rows filed (each must carry
its person's birth year, as the person's other rows do).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to the tracing bench's PostgreSQL database", file=sys.stderr)
        return 2
    os.environ.setdefault("CORRIDOR_NODE", "togo")
    os.environ.setdefault(
        "CORRIDOR_DATA_DIR", os.path.join(tempfile.gettempdir(), "corridor-bench-tracing")
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "corridor.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from corridor.people.keys import TYPO
    from corridor.people.models import PersonKey

    call_command("migrate", verbosity=0)
    call_command("migrate", "people", "0008", verbosity=0)
    dropped, _ = PersonKey.objects.filter(key__startswith=TYPO).delete()
    clock = time.perf_counter()
    call_command("migrate", verbosity=0)
    seconds = time.perf_counter() - clock
    typos = PersonKey.objects.filter(key__startswith=TYPO)
    filed = typos.count()
    without_year = typos.filter(born__isnull=True, person__birth_year__isnull=False).count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"people.0009: {filed:,} typo rows filed ({dropped:,} deleted first) in {seconds:.1f} s, "
        f"peak memory {peak:,} MB; rows without the year their person has: {without_year}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
