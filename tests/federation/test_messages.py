"""The inbox against every way a message can be wrong: each is refused, audited, never applied."""

from __future__ import annotations

import time

import pytest

from corridor.audit.models import Action, AuditEntry
from corridor.federation import delivery, envelope, identity, outbox, peers
from corridor.federation.envelope import Rejected
from corridor.federation.inbox import inbox_accept
from corridor.federation.models import InboundMessage, KeyStatus, PeerKey
from tests.federation.remote import RemoteNode

pytestmark = pytest.mark.django_db


def _keys_body(node: RemoteNode) -> dict:
    return {"keys": [node.jwk(node.sign, "sig"), node.jwk(node.enc, "enc")]}


def _post(client, token: str):
    return client.post("/federation/inbox/", data=token, content_type="application/jose")


def _rejections(code: str) -> int:
    return AuditEntry.objects.filter(action=Action.REJECT, summary__startswith=f"{code}:").count()


def test_identity_keys_are_created_once_and_private_keys_are_sealed(own_keys):
    from corridor.federation.models import NodeKey

    assert NodeKey.objects.count() == 2
    for key in NodeKey.objects.all():
        assert '"d"' not in key.private_jwe and key.private_jwe.count(".") == 4
        assert "d" not in key.public_jwk
    services_keys = identity.ensure_identity()
    assert NodeKey.objects.count() == 2
    assert {k.kid for k in services_keys.values()} == {k["kid"] for k in own_keys.values()}


def test_peer_registration_checks_fingerprints_and_is_idempotent(remote):
    assert PeerKey.objects.filter(peer=remote.peer).count() == 2
    peers.peer_register(actor=None, data=remote.identity())
    assert PeerKey.objects.filter(peer=remote.peer).count() == 2
    altered = remote.identity()
    altered["keys"][0]["x"] = altered["keys"][1]["x"]
    with pytest.raises(Exception, match="fingerprint|valid"):
        peers.peer_register(actor=None, data=altered)
    with pytest.raises(Exception, match="Corridor node identity|JSON"):
        peers.peer_register(actor=None, data="{not json")


def test_valid_message_applied_once_then_duplicate(client, remote, own_keys):
    new = RemoteNode()
    token = remote.seal(
        remote.envelope("federation.keys", _keys_body(new)), recipient_jwk=own_keys["enc"]
    )
    first = _post(client, token)
    assert first.status_code == 200 and first["X-Corridor-Result"] == "applied"
    second = _post(client, token)
    assert second.status_code == 200 and second["X-Corridor-Result"] == "duplicate"
    message = InboundMessage.objects.get()
    assert message.duplicates == 1
    assert first.content == message.receipt.encode()  # the duplicate is answered afresh
    # the new keys became active, the old ones retiring (still verify in-flight messages)
    assert PeerKey.objects.filter(peer=remote.peer, status=KeyStatus.ACTIVE).count() == 2
    assert PeerKey.objects.filter(peer=remote.peer, status=KeyStatus.RETIRING).count() == 2
    assert AuditEntry.objects.filter(action=Action.RECEIVE).count() == 1


def test_receipt_is_signed_by_this_node(client, remote, own_keys):
    from joserfc import jws
    from joserfc.jwk import ECKey

    env = remote.envelope("federation.keys", _keys_body(remote))
    response = _post(client, remote.seal(env, recipient_jwk=own_keys["enc"]))
    public = ECKey.import_key({k: own_keys["sig"][k] for k in ("kty", "crv", "x", "y")})
    claims = jws.deserialize_compact(response.content.decode(), public).payload
    assert env["id"].encode() in claims


