"""Item 4: django-axes counts failures per username as login matches it (case-insensitively)."""

from __future__ import annotations

import pytest
from django.test import Client

from corridor.audit.models import AuditEntry
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(username, password):
    return Client().post(LOGIN, {"login": username, "password": password})


def test_failures_count_whatever_the_case_of_the_username():
    user = make_user("caseworker", username="Kossi.Worker")
    for name in ("Kossi.Worker", "kossi.worker", "KOSSI.WORKER", "kossi.Worker", " kossi.worker "):
        _login(name, "wrong-password")
    response = _login("kossi.worker", PASSWORD)
    assert response.status_code == 429
    assert not AuditEntry.objects.filter(action="login", actor=user).exists()


def test_login_matches_the_username_whatever_its_case():
    user = make_user("caseworker", username="Kossi.Worker")
    assert _login("kossi.worker", PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="login", actor=user).exists()
