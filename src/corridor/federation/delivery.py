"""Delivery of the outbox over HTTP: one pass (``deliver_due``) sends what is due, over parallel
lanes, with exponential backoff for a peer that does not answer and a limit on refusals.

Messages of one topic go through one lane in the order they were written, and a message never
overtakes an earlier one of its topic that is still waiting.
"""

from __future__ import annotations

import os
import random
import urllib.error
import urllib.request
import zlib
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from corridor.federation.envelope import Rejected
from corridor.federation.models import OutboundMessage
from corridor.federation.outbox import message_delivered, message_seal

BACKOFF_BASE = float(os.environ.get("CORRIDOR_FEDERATION_BACKOFF", "1"))
BACKOFF_MAX = 300.0
MAX_REJECTIONS = 10
INBOX_PATH = "/federation/inbox/"
HTTP_TIMEOUT = 10
NETWORK_ERROR = "network: "
LANES = int(os.environ.get("CORRIDOR_FEDERATION_LANES", "4"))


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
    overtakes an earlier one of its topic that is still waiting."""
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
    due = [m for m in due if m.topic not in waiting or m.created_at < waiting[m.topic]]
    down: set[int] = set()
    first = [m for m in due if m.priority == 0]
    _deliver_lane(first, down, counts, close=False)
    groups: dict[int, list[OutboundMessage]] = {}
    for m in due:
        if m.priority != 0:
            groups.setdefault(_lane(m, lanes), []).append(m)
    if lanes <= 1 or len(groups) <= 1:
        for group in groups.values():
            _deliver_lane(group, down, counts, close=False)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="federation-lane") as pool:
            list(pool.map(lambda g: _deliver_lane(g, down, counts, close=True), groups.values()))
    if counts["delivered"]:
        _peers_back({m.peer_id for m in due} - down)
    return counts


def _peers_back(peer_ids: set[int]) -> None:
    """Backoff protects a peer that is down; once it answers again, everything that waits only
    because of the network is due now (not after each message's own growing delay)."""
    OutboundMessage.objects.filter(
        peer_id__in=peer_ids,
        state=OutboundMessage.State.PENDING,
        next_attempt_at__gt=timezone.now() + timedelta(seconds=1),
        last_error__startswith=NETWORK_ERROR,
    ).update(next_attempt_at=timezone.now())


def _deliver_lane(messages, down: set, counts: dict, *, close: bool) -> None:
    failed_topics: set[str] = set()
    try:
        for message in messages:
            if message.peer_id in down or (message.topic and message.topic in failed_topics):
                continue
            result = _deliver_one(message, down)
            counts[result] += 1
            if result != "delivered" and message.topic:
                failed_topics.add(message.topic)
    finally:
        if close:
            connection.close()


def _deliver_one(message: OutboundMessage, down: set) -> str:
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(
        pk=message.pk,
        state=OutboundMessage.State.PENDING,
        next_attempt_at=message.next_attempt_at,
    ).update(next_attempt_at=now + timedelta(seconds=HTTP_TIMEOUT * 3))
    if not claimed:
        return "failed"
    message.attempts += 1
    try:
        token = message_seal(message)
        status, body = _post(message.peer.url, token)
    except (OSError, Rejected) as exc:
        down.add(message.peer_id)
        _retry_later(message, f"{NETWORK_ERROR}{exc or exc.__class__.__name__}")
        return "failed"
    if _fault("crash_after_post"):
        os._exit(3)
    if status == 200:
        try:
            message_delivered(message=message, receipt=body, via="http")
        except Rejected as exc:
            _retry_later(message, exc.message)
            return "failed"
        OutboundMessage.objects.filter(pk=message.pk).update(attempts=message.attempts)
        return "delivered"
    if 400 <= status < 500:
        _retry_later(message, f"{status}: {body[:250]}", rejected=True)
        return "rejected"
    down.add(message.peer_id)
    _retry_later(message, f"{NETWORK_ERROR}HTTP {status}")
    return "failed"


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
