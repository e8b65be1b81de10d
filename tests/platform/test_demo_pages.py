"""Every page a demo account reaches by following links, in Chromium on a 390×844 phone in
French, for every demo role (the four that sign in with a second factor too): it answers (no
refusal, no missing page, no server error), and it never stretches the page sideways (a wide
table scrolls in its own box), each of its fields has a name a screen reader can say, and its
text puts a space before a colon as French does.

One node, seeded as ``corridor demo`` seeds it, served over real HTTP. Each account starts at
the home page and follows every link it is shown, one page per kind of address (``/cases/12/``
and ``/cases/40/`` are one kind), so a link shown to a role that the page then refuses is found.
"""

from __future__ import annotations

import re

import pytest

from corridor.accounts.demo_data import DEMO_PASSWORD
from tests.browser_support import login
from tests.federation.nodes import demo_node
from tests.platform.test_french_everywhere import tight_colons

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
ACCOUNTS = (
    "tg.caseworker",
    "tg.supervisor",
    "tg.coordinator",
    "tg.border",
    "tg.partner",
    "tg.hotline",
    "tg.shelter",
    "tg.investigator",
    "tg.opj",
    "tg.procureur",
    "tg.admin",
)
"""Every demo role, those that sign in with a second factor too."""
MOST_PAGES = 200
FIELDS = "input:not([type=hidden]):not([type=submit]), select, textarea"
UNNAMED = """fields => fields
    .filter(f => !(f.labels && f.labels.length) && !f.getAttribute("aria-label")
                 && !f.getAttribute("aria-labelledby") && !f.title)
    .map(f => f.name)"""
"""The fields a screen reader could not name: no label, no aria-label."""
PYTHON_NAME = re.compile(r"\b[A-Z]\w+ object \(\d+\)")
"""How Django names a record whose model says nothing of itself ("ServiceProvider object (1)")."""
NOT_PAGES = ("/accounts/", "/static/", "/media/", "/i18n/", "logout")


# A card's label stands in a 7.5rem column (corridor.css): a word wider than that would break
# in the middle ("enregistremen-t").
BROKEN_LABEL_WORDS = """() => {
    const probe = document.createElement('span'), found = new Set();
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font-size:.9rem';
    document.body.appendChild(probe);
    for (const cell of document.querySelectorAll('table.cards td[data-label]')) {
        for (const word of cell.dataset.label.split(/\\s+/)) {
            probe.textContent = word;
            if (probe.getBoundingClientRect().width > 7.5 * 16) found.add(word);
        }
    }
    probe.remove();
    return [...found];
}"""


def _kind(address: str) -> str:
    return re.sub(r"\d+", "N", address.split("?")[0])


def _sign_in(page, node, username: str) -> None:
    """The password, then, for a role that needs it, the code the account's app would show."""
    home = f"{node.url}/"
    login(page, node.url, username, DEMO_PASSWORD)
    page.wait_for_url(lambda url: url == home or "/2fa/" in url)
    for _attempt in range(2):  # a code read at the end of its 30 s may be stale when it arrives
        if page.url == home:
            return
        code = node.cli("totp_code", username).strip()
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.press("input[name=code]", "Enter")  # (the page's last button cancels)
    page.wait_for_url(home)


def _walk(browser, node, username: str) -> list[str]:
    """Follow every link ``username`` is shown; what went wrong, one line per page."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    _sign_in(page, node, username)
    base = node.url
    problems: list[str] = []
    queue, kinds, visited = ["/"], {_kind("/")}, 0
    while queue and visited < MOST_PAGES:
        address = queue.pop(0)
        visited += 1
        try:
            response = page.goto(base + address)
        except Exception as error:  # a link that downloads a file (CSV, PNG) is no page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status >= 400:
            problems.append(f"{username} {address}: {response.status if response else 'none'}")
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > 392).slice(-3)
                .map(e => e.outerHTML.slice(0, 200))""")
            problems.append(f"{username} {address}: {width} px wide {wide}")
        for word in page.evaluate(BROKEN_LABEL_WORDS):
            problems.append(f"{username} {address}: a card's label breaks inside {word!r}")
        for field in page.eval_on_selector_all(FIELDS, UNNAMED):
            problems.append(f"{username} {address}: no label for {field}")
        text = page.inner_text("main")
        for tight in tight_colons(text):
            problems.append(f"{username} {address}: written the English way: {tight!r}")
        for raw in PYTHON_NAME.findall(text):
            problems.append(f"{username} {address}: a record shown by its Python name: {raw}")
        dashes = page.eval_on_selector_all(
            "select",
            "selects => selects.filter(s => [...s.options].some(o => o.text === '---------')).map(s => s.name)",
        )
        for name in dashes:
            problems.append(f"{username} {address}: Django's '---------' for no choice in {name}")
        links = page.eval_on_selector_all(
            "a[href^='/']", "links => links.map(link => link.getAttribute('href'))"
        )
        for link in links:
            link = link.split("#")[0]
            if any(part in link for part in NOT_PAGES) or _kind(link) in kinds:
                continue
            kinds.add(_kind(link))
            queue.append(link)
    context.close()
    assert visited > 5, f"{username} reached {visited} pages only"
    return problems


def test_every_page_a_demo_account_reaches_answers_and_fits_a_phone(tmp_path_factory, browser):
    with demo_node(tmp_path_factory, "pages_") as node:
        node.start()
        problems = [line for username in ACCOUNTS for line in _walk(browser, node, username)]
        assert problems == [], "\n".join(problems)
