"""Dates in a French browser (issue 17, item 1): the date a form fills in is one the browser
accepts, so "Ouvrir un dossier" opens the case on the first submit, and the service form of the
case page keeps today's date; pages show dates as dd/mm/yyyy."""

import pytest
from django.utils import timezone

from corridor.cases.models import Case
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prefilled_dates_survive_a_french_browser(live_server, browser):
    make_user("caseworker", agency=make_agency(name="Ministère (dates)"), username="d.worker")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    login(page, live_server.url, "d.worker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    today = timezone.localdate()

    page.goto(f"{live_server.url}/cases/new/")
    assert page.input_value("input[name=identified_on]") == today.isoformat()
    page.select_option("select[name=caseload]", "child_on_the_move")
    page.fill("input[name=given_names]", "Afi")
    page.fill("input[name=family_name]", "AGBEKO")
    page.fill("input[name=estimated_age]", "11")
    follow(page, page.locator("form button[type=submit]").last)
    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/") and case.identified_on == today

    assert page.input_value("input[name=service-delivered_on]") == today.isoformat()
    assert today.strftime("%d/%m/%Y") in page.content()
    context.close()
