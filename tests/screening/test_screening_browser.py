"""The screening form in Chromium on a 1024×600 tablet: htmx person search, radios, flags."""

from __future__ import annotations

import pytest

from corridor.people.services import person_create
from corridor.screening.models import Screening
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screen_a_registered_child_on_a_tablet(live_server, page):  # noqa: F811
    worker = make_user("caseworker", agency=make_agency(name="Shelter"), username="tg.worker")
    person_create(
        actor=worker,
        given_names="Kossi",
        family_name="Agbeko",
        estimated_age=13,
        migrant_status="SeparatedChild",
    )
    errors = []
    page.on(
        "console", lambda m: errors.append(page.url + " " + m.text) if m.type == "error" else None
    )
    login(page, live_server.url, "tg.worker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/screening/new/")
    page.fill("#person-q", "cossi")
    follow(page, page.locator("#people a[href*='person=']"))
    follow(page, page.locator("a[href*='questionnaire=unodc_child']"))
    page.check("input[name=q_no_parents][value=yes]")
    page.check("input[name=q_unsuitable_work][value=yes]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024
    follow(page, page.locator("button[type=submit]").last)
    screening = Screening.objects.get()
    assert screening.score == 3 and screening.unaccompanied
    assert page.locator(".badge.bad").count() >= 1
    assert not [e for e in errors if "/screening/" in e and "Content Security Policy" in e]
