"""Item 2: the second step counts wrong codes per account (with wrong passwords, one lockout)
and per address, refuses even the right code once locked, and audits each failure."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from axes.models import AccessAttempt
from django.test import Client

from corridor.accounts.management.commands.totp_code import current_code
from corridor.audit.models import AuditEntry
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
SECRET = "JBSWY3DPEHPK3PXP"


def _second_step(user, address="10.0.0.1") -> tuple[Client, str]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "2fa" in response["Location"]
    return client, response["Location"]


def _admin(name="admin.guess"):
    admin = make_user("administrator", username=name)
    TOTP.activate(admin, SECRET)
    return admin


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_after_five_wrong_codes_the_right_one_no_longer_signs_in():
    admin = _admin()
    client, step = _second_step(admin)
    right = current_code(SECRET)
    for _ in range(5):
        client.post(step, {"code": _wrong(right)})
    response = client.post(step, {"code": current_code(SECRET)})
    assert response.status_code in (200, 429)
    assert not _signed_in(client)
    # the password step is locked too, as after five wrong passwords
    again = Client(REMOTE_ADDR="10.0.0.2").post(
        LOGIN, {"login": admin.username, "password": PASSWORD}
    )
    assert again.status_code == 429


def test_the_lock_lifts_after_the_cool_off():
    admin = _admin()
    client, step = _second_step(admin)
    for _ in range(5):
        client.post(step, {"code": _wrong(current_code(SECRET))})
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )
    client, step = _second_step(admin)
    client.post(step, {"code": current_code(SECRET)})
    assert _signed_in(client)


def test_each_wrong_code_is_audited_without_the_code():
    admin = _admin()
    client, step = _second_step(admin)
    codes = [
        _wrong(current_code(SECRET)),
        "000000" if current_code(SECRET) != "000000" else "111111",
    ]
    for code in codes:
        client.post(step, {"code": code})
    failures = AuditEntry.objects.filter(action="login_failed", actor_username=admin.username)
    assert failures.count() == 2
    assert all(f.detail == {"step": "second_factor"} for f in failures)
    assert all(f.ip == "10.0.0.1" for f in failures)
    text = str(list(AuditEntry.objects.values_list("summary", "detail", "object_id")))
    assert not any(code in text for code in codes)
    assert not any(
        code in (a.post_data or "") for a in AccessAttempt.objects.all() for code in codes
    )


def test_wrong_codes_from_one_address_are_limited_across_accounts(settings):
    settings.CORRIDOR_SECOND_FACTOR_ADDRESS_LIMIT = 6
    admins = [_admin(f"admin.{i}") for i in range(3)]
    for admin in admins[:2]:
        client, step = _second_step(admin, address="10.9.9.9")
        for _ in range(3):  # under each account's own limit
            client.post(step, {"code": _wrong(current_code(SECRET))})
    client, step = _second_step(admins[2], address="10.9.9.9")
    client.post(step, {"code": current_code(SECRET)})
    assert not _signed_in(client)
    elsewhere, step = _second_step(admins[2], address="10.1.1.1")
    elsewhere.post(step, {"code": current_code(SECRET)})
    assert _signed_in(elsewhere)


def test_a_right_code_still_signs_in_and_resets_the_count():
    admin = _admin()
    client, step = _second_step(admin)
    for _ in range(3):
        client.post(step, {"code": _wrong(current_code(SECRET))})
    client.post(step, {"code": current_code(SECRET)})
    assert _signed_in(client)
    assert not AccessAttempt.objects.filter(username=admin.username).exists()


@pytest.mark.parametrize(("periods_ago", "signs_in"), [(1, True), (2, False)])
def test_the_code_shown_just_before_still_signs_in_once(monkeypatch, periods_ago, signs_in):
    """A code that turned over while it was typed, or a phone a little behind the node."""
    now = 1_800_000_015  # 15 s into a period, so nothing turns over during the test
    monkeypatch.setattr(totp_auth, "time", SimpleNamespace(time=lambda: now))
    code = format_hotp_value(hotp_value(SECRET, now // app_settings.TOTP_PERIOD - periods_ago))
    admin = _admin()
    client, step = _second_step(admin)
    client.post(step, {"code": code})
    assert _signed_in(client) is signs_in
    # the same code never serves twice
    again, step = _second_step(admin, address="10.0.0.3")
    again.post(step, {"code": code})
    assert not _signed_in(again)
