"""The hand-over and family-assessment messages applied on the receiving node (in one process;
``tests/federation/test_child_return.py`` runs the same exchange between two real nodes)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from corridor.childcare import messages, services
from corridor.childcare.models import HandOver
from corridor.federation.models import OutboundMessage
from corridor.federation.peers import peer_register
from corridor.federation.registry import message_type
from corridor.governance.models import purpose_of
from corridor.referrals.models import CrossBorderReferral, CrossBorderStatus
from tests.childcare.conftest import TODAY
from tests.federation.remote import RemoteNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer(db):
    return peer_register(actor=None, data=RemoteNode().identity())


@pytest.fixture
def incoming(peer):
    return CrossBorderReferral.objects.create(
        direction=CrossBorderReferral.Direction.INCOMING,
        peer=peer,
        purpose="return",
        status=CrossBorderStatus.RECEIVED,
        remote_case_ref="GA-2026-000001",
        legal_basis="vital_interest",
    )


def _handover_body(referral) -> dict:
    return {
        "referral": str(referral.uid),
        "handover": str(uuid.uuid4()),
        "date": TODAY.isoformat(),
        "place": "Poste frontière DEMO",
        "escort": "AS DEMO",
        "documents": ["Laissez-passer"],
        "receiving_agency": "DRAS DEMO",
        "handed_by": "AS DEMO",
        "handed_signed_at": timezone.now().isoformat(),
    }


def test_the_messages_serve_the_cross_border_referral_purpose():
    for kind in (
        services.OUTGOING_HANDOVER,
        services.HANDOVER_COUNTERSIGNED,
        services.FAMILY_ASSESSMENT,
    ):
        assert message_type(kind) is not None
        assert purpose_of(kind) == purpose_of("referral.create")


def test_a_hand_over_received_before_acceptance_is_countersigned_once_the_case_exists(
    people, peer, incoming, child
):
    body = _handover_body(incoming)
    messages.on_handover(peer=peer, message=None, body=body)
    copy = HandOver.objects.get(uid=body["handover"])
    assert copy.case is None and copy.side == HandOver.Side.RECEIVING
    with pytest.raises(ValidationError, match="Accept the referral first"):
        services.handover_countersign(actor=people["coordinator"], handover=copy)
    with pytest.raises(ValidationError, match="already received"):
        messages.on_handover(peer=peer, message=None, body=body)
    incoming.case = child
    incoming.status = CrossBorderStatus.ACCEPTED
    incoming.save()
    from corridor.childcare.selectors import child_file

    assert child_file(child)["handovers"] == [copy]
    signed = services.handover_countersign(actor=people["caseworker"], handover=copy)
    assert signed.case == child and signed.countersigned
    sent = OutboundMessage.objects.get(type=services.HANDOVER_COUNTERSIGNED)
    assert json.loads(sent.payload)["handover"] == body["handover"]
    with pytest.raises(ValidationError, match="already countersigned"):
        services.handover_countersign(actor=people["caseworker"], handover=copy)


def test_messages_about_a_referral_whose_sharing_stopped_are_refused(peer, incoming, child):
    incoming.case, incoming.sharing_stopped = child, True
    incoming.save()
    with pytest.raises(ValidationError, match="stopped"):
        messages.on_handover(peer=peer, message=None, body=_handover_body(incoming))
    assert not HandOver.objects.exists()


def test_a_family_assessment_from_the_peer_is_checked_like_one_typed_here(peer, incoming, child):
    incoming.case = child
    incoming.save()
    body = {
        "referral": str(incoming.uid),
        "assessment": str(uuid.uuid4()),
        "assessed_on": TODAY.isoformat(),
        "place": "Kpalimé",
        "assessor": "Service social DEMO",
        "household": "Mère, deux frères.",
        "caregiver_willing": True,
        "caregiver_able": False,
        "recommendation": "return",
    }
    with pytest.raises(ValidationError):
        messages.on_family_assessment(peer=peer, message=None, body=body)
    messages.on_family_assessment(peer=peer, message=None, body={**body, "caregiver_able": True})
    received = child.family_assessments.get()
    assert received.source == "peer" and received.received_from == peer.name


def test_the_childs_file_sends_a_family_assessment_on_the_return_referral(
    people, incoming, child, as_user
):
    from django.urls import reverse

    from tests.childcare.conftest import family

    incoming.case = child
    incoming.status = CrossBorderStatus.ACCEPTED
    incoming.save()
    assessment = family(child, people["caseworker"])
    client = as_user(people["caseworker"])
    page = client.get(reverse("childcare:file", args=[child.pk])).content.decode()
    assert 'name="family_share-assessment"' in page
    response = client.post(
        reverse("childcare:action", args=[child.pk, "family_share"]),
        {"family_share-assessment": assessment.pk},
    )
    assert response.status_code == 302
    sent = OutboundMessage.objects.get(type=services.FAMILY_ASSESSMENT)
    payload = json.loads(sent.payload)
    assert payload["assessment"] == str(assessment.uid) and payload["referral"] == str(incoming.uid)
    assert sent.topic == incoming.topic
