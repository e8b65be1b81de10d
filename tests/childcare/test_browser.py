"""The child's file in a French Chromium: a follow-up visit dated before the placement is
refused beside the date, with everything typed still there; corrected, it is saved and scored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.cases import services as case_services
from corridor.childcare import scoring, services
from corridor.childcare.models import FollowUpVisit
from corridor.people.services import person_create
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visit_refused_then_corrected_in_the_browser(live_server, browser):
    worker = make_user("caseworker", agency=make_agency(name="DRAS (navigateur)"), username="c.w")
    start = timezone.localdate() - timedelta(days=200)
    person = person_create(actor=worker, given_names="Afi", family_name="DEMO", estimated_age=12)
    case = case_services.case_open(actor=worker, person=person, identified_on=start)
    services.placement_start(
        actor=worker, case=case, kind="kinship", start_on=start + timedelta(days=10)
    )
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    login(page, live_server.url, "c.w", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/childcare/case/{case.pk}/")
    page.locator("#visit summary").click()
    too_early = (start + timedelta(days=5)).isoformat()
    page.fill("input[name=visit-visited_on]", too_early)
    page.select_option("select[name=visit-living_with]", "relatives")
    page.select_option("select[name=visit-schooling]", "apprenticeship")
    page.fill("textarea[name=visit-childs_account]", "J'apprends la couture.")
    for item in scoring.ITEMS:
        page.fill(f"input[name=visit-{item}]", "4")
    follow(page, page.locator("#visit form button[type=submit]"))
    assert not FollowUpVisit.objects.exists()
    assert page.input_value("input[name=visit-visited_on]") == too_early
    assert page.input_value("textarea[name=visit-childs_account]") == "J'apprends la couture."
    assert page.input_value("select[name=visit-schooling]") == "apprenticeship"
    error = page.locator("#visit .errorlist").first.inner_text()
    assert "avant le retour ou le placement" in error
    page.fill("input[name=visit-visited_on]", (start + timedelta(days=100)).isoformat())
    follow(page, page.locator("#visit form button[type=submit]"))
    visit = FollowUpVisit.objects.get()
    assert str(visit.score) == "0.750" and visit.reintegrated
    assert "0,750" in page.locator("#visit table").inner_text()
    context.close()
