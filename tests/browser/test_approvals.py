"""The supervisor's approval page in Chromium (issue 17, item 4): the home panel leads to it; it
shows the caseworker's justification, the case's key facts and history, warns that a
determination was asked before any assessment was approved, and pre-selects no decision."""

import pytest
from django.utils import timezone

from corridor.cases import services
from corridor.cases.models import Approval
from corridor.people.services import person_create
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_decides_from_the_approval_page(live_server, browser):
    ministry = make_agency(name="Ministère (approbations)")
    worker = make_user("caseworker", agency=ministry, username="a.worker")
    make_user("supervisor", agency=ministry, username="a.supervisor")
    person = person_create(
        actor=worker, given_names="Kafui", family_name="MENSAH", estimated_age=10
    )
    case = services.case_open(actor=worker, person=person, caseload="child_on_the_move")
    services.service_record(
        actor=worker,
        case=case,
        service_type="Shelter",
        delivered_on=timezone.localdate(),
        provider_name="Refuge de test",
    )
    approval = services.approval_request(
        actor=worker, case=case, kind="bid", comment="La mère accepte le retour à Kpalimé."
    )

    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 700})
    page = context.new_page()
    login(page, live_server.url, "a.supervisor", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    follow(page, page.locator(f"a[href='/cases/approvals/{approval.pk}/']"))

    assert "La mère accepte le retour à Kpalimé." in page.locator("#request").inner_text()
    facts = page.locator("#facts").inner_text()
    assert "MENSAH" in facts and "Enfant" in facts
    assert "Refuge de test" in page.locator("#history").inner_text()
    warning = page.locator("#missing").inner_text()
    assert "évaluation de l'intérêt supérieur" in warning.lower()
    radios = page.locator("form#decide input[name=decision]")
    assert radios.count() == 2
    assert not radios.nth(0).is_checked() and not radios.nth(1).is_checked()
    assert radios.nth(0).get_attribute("required") is not None

    # Submitting without choosing saves nothing and says why beside the choice.
    follow(page, page.locator("form#decide button[type=submit]"))
    assert Approval.objects.get(pk=approval.pk).decision == "pending"
    assert "obligatoire" in page.locator("form#decide fieldset").inner_text()

    page.locator("form#decide input[name=decision][value=rejected]").check()
    page.fill("form#decide textarea[name=comment]", "Évaluer d'abord l'intérêt supérieur.")
    page.locator("form#decide button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/#approval-{approval.pk}")
    assert Approval.objects.get(pk=approval.pk).decision == "rejected"
    context.close()
