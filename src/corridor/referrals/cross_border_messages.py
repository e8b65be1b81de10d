"""The federation messages of cross-border referrals: their JSON schemas and the handlers that
apply the other node's messages here (registered from ``ReferralsConfig.ready``).

Each handler runs inside the transaction that records the message, so raising ValidationError
refuses the message: it is audited as a rejection and changes nothing.
"""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.federation.models import InboundMessage, OutboundMessage, Peer
from corridor.federation.registry import register_message_type
from corridor.referrals import cross_border_fields
from corridor.referrals.cross_border import (
    CREATE,
    STATUS,
    UPDATE,
    UPDATE_KINDS,
    WITHDRAWN,
    add_event,
    stop_sharing,
)
from corridor.referrals.models import (
    CROSS_BORDER_FLOW,
    RECEIVER_DECISIONS,
    CrossBorderReferral,
    CrossBorderReferralEvent,
    CrossBorderStatus,
)

Kind = CrossBorderReferralEvent.Kind
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TEXT = {"type": "string", "maxLength": 4000}
PERSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "given_names": {"type": "string", "maxLength": 200},
        "family_name": {"type": "string", "maxLength": 200},
        "other_names": {"type": "array", "items": {"type": "string", "maxLength": 300}},
        "gender": {"type": "string", "maxLength": 30},
        "birth_date": _DATE,
        "birth_year": {"type": "integer", "minimum": 1900, "maximum": 2100},
        "estimated_age": {"type": "integer", "minimum": 0, "maximum": 120},
        "age_estimated_on": _DATE,
        "citizenships": {"type": "array", "items": {"type": "string", "maxLength": 3}},
        "languages": {"type": "array", "items": {"type": "string", "maxLength": 3}},
        "unaccompanied": {"type": "boolean"},
        "place_of_origin": {"type": "string", "maxLength": 120},
        "origin_prefecture": {"type": "string", "maxLength": 120},
    },
}
CASE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "is_child": {"type": "boolean"},
        "identified_on": _DATE,
        "child_step": {"type": "string", "maxLength": 30},
        "stage": {"type": "string", "maxLength": 20},
        "exploitation_types": {"type": "array", "items": {"type": "string"}},
        "vulnerabilities": {"type": "array", "items": {"type": "string"}},
    },
}
_REF = {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"}
REFERRAL_CREATE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral", "purpose", "case_ref", "legal_basis", "person", "case"],
    "properties": {
        "referral": _REF,
        "purpose": {"enum": list(cross_border_fields.PURPOSES)},
        "reason": _TEXT,
        "case_ref": {"type": "string", "minLength": 1, "maxLength": 40},
        "legal_basis": {"type": "string", "minLength": 1, "maxLength": 60},
        "referring_agency": {"type": "string", "maxLength": 200},
        "by": {"type": "string", "maxLength": 150},
        "person": PERSON_SCHEMA,
        "case": CASE_SCHEMA,
    },
}
REFERRAL_STATUS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral", "status"],
    "properties": {
        "referral": _REF,
        "status": {"enum": CrossBorderStatus.values},
        "comment": _TEXT,
        "by": {"type": "string", "maxLength": 150},
        "case_ref": {"type": "string", "maxLength": 40},
    },
}
REFERRAL_UPDATE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral", "kind"],
    "properties": {
        "referral": _REF,
        "kind": {"enum": UPDATE_KINDS},
        "text": _TEXT,
        "date": _DATE,
        "by": {"type": "string", "maxLength": 150},
    },
}
REFERRAL_WITHDRAWN_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral"],
    "properties": {"referral": _REF, "by": {"type": "string", "maxLength": 150}},
}


def _referral(peer: Peer, uid: str) -> CrossBorderReferral:
    referral = CrossBorderReferral.objects.select_for_update().filter(peer=peer, uid=uid).first()
    if referral is None:
        raise ValidationError(_("Unknown referral %(r)s.") % {"r": uid})
    return referral


