"""Item 3: API tokens are stored as keyed digests, expire, can be listed and revoked by their
owner, are issued to an MFA role only after the second factor, and the operator's command is
audited as the operator's."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext_noop
from rest_framework.test import APIClient

from corridor.accounts import services
from corridor.accounts.models import TOKEN_PREFIX, ApiToken, Role
from corridor.accounts.tokens import api_token_issue
from corridor.audit.models import AuditEntry
from corridor.audit.services import node_text
from tests.factories import PASSWORD, make_user
from tests.security.helpers import database_text

pytestmark = pytest.mark.django_db
CASES = "/api/cases/"


def _api(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(CASES)


def _issue(username: str) -> str:
    out = io.StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().strip()


def test_the_key_is_nowhere_in_the_database(people):
    key = _issue("home.caseworker")
    assert _api(key).status_code == 200
    # crd_<prefix>_<secret>: the secret is URL-safe base64 and may hold "_" itself.
    secret_part = key.removeprefix(TOKEN_PREFIX).split("_", 1)[1]
    assert len(secret_part) >= 40
    assert secret_part not in database_text()


def test_the_operator_command_replaces_the_users_tokens_and_is_audited_as_the_operator(people):
    first = _issue("home.caseworker")
    second = _issue("home.caseworker")
    assert _api(first).status_code == 401
    assert _api(second).status_code == 200
    entries = AuditEntry.objects.filter(summary=node_text(gettext_noop("API token issued")))
    assert entries.count() == 2
    assert {e.actor_username for e in entries} == {"operator"}
    assert all(e.actor is None and e.detail["by"] == "operator" for e in entries)
    text = str(list(AuditEntry.objects.values_list("detail", "summary", "object_id")))
    assert first not in text and second not in text
    with pytest.raises(CommandError):
        _issue("nobody")
    with pytest.raises(CommandError):
        _issue("foreign.caseworker")


def test_tokens_expire(people, settings):
    key = _issue("home.caseworker")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _api(key).status_code == 401
    settings.CORRIDOR_API_TOKEN_DAYS = 7
    api_token_issue(actor=None, user=people["caseworker"])
    token = ApiToken.objects.filter(revoked_at__isnull=True).get()
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)


def test_a_token_stops_working_when_its_user_does(people):
    key = _issue("home.caseworker")
    services.user_update(actor=None, user=people["caseworker"], is_active=False)
    assert _api(key).status_code == 401


def test_a_malformed_or_unknown_key_is_refused():
    for key in ("", "nonsense", "crd_", "crd_abc_def", "crd_" + "0" * 12 + "_x"):
        assert _api(key).status_code == 401


def test_the_owner_lists_creates_and_revokes_their_tokens(people, as_user):
    client = as_user(people["caseworker"])
    response = client.post("/account/tokens/", {"label": "Système du refuge"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=people["caseworker"])
    key = response.context["key"]
    assert key.startswith(f"crd_{token.prefix}_")
    assert key in response.content.decode()
    assert _api(key).status_code == 200
    page = client.get("/account/tokens/").content.decode()
    assert token.prefix in page and "Système du refuge" in page and key not in page
    token.refresh_from_db()
    assert token.last_used_at is not None
    # another user sees none of it and cannot revoke it
    other = as_user(people["other_agency.caseworker"])
    assert token.prefix not in other.get("/account/tokens/").content.decode()
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    client = as_user(people["caseworker"])
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert _api(key).status_code == 401
    revoked = AuditEntry.objects.filter(actor=people["caseworker"], action="update")
    assert [e.detail for e in revoked] == [{"token": str(token)}]


def test_an_mfa_role_gets_a_token_only_after_its_second_factor(people):
    investigator = people["investigator"]
    with pytest.raises(PermissionDenied):
        api_token_issue(actor=investigator, user=investigator, second_factor=False)
    key = api_token_issue(actor=investigator, user=investigator, second_factor=True)
    assert _api(key).status_code in (200, 403)  # signed in; cases are not an investigator's
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/intel/entities/").status_code == 200
    )


def test_the_token_page_needs_the_second_factor_of_an_mfa_role():
    admin = make_user(Role.ADMINISTRATOR)
    client = Client()
    client.post("/accounts/login/", {"login": admin.username, "password": PASSWORD})
    response = client.post("/account/tokens/", {"label": "x"})
    assert response.status_code == 302 and not ApiToken.objects.exists()


def test_a_token_from_before_a_promotion_to_an_mfa_role_stops_working(people):
    worker = people["caseworker"]
    key = api_token_issue(actor=worker, user=worker)
    assert _api(key).status_code == 200
    services.user_update(actor=None, user=worker, role=Role.INVESTIGATOR)
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/intel/entities/").status_code == 401
    )
