"""The cross-border journey in Chromium across both nodes: a Gabon caseworker refers, the Togo
coordinator accepts, the Gabon caseworker sees “accepted”."""

from __future__ import annotations

import time

import pytest

from tests.browser_support import follow, login
from tests.factories import PASSWORD
from tests.federation.nodes import running_pair

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    with running_pair(tmp_path_factory, "ui") as pair:
        yield pair


def _context(browser):  # noqa: F811
    return browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 700})


def test_gabon_refers_togo_accepts_gabon_sees_accepted(nodes, browser):  # noqa: F811
    togo, gabon = nodes["togo"], nodes["gabon"]
    case = gabon.call("make_case", country="GA")

    ga = _context(browser).new_page()
    login(ga, gabon.url, "ga.caseworker", PASSWORD)
    ga.wait_for_url(f"{gabon.url}/")
    ga.goto(f"{gabon.url}/referrals/cross-border/refer/{case['case']}/")
    ga.select_option("select[name=purpose]", "return")
    ga.fill("textarea[name=reason]", "Retour en famille à Kpalimé après évaluation")
    ga.click("form.stack button[type=submit]")
    ga.wait_for_url("**/referrals/cross-border/*/")
    assert ga.locator("#shared-status").is_visible()
    detail_url = ga.url

    incoming = togo.call("wait_incoming")
    tg = _context(browser).new_page()
    login(tg, togo.url, "tg.coordinator", PASSWORD)
    tg.wait_for_url(f"{togo.url}/")
    tg.goto(f"{togo.url}/referrals/cross-border/")
    tg.click(f"#waiting a:has-text('{case['case_ref']}')")
    tg.wait_for_url(f"**/referrals/cross-border/{incoming['pk']}/")
    tg.select_option("#decide select[name=decision]", "accepted")
    tg.select_option("#decide select[name=agency]", label="CNLTP test agency")
    follow(tg, tg.locator("#decide button[type=submit]"))
    togo_status = tg.locator("#shared-status").inner_text()

    deadline = time.monotonic() + 30
    while True:
        ga.goto(detail_url)
        gabon_status = ga.locator("#shared-status").inner_text()
        if gabon_status == togo_status or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert gabon_status == togo_status
    assert gabon_status.lower().startswith("accept")
    assert ga.locator("#timeline li").count() == 3

    # Issue 17, items 2 and 3: the referral on both cases, in words a person reads.
    shared = tg.locator("#shared").inner_text()
    assert "Prénoms" in shared and "given_names" not in shared
    for raw in ("True", "['", "return", "child_step"):
        assert raw not in tg.locator("main").inner_text()
    assert "Gabon" in tg.locator("h1").inner_text()
    togo_case = tg.locator("#local-case").get_attribute("href")
    tg.goto(f"{togo.url}{togo_case}")
    received = tg.locator("#referrals").inner_text()
    assert "Reçu du Gabon" in received and case["case_ref"] in received

    ga.goto(f"{gabon.url}/cases/{case['case']}/")
    panel = ga.locator("#referrals").inner_text()
    assert "Référé au Togo" in panel and gabon_status in panel
    assert "Aucun référencement" not in panel
    timeline = ga.locator("#timeline").inner_text()
    assert "Togo" in timeline
