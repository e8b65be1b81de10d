"""A tracing decision saved over htmx, in Chromium (issue 17, item 13): the candidate's cell and
the decision history both show it, without reloading the page."""

import pytest
from django.urls import reverse

from tests.browser_support import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_htmx_decision_refreshes_the_history(
    live_server, browser, caseworker, child, tracing_request
):
    person, _case = child
    context = browser.new_context(locale="fr-FR", viewport={"width": 1200, "height": 800})
    page = context.new_page()
    login(page, live_server.url, caseworker.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + reverse("tracing:detail", args=[tracing_request.pk]))
    cell = page.locator(f"#decision-{person.pk}")
    cell.locator("input[name=comment]").fill("à vérifier avec la mère")
    cell.locator("button[value=unsure]").click()
    page.locator("#decision-history", has_text="à vérifier avec la mère").wait_for()
    assert (
        "Incertain" in page.locator(f"#decision-{person.pk}").inner_text()
        or page.locator(f"#decision-{person.pk} .badge").count() == 1
    )
    context.close()
