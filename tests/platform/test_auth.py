import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from corridor.accounts.management.commands.totp_code import current_code
from corridor.audit.models import AuditEntry
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"login": username, "password": password}, HTTP_ACCEPT_LANGUAGE="fr")


def test_login_is_audited():
    user = make_user("caseworker")
    client = Client()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login", actor=user).exists()


def test_wrong_password_gets_a_clear_message_and_is_audited():
    user = make_user("caseworker")
    response = _login(Client(), user.username, "not-the-password")
    assert response.status_code == 200
    assert "incorrect" in response.content.decode().lower()
    assert AuditEntry.objects.filter(action="login_failed", actor_username=user.username).exists()


def test_lockout_after_repeated_failures_even_with_the_right_password():
    user = make_user("caseworker")
    client = Client()
    for _ in range(5):
        _login(client, user.username, "wrong-password")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "verrouillé" in response.content.decode()
    assert not AuditEntry.objects.filter(action="login", actor=user).exists()


def test_administrator_must_give_a_totp_code():
    admin = make_user("administrator")
    TOTP.activate(admin, "JBSWY3DPEHPK3PXP")
    client = Client()
    response = _login(client, admin.username, PASSWORD)
    assert response.status_code == 302 and "2fa" in response["Location"]
    assert client.get("/").status_code == 302  # not signed in before the code
    response = client.post(response["Location"], {"code": current_code("JBSWY3DPEHPK3PXP")})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_investigator_without_authenticator_is_sent_to_set_one_up(as_user):
    investigator = make_user("investigator")
    response = as_user(investigator).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_expired_session_is_explained(settings):
    user = make_user("caseworker")
    client = Client()
    _login(client, user.username, PASSWORD)
    client.cookies.pop(settings.SESSION_COOKIE_NAME)
    response = client.get("/", follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    assert "session a expiré" in response.content.decode()


def test_csrf_failure_page_is_clear_and_nothing_changes():
    user = make_user("caseworker")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        LOGIN, {"login": user.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 403
    assert "Rien n" in response.content.decode()
    assert not AuditEntry.objects.filter(action="login").exists()


def test_security_headers(client):
    response = client.get(LOGIN)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
