"""Field work in a French Chromium without network: the application loads, the network goes
(Playwright's offline mode), a follow-up visit is recorded on the device, the network comes back
and the visit is on the node; and a tracing action corrected offline while the server changed
the same field becomes a conflict for a person to resolve. Signing out wipes the device's store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.audit.models import AuditEntry
from corridor.cases import services as case_services
from corridor.childcare import scoring, services
from corridor.childcare.models import FollowUpVisit, TracingAction
from corridor.fieldwork.models import Conflict
from corridor.people.services import person_create
from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visit_recorded_offline_reaches_the_node_and_a_conflict_waits(live_server, browser):
    agency = make_agency(name="DRAS Plateaux (navigateur)")
    worker = make_user("caseworker", agency=agency, username="fw.worker")
    supervisor = make_user("supervisor", agency=agency, username="fw.super")
    start = timezone.localdate() - timedelta(days=200)
    person = person_create(
        actor=worker, given_names="Afi", family_name="DEMO-TERRAIN", estimated_age=12
    )
    case = case_services.case_open(
        actor=worker, person=person, identified_on=start, caseload="child_on_the_move"
    )
    services.placement_start(
        actor=worker, case=case, kind="kinship", start_on=start + timedelta(days=10)
    )
    action = services.tracing_action_record(
        actor=worker,
        case=case,
        date=start + timedelta(days=3),
        action="Appel",
        who="Afi",
        outcome="lead",
    )
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    login(page, live_server.url, "fw.worker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/fieldwork/")
    page.wait_for_selector("#fieldwork[data-ready='1']")
    page.wait_for_selector(f".fw-case[data-case='{case.pk}']")
    assert "DEMO-TERRAIN" in page.locator(".fw-case").inner_text()
    # Finding a case by a part of its name, whatever the case and accents of what is typed.
    page.fill("#fw-find", "zzz")
    assert page.locator(".fw-case").is_hidden()
    page.fill("#fw-find", "térrain")
    assert page.locator(".fw-case").is_visible()
    page.fill("#fw-find", "")

    context.set_offline(True)
    section = page.locator(f".fw-case[data-case='{case.pk}']")
    section.locator("button[data-form='visit']").click()
    form = section.locator("form.fw-form")
    form.locator("select[name=month]").select_option("3")
    # A year typed short and a score out of range are told on the device, and nothing waits.
    form.locator("input[name=visited_on]").fill("0026-05-01")
    form.locator(f"input[name={scoring.ITEMS[0]}]").fill("9")
    form.locator("button[type=submit]").click()
    told = form.locator(".error").all_inner_texts()
    assert "Indiquez une date entre 1900 et 2100\u00a0: l'année a quatre chiffres." in told
    assert "Indiquez un nombre de 1 à 5." in told
    assert page.locator("#fw-outbox li[data-status]").count() == 0
    assert form.locator("input[name=visited_on]").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.name") == "visited_on"  # the first to correct
    form.locator("input[name=visited_on]").fill((start + timedelta(days=100)).isoformat())
    form.locator("select[name=living_with]").select_option("relatives")
    form.locator("select[name=schooling]").select_option("school")
    form.locator("select[name=safety]").select_option("safe")
    form.locator("textarea[name=childs_account]").fill("Je vais à l'école.")
    for item in scoring.ITEMS:
        form.locator(f"input[name={item}]").fill("4")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#fw-outbox li[data-status]")
    assert "Enregistré sur cet appareil" in page.locator("#fw-status").inner_text()
    assert not FollowUpVisit.objects.exists()
    # Still offline: the device's store is encrypted (no name in clear in IndexedDB).
    stored = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('corridor-fieldwork');
            open.onsuccess = () => {
              const get = open.result.transaction('data').objectStore('data').get('outbox');
              get.onsuccess = () => resolve(new TextDecoder().decode(get.result.data));
            };
        })"""
    )
    assert "école" not in stored

    # The tracing action corrected offline while the supervisor changes it on the node. Its day
    # reads as a French reader writes it, and its button can be seen (not white on white).
    day = (start + timedelta(days=3)).strftime("%d/%m/%Y")
    assert day in section.inner_text() and action.date.isoformat() not in section.inner_text()
    correct = section.locator(f"button[data-record='{action.uid}']")
    assert correct.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    correct.click()
    section.locator("form.fw-form select[name=outcome]").select_option("family_found")
    section.locator("form.fw-form button[type=submit]").click()
    services.tracing_action_update(
        actor=supervisor, record=action, expected_version=1, outcome="dead_end"
    )

    context.set_offline(False)
    page.wait_for_function(
        "() => document.querySelectorAll('#fw-outbox li[data-status]').length === 0"
    )
    assert page.locator("#fw-outbox li.muted").count() == 1  # says nothing is waiting
    visit = FollowUpVisit.objects.get()
    assert visit.case == case and str(visit.score) == "0.750"
    assert TracingAction.objects.get().outcome == "dead_end"  # nothing overwritten silently
    conflict = Conflict.objects.get()
    assert conflict.field == "outcome" and "family_found" in conflict.device_value
    page.goto(f"{live_server.url}/fieldwork/conflicts/")
    row = page.locator("#conflicts tbody tr").first
    # Labels, not the form's field names or codes; the audit names the field the same way.
    assert row.locator("td").nth(1).inner_text().startswith("Résultat")
    assert row.locator("td").nth(2).inner_text() == "Impasse"
    assert row.locator("td").nth(3).inner_text() == "Famille retrouvée"
    follow(page, page.locator("#conflicts button[value=device]"))
    assert TracingAction.objects.get().outcome == "family_found"
    summary = AuditEntry.objects.filter(action="update").latest("id").summary
    assert summary.startswith(f"{case.ref}") and "conflit" in summary and "Résultat" in summary

    # Signing out wipes the device's store.
    page.locator("form[data-wipe-offline] button").click()
    page.wait_for_url("**/accounts/login/**")
    names = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert "corridor-fieldwork" not in names
    context.close()


def test_a_damaged_store_is_set_aside_not_lost(live_server, browser):
    agency = make_agency(name="DRAS Savanes (navigateur)")
    worker = make_user("caseworker", agency=agency, username="fw.damaged")
    person = person_create(actor=worker, given_names="Kossi", family_name="DEMO", estimated_age=9)
    case_services.case_open(
        actor=worker,
        person=person,
        identified_on=timezone.localdate() - timedelta(days=30),
        caseload="child_on_the_move",
    )
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    login(page, live_server.url, "fw.damaged", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/fieldwork/")
    page.wait_for_selector("#fieldwork[data-ready='1']")
    # The service worker keeps the application: it opens again without network.
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    # The stored cases are damaged on the device (a flipped byte: AES-GCM refuses them).
    page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('corridor-fieldwork');
            open.onsuccess = () => {
              const tx = open.result.transaction('data', 'readwrite');
              const store = tx.objectStore('data');
              const get = store.get('pack');
              get.onsuccess = () => {
                const blob = get.result;
                const bytes = new Uint8Array(blob.data);
                bytes[0] ^= 255;
                store.put({iv: blob.iv, data: bytes.buffer}, 'pack');
              };
              tx.oncomplete = () => resolve(true);
            };
        })"""
    )
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#fieldwork[data-ready='1']")
    assert "illisibles" in page.locator("#fw-status").inner_text()
    kept = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('corridor-fieldwork');
            open.onsuccess = () => {
              const count = open.result.transaction('quarantine').objectStore('quarantine').count();
              count.onsuccess = () => resolve(count.result);
            };
        })"""
    )
    assert kept == 1
    context.set_offline(False)
    context.close()