@pytest.mark.parametrize(
    "case",
    [
        "tampered",
        "wrong_signing_key",
        "wrong_encryption_key",
        "expired",
        "future",
        "misaddressed",
        "unknown_sender",
        "schema",
        "garbage",
    ],
)
def test_bad_messages_are_rejected_audited_and_not_applied(client, remote, own_keys, case):
    body = _keys_body(remote)
    env = remote.envelope("federation.keys", body)
    recipient = own_keys["enc"]
    code = {
        "tampered": "tampered",
        "wrong_signing_key": "wrong_key",
        "wrong_encryption_key": "wrong_key",
        "expired": "expired",
        "future": "clock_skew",
        "misaddressed": "misaddressed",
        "unknown_sender": "unknown_sender",
        "schema": "invalid",
        "garbage": "malformed",
    }[case]
    if case == "expired":
        env = remote.envelope("federation.keys", body, now=time.time() - 3600 - envelope.SKEW - 60)
    elif case == "future":
        env = remote.envelope("federation.keys", body, now=time.time() + envelope.SKEW + 60)
    elif case == "misaddressed":
        env = remote.envelope("federation.keys", body, to="gabon")
    elif case == "schema":
        env = remote.envelope("federation.keys", {"keys": "all of them"})
    if case == "wrong_signing_key":
        token = remote.seal(env, recipient_jwk=recipient, sign_key=RemoteNode().sign)
    elif case == "wrong_encryption_key":
        token = remote.seal(env, recipient_jwk=RemoteNode().jwk(RemoteNode().enc, "enc"))
    elif case == "unknown_sender":
        stranger = RemoteNode(name="togo")
        stranger_env = stranger.envelope("federation.keys", body)
        stranger_env["from"] = "benin"
        token = stranger.seal(stranger_env, recipient_jwk=recipient)
    elif case == "garbage":
        token = "not.a.sealed.message.at-all"
    else:
        token = remote.seal(env, recipient_jwk=recipient)
    if case == "tampered":
        parts = token.split(".")
        middle = parts[3]
        parts[3] = middle[:10] + ("A" if middle[10] != "A" else "B") + middle[11:]
        token = ".".join(parts)
    response = _post(client, token)
    assert response.status_code == 400
    assert response.json()["error"] == code
    assert _rejections(code) == 1
    assert InboundMessage.objects.count() == 0
    assert PeerKey.objects.filter(peer=remote.peer).count() == 2


def test_clock_skew_within_tolerance_is_accepted(client, remote, own_keys):
    ahead = remote.envelope(
        "federation.keys", _keys_body(remote), now=time.time() + envelope.SKEW - 60
    )
    assert _post(client, remote.seal(ahead, recipient_jwk=own_keys["enc"])).status_code == 200
    late = remote.envelope(
        "federation.keys", _keys_body(remote), now=time.time() - 3600 - envelope.SKEW + 60
    )
    assert _post(client, remote.seal(late, recipient_jwk=own_keys["enc"])).status_code == 200
    assert InboundMessage.objects.count() == 2


def test_replay_after_expiry_is_rejected_even_if_first_copy_was_applied(remote, own_keys):
    env = remote.envelope("federation.keys", _keys_body(remote))
    token = remote.seal(env, recipient_jwk=own_keys["enc"])
    assert inbox_accept(token=token)[0] == "applied"
    with pytest.raises(Rejected) as info:
        inbox_accept(token=token, now=time.time() + 3600 + envelope.SKEW + 1)
    assert info.value.code == "expired"
    assert InboundMessage.objects.get().duplicates == 0


def test_rotation_keeps_retiring_key_for_messages_in_flight(remote, own_keys):
    from corridor.federation.models import NodeKey, OutboundMessage

    old_enc = own_keys["enc"]
    in_flight = remote.seal(
        remote.envelope("federation.keys", _keys_body(remote)), recipient_jwk=old_enc
    )
    peers.identity_rotate(actor=None)
    assert NodeKey.objects.filter(status=KeyStatus.RETIRING).count() == 2
    assert NodeKey.objects.filter(status=KeyStatus.ACTIVE).count() == 2
    assert inbox_accept(token=in_flight)[0] == "applied"
    rotation = OutboundMessage.objects.get(type="federation.keys")
    sealed = outbox.message_seal(rotation)
    opened = remote.open(sealed, own_keys["sig"])  # still verifies with the OLD signing key
    assert {k["kid"] for k in opened["body"]["keys"]} == set(
        NodeKey.objects.filter(status=KeyStatus.ACTIVE).values_list("kid", flat=True)
    )
    assert peers.keys_retire(actor=None) == 0
    from datetime import timedelta

    rotation.state = OutboundMessage.State.DELIVERED
    rotation.save()
    assert peers.keys_retire(actor=None, older_than=timedelta(0)) == 2
    with pytest.raises(Rejected):
        inbox_accept(
            token=remote.seal(
                remote.envelope("federation.keys", _keys_body(remote)), recipient_jwk=old_enc
            )
        )


def test_backoff_grows_and_is_lifted_when_the_peer_answers_again(remote):
    from datetime import timedelta

    from django.utils import timezone

    from corridor.federation.models import OutboundMessage

    body = _keys_body(remote)
    message = outbox.message_send(
        actor=None, peer=remote.peer, type="federation.keys", payload=body
    )
    counts = delivery.deliver_due(lanes=1)  # the remote's URL answers nothing
    message.refresh_from_db()
    assert counts["failed"] == 1 and message.attempts == 1
    assert message.last_error.startswith(delivery.NETWORK_ERROR)
    first_delay = message.next_attempt_at - timezone.now()
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    delivery.deliver_due(lanes=1)
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at - timezone.now() > first_delay
    delivery._peers_back({remote.peer.pk})
    message.refresh_from_db()
    assert message.next_attempt_at <= timezone.now() + timedelta(seconds=1)
