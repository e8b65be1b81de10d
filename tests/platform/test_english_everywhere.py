"""English complete: every role signs in in English, opens every page of its menu, the main
detail pages and a tracing request with its candidates, and meets no sentence of the French
catalogue (a string translated once, in the language active at import, shows up that way)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from corridor.core.navigation import menu_for
from corridor.tracing import services as tracing
from tests.platform.test_french_everywhere import ROLES, _demo_like, visible_text
from tests.tracing.conftest import REQUEST, make_child

pytestmark = pytest.mark.django_db


def _french_sentences() -> list[str]:
    """French translations long enough to be sentences of the interface, never a word that
    English shares, nor a template with blanks: a page in English shows none of them."""
    catalogue = translation.trans_real.translation("fr")._catalog
    return sorted(
        french
        for english, french in catalogue.items()
        if isinstance(english, str)
        and isinstance(french, str)
        and french != english
        and len(french) >= 20
        and "%" not in french
        and "{" not in french
        and "\n" not in french
    )


NODE_LANGUAGE = re.compile(r'<(span|td)[^>]* lang="fr"[^>]*>.*?</\1>', re.S)


def in_the_page_language(html: str) -> str:
    """The page without what the node wrote for itself in its own language and marks so (the
    audit log's summaries, a record kept in the node's language: docs/platform.md, Languages)."""
    return NODE_LANGUAGE.sub(" ", html)


@pytest.fixture
def in_english(people):
    """The detail pages of the French walk, recorded by English-speaking users, and a tracing
    request whose candidate's explanation the request page shows."""
    with translation.override("en"):
        pages = _demo_like(people)
        worker = people["caseworker"]
        make_child(worker, given="Akouvi", family="Mensah", mother="Afi Mensah")
        request = tracing.tracing_request_create(actor=worker, **REQUEST)
    return {**pages, "tracing": f"/tracing/{request.pk}/"}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_menu_reads_english(role, people, in_english, client, settings):
    user = people[role]
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = ["/"] + [item["url"] for item in menu_for(user)]
    urls += [
        u
        for key, u in in_english.items()
        if (role == "investigator") == key.startswith(("intel", "network"))
        and role in ("caseworker", "supervisor", "coordinator", "investigator")
    ]
    french = _french_sentences()
    assert len(french) > 1_000
    problems = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert re.search(r'<html[^>]* lang="en"', html), url
        text = visible_text(in_the_page_language(html))
        found = [sentence for sentence in french if sentence in text]
        if found:
            problems[url] = found[:5]
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())
