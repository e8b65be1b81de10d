import pytest

from tests.browser_support import follow, login
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOME_PAGE_BUDGET = 150 * 1024


def test_login_and_switch_language(live_server, page):
    make_user("caseworker", agency=make_agency(name="MASSPF test"), username="tg.caseworker")
    login(page, live_server.url, "tg.caseworker", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    assert "Bienvenue" in page.locator("h1").inner_text()
    follow(page, page.get_by_role("button", name="EN"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert "Welcome" in page.locator("h1").inner_text()
    follow(page, page.get_by_role("button", name="FR"))
    assert "Bienvenue" in page.locator("h1").inner_text()


def test_home_page_weight_within_budget(live_server, page):
    make_user("coordinator", agency=make_agency(name="CNLTP test"), username="tg.coordinator")
    login(page, live_server.url, "tg.coordinator", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    sizes, statuses = [], []
    page.on(
        "response",
        lambda response: (sizes.append(len(response.body())), statuses.append(response.status)),
    )
    page.goto(f"{live_server.url}/", wait_until="networkidle")
    total = sum(sizes)
    assert len(sizes) >= 3  # the page, its stylesheet and htmx
    assert all(status == 200 for status in statuses), statuses
    assert total <= HOME_PAGE_BUDGET, f"home page weighs {total} bytes"


def test_wrong_password_message_in_browser(live_server, page):
    make_user("caseworker", username="tg.someone")
    login(page, live_server.url, "tg.someone", "wrong-password")
    assert page.url.endswith("/accounts/login/")
    assert "incorrects" in page.locator("main form").inner_text()
