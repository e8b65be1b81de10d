"""A screening of a person whose case is open, in Chromium (issue 17, item 5): the form says the
screening joins the case and offers no second case; the screening page links to the case; the
case page lists the screening, and its proposed status waits for the supervisor's decision."""

import pytest

from corridor.cases import services
from corridor.cases.models import Case
from corridor.people.services import person_create
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screening_joins_the_open_case(live_server, browser):
    ministry = make_agency(name="Ministère (évaluation)")
    worker = make_user("caseworker", agency=ministry, username="s.worker")
    person = person_create(actor=worker, given_names="Yawo", family_name="KOFFI", estimated_age=30)
    case = services.case_open(actor=worker, person=person, caseload="stranded_migrant")

    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 700})
    page = context.new_page()
    login(page, live_server.url, "s.worker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(
        f"{live_server.url}/screening/new/?questionnaire=ilo_forced_labour&person={person.uid}"
    )
    assert case.ref in page.locator("#open-case").inner_text()
    assert page.locator("input[name=open_case]").count() == 0
    for code in ("deception", "debt_bondage", "retention_of_documents"):
        page.check(f"input[name=q_{code}][value=yes]")
    follow(page, page.locator("form.screening-form button[type=submit]").last)

    assert Case.objects.count() == 1
    assert "Ouvrir un dossier" not in page.locator("main").inner_text()
    page.locator("#screening-case a").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    panel = page.locator("#screenings").inner_text()
    assert "Indicateurs" in panel or "OIT" in panel
    approvals = page.locator("#approval_request").inner_text()
    assert "Statut de victime" in approvals or "statut" in approvals.lower()
    assert case.approvals.filter(kind="trafficking_status", decision="pending").exists()
    context.close()
