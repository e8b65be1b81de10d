"""Data-sharing agreements: a message leaves only under an agreement in force that covers its
purpose, and the refusal says which; a bad agreement is refused whole."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.audit.models import Action, AuditEntry
from corridor.federation.models import OutboundMessage, Peer
from corridor.federation.outbox import message_send
from corridor.governance.agreements import agreement_create, check_send
from corridor.governance.models import Agreement, Purpose
from tests.factories import make_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.no_standing_agreement]


@pytest.fixture
def gabon():
    return Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")


def test_no_agreement_refuses_and_names_the_purpose(gabon):
    with pytest.raises(ValidationError) as refused:
        check_send(peer=gabon, type="tracing.lookup", payload={})
    text = " ".join(refused.value.messages)
    assert "gabon" in text and "Family tracing" in text and "no agreement" in text


def test_an_expired_agreement_is_named(gabon):
    make_agreement(peer="gabon", reference="TG-GA-2019", days_left=-3)
    with pytest.raises(ValidationError) as refused:
        check_send(peer=gabon, type="referral.create", payload={})
    text = " ".join(refused.value.messages)
    assert "TG-GA-2019 expired on" in text
    assert (timezone.localdate() - timedelta(days=3)).isoformat() in text


def test_an_agreement_for_another_purpose_does_not_cover(gabon):
    make_agreement(peer="gabon", purposes=[Purpose.CROSS_BORDER_REFERRAL])
    check_send(peer=gabon, type="referral.status", payload={})
    with pytest.raises(ValidationError, match="Exchange of criminal intelligence"):
        check_send(peer=gabon, type="intel.request", payload={})


def test_an_agreement_with_another_node_does_not_cover(gabon):
    make_agreement(peer="ghana")
    with pytest.raises(ValidationError):
        check_send(peer=gabon, type="tracing.lookup", payload={})


def test_a_type_bound_to_no_purpose_is_refused_and_key_rotation_always_leaves(gabon):
    with pytest.raises(ValidationError, match="serves no purpose"):
        check_send(peer=gabon, type="cases.gossip", payload={})
    check_send(peer=gabon, type="federation.keys", payload={})


def test_message_send_refuses_before_queueing(gabon):
    """The hook in the outbox: nothing is queued and nothing audited as sent."""
    from corridor.tracing import clk
    from corridor.tracing.lookup import LOOKUP_TYPE

    payload = {"version": clk.ENCODING_VERSION, "query_id": "q-1", "queries": []}
    with pytest.raises(ValidationError, match="no data-sharing agreement in force"):
        message_send(actor=None, peer=gabon, type=LOOKUP_TYPE, payload=payload)
    assert OutboundMessage.objects.count() == 0
    assert not AuditEntry.objects.filter(action=Action.SEND).exists()
    make_agreement(peer="gabon")
    message_send(actor=None, peer=gabon, type=LOOKUP_TYPE, payload=payload)
    assert OutboundMessage.objects.count() == 1


def test_create_validates_dates_and_lists(people):
    admin = people["administrator"]
    base = dict(
        actor=admin,
        reference="TG-GA-2026",
        title="Accord Togo–Gabon",
        parties=["togo", "gabon"],
        purposes=[Purpose.CROSS_BORDER_REFERRAL],
    )
    with pytest.raises(ValidationError) as refused:
        agreement_create(**base, starts_on=date(2026, 3, 1), expires_on=date(2026, 2, 1))
    assert "expires_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        agreement_create(
            **(base | {"parties": ["togo"], "purposes": ["gossip"]}),
            starts_on=date(2026, 1, 1),
            expires_on=date(2030, 1, 1),
        )
    assert {"parties", "purposes"} <= set(refused.value.message_dict)
    assert Agreement.objects.count() == 0
    with pytest.raises(PermissionDenied):
        agreement_create(
            **(base | {"actor": people["caseworker"]}),
            starts_on=date(2026, 1, 1),
            expires_on=date(2030, 1, 1),
        )
    made = agreement_create(**base, starts_on=date(2026, 1, 1), expires_on=date(2030, 1, 1))
    assert made.parties == ["gabon", "togo"] and made.in_force(date(2027, 6, 1))
    assert not made.in_force(date(2030, 1, 1))
