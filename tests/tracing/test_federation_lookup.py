"""The look-up through the federation's message types: request out, answer back, no name."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from corridor.federation import identity
from corridor.federation.models import OutboundMessage, Peer, PeerKey
from corridor.federation.registry import message_type
from corridor.tracing import lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(db):
    """A peer whose encryption key is this node's own: both sides then derive the same pair key,
    as two real nodes do from their two key pairs."""
    own = identity.active_key("enc")
    peer = Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    PeerKey.objects.create(peer=peer, use="enc", kid=own.kid, public_jwk=own.public_jwk)
    return peer


def test_message_types_are_registered():
    assert message_type(lookup.LOOKUP_TYPE) is not None
    assert message_type(lookup.ANSWER_TYPE) is not None


def test_lookup_round_trip(peer, caseworker, child, tracing_request):
    _person, case = child
    record = lookup.lookup_send(actor=caseworker, request=tracing_request)
    sent = OutboundMessage.objects.get(type=lookup.LOOKUP_TYPE)
    body = json.loads(sent.payload)
    text = sent.payload.lower()
    assert "akuvi" not in text and "mensah" not in text and "kloto" not in text
    lookup.on_lookup(peer=peer, message=None, body=body)
    answer = json.loads(OutboundMessage.objects.get(type=lookup.ANSWER_TYPE).payload)
    assert answer["candidates"][0]["id"] == str(case.uid)
    lookup.on_answer(peer=peer, message=None, body=answer)
    record.refresh_from_db()
    assert record.answered_at is not None
    assert record.answer[0]["id"] == str(case.uid)
    assert set(record.answer[0]) == {"id", "score"}


def test_an_answer_to_no_lookup_is_refused(peer):
    with pytest.raises(ValidationError):
        lookup.on_answer(peer=peer, message=None, body={"query_id": "nope", "candidates": []})


def test_no_lookup_without_a_peer(caseworker, tracing_request):
    with pytest.raises(ValidationError):
        lookup.lookup_send(actor=caseworker, request=tracing_request)
