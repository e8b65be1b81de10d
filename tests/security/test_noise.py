"""Item 14: nobody on the network can grow the audit chain without limit. The federation inbox
turns away an address that delivers too fast; refusals anyone can provoke (junk inbox POSTs,
failed sign-ins) are each recorded up to a few per address and window, then counted, and one
entry per window says how many were counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from corridor.audit.models import Action, AuditEntry, RefusalCounter
from corridor.audit.services import REFUSAL_WINDOW, REFUSALS_RECORDED, audit_verify
from corridor.federation import inbox

pytestmark = pytest.mark.django_db
JUNK = "not.a.sealed.message.at-all"


class Clock:
    """The time the audit and the inbox see, moved by the test."""

    def __init__(self, monkeypatch, start: str):
        self.now = datetime.fromisoformat(start).replace(tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda: self.now)
        monkeypatch.setattr(inbox, "time", SimpleNamespace(time=lambda: self.now.timestamp()))

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _junk(client, address="203.0.113.9"):
    return client.post(
        reverse("federation:receive"),
        data=JUNK,
        content_type="application/jose",
        REMOTE_ADDR=address,
    )


def test_junk_inbox_posts_are_counted_not_chained_one_by_one(client, monkeypatch):
    clock = Clock(monkeypatch, "2026-03-01 10:00:00")
    for _ in range(40):
        assert _junk(client).status_code == 400
    assert AuditEntry.objects.filter(action=Action.REJECT).count() == REFUSALS_RECORDED
    [counter] = RefusalCounter.objects.all()
    assert counter.count == 40 and counter.source == "203.0.113.9"
    assert _junk(client, "198.51.100.7").status_code == 400  # another address: its own count
    assert AuditEntry.objects.filter(action=Action.REJECT).count() == REFUSALS_RECORDED + 1
    clock.tick(REFUSAL_WINDOW + 1)
    assert _junk(client).status_code == 400
    summary = AuditEntry.objects.get(detail__counted=40 - REFUSALS_RECORDED)
    assert summary.detail["source"] == "203.0.113.9" and summary.action == Action.REJECT
    assert RefusalCounter.objects.filter(window__lt=summary.at.timestamp() - 1).count() == 0
    assert audit_verify().ok


def test_the_inbox_turns_away_an_address_that_delivers_too_fast(client, settings, monkeypatch):
    settings.CORRIDOR_INBOX_RATE = 3
    clock = Clock(monkeypatch, "2026-03-01 10:00:05")
    codes = [_junk(client).status_code for _ in range(6)]
    assert codes == [400, 400, 400, 429, 429, 429]
    assert _junk(client, "198.51.100.7").status_code == 400
    clock.tick(60)
    assert _junk(client).status_code == 400
    # the refusals of one address share one allowance of entries: 3 junk, then 2 turned away
    assert AuditEntry.objects.filter(detail__code="rate_limited").count() == REFUSALS_RECORDED - 3


def test_failed_sign_ins_are_counted_past_the_first_few_per_address(client, settings, monkeypatch):
    settings.AXES_ENABLED = False  # the lockout has its own tests; here only the audit counts
    clock = Clock(monkeypatch, "2026-03-01 10:00:00")
    for n in range(30):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{n}", "password": "wrong"},
            REMOTE_ADDR="203.0.113.50",
        )
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED).count() == REFUSALS_RECORDED
    assert RefusalCounter.objects.get(action=Action.LOGIN_FAILED).count == 30
    clock.tick(3600)
    assert audit_verify().ok
    assert AuditEntry.objects.filter(
        action=Action.LOGIN_FAILED, detail__counted=30 - REFUSALS_RECORDED
    ).exists()
    assert not RefusalCounter.objects.exists()
