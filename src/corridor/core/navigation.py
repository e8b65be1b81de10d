"""What each role finds in the menu and on its home page.

Capabilities register their entries here, so that the menu, the home page and the permission
tests all read the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 50


@dataclass
class HomePanel:
    template: str
    roles: frozenset[str]
    context: Callable = field(default=lambda request: {})
    order: int = 50


MENU: list[MenuItem] = []
PANELS: list[HomePanel] = []


def register_menu(item: MenuItem) -> None:
    MENU.append(item)


def register_panel(panel: HomePanel) -> None:
    PANELS.append(panel)


def menu_for(user) -> list[dict]:
    if user is None or not user.is_authenticated or not user.role:
        return []
    items = []
    for item in sorted(MENU, key=lambda i: i.order):
        if user.role in item.roles:
            try:
                items.append({"label": item.label, "url": reverse(item.url_name)})
            except NoReverseMatch:
                continue
    return items


def panels_for(request) -> list[dict]:
    user = request.user
    return [
        {"template": p.template, **p.context(request)}
        for p in sorted(PANELS, key=lambda p: p.order)
        if user.role in p.roles
    ]
