"""An investigator opens the network view in Chromium, sees the graph and finds the key players."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client

from corridor.intel.demo import seed_intel
from tests.factories import make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user) -> None:
    """Reuse a Django session in the browser (the MFA login flow has its own browser tests)."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_investigator_sees_the_network_and_its_key_players(live_server, page):
    seed_intel()
    user = make_user(
        "investigator",
        agency=make_agency(name="Police judiciaire DEMO"),
        username="tg.investigator",
    )
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    signed_in(page, live_server, user)
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/intel/network/")
    try:
        page.wait_for_selector("#cy[data-ready='1']", state="attached", timeout=20000)
    except Exception:
        raise AssertionError((page.url, problems, page.content()[:3000])) from None
    assert page.locator("#cy canvas").count() >= 1
    assert page.locator("#cy-count").inner_text() == "63"
    assert page.locator("[data-testid=node-count]").inner_text().startswith("63")
    key_players = page.locator("#key-players a.key-player").all_inner_texts()
    assert key_players == ["Yao DEMO-TRANSPORT", "Ondo DEMO-PIROGUE", "Mme Nzé FICTIVE"]
    ringed = page.evaluate(
        "window.corridorNetwork.nodes('[?key_player]').map(n => n.data('label'))"
    )
    assert sorted(ringed) == sorted(key_players)
    page.select_option("#colour-by", "country")
    with page.expect_download() as download:
        page.click("#png")
    assert download.value.suggested_filename == "network.png"
    # Expanding a node adds nothing new inside its own network but must not fail.
    page.evaluate("window.corridorNetwork.nodes()[0].emit('dbltap')")
    page.wait_for_timeout(500)
    assert page.locator("#cy-count").inner_text() == "63"
    assert problems == []


def test_on_a_phone_the_timeline_starts_folded_and_a_row_shows_who_took_part(live_server, browser):
    seed_intel()
    user = make_user("investigator", agency=make_agency(name="PJ DEMO"), username="tg.inv2")
    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    signed_in(page, live_server, user)
    page.goto(f"{live_server.url}/intel/network/")
    page.wait_for_selector("#cy[data-ready='1']", state="attached", timeout=20000)
    events = page.locator("#events")
    assert events.evaluate("d => d.open") is False
    assert "Chronologie" in page.locator("#events summary").inner_text()
    page.click("#events summary")
    row = page.locator("table.timeline tbody tr[data-members]").first
    members = row.get_attribute("data-members").split()
    assert members
    row.click()
    shown = page.evaluate(
        "window.corridorNetwork.nodes().filter(n => !n.hasClass('faded')).map(n => n.id())"
    )
    assert sorted(shown) == sorted(members)
    page.wait_for_function(
        "() => { const r = document.getElementById('cy').getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight; }",
        timeout=5000,
    )
    context.close()
