"""The border hand-off in Chromium: a border officer at Kodjoviakopé screens an unaccompanied
girl, the caseworker on duty sees the hand-off on her home page and opens the case, and the
clock on the coordinator's dashboard stops."""

from __future__ import annotations

import pytest

from corridor.flows.models import FlowPoint
from corridor.flows.services.points import point_set_agency, point_sync
from corridor.intake import services
from corridor.intake.models import Handoff
from corridor.referrals.services import provider_save
from tests.browser_support import login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_border_screening_to_case_and_the_clock_stops(live_server, browser):
    post = make_agency(name="PF Kodjoviakopé (test)", org_type="LawEnforcement")
    social = make_agency(
        name="Service social de Lomé (test)", org_type="LocalGovernmentOrganisation"
    )
    national = make_agency(name="CNLTP (test)", org_type="CentralGovernmentOrganisation")
    make_user("border_officer", agency=post, username="tg.border")
    make_user("caseworker", agency=social, username="tg.duty")
    coordinator = make_user("coordinator", agency=national, username="tg.coord")
    point_sync(actor=None)
    point_set_agency(actor=None, point=FlowPoint.objects.get(code="TG-KOD"), agency=post)
    provider_save(
        actor=None,
        name="Permanence sociale (test)",
        country="TG",
        agency=social,
        services=["SocialCare"],
    )
    services.duty_agency_set(actor=coordinator, agency=social, region="TG-M")
    base = live_server.url

    def session(username):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 600})
        page = context.new_page()
        login(page, base, username, PASSWORD)
        page.wait_for_url(f"{base}/")
        return context, page

    # The border officer screens an unaccompanied girl at the post.
    context, page = session("tg.border")
    page.goto(f"{base}/screening/new/?questionnaire=unodc_child")
    page.fill("input[name=given_names]", "Afi")
    page.fill("input[name=family_name]", "Koudawo")
    page.select_option("select[name=gender]", "Feminine")
    page.fill("input[name=estimated_age]", "13")
    page.check("input[name=unaccompanied]")
    page.fill("input[name=place]", "Kodjoviakopé")
    page.check("input[name=q_travels_unaccompanied][value=yes]")
    page.locator("button[type=submit]").last.click()
    page.wait_for_selector("#handoff")
    assert "Service social de Lomé" in page.locator("#handoff").inner_text()
    context.close()
    handoff = Handoff.objects.get()
    assert handoff.status == Handoff.Status.WAITING

    # The coordinator sees it waiting.
    context, page = session("tg.coord")
    assert page.locator("#handoffs-waiting").inner_text() == "1"
    context.close()

    # The caseworker on duty sees it on her home page and opens the case.
    context, page = session("tg.duty")
    page.locator("#panel-handoffs a[href*='/intake/handoffs/']").first.click()
    page.wait_for_selector("#handoff-status")
    assert "Afi" in page.content()
    page.locator("form[action$='/open_case/'] button").click()
    page.wait_for_url(f"{base}/cases/*/")
    context.close()
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.CASE_OPENED and handoff.first_action_at is not None
    assert handoff.case.agency == social

    # The coordinator's clock has stopped: nothing waits any more.
    context, page = session("tg.coord")
    assert page.locator("#handoffs-waiting").inner_text() == "0"
    page.goto(f"{base}/intake/handoffs/{handoff.uid}/")
    assert "arrêté" in page.content() or "stopped" in page.content()
    context.close()
