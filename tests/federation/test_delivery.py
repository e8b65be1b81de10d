"""Delivery passes: a pass leases its messages once, records outcomes in chunks (few write
transactions: on SQLite each one waits for the node's single write lock), hands back what it
skipped, and one failing delivery callback does not lose the other receipts."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from joserfc import jws

from corridor.federation import delivery, outbox, registry
from corridor.federation.models import OutboundMessage

pytestmark = pytest.mark.django_db
SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}}}


@pytest.fixture
def test_type():
    """A message type of this test only (its delivery callback fails for n == 13)."""
    delivered = []

    def on_delivered(*, outbound, result):
        n = json.loads(outbound.payload)["n"]
        if n == 13:
            raise RuntimeError("unlucky")
        delivered.append(n)

    registry.register_message_type(
        "test.ping", SCHEMA, lambda **kw: None, on_delivered=on_delivered
    )
    yield delivered
    registry.MESSAGE_TYPES.pop("test.ping", None)


def _queue(remote, n: int, topic: str = "") -> OutboundMessage:
    return outbox.message_send(
        actor=None, peer=remote.peer, type="test.ping", payload={"n": n}, topic=topic
    )


def _answering(remote, own_keys, monkeypatch, status: int = 200):
    """The peer answers every POST with its signed receipt (or with ``status``)."""
    posted = []

    def post(url, token):
        opened = remote.open(token, own_keys["sig"])
        posted.append(opened["body"].get("n"))
        claims = {"receipt_for": opened["id"], "from": "gabon", "to": "togo", "result": "applied"}
        receipt = jws.serialize_compact(
            {"alg": "ES256", "kid": remote.sign.thumbprint()},
            json.dumps({**claims, "iat": 0}).encode(),
            remote.sign,
        )
        return (status, receipt if status == 200 else "")

    monkeypatch.setattr(delivery, "_post", post)
    return posted


def test_a_lease_is_taken_once(remote, test_type):
    messages = [_queue(remote, n) for n in range(3)]
    now = timezone.now()
    assert len(delivery._claim(list(messages), now=now)) == 3
    again = [OutboundMessage.objects.get(pk=m.pk) for m in messages]
    assert delivery._claim(again, now=now) == []  # another worker: nothing left for it


def test_every_receipt_is_recorded_in_chunks(remote, own_keys, monkeypatch, test_type):
    posted = _answering(remote, own_keys, monkeypatch)
    numbers = list(range(100, 100 + delivery.CHUNK + 5))
    for n in numbers:
        _queue(remote, n, topic="referral:one")
    assert delivery.deliver_due(lanes=4)["delivered"] == len(numbers)
    assert posted == numbers  # one topic: one lane, in order
    assert OutboundMessage.objects.filter(state="delivered", attempts=1).count() == len(numbers)
    assert test_type == numbers


def test_a_failing_callback_loses_no_other_receipt(remote, own_keys, monkeypatch, test_type):
    _answering(remote, own_keys, monkeypatch)
    for n in (12, 13, 14):
        _queue(remote, n)
    counts = delivery.deliver_due(lanes=1)
    assert counts == {"delivered": 2, "failed": 1, "rejected": 0}
    states = dict(OutboundMessage.objects.values_list("payload", "state"))
    assert [states[json.dumps({"n": n})] for n in (12, 13, 14)] == [
        "delivered",
        "pending",
        "delivered",
    ]
    assert OutboundMessage.objects.get(state="pending").last_error.startswith("receipt:")


def test_what_a_lane_skips_is_handed_back(remote, test_type):
    first, second = _queue(remote, 1), _queue(remote, 2)  # the remote's address answers nothing
    counts = delivery.deliver_due(lanes=1)
    first.refresh_from_db(), second.refresh_from_db()
    assert counts["failed"] == 1 and first.attempts == 1
    assert second.attempts == 0 and second.next_attempt_at <= timezone.now()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the single write lock is SQLite's")
def test_write_transactions_do_not_grow_with_the_pass(remote, own_keys, monkeypatch, test_type):
    _answering(remote, own_keys, monkeypatch)

    def begins(n: int) -> int:
        for i in range(n):
            _queue(remote, i)
        with CaptureQueriesContext(connection) as queries:
            assert delivery.deliver_due(lanes=1)["delivered"] == n
        return sum(q["sql"].startswith("BEGIN") for q in queries.captured_queries)

    assert begins(3) == begins(12) == 1


def test_a_pass_reads_the_keys_once(remote, own_keys, monkeypatch, test_type):
    _answering(remote, own_keys, monkeypatch)

    def key_reads(n: int) -> int:
        for i in range(n):
            _queue(remote, i)
        with CaptureQueriesContext(connection) as queries:
            assert delivery.deliver_due(lanes=1)["delivered"] == n
        return sum(
            "federation_nodekey" in q["sql"] or "federation_peerkey" in q["sql"]
            for q in queries.captured_queries
        )

    assert key_reads(2) == key_reads(9) <= 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the single write lock is SQLite's")
def test_federation_writes_queue_in_process_on_sqlite():
    from django.db import transaction

    from corridor.federation import writer

    with writer.one_writer():
        assert writer._lock.locked()  # the next federation transaction of this process waits
    assert not writer._lock.locked()
    with transaction.atomic(), writer.one_writer():
        assert not writer._lock.locked()  # inside a transaction: it already holds SQLite's lock
