"""The case list on a 390×844 phone, in Chromium (issue 17, item 7): nothing stretches the page
sideways, the menu folds behind one button, and what a finger taps is at least 44 px high."""

import pytest

from corridor.cases import services
from corridor.people.services import person_create
from tests.browser_support import login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _on_a_phone(browser, live_server, username: str):
    """A French phone's browser, signed in as ``username``, on the home page."""
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server.url, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _too_small(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null)
                   .filter(e => e.getBoundingClientRect().height < 44)
                   .map(e => e.outerHTML.slice(0, 80))""",
    )


def test_case_list_fits_a_phone(live_server, browser):
    agency = make_agency(name="Ministère de l'Action sociale, de la Solidarité (téléphone)")
    worker = make_user("caseworker", agency=agency, username="p.worker")
    for i, (given, family) in enumerate(
        [("Akossiwa", "AGBODJAN-KPOMEGBE"), ("Komlanvi", "SEWAVI"), ("Dzifa", "ATTIOGBE")]
    ):
        person = person_create(
            actor=worker, given_names=given, family_name=family, estimated_age=10 + i
        )
        services.case_open(actor=worker, person=person, caseload="child_on_the_move")

    context, page = _on_a_phone(browser, live_server, "p.worker")
    page.goto(f"{live_server.url}/cases/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Stage, status and owner are on screen, in each case's card.
    stage = page.locator("table.cards tbody tr").first.locator("td").nth(3)
    box = stage.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # The menu is folded: the first screen starts with the page, not the menu.
    assert not page.locator("nav .menu a").first.is_visible()
    assert page.locator("h1").bounding_box()["y"] < 844 / 4
    assert _too_small(page, "main a.button, main button, table.cards td a, .menu-button") == []
    # Each card's values in a column of their own: a long one wraps under itself, never under
    # its label ("Ministère de l'Action sociale, …").
    under_label = page.eval_on_selector_all(
        "table.cards td[data-label]",
        """tds => tds.filter(td => {
                const words = document.createRange();
                words.selectNodeContents(td);
                const lines = [...words.getClientRects()].filter(r => r.width > 0);
                return lines.some(r => r.left < lines[0].left - 1);
            }).map(td => td.textContent.trim())""",
    )
    assert under_label == []
    # A card leaves out what it does not know, rather than a label with nothing beside it.
    page.goto(f"{live_server.url}/people/")
    empty = "table.cards td:empty"
    assert page.locator(empty).count() >= 3  # three persons with no place of origin
    assert page.eval_on_selector_all(empty, "els => els.filter(e => e.offsetParent).length") == 0
    page.goto(f"{live_server.url}/cases/")

    # The search box is in sight; the other filters fold behind one button.
    assert page.locator("form.filters input[name=q]").is_visible()
    stage_filter = page.locator("form.filters select").first
    assert not stage_filter.is_visible()
    page.locator(".filter-toggle").click()
    assert stage_filter.is_visible()
    assert page.locator(".filter-toggle").get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator(".menu-button").click()
    assert page.locator("nav .menu a").first.is_visible()
    assert page.locator(".menu-button").get_attribute("aria-expanded") == "true"
    assert _too_small(page, "nav .menu a, .tools button") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_a_filter_set_keeps_its_fold_open_and_counted(live_server, browser):
    make_user("caseworker", agency=make_agency(), username="p.filter")
    context, page = _on_a_phone(browser, live_server, "p.filter")
    page.goto(f"{live_server.url}/cases/?status=open")
    assert page.locator("form.filters select[name=status]").is_visible()
    assert page.locator(".filter-toggle").inner_text() == "Filtres (1 choisi)"
    page.goto(f"{live_server.url}/cases/?status=nonsense")
    assert page.locator("form.filters .errorlist").first.is_visible()
    context.close()


def _apart(page, selector: str) -> list[str]:
    """Choices whose box and words are not on one line (their middles more than 6 px apart)."""
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null).filter(e => {
                const box = e.querySelector('input').getBoundingClientRect();
                const words = document.createRange();
                words.selectNodeContents(e);
                words.setStartAfter(e.querySelector('input'));
                const text = words.getBoundingClientRect();
                return Math.abs((box.top + box.bottom) / 2 - (text.top + text.bottom) / 2) > 6;
            }).map(e => e.textContent.trim())""",
    )


def test_a_questionnaire_reads_on_a_phone(live_server, browser):
    """Each answer's circle beside its words, each answer a finger's height, and the question
    mark kept on its question's line (a no-break space)."""
    make_user("border_officer", agency=make_agency(), username="p.border")
    context, page = _on_a_phone(browser, live_server, "p.border")
    page.goto(f"{live_server.url}/screening/new/")
    assert "Quelle personne est évaluée\u00a0?" in page.locator("main h2").first.inner_text()
    page.goto(f"{live_server.url}/screening/new/?questionnaire=unodc_child")
    answers = ".answers label"
    assert page.locator(answers).count() > 30
    assert _apart(page, answers) == []
    assert _too_small(page, answers) == []
    page.locator(answers).first.click()
    assert page.locator(answers).first.locator("input").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
