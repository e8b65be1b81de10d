"""Without a session, nothing answers but the way in and what a machine or a browser must fetch
before anyone signs in: every other page sends to the sign-in page (an old address through its
new one), every API endpoint (its document and Swagger UI included) answers 401, and so does a
gateway's webhook that does not sign its call."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.helpers import OPEN, every_url

pytestmark = pytest.mark.django_db

# What answers without a session: the open paths (sign-in and password reset, the language
# switch, the health check, the federation's hello and inbox, signed messages checked on
# arrival), and what a browser fetches before it can send a cookie: the offline app's service
# worker and manifest, the icon.
PUBLIC = (*OPEN, "/fieldwork/sw.js", "/fieldwork/manifest.webmanifest", "/favicon.ico")


def test_nothing_else_answers_without_a_session():
    urls = [u for u in every_url() if not u.startswith(PUBLIC)]
    assert "/api/schema/" in urls and "/cases/" in urls
    problems = []
    for url in urls:
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            if response.status_code == 301:  # an old address, kept for bookmarks
                response = getattr(Client(), method)(response["Location"])
            status = response.status_code
            if url.startswith("/api/"):
                fine = status == 401
            else:
                fine = status in (401, 404, 405) or (
                    status == 302 and response["Location"].startswith("/accounts/login/")
                )
            if not fine:
                problems.append(f"{method.upper()} {url} -> {status}")
    assert problems == [], "\n".join(problems)
