"""The protection journey in Chromium: a caseworker screens a child and opens her case, a
supervisor approves the best-interest assessment, the caseworker refers her to a shelter, and the
shelter accepts."""

import pytest

from corridor.cases.models import Approval, Case
from corridor.referrals.models import Referral
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, username):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 600})
    page = context.new_page()
    login(page, live_server.url, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_screen_open_approve_refer_accept(live_server, browser):
    ministry = make_agency(name="Ministère (test)")
    shelter_agency = make_agency(name="Refuge (test)")
    make_user("caseworker", agency=ministry, username="j.worker")
    make_user("supervisor", agency=ministry, username="j.supervisor")
    make_user("caseworker", agency=shelter_agency, username="j.shelter")

    # 1. The caseworker screens a child met at the border and opens her case from the form.
    context, page = _as(browser, live_server, "j.worker")
    page.goto(f"{live_server.url}/screening/new/?questionnaire=unodc_child")
    page.fill("input[name=given_names]", "Akossiwa")
    page.fill("input[name=family_name]", "DOSSOU")
    page.fill("input[name=estimated_age]", "12")
    page.check("input[name=q_no_parents][value=yes]")
    page.check("input[name=q_unsuitable_work][value=yes]")
    page.check("input[name=open_case]")
    follow(page, page.locator("button[type=submit]").last)
    case = Case.objects.get()
    assert case.is_child and case.person.family_name == "DOSSOU"

    # 2. She asks for the best-interest assessment.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.select_option("select[name=approval_request-kind]", "bia")
    follow(page, page.locator("#approval_request form.action button[type=submit]"))
    assert case.approvals.filter(kind="bia", decision="pending").exists()
    context.close()

    # 3. The supervisor approves it from the approval page the home panel leads to.
    context, page = _as(browser, live_server, "j.supervisor")
    approval = case.approvals.get(kind="bia")
    follow(page, page.locator(f"a[href='/cases/approvals/{approval.pk}/']"))  # home panel
    form = page.locator("form#decide")
    form.locator("input[name=decision][value=approved]").check()
    form.locator("textarea[name=comment]").fill("Dans l'intérêt de l'enfant.")
    follow(page, form.locator("button[type=submit]"))
    assert Approval.objects.get(pk=approval.pk).decision == "approved"
    context.close()

    # 4. The caseworker records the guardian's consent and refers the child to the shelter.
    context, page = _as(browser, live_server, "j.worker")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("#consent summary").click()
    page.select_option("select[name=consent-purpose]", "referral")
    page.check("input[name=consent-given_by_guardian]")
    page.fill("input[name=consent-guardian_name]", "Afi DOSSOU (tante)")
    page.fill("textarea[name=consent-childs_views]", "Veut être en sécurité.")
    follow(page, page.locator("#consent form.action button[type=submit]"))
    follow(page, page.locator(f"a[href='/referrals/new/{case.pk}/']"))
    page.select_option("select[name=to_agency]", label="Refuge (test)")
    page.select_option("select[name=service_type]", "Shelter")
    page.fill("textarea[name=details]", "Hébergement et soutien psychosocial.")
    follow(page, page.locator("form.stack button[type=submit]"))
    referral = Referral.objects.get()
    assert referral.status == "sent"
    context.close()

    # 5. The shelter sees the referral, without the rest of the case, and accepts.
    context, page = _as(browser, live_server, "j.shelter")
    page.goto(f"{live_server.url}/referrals/")
    follow(page, page.get_by_role("link", name=case.ref))
    assert "DOSSOU" in page.content()
    follow(page, page.locator("button[name=decision][value=accept]"))
    assert Referral.objects.get().status == "accepted"
    assert page.goto(f"{live_server.url}/cases/{case.pk}/").status == 404
    context.close()
