"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint names the head entry (its sequence number and MAC) and is itself MAC'd under a key
derived from the audit secret, in ``audit-checkpoint.json`` beside the node's secrets. It is
written after each successful ``audit verify``, every ``CORRIDOR_AUDIT_CHECKPOINT_EVERY`` entries,
and by ``corridor audit checkpoint``; it never moves backwards, so after a truncation the old
checkpoint stays as evidence and ``audit verify`` reports the missing entries.

Federation hook: ``register_checkpoint_sink(fn)`` adds a callable that receives every checkpoint
written (a dict: node, seq, hash, at, mac), e.g. to send it to the peer node so that the other
country holds a copy too. No sink is registered yet (the peer checkpoint is still to do).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from corridor.audit.models import AuditEntry, chain_key

FILE_NAME = "audit-checkpoint.json"
log = logging.getLogger(__name__)
_SINKS: list[Callable[[dict], None]] = []


def register_checkpoint_sink(sink: Callable[[dict], None]) -> None:
    """Call ``sink(checkpoint)`` after every checkpoint written (see the module docstring)."""
    if sink not in _SINKS:
        _SINKS.append(sink)


def path() -> Path:
    return Path(
        getattr(settings, "CORRIDOR_AUDIT_CHECKPOINT", "") or settings.NODE.data_dir / FILE_NAME
    )


def _mac(body: dict) -> str:
    key = hmac.new(chain_key(), b"corridor-audit-checkpoint", hashlib.sha256).digest()
    canonical = json.dumps(
        {k: body[k] for k in ("node", "seq", "hash", "at")}, sort_keys=True, separators=(",", ":")
    )
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


class CheckpointTampered(Exception):
    """The checkpoint file exists but its MAC does not match: it was edited or forged."""


def read() -> dict | None:
    """The last checkpoint, or None if there is none; raises ``CheckpointTampered``."""
    try:
        body = json.loads(path().read_text())
    except FileNotFoundError:
        return None
    except (ValueError, OSError) as exc:
        raise CheckpointTampered(str(exc)) from exc
    if not isinstance(body, dict) or not all(k in body for k in ("node", "seq", "hash", "at")):
        raise CheckpointTampered("incomplete")
    if not hmac.compare_digest(str(body.get("mac", "")), _mac(body)):
        raise CheckpointTampered("bad mac")
    return body


def write(entry: AuditEntry) -> dict | None:
    """Checkpoint ``entry`` as the head, unless that would move the checkpoint backwards or
    overwrite a checkpoint whose head no longer matches the table (the evidence of a rewrite
    or truncation stays for ``audit verify``). Returns the checkpoint written, or None."""
    try:
        previous = read()
    except CheckpointTampered:
        return None
    if previous is not None:
        if previous["seq"] > entry.seq:
            return None
        if previous["seq"] == entry.seq and previous["hash"] == entry.hash:
            return previous
        held = AuditEntry.objects.filter(seq=previous["seq"]).values_list("hash", flat=True)
        if list(held) != [previous["hash"]]:
            return None
    body = {
        "node": settings.NODE_NAME,
        "seq": entry.seq,
        "hash": entry.hash,
        "at": timezone.now().isoformat(),
    }
    body["mac"] = _mac(body)
    target = path()
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=".audit-checkpoint.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(body, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError:  # the entry is committed; a failed checkpoint must not fail the request
        log.exception("could not write the audit checkpoint %s", target)
        return None
    for sink in _SINKS:
        try:
            sink(dict(body))
        except Exception:  # a sink (e.g. the peer) failing must not fail the request
            log.exception("audit checkpoint sink %r failed", sink)
    return body


def write_head() -> dict | None:
    head = AuditEntry.objects.order_by("-seq").first()
    return write(head) if head is not None else None
