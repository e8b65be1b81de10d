"""Item 11 (the peer's copy): every checkpoint of the audit chain goes to the peer node as a
signed ``federation.audit_checkpoint`` message; the peer keeps it; ``corridor audit verify --against
SEQ:HASH`` (with a copy read on the peer by ``corridor audit checkpoints``) catches a chain
rewritten or cut here, even by someone holding this node's audit key."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from corridor.audit import checkpoint
from corridor.audit.models import Action, AuditEntry, PeerCheckpoint
from corridor.audit.services import audit_record
from corridor.federation import identity
from corridor.federation.checkpoints import CHECKPOINT_TYPE
from corridor.federation.inbox import inbox_accept
from corridor.federation.models import OutboundMessage
from tests.federation.conftest import own_keys, remote  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_each_checkpoint_is_queued_for_the_peer(remote):  # noqa: F811
    for n in range(3):
        audit_record(actor=None, action=Action.CREATE, summary=f"entry {n}")
    written = checkpoint.write_head()
    [message] = OutboundMessage.objects.filter(type=CHECKPOINT_TYPE)
    assert message.peer == remote.peer
    assert json.loads(message.payload) == written


def _received(remote, own_keys, body):  # noqa: F811
    token = remote.seal(remote.envelope(CHECKPOINT_TYPE, body), recipient_jwk=own_keys["enc"])
    return inbox_accept(token=token)


def test_the_peer_keeps_the_checkpoint_it_receives(remote, own_keys, capsys):  # noqa: F811
    body = {
        "node": "gabon",
        "seq": 12,
        "hash": "a" * 64,
        "at": "2026-03-01T10:00:00",
        "mac": "b" * 64,
    }
    result, _receipt = _received(remote, own_keys, body)
    assert result == "applied"
    held = PeerCheckpoint.objects.get()
    assert (held.peer, held.seq, held.hash) == ("gabon", 12, "a" * 64)
    assert AuditEntry.objects.filter(object_type="audit.peercheckpoint").exists()
    call_command("audit", "checkpoints")
    assert f"gabon 12:{'a' * 64}" in capsys.readouterr().out


def test_a_peer_cannot_send_another_hash_for_a_checkpoint_or_anothers_chain(
    remote,  # noqa: F811
    own_keys,  # noqa: F811
):
    body = {"node": "gabon", "seq": 12, "hash": "a" * 64, "at": "x", "mac": "b" * 64}
    _received(remote, own_keys, body)
    from corridor.federation.envelope import Rejected

    with pytest.raises(Rejected):
        _received(remote, own_keys, dict(body, hash="c" * 64))
    with pytest.raises(Rejected):
        _received(remote, own_keys, dict(body, node="togo", seq=13))
    assert PeerCheckpoint.objects.count() == 1


def test_verify_against_the_peers_copy_catches_a_rewrite_and_a_cut(db):
    identity.ensure_identity()
    entries = [audit_record(actor=None, action=Action.CREATE, summary=f"e{n}") for n in range(4)]
    peer_copy = f"{entries[2].seq}:{entries[2].hash}"
    call_command("audit", "verify", against=peer_copy)
    # someone with the disk (database, audit key, checkpoint file) rewrites the chain from the
    # third entry on: every MAC is right, the local checkpoint is gone
    AuditEntry.objects.filter(seq__gte=entries[2].seq).delete()
    audit_record(actor=None, action=Action.CREATE, summary="forged")
    checkpoint.path().unlink(missing_ok=True)
    with pytest.raises(CommandError, match="rewritten"):
        call_command("audit", "verify", against=peer_copy)
    AuditEntry.objects.filter(seq__gte=entries[2].seq).delete()
    with pytest.raises(CommandError, match="cut"):
        call_command("audit", "verify", against=peer_copy)
