"""Item 1: a member of an MFA role works only after a second factor, on every page but the few
that must answer without a session."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse
from joserfc.jwk import ECKey

from corridor.accounts.management.commands.totp_code import current_code
from corridor.federation.models import Peer
from tests.factories import PASSWORD, make_user
from tests.security.helpers import OPEN, every_url

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _password_only(role: str = "administrator", *, user=None) -> Client:
    """A real sign-in by password of a member of an MFA role who has no authenticator yet."""
    user = user or make_user(role)
    client = Client()
    response = client.post(LOGIN, {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _federation_pages() -> list[str]:
    return [u for u in every_url() if u.startswith("/federation/")]


def test_every_federation_page_needs_the_second_factor():
    client = _password_only()
    pages = [u for u in _federation_pages() if not u.startswith(OPEN)]
    assert "/federation/peers/" in pages
    for url in pages:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"] == reverse("mfa_activate_totp"), (method, url)


def test_a_password_only_administrator_cannot_register_a_peer():
    client = _password_only()
    sign = ECKey.generate_key("P-256", private=True)
    enc = ECKey.generate_key("P-256", private=True)
    identity = {
        "corridor_identity": 1,
        "node": "gabon",
        "country": "GA",
        "url": "http://attacker.invalid",
        "keys": [
            {**key.as_dict(private=False), "use": use, "kid": key.thumbprint()}
            for key, use in ((sign, "sig"), (enc, "enc"))
        ],
    }
    response = client.post("/federation/peers/", {"identity": json.dumps(identity)})
    assert response.status_code == 302
    assert not Peer.objects.exists()


@pytest.mark.parametrize("role", ["administrator", "investigator"])
def test_no_page_or_endpoint_answers_a_password_only_member_of_an_mfa_role(role):
    client = _password_only(role)
    urls = [u for u in every_url() if not u.startswith(OPEN)]
    assert len(urls) > 50
    for url in urls:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 403, (url, response.status_code)
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert response["Location"] == reverse("mfa_activate_totp"), url


def test_the_machine_endpoints_still_answer_without_a_session():
    assert Client().get("/federation/hello/").status_code == 200
    assert Client().get("/healthz").status_code == 200
    assert (
        Client().post("/federation/inbox/", b"junk", content_type="application/jose").status_code
        == 400
    )


def test_setting_up_the_authenticator_opens_the_pages():
    admin = make_user("administrator")
    client = _password_only(user=admin)
    assert client.get("/federation/peers/").status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:  # allauth asks for the password again first
        client.post(response["Location"], {"password": PASSWORD})
        client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/federation/peers/").status_code == 200


def test_a_session_that_never_gave_the_code_is_signed_out():
    """An administrator with an authenticator whose session holds no proof of the code (a
    session made outside the sign-in pages) is signed out, not let through."""
    from django.contrib.auth.signals import user_logged_in

    admin = make_user("administrator")
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    user_logged_in.disconnect(dispatch_uid="tests-force-login-second-factor")
    client = Client()
    client.force_login(admin, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get("/federation/peers/")
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert client.get("/").status_code == 302  # signed out
    assert client.get("/api/cases/").status_code in (401, 403)


def test_the_demo_code_printer_refuses_a_node_that_is_not_a_demo_node(settings, tmp_path):
    import dataclasses

    from django.core.management import call_command
    from django.core.management.base import CommandError

    admin = make_user("administrator")
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    settings.NODE = dataclasses.replace(settings.NODE, data_dir=tmp_path / "togo")
    with pytest.raises(CommandError, match="not a demo node"):
        call_command("totp_code", admin.username)
