"""What other capability apps add to the case page, without cases importing them.

Apps that build on cases (referrals, justice, care, …) fill these from ``AppConfig.ready()``:

- ``register_case_panel``: a panel of the case page (``core.page_panels.Panel``); its context
  reads through its own app's selectors and returns ``None`` when this user may see nothing;
- ``register_timeline_source``: ``source(request, case)`` returns timeline items
  (``{"date": date, "kind": str, "text": str}``) that the case page's timeline merges in date
  order, again only what this user may see.
"""

from __future__ import annotations

from collections.abc import Callable

from corridor.core.page_panels import Panel, PanelRegistry

CASE_PANELS = PanelRegistry()
TIMELINE_SOURCES: dict[str, Callable] = {}


def register_case_panel(name: str, panel: Panel) -> None:
    CASE_PANELS.register(name, panel)


def case_panels(request, case) -> list[dict]:
    return CASE_PANELS.render(request, case)


def register_timeline_source(name: str, source: Callable) -> None:
    TIMELINE_SOURCES[name] = source


def timeline_text(*parts) -> str:
    """A timeline line: the parts that are written, between middle dots."""
    return " · ".join(str(part) for part in parts if part)


def timeline_items(request, case) -> list[dict]:
    return [item for source in TIMELINE_SOURCES.values() for item in source(request, case)]
