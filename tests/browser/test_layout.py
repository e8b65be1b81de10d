"""Layout fixes of issue 17, item 9, in Chromium: no panel's content overflows its card (the
account panel, the services table of the case page, the coordinator's tables of figures), and the
screening result's labels leave room for their values (no value wrapped one word per line)."""

import pytest
from django.utils import timezone

from corridor.cases import services
from corridor.people.services import person_create
from corridor.screening.services import screening_record
from tests.browser_support import login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOWING = """() => [...document.querySelectorAll('.panel')]
    .filter(p => p.scrollWidth > p.clientWidth + 1)
    .map(p => (p.querySelector('h2') || p).textContent.trim().slice(0, 40))"""


def test_panels_hold_their_content(live_server, browser):
    agency = make_agency(name="Ministère de l'Action sociale et de la Promotion de la Femme (mise)")
    worker = make_user("caseworker", agency=agency, username="l.worker")
    person = person_create(actor=worker, given_names="Essi", family_name="KPOGO", estimated_age=30)
    case = services.case_open(actor=worker, person=person, caseload="stranded_migrant")
    services.service_record(
        actor=worker,
        case=case,
        service_type="Psychosocial",
        delivered_on=timezone.localdate(),
        provider_name="Centre d'écoute et d'accompagnement psychosocial de Lomé-Commune",
        outcome="Entretien individuel, orientation vers un groupe de parole hebdomadaire",
    )
    screening = screening_record(
        actor=worker,
        questionnaire="ilo_forced_labour",
        answers={"deception": "yes"},
        person=person,
        place="Poste frontière de Sanvée-Condji",
    )

    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 700})
    page = context.new_page()
    login(page, live_server.url, "l.worker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.evaluate(OVERFLOWING) == []
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.evaluate(OVERFLOWING) == []
    page.goto(f"{live_server.url}/screening/{screening.uid}/")
    assert page.evaluate(OVERFLOWING) == []
    widths = page.eval_on_selector_all(
        ".panel .facts dd", "dds => dds.map(d => d.getBoundingClientRect().width)"
    )
    assert widths and min(widths) > 120
    context.close()


def test_the_coordinators_tables_stay_in_their_panels(live_server, browser):
    """The hotline's outcomes and the persons by caseload, sex and age are wider than a third
    of the screen: each scrolls in its own panel (or the panel takes the row) instead of
    running under the next panel."""
    make_user("coordinator", agency=make_agency(name="CNLTP (mise en page)"), username="l.coord")
    for width in (1024, 1280, 390):
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
        page = context.new_page()
        login(page, live_server.url, "l.coord", PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("#caseload-figures").count() == 1
        assert page.evaluate(OVERFLOWING) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
