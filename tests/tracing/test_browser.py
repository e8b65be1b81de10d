"""The decision buttons in a real browser: htmx swaps the cell, a match reloads the page, and the
strict CSP reports no violation."""

from __future__ import annotations

import pytest

from corridor.tracing import services
from tests.browser_support import login
from tests.factories import PASSWORD, make_agency, make_user
from tests.tracing.conftest import REQUEST, make_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_decide_unsure_then_match(live_server, page):
    from corridor.cases.models import ChildStep

    user = make_user("caseworker", agency=make_agency(name="Tracing test"), username="tg.tracer")
    person, case = make_child(
        user, given="Akouvi", family="Mensah", step=ChildStep.STUDY, consent=True
    )
    request = services.tracing_request_create(actor=user, **REQUEST)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server.url, "tg.tracer", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    errors.clear()
    page.goto(f"{live_server.url}/tracing/{request.pk}/")
    url = page.url
    page.locator(f"#decision-{person.pk} button[value=unsure]").click()
    page.wait_for_selector(f"#decision-{person.pk} .badge")
    assert page.url == url  # swapped in place, no reload
    page.locator(f"#decision-{person.pk} button[value=positive]").click()
    page.wait_for_selector(f"dl.facts a[href='/cases/{case.pk}/']")
    page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == "matched"
    assert not [e for e in errors if "Content Security Policy" in e]
