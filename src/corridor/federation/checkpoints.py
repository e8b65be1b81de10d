"""The audit chain's checkpoints, sent to the peer node and kept there (issue 12, item 11).

Every checkpoint this node writes (``audit.checkpoint``: the head's sequence number and MAC,
itself MAC'd) goes to the active peers as a ``federation.audit_checkpoint`` message, signed by this node's
key like every message. The peer stores it (``audit.PeerCheckpoint``) and lists it with
``corridor audit checkpoints``; this node's ``corridor audit verify --against SEQ:HASH`` then
proves its chain still holds that entry unchanged, which a rewrite of the whole database here
cannot fake."""

from __future__ import annotations

import logging

from django.db import transaction

from corridor.audit import checkpoint
from corridor.audit.services import peer_checkpoint_store
from corridor.federation.outbox import message_send
from corridor.federation.registry import register_message_type
from corridor.federation.selectors import active_peers

CHECKPOINT_TYPE = "federation.audit_checkpoint"
CHECKPOINT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["node", "seq", "hash", "at", "mac"],
    "properties": {
        "node": {"type": "string", "maxLength": 40},
        "seq": {"type": "integer", "minimum": 1},
        "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "at": {"type": "string", "maxLength": 40},
        "mac": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    },
}
log = logging.getLogger(__name__)


def send_checkpoint(body: dict) -> None:
    """The checkpoint sink: queue the checkpoint for every active peer."""
    with transaction.atomic():
        for peer in active_peers():
            message_send(actor=None, peer=peer, type=CHECKPOINT_TYPE, payload=body)


def _on_checkpoint(*, peer, message, body: dict) -> None:
    if body["node"] != peer.name:
        from django.core.exceptions import ValidationError

        raise ValidationError("a checkpoint names its sender's own chain only")
    peer_checkpoint_store(peer=peer.name, body=body)


def register() -> None:
    """Called from ``FederationConfig.ready``."""
    register_message_type(CHECKPOINT_TYPE, CHECKPOINT_SCHEMA, _on_checkpoint)
    checkpoint.register_checkpoint_sink(send_checkpoint)
