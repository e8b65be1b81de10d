"""Item 11: the chain is keyed (HMAC under a secret the database does not hold) and its head is
checkpointed outside the database, so verify catches edits, rewrites and truncation."""

from __future__ import annotations

import hashlib
import importlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from corridor.audit import checkpoint
from corridor.audit.models import GENESIS_HASH, Action, AuditEntry
from corridor.audit.services import audit_record, audit_verify
from tests.platform.test_audit import _chain as chain
from tests.security.helpers import database_text

pytestmark = pytest.mark.django_db


def _chain(n=6):
    return chain(n)


def _bare(prev: str, entry: AuditEntry) -> str:
    """What an attacker without the key computes: the chain as it was (bare SHA-256)."""
    canonical = json.dumps(
        entry.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256((prev + canonical).encode()).hexdigest()


def _rewrite_from(seq: int, summary: str) -> None:
    """Edit entry ``seq`` and recompute every later hash as someone with the table can."""
    AuditEntry.objects.filter(seq=seq).update(summary=summary)
    entries = list(AuditEntry.objects.order_by("seq"))
    prev = GENESIS_HASH
    for entry in entries:
        if entry.seq >= seq:
            entry.prev_hash = prev
            entry.hash = _bare(prev, entry)
            AuditEntry.objects.filter(pk=entry.pk).update(
                prev_hash=entry.prev_hash, hash=entry.hash
            )
        prev = entry.hash


def test_a_rewrite_that_recomputes_every_later_hash_is_caught():
    entries = _chain()
    _rewrite_from(entries[2].seq, "forged")
    report = audit_verify()
    assert not report.ok and report.seq == entries[2].seq


def test_an_edit_is_caught():
    entries = _chain()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET summary = 'x' WHERE seq = %s", [entries[3].seq])
    assert audit_verify().seq == entries[3].seq


def test_removing_the_last_entries_is_caught_after_a_checkpoint():
    entries = _chain()
    assert audit_verify().ok  # checkpoints the head
    AuditEntry.objects.filter(seq__gt=entries[3].seq).delete()
    report = audit_verify()
    assert not report.ok and "removed from the end" in report.problem


def test_cutting_the_chain_and_appending_new_entries_is_caught():
    entries = _chain()
    assert audit_verify().ok
    AuditEntry.objects.filter(seq__gte=entries[4].seq).delete()
    for i in range(5):  # the chain grows back past the checkpoint, validly keyed
        audit_record(actor=None, action=Action.UPDATE, summary=f"new {i}")
    report = audit_verify()
    assert not report.ok and report.seq == len(entries)


def test_a_forged_checkpoint_file_is_caught():
    _chain()
    assert audit_verify().ok
    body = json.loads(checkpoint.path().read_text())
    body["seq"] = 2
    checkpoint.path().write_text(json.dumps(body))
    report = audit_verify()
    assert not report.ok and "altered" in report.problem


def test_the_checkpoint_never_moves_back_over_a_truncation():
    entries = _chain()
    assert audit_verify().ok
    AuditEntry.objects.filter(seq__gt=entries[1].seq).delete()
    assert checkpoint.write_head() is None
    with pytest.raises(CommandError):
        call_command("audit", "checkpoint")
    assert not audit_verify().ok


def test_the_head_is_checkpointed_every_n_entries(settings, django_capture_on_commit_callbacks):
    settings.CORRIDOR_AUDIT_CHECKPOINT_EVERY = 5
    with django_capture_on_commit_callbacks(execute=True):
        _chain(8)
    assert checkpoint.read()["seq"] == 5


def test_checkpoint_command(capsys):
    _chain(3)
    call_command("audit", "checkpoint")
    assert "checkpointed at #" in capsys.readouterr().out
    assert checkpoint.read()["seq"] == AuditEntry.objects.count()


def test_the_key_is_not_in_the_database():
    _chain(2)
    from corridor.audit.models import chain_key

    assert chain_key().decode() not in database_text()


def _legacy_chain(n=4):
    """A chain as the previous release wrote it (bare SHA-256)."""
    entries = _chain(n)
    prev = GENESIS_HASH
    for entry in entries:
        entry.prev_hash, entry.hash = prev, _bare(prev, entry)
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
        prev = entry.hash
    return entries


def _migration():
    return importlib.import_module("corridor.audit.migrations.0002_key_the_chain")


def test_the_migration_keys_an_existing_chain():
    entries = _legacy_chain()
    assert not audit_verify(write_checkpoint=False).ok
    _migration().key_the_chain(apps, None)
    report = audit_verify()
    assert report.ok and report.checked == len(entries)
    _rewrite_from(entries[1].seq, "forged")
    assert not audit_verify().ok


def test_the_migration_refuses_a_chain_already_broken():
    entries = _legacy_chain()
    AuditEntry.objects.filter(seq=entries[2].seq).update(summary="forged")
    with pytest.raises(RuntimeError, match=f"#{entries[2].seq}"):
        _migration().key_the_chain(apps, None)
