"""Cross-border intelligence requests through the federation's message types."""

import json

import pytest
from django.core.exceptions import ValidationError

from corridor.federation.models import OutboundMessage, Peer
from corridor.federation.registry import message_type
from corridor.intel import exchange, services
from corridor.intel.models import IntelRequest
from tests.permissions import check_matrix


@pytest.fixture
def peer(db):
    # Registered directly: peer registration and keys are the federation's own tests.
    return Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")


def test_message_types_are_registered():
    assert message_type("intel.request") is not None
    assert message_type("intel.response") is not None


def test_identifiers_are_normalised_or_refused():
    assert exchange.parse_identifiers("phone: 90 01 10 11\nvehicle: tg 4821-ab\n") == [
        {"kind": "phone", "value": "+22890011011"},
        {"kind": "vehicle", "value": "TG4821AB"},
    ]
    with pytest.raises(ValidationError) as error:
        exchange.parse_identifiers("phone: 12\nname: Kossi")
    assert len(error.value.messages) == 2
    assert error.value.messages[0].startswith("line 1") or "1" in error.value.messages[0]


@pytest.mark.django_db
def test_request_answer_round_trip(seeded, people, peer):
    asker = people["investigator"]
    shared = services.entity_create(
        actor=None, kind="vehicle", name="GA 1111 ZZ", source="x", handling="P"
    )
    owner = services.entity_create(
        actor=None, kind="person", name="Obiang DEMO", source="x", handling="P"
    )
    services.link_create(
        actor=None,
        kind="ownership",
        source_entity=owner,
        target_entity=shared,
        source="x",
        handling="P",
    )
    sent = exchange.intel_request_send(
        actor=asker,
        peer=peer,
        identifiers=exchange.parse_identifiers(
            "phone: +241 77 01 10 32\nvehicle: GA 1111 ZZ\nphone: +228 70 99 99 99"
        ),
        purpose="Enquête DEMO sur le réseau du corridor",
        legal_basis="Accord d'entraide judiciaire DEMO",
    )
    outbound = OutboundMessage.objects.get(type="intel.request")
    body = json.loads(outbound.payload)
    assert body["request_id"] == str(sent.request_id)
    # The peer receives it (here: the same database plays the other node).
    exchange.on_request(peer=peer, message=None, body=body)
    exchange.on_request(peer=peer, message=None, body=body)
    received = IntelRequest.objects.get(direction="in")
    assert received.status == "received"
    answered = exchange.intel_response_send(actor=people["investigator"], request=received)
    results = {r["value"]: r for r in answered.answer}
    assert results["+24177011032"]["known"] and not results["+24177011032"]["shared"]
    assert results["+24177011032"]["events"] > 0
    assert results["+24177011032"]["linked"] == []
    assert results["GA1111ZZ"]["shared"]
    assert results["GA1111ZZ"]["linked"] == [
        {"kind": "person", "name": "Obiang DEMO", "link": "ownership", "grading": "F6"}
    ]
    assert results["+22870999999"] == {"kind": "phone", "value": "+22870999999", "known": False}
    with pytest.raises(ValidationError):
        exchange.intel_response_send(actor=people["investigator"], request=received)
    response = json.loads(OutboundMessage.objects.get(type="intel.response").payload)
    message_type("intel.response").validate(response)
    exchange.on_response(peer=peer, message=None, body=response)
    sent.refresh_from_db()
    assert sent.status == "answered" and len(sent.answer) == 3


@pytest.mark.django_db
def test_request_pages(seeded, people, peer, as_user):
    assert check_matrix("/intel/requests/", people, {"investigator"}) == []
    client = as_user(people["investigator"])
    response = client.post(
        "/intel/requests/",
        {
            "peer": peer.pk,
            "identifiers": "phone: 12",
            "purpose": "Enquête DEMO",
            "legal_basis": "MLA",
        },
    )
    assert response.status_code == 200 and IntelRequest.objects.count() == 0
    response = client.post(
        "/intel/requests/",
        {
            "peer": peer.pk,
            "identifiers": "phone: 90 01 10 11",
            "purpose": "Enquête DEMO",
            "legal_basis": "MLA",
        },
    )
    assert response.status_code == 302 and IntelRequest.objects.count() == 1
    out = IntelRequest.objects.get()
    response = client.post(f"/intel/requests/{out.pk}/answer/", follow=True)
    assert IntelRequest.objects.get().status == "sent"
