"""Item 8: the privacy-preserving look-up is no oracle. Each request of the peer is answered once
a day at most, a peer gets a daily allowance of requests, every look-up received is audited with
the request ids it named, and a national coordinator sees them and may pause them."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.audit.models import Action, AuditEntry
from corridor.federation import identity
from corridor.federation.models import OutboundMessage, Peer, PeerKey
from corridor.tracing import lookup
from corridor.tracing.models import InboundLookup, LookupControl
from tests.permissions import check_matrix
from tests.tracing.conftest import caseworker, child, tracing_request  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(db):
    """A peer sharing this node's encryption key, so both sides derive the same pair key."""
    own = identity.active_key("enc")
    peer = Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    PeerKey.objects.create(peer=peer, use="enc", kid=own.kid, public_jwk=own.public_jwk)
    return peer


@pytest.fixture
def guess(peer, caseworker, tracing_request):  # noqa: F811
    """The body of a look-up as the peer would send it, re-usable under new request ids."""
    lookup.lookup_send(actor=caseworker, request=tracing_request)
    body = json.loads(OutboundMessage.objects.get(type=lookup.LOOKUP_TYPE).payload)

    def make(request_id: str | None = None) -> dict:
        query = dict(body["queries"][0], id=request_id or str(uuid.uuid4()))
        return dict(body, query_id=str(uuid.uuid4()), queries=[query])

    return make


def _answers() -> list[dict]:
    return [
        json.loads(m.payload)
        for m in OutboundMessage.objects.filter(type=lookup.ANSWER_TYPE).order_by("id")
    ]


def test_each_lookup_is_audited_with_the_request_ids(peer, guess, child):  # noqa: F811
    _person, case = child
    body = guess("request-1")
    lookup.on_lookup(peer=peer, message=None, body=body)
    [answer] = _answers()
    assert answer["candidates"][0]["id"] == str(case.uid) and "refused" not in answer
    entry = AuditEntry.objects.get(object_type="tracing.inboundlookup")
    assert entry.action == Action.READ and entry.actor_username == "node:gabon"
    assert entry.detail["requests"] == ["request-1"]
    assert entry.detail["candidates"] == [str(case.uid)]
    assert "clk" not in json.dumps(entry.detail)


def test_a_request_is_answered_once_a_day(peer, guess, child):  # noqa: F811
    lookup.on_lookup(peer=peer, message=None, body=guess("request-1"))
    lookup.on_lookup(peer=peer, message=None, body=guess("request-1"))  # a second guess
    first, second = _answers()
    assert first["candidates"] and second == {
        "query_id": second["query_id"],
        "candidates": [],
        "refused": "repeated",
    }
    refusal = AuditEntry.objects.get(object_type="tracing.inboundlookup", action=Action.REJECT)
    assert refusal.detail["refused"] == "repeated"


def test_a_peer_has_a_daily_allowance(peer, guess, child, settings):  # noqa: F811
    settings.CORRIDOR_LOOKUPS_PER_DAY = 5
    for _ in range(35):  # the attack of the review: 35 guesses under made-up request ids
        lookup.on_lookup(peer=peer, message=None, body=guess())
    answered = [a for a in _answers() if "refused" not in a]
    assert len(answered) == 5
    assert {a.get("refused") for a in _answers()} == {None, "rate_limited"}
    assert InboundLookup.objects.count() == 35
    assert AuditEntry.objects.filter(object_type="tracing.inboundlookup").count() == 35


def test_a_coordinator_sees_and_pauses_the_lookups(peer, guess, people, as_user):
    lookup.on_lookup(peer=peer, message=None, body=guess())
    client = as_user(people["coordinator"])
    page = client.get(reverse("tracing:lookups")).content.decode()
    assert "Les recherches du nœud Gabon reçoivent une réponse." in page  # the country, not "gabon"
    client.post(reverse("tracing:lookups_pause"), {"paused": "1"})
    assert LookupControl.objects.get(peer="gabon").paused
    lookup.on_lookup(peer=peer, message=None, body=guess())
    assert _answers()[-1]["refused"] == "paused"
    assert AuditEntry.objects.filter(object_type="tracing.lookupcontrol").count() == 1
    client.post(reverse("tracing:lookups_pause"), {"paused": "0"})
    lookup.on_lookup(peer=peer, message=None, body=guess())
    assert "refused" not in _answers()[-1]


def test_lookup_pages_permission_matrix(people, peer):
    allowed = {Role.COORDINATOR}
    assert check_matrix(reverse("tracing:lookups"), people, allowed) == []
    assert (
        check_matrix(
            reverse("tracing:lookups_pause"), people, allowed, method="post", data={"paused": "1"}
        )
        == []
    )
