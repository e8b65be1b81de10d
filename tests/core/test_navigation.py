"""The menu read by its parts: every entry names one, and a long menu shows their names."""

from __future__ import annotations

import re
from html import unescape

from corridor.core.navigation import GROUPS, MENU, menu_for, menu_parts


def test_every_entry_but_home_belongs_to_a_part():
    assert [item.url_name for item in MENU if not item.group] == ["home"]


def test_the_coordinators_long_menu_is_read_part_by_part(people, as_user):
    items = menu_for(people["coordinator"])
    parts = menu_parts(items)
    assert parts[0]["name"] == "" and [i["url"] for i in parts[0]["items"]] == ["/"]
    # each part once, in the order GROUPS gives, every entry kept
    order = [str(name) for name in GROUPS.values()]
    names = [str(part["group"]) for part in parts]
    assert names == sorted(set(names), key=order.index)
    assert sum(len(part["items"]) for part in parts) == len(items)
    page = as_user(people["coordinator"]).get("/").content.decode()
    menu = page.split('<ul class="menu">')[1].split("</nav>")[0]
    shown = re.findall(r'<span class="menu-part-name" id="(menu-part-\d+)">([^<]+)</span>', menu)
    assert [unescape(name) for _, name in shown][:2] == [
        "Protection",
        "Frontière et ligne d'écoute",
    ]
    for anchor, _ in shown:  # each part's list is named by its heading
        assert f'<ul aria-labelledby="{anchor}">' in menu


def test_a_short_menu_names_no_part(people, as_user):
    assert len(menu_for(people["call_taker"])) < 10
    page = as_user(people["call_taker"]).get("/").content.decode()
    assert "menu-part-name" not in page and 'href="/intake/"' in page
