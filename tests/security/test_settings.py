"""Item 6: the settings a production node runs with (read in a fresh process, as a node reads
them), the client address behind a proxy, and demo seeding only on demo nodes."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from corridor.accounts.models import User
from corridor.audit.models import AuditEntry
from tests.factories import PASSWORD, make_user

REPO = Path(__file__).resolve().parents[2]
NAMES = (
    "ALLOWED_HOSTS",
    "PASSWORD_HASHERS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
)


def production_settings(tmp_path, **env) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}))"
    )
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CORRIDOR_", "DJANGO_", "DATABASE_URL"))
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="corridor.settings",
        CORRIDOR_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(REPO / "src"),
        **env,
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_over_https_cookies_are_secure_and_browsers_told_to_stay_on_https(tmp_path):
    values = production_settings(tmp_path, CORRIDOR_HTTPS="1")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["LANGUAGE_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_settings_know_nothing_of_tests(tmp_path):
    values = production_settings(tmp_path, CORRIDOR_FAST_PASSWORDS="1")
    assert "testserver" not in values["ALLOWED_HOSTS"]
    assert not any("MD5" in h for h in values["PASSWORD_HASHERS"] or [])


@pytest.mark.django_db
def test_the_forwarded_address_is_believed_from_the_configured_proxy_only(settings):
    settings.CORRIDOR_TRUSTED_PROXIES = ["10.0.0.0/30"]
    user = make_user("caseworker")
    spoofed = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="198.51.100.7")
    spoofed.post("/accounts/login/", {"login": user.username, "password": "wrong-password"})
    proxied = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2")
    proxied.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    failed = AuditEntry.objects.get(action="login_failed")
    login = AuditEntry.objects.get(action="login")
    assert failed.ip == "192.0.2.50"
    assert login.ip == "203.0.113.9"
    from axes.models import AccessLog

    assert AccessLog.objects.get().ip_address == "203.0.113.9"  # axes saw the real client too


@pytest.mark.django_db
def test_a_forged_https_header_from_outside_is_dropped(settings):
    settings.CORRIDOR_TRUSTED_PROXIES = ["10.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    from django.http import HttpResponse
    from django.test import RequestFactory

    from corridor.core.middleware import TrustedProxyMiddleware

    seen = {}

    def view(request):
        seen["secure"], seen["addr"] = request.is_secure(), request.META["REMOTE_ADDR"]
        return HttpResponse()

    middleware = TrustedProxyMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {"secure": False, "addr": "192.0.2.1"}
    middleware(
        factory.get(
            "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="x"
        )
    )
    assert seen == {"secure": True, "addr": "10.0.0.1"}


@pytest.mark.django_db
def test_seed_demo_refuses_a_node_that_is_not_a_demo_node(settings, tmp_path):
    settings.NODE = dataclasses.replace(settings.NODE, data_dir=tmp_path / "togo")
    with pytest.raises(CommandError, match="not a demo node"):
        call_command("seed_demo")
    assert not User.objects.exists()
    settings.NODE.mark_demo()
    assert settings.NODE.is_demo
