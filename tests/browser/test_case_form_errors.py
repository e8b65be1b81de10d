"""Errors on the case page's small forms, in Chromium (issue 17, item 6): after a refusal the form
comes back open, with what was typed, and every error beside its field at once."""

import pytest

from corridor.cases import services
from corridor.people.services import person_create
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refused_forms_come_back_open_filled_and_annotated(live_server, browser):
    ministry = make_agency(name="Ministère (erreurs)")
    worker = make_user("caseworker", agency=ministry, username="e.worker")
    person = person_create(actor=worker, given_names="Abla", family_name="TOSSOU", estimated_age=9)
    case = services.case_open(actor=worker, person=person, caseload="child_on_the_move")

    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 700})
    page = context.new_page()
    login(page, live_server.url, "e.worker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    url = f"{live_server.url}/cases/{case.pk}/"

    # The form's own check: the title typed stays, the missing date is named beside its field.
    page.goto(url)
    page.locator("#task summary").click()
    page.fill("input[name=task-title]", "Visite à domicile")
    follow(page, page.locator("#task form.action button[type=submit]"))
    task = page.locator("#task details")
    assert task.get_attribute("open") is not None
    assert page.input_value("input[name=task-title]") == "Visite à domicile"
    assert "obligatoire" in task.locator(".has-error").inner_text()
    assert not case.tasks.exists()

    # The service's refusal: both problems at once, each beside its field, the rest kept.
    page.locator("#consent summary").click()
    page.select_option("select[name=consent-purpose]", "family_tracing")
    page.fill("input[name=consent-given_on]", "2026-01-15")
    follow(page, page.locator("#consent form.action button[type=submit]"))
    consent = page.locator("#consent details")
    assert consent.get_attribute("open") is not None
    assert consent.locator(".has-error").count() == 2
    assert "tuteur" in consent.locator(".has-error").first.inner_text().lower()
    assert page.input_value("select[name=consent-purpose]") == "family_tracing"
    assert page.input_value("input[name=consent-given_on]") == "2026-01-15"
    assert not case.consents.exists()

    # A reload shows the page clean.
    page.goto(url)
    assert page.locator("#consent details").get_attribute("open") is None
    context.close()
