"""Delivery of the outbox over HTTP: one pass (``deliver_due``) sends what is due, over parallel
lanes, with exponential backoff for a peer that does not answer and a limit on refusals.

Messages of one topic go through one lane in the order they were written, and a message never
overtakes an earlier one of its topic that is still waiting.
"""

from __future__ import annotations

import logging
import os
import random
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from corridor.federation import envelope
from corridor.federation.envelope import Rejected
from corridor.federation.models import OutboundMessage
from corridor.federation.outbox import message_seal, record_delivery
from corridor.federation.writer import one_writer

BACKOFF_BASE = float(os.environ.get("CORRIDOR_FEDERATION_BACKOFF", "1"))
BACKOFF_MAX = 300.0
MAX_REJECTIONS = 10
INBOX_PATH = "/federation/inbox/"
HTTP_TIMEOUT = 10
NETWORK_ERROR = "network: "
LANES = int(os.environ.get("CORRIDOR_FEDERATION_LANES", "4"))
CHUNK = 25  # outcomes a lane records per transaction
log = logging.getLogger("corridor.federation")


def _backoff(attempts: int) -> timedelta:
    delay = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


def _post(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url.rstrip("/") + INBOX_PATH,
        data=token.encode(),
        headers={"Content-Type": "application/jose", "Accept": "application/jose"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _fault(name: str) -> bool:
    """Test-only fault injection (``CORRIDOR_FEDERATION_FAULT``), used by the fault tests."""
    return os.environ.get("CORRIDOR_FEDERATION_FAULT") == name


def _lane(message: OutboundMessage, lanes: int) -> int:
    key = zlib.crc32(message.topic.encode()) if message.topic else message.pk
    return key % max(lanes, 1)


def deliver_due(*, limit: int = 200, lanes: int = LANES) -> dict[str, int]:
    """One pass over the outbox: deliver what is due. Key-rotation messages go first, alone;
    the rest is spread over ``lanes`` parallel HTTP lanes, all messages of one topic in the
    same lane so that they arrive in the order they were written. A peer that does not answer
    is skipped until its next attempt (exponential backoff with jitter), and a message never
    overtakes an earlier one of its topic that is still waiting.

    Writes are few and short, because on SQLite every write waits for the node's one write lock
    (held meanwhile by the caseworkers' own transactions): the pass leases all its messages in
    one statement, and each lane records its outcomes (receipts, retries) in one transaction per
    ``CHUNK`` messages; sealing, HTTP and signature checks happen outside any transaction."""
    counts = {"delivered": 0, "failed": 0, "rejected": 0}
    now = timezone.now()
    pending = OutboundMessage.objects.filter(state=OutboundMessage.State.PENDING)
    due = list(
        pending.filter(next_attempt_at__lte=now)
        .select_related("peer")
        .order_by("priority", "created_at", "id")[:limit]
    )
    if not due:
        return counts
    waiting: dict[str, datetime] = {}
    for topic, created in (
        pending.filter(next_attempt_at__gt=now).exclude(topic="").values_list("topic", "created_at")
    ):
        waiting[topic] = min(created, waiting.get(topic, created))
    due = _claim(
        [m for m in due if m.topic not in waiting or m.created_at < waiting[m.topic]], now=now
    )
    down: set[int] = set()
    first = [m for m in due if m.priority == 0]
    _deliver_lane(first, down, counts, envelope.Keyring(), close=False)
    keyring = envelope.Keyring()  # after key rotation messages, which may change the keys
    groups: dict[int, list[OutboundMessage]] = {}
    for m in due:
        if m.priority != 0:
            groups.setdefault(_lane(m, lanes), []).append(m)
    if lanes <= 1 or len(groups) <= 1:
        for group in groups.values():
            _deliver_lane(group, down, counts, keyring, close=False)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="federation-lane") as pool:
            list(
                pool.map(
                    lambda g: _deliver_lane(g, down, counts, keyring, close=True), groups.values()
                )
            )
    if counts["delivered"]:
        _peers_back({m.peer_id for m in due} - down)
    return counts


def _claim(messages: list[OutboundMessage], *, now) -> list[OutboundMessage]:
    """Lease the pass's messages in one write: their next attempt moves past the HTTP timeout
    to a value unique to this pass, so a second worker (or a later pass, if this process dies)
    neither sends them meanwhile nor mistakes them for its own."""
    if not messages:
        return []
    lease = now + timedelta(seconds=HTTP_TIMEOUT * 3, microseconds=random.randrange(1, 10**6))
    ids = [m.pk for m in messages]
    with one_writer():
        OutboundMessage.objects.filter(
            pk__in=ids, state=OutboundMessage.State.PENDING, next_attempt_at__lte=now
        ).update(next_attempt_at=lease)
    mine = set(
        OutboundMessage.objects.filter(pk__in=ids, next_attempt_at=lease).values_list(
            "pk", flat=True
        )
    )
    for m in messages:
        m.next_attempt_at = lease
    return [m for m in messages if m.pk in mine]


def _peers_back(peer_ids: set[int]) -> None:
    """Backoff protects a peer that is down; once it answers again, everything that waits only
    because of the network is due now (not after each message's own growing delay)."""
    OutboundMessage.objects.filter(
        peer_id__in=peer_ids,
        state=OutboundMessage.State.PENDING,
        next_attempt_at__gt=timezone.now() + timedelta(seconds=1),
        last_error__startswith=NETWORK_ERROR,
    ).update(next_attempt_at=timezone.now())


@dataclass
class Outcome:
    message: OutboundMessage
    result: str  # delivered, failed, rejected
    receipt: str = ""
    claims: dict | None = None
    error: str = ""


def _deliver_lane(
    messages, down: set, counts: dict, keyring: envelope.Keyring, *, close: bool
) -> None:
    """Send a lane's messages one after the other; record what happened every ``CHUNK``
    messages and at the end, and hand back (as due now) the ones the lane skipped."""
    failed_topics: set[str] = set()
    outcomes: list[Outcome] = []
    skipped: list[OutboundMessage] = []
    try:
        for message in messages:
            if message.peer_id in down or (message.topic and message.topic in failed_topics):
                skipped.append(message)
                continue
            outcome = _attempt(message, down, keyring)
            outcomes.append(outcome)
            if outcome.result != "delivered" and message.topic:
                failed_topics.add(message.topic)
            if len(outcomes) >= CHUNK:
                _record(outcomes, counts)
                outcomes = []
        _record(outcomes, counts, release=skipped)
    finally:
        if close:
            connection.close()


def _attempt(message: OutboundMessage, down: set, keyring: envelope.Keyring) -> Outcome:
    """Seal, POST and check the receipt: no database write."""
    message.attempts += 1
    try:
        token = message_seal(message, keyring=keyring)
        status, body = _post(message.peer.url, token)
    except (OSError, Rejected) as exc:
        down.add(message.peer_id)
        return Outcome(message, "failed", error=f"{NETWORK_ERROR}{exc or exc.__class__.__name__}")
    if _fault("crash_after_post"):
        os._exit(3)
    if status == 200:
        try:
            claims = envelope.verify_receipt(
                body, peer=message.peer, message_id=str(message.message_id), keyring=keyring
            )
        except Rejected as exc:
            return Outcome(message, "failed", error=exc.message)
        return Outcome(message, "delivered", receipt=body, claims=claims)
    if 400 <= status < 500:
        return Outcome(message, "rejected", error=f"{status}: {body[:250]}")
    down.add(message.peer_id)
    return Outcome(message, "failed", error=f"{NETWORK_ERROR}HTTP {status}")


def _record(outcomes: list[Outcome], counts: dict, *, release=()) -> None:
    """One transaction for a chunk of outcomes: receipts (each with its delivery callback, in a
    savepoint of its own, so one failing callback does not undo the others) and retries."""
    if not outcomes and not release:
        return
    with one_writer(), transaction.atomic():
        _record_in_transaction(outcomes, counts, release)


def _record_in_transaction(outcomes: list[Outcome], counts: dict, release) -> None:
    for outcome in outcomes:
        message = outcome.message
        if outcome.result == "delivered":
            try:
                with transaction.atomic():
                    record_delivery(
                        message,
                        claims=outcome.claims,
                        receipt=outcome.receipt,
                        via="http",
                        attempts=message.attempts,
                    )
            except Exception as exc:  # a callback's bug must not lose the other receipts
                log.exception("recording the receipt of %s failed", message.message_id)
                outcome.result, outcome.error = "failed", f"receipt: {exc}"[:300]
        if outcome.result != "delivered":
            _retry_later(message, outcome.error, rejected=outcome.result == "rejected")
        counts[outcome.result] += 1
    if release:
        OutboundMessage.objects.filter(
            pk__in=[m.pk for m in release], next_attempt_at=release[0].next_attempt_at
        ).update(next_attempt_at=timezone.now())


def _retry_later(message: OutboundMessage, error: str, *, rejected: bool = False) -> None:
    """A refused message is retried a few times (the peer may not know a new key yet), then
    left as rejected for an administrator; a network failure is retried without limit."""
    fields = {
        "attempts": message.attempts,
        "last_error": error[:300],
        "next_attempt_at": timezone.now() + _backoff(message.attempts),
    }
    if rejected and message.attempts >= MAX_REJECTIONS:
        fields["state"] = OutboundMessage.State.REJECTED
    OutboundMessage.objects.filter(pk=message.pk, state=OutboundMessage.State.PENDING).update(
        **fields
    )
