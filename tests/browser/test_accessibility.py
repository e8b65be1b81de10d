"""Accessibility, measured by a maintained checker: axe-core (tests/data/axe) runs in Chromium on
a French phone (and a desktop, for the coordinator) on the sign-in page and on every page of each role's menu, with the detail pages
of a case, a person, an approval and a screening, against the WCAG 2 A and AA rules. A table
wider than the screen scrolls in its own box and takes the keyboard focus (static menu.js)."""

from pathlib import Path

import pytest
from django.utils import translation

from corridor.core.navigation import menu_for
from tests.browser_support import login
from tests.factories import PASSWORD
from tests.platform.test_french_everywhere import _demo_like

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "data" / "axe" / "axe.min.js").read_text("utf-8")
# evaluate() runs outside the page's CSP, which forbids a script the node did not serve.
RUN = (
    AXE
    + """;axe.run({runOnly: ['wcag2a', 'wcag2aa']}).then(result => result.violations.map(
        v => v.id + ' (' + v.impact + '): ' + v.nodes[0].html.slice(0, 120)))"""
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ROLES = ["caseworker", "supervisor", "coordinator", "border_officer", "partner"]
SCREENS = [(role, PHONE) for role in ROLES] + [("coordinator", DESKTOP)]


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    return page.evaluate(RUN)


@pytest.mark.parametrize("role, screen", SCREENS, ids=[f"{r}-{s['width']}" for r, s in SCREENS])
def test_every_page_a_role_reaches_passes_axe(role, screen, people, live_server, browser):
    with translation.override("fr"):
        details = _demo_like(people)
    user = people[role]
    phone = screen is PHONE
    context = browser.new_context(locale="fr-FR", viewport=screen, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    found = {}
    if role == ROLES[0] or not phone:
        found["/accounts/login/"] = _violations(page, f"{live_server.url}/accounts/login/")
    login(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    urls = ["/"] + [item["url"] for item in menu_for(user)]
    if role in ("caseworker", "supervisor", "coordinator"):
        urls += [details[key] for key in ("case", "person", "approval", "screening")]
    for url in urls:
        found[url] = _violations(page, f"{live_server.url}{url}")
    context.close()
    assert {url: v for url, v in found.items() if v} == {}
    assert len(found) >= 4
