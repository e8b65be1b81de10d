"""Sections of a node's summary figures, registered by each capability (the caseloads, the border
hand-offs, hotline intake, prosecutions…) and gathered by ``corridor stats`` and the dashboards.

A section is a function of no argument returning a JSON-serialisable dict of aggregate figures,
never a person: these figures are the node's own picture, and may feed the joint one.
"""

from __future__ import annotations

from collections.abc import Callable

SECTIONS: dict[str, Callable[[], dict]] = {}


def register_stats_section(name: str, section: Callable[[], dict]) -> None:
    SECTIONS[name] = section


def stats_sections(names: list[str] | None = None) -> dict[str, dict]:
    """The figures of the named sections (all of them by default), in registration order."""
    chosen = SECTIONS if names is None else {n: SECTIONS[n] for n in names if n in SECTIONS}
    return {name: section() for name, section in chosen.items()}
