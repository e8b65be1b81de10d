"""The demo seeders of every capability, run in order by ``corridor seed_demo``."""

from __future__ import annotations

from collections.abc import Callable

SEEDERS: list[tuple[int, str, Callable[[], dict]]] = []


def register_seeder(order: int, name: str, seeder: Callable[[], dict]) -> None:
    SEEDERS.append((order, name, seeder))


def run_seeders(report=print) -> None:
    for _order, name, seeder in sorted(SEEDERS, key=lambda s: s[0]):
        counts = seeder()
        report(f"  {name}: " + ", ".join(f"{k} +{v}" for k, v in counts.items()))