def on_create(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    extra = cross_border_fields.check_minimal(body["purpose"], body["person"], body["case"])
    if extra:
        raise ValidationError(
            _("Fields outside the purpose's minimal set: %(f)s") % {"f": ", ".join(extra)}
        )
    if CrossBorderReferral.objects.filter(peer=peer, uid=body["referral"]).exists():
        raise ValidationError(_("This referral was already received."))
    referral = CrossBorderReferral(
        uid=body["referral"],
        direction=CrossBorderReferral.Direction.INCOMING,
        peer=peer,
        purpose=body["purpose"],
        status=CrossBorderStatus.RECEIVED,
        reason=body.get("reason", ""),
        shared_data=json.dumps(
            {
                "person": body["person"],
                "case": body["case"],
                "referring_agency": body.get("referring_agency", ""),
            },
            ensure_ascii=False,
        ),
        remote_case_ref=body["case_ref"],
        legal_basis=body["legal_basis"],
    )
    # the peer is the one that sent the message and uniqueness was checked just above: no
    # query for either (this runs inside the receiver's write transaction)
    referral.full_clean(exclude=["peer"], validate_constraints=False)
    referral.save()
    add_event(
        referral,
        kind=Kind.STATUS,
        status=CrossBorderStatus.SENT,
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body.get("reason", ""),
        message_id=message.message_id,
    )
    add_event(
        referral,
        kind=Kind.STATUS,
        status=CrossBorderStatus.RECEIVED,
        by_node=settings.NODE_NAME,
        message_id=message.message_id,
    )
    audit_record(
        actor=None,
        action=Action.CREATE,
        target=referral,
        summary=node_text(
            lambda: (
                _("referral %(ref)s received from %(p)s")
                % {"ref": body["case_ref"], "p": peer.name}
            )
        ),
        detail={"purpose": body["purpose"]},
        username=f"node:{peer.name}",
    )


def _mark_received(referral: CrossBorderReferral, *, by_node: str, message_id) -> None:
    """The peer has our referral: its receipt says so, and so does any word from it about it."""
    referral.status = CrossBorderStatus.RECEIVED
    referral.save(update_fields=["status", "updated_at"])
    add_event(
        referral,
        kind=Kind.STATUS,
        status=CrossBorderStatus.RECEIVED,
        by_node=by_node,
        message_id=message_id,
    )


def on_create_delivered(*, outbound: OutboundMessage, result: str) -> None:
    uid = json.loads(outbound.payload)["referral"]
    referral = (
        CrossBorderReferral.objects.select_for_update()
        .filter(peer=outbound.peer, uid=uid, direction=CrossBorderReferral.Direction.OUTGOING)
        .first()
    )
    if referral is None or referral.status != CrossBorderStatus.SENT:
        return
    _mark_received(referral, by_node=outbound.peer.name, message_id=outbound.message_id)


def peer_may_move(referral: CrossBorderReferral, status: str) -> bool:
    """The other node's move must be one the flow table allows from here, and a decision
    (accept, decline, ask for information) comes only from the node that received the referral."""
    if status not in CROSS_BORDER_FLOW.get(referral.status, ()):
        return False
    return status not in RECEIVER_DECISIONS or (
        referral.direction == CrossBorderReferral.Direction.OUTGOING
    )


def on_status(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    """Apply the other node's move of the shared status, checked against the flow table: a
    closed (or declined) referral cannot be moved back, and no move the table forbids is made.
    A refused move raises, so the message is rejected and audited and nothing changes. The same
    status again (both nodes made the same move at once) is only added to the timeline."""
    referral = _referral(peer, body["referral"])
    status = body["status"]
    if (
        referral.status == CrossBorderStatus.SENT
        and referral.direction == CrossBorderReferral.Direction.OUTGOING
        and status != CrossBorderStatus.RECEIVED
    ):
        _mark_received(referral, by_node=peer.name, message_id=None)
    if status != referral.status and not peer_may_move(referral, status):
        raise ValidationError(
            _("The other node cannot move this referral from “%(from)s” to “%(to)s”.")
            % {"from": referral.get_status_display(), "to": status}
        )
    referral.status = status
    if body.get("case_ref") and referral.direction == CrossBorderReferral.Direction.OUTGOING:
        referral.remote_case_ref = body["case_ref"]
    referral.save(update_fields=["status", "remote_case_ref", "updated_at"])
    add_event(
        referral,
        kind=Kind.STATUS,
        status=status,
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body.get("comment", ""),
        message_id=message.message_id,
    )


def on_update(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    referral = _referral(peer, body["referral"])
    add_event(
        referral,
        kind=body["kind"],
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body.get("text", ""),
        date=date.fromisoformat(body["date"]) if body.get("date") else None,
        message_id=message.message_id,
    )


def on_withdrawn(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    referral = _referral(peer, body["referral"])
    stop_sharing(referral)
    add_event(
        referral,
        kind=Kind.CONSENT_WITHDRAWN,
        by_node=peer.name,
        by_name=body.get("by", ""),
        message_id=message.message_id,
    )


def register() -> None:
    """Declare the four message types of cross-border referrals to the federation."""
    register_message_type(
        CREATE,
        REFERRAL_CREATE_SCHEMA,
        on_create,
        on_delivered=on_create_delivered,
        label=gettext_lazy("Cross-border referral"),
    )
    register_message_type(
        STATUS, REFERRAL_STATUS_SCHEMA, on_status, label=gettext_lazy("Referral status")
    )
    register_message_type(
        UPDATE, REFERRAL_UPDATE_SCHEMA, on_update, label=gettext_lazy("Referral update")
    )
    register_message_type(
        WITHDRAWN,
        REFERRAL_WITHDRAWN_SCHEMA,
        on_withdrawn,
        label=gettext_lazy("Consent withdrawn: sharing stopped"),
    )
