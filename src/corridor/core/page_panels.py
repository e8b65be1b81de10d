"""Panels that other apps add to a record's page, without the page's app importing them.

A page owner (people for the person page, cases for the case page) keeps one ``PanelRegistry``;
the apps that build on it register their panels from ``AppConfig.ready()``. Each panel's
``context(request, record)`` reads through its own app's selectors (so it fails closed on its
own terms) and returns ``None`` when it has nothing to show this user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    """``context(request, record)`` gives the panel's variables (the template reads them as
    ``panel.<name>``), or ``None`` to show nothing."""

    template: str
    context: Callable
    order: int = 50


class PanelRegistry:
    """Panels keyed by name, so registering twice replaces instead of showing a panel twice."""

    def __init__(self) -> None:
        self.panels: dict[str, Panel] = {}

    def register(self, name: str, panel: Panel) -> None:
        self.panels[name] = panel

    def render(self, request, record) -> list[dict]:
        shown = []
        for panel in sorted(self.panels.values(), key=lambda p: p.order):
            context = panel.context(request, record)
            if context is not None:
                shown.append({"template": panel.template, **context})
        return shown
