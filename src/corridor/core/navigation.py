"""What each role finds in the menu and on its home page.

Capabilities register their entries here, so that the menu, the home page and the permission
tests all read the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The menu's parts, in the order they come; an entry names its part (Home names none and comes
# first). A coordinator's menu holds some thirty entries: on a phone it is one long column, read
# by its parts.
PROTECTION = "protection"
BORDER = "border"
JUSTICE = "justice"
FIGURES = "figures"
ADMINISTRATION = "administration"
GROUPS = {
    "": "",
    PROTECTION: _("Protection"),
    BORDER: _("Border and hotline"),
    JUSTICE: _("Networks and justice"),
    FIGURES: _("Figures and results"),
    ADMINISTRATION: _("Administration and data"),
}
# Fewer entries than this read at a glance: the parts are not named.
GROUPS_NAMED_FROM = 10


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 50
    group: str = ""

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ValueError(f"unknown menu group {self.group!r}")


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
    """The user's entries, part by part, each with its part's name (empty for Home)."""
    if user is None or not user.is_authenticated or not user.role:
        return []
    place = {code: i for i, code in enumerate(GROUPS)}
    items = []
    for item in sorted(MENU, key=lambda i: (place[i.group], i.order)):
        if user.role in item.roles:
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "group": GROUPS[item.group]})
    return items


def menu_parts(items: list[dict]) -> list[dict]:
    """``menu_for``'s entries gathered by part: [{"name", "items"}], the name left empty where
    the menu is short enough to read without."""
    named = len(items) >= GROUPS_NAMED_FROM
    parts: list[dict] = []
    for item in items:
        if not parts or parts[-1]["group"] != item["group"]:
            parts.append(
                {"group": item["group"], "name": item["group"] if named else "", "items": []}
            )
        parts[-1]["items"].append(item)
    return parts


def panels_for(request) -> list[dict]:
    user = request.user
    return [
        {"template": p.template, **p.context(request)}
        for p in sorted(PANELS, key=lambda p: p.order)
        if user.role in p.roles
    ]
