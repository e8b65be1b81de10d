"""The federation messages of the child's case (registered from ``ChildcareConfig.ready``), all
under the "referral." prefix so that the governance send check maps them to the cross-border
referral purpose: the return hand-over (each node keeps its copy; the receiving side's
countersignature comes back) and the family assessment of the area of origin.

Each handler runs inside the transaction that records the message: raising ValidationError
refuses it (audited as a rejection, nothing changed).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.childcare.models import FamilyAssessment, HandOver
from corridor.childcare.services import (
    FAMILY_ASSESSMENT,
    HANDOVER_COUNTERSIGNED,
    OUTGOING_HANDOVER,
    _family_assessment_save,
)
from corridor.federation.models import InboundMessage, Peer
from corridor.federation.registry import register_message_type

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_UID = {"type": "string", "pattern": "^[0-9a-f-]{36}$"}
_TIME = {"type": "string", "format": "date-time", "maxLength": 40}
_TEXT = {"type": "string", "maxLength": 4000}
_SHORT = {"type": "string", "maxLength": 200}

HANDOVER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "referral",
        "handover",
        "date",
        "place",
        "escort",
        "documents",
        "receiving_agency",
        "handed_by",
        "handed_signed_at",
    ],
    "properties": {
        "referral": _UID,
        "handover": _UID,
        "date": _DATE,
        "place": {"type": "string", "minLength": 1, "maxLength": 150},
        "escort": {"type": "string", "minLength": 1, "maxLength": 200},
        "documents": {"type": "array", "items": _SHORT, "maxItems": 50},
        "receiving_agency": {"type": "string", "minLength": 1, "maxLength": 200},
        "handed_by": {"type": "string", "maxLength": 150},
        "handed_signed_at": _TIME,
        "remarks": _TEXT,
    },
}
COUNTERSIGNED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["referral", "handover", "received_by", "received_signed_at"],
    "properties": {
        "referral": _UID,
        "handover": _UID,
        "received_by": {"type": "string", "maxLength": 150},
        "received_signed_at": _TIME,
    },
}
FAMILY_ASSESSMENT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "referral",
        "assessment",
        "assessed_on",
        "place",
        "assessor",
        "household",
        "recommendation",
    ],
    "properties": {
        "referral": _UID,
        "assessment": _UID,
        "assessed_on": _DATE,
        "place": {"type": "string", "minLength": 1, "maxLength": 150},
        "assessor": {"type": "string", "minLength": 1, "maxLength": 150},
        "household": _TEXT,
        "caregiver_name": _SHORT,
        "caregiver_willing": {"type": "boolean"},
        "caregiver_able": {"type": "boolean"},
        "living_conditions": _TEXT,
        "risks": _TEXT,
        "support_needed": _TEXT,
        "recommendation": {"enum": FamilyAssessment.Recommendation.values},
    },
}


def _referral(peer: Peer, uid: str):
    from corridor.referrals.models import CrossBorderReferral

    referral = CrossBorderReferral.objects.filter(peer=peer, uid=uid).first()
    if referral is None:
        raise ValidationError(_("Unknown referral %(r)s.") % {"r": uid})
    if referral.sharing_stopped:
        raise ValidationError(_("Sharing of this referral was stopped."))
    return referral


def on_handover(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    """Keep our copy of the hand-over the other node signed, for the receiving side to
    countersign on the child's case here."""
    referral = _referral(peer, body["referral"])
    if HandOver.objects.filter(uid=body["handover"]).exists():
        raise ValidationError(_("This hand-over was already received."))
    handover = HandOver.objects.create(
        uid=body["handover"],
        case=referral.case,
        referral=referral,
        side=HandOver.Side.RECEIVING,
        date=date.fromisoformat(body["date"]),
        place=body["place"],
        escort=body["escort"],
        documents=body["documents"],
        receiving_agency=body["receiving_agency"],
        handed_by=body["handed_by"],
        handed_signed_at=datetime.fromisoformat(body["handed_signed_at"]),
        remarks=body.get("remarks", ""),
    )
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=handover,
        summary=node_text(gettext_noop("hand-over received from %(p)s"), p=peer.name),
        username=f"node:{peer.name}",
    )


def on_countersigned(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    referral = _referral(peer, body["referral"])
    handover = (
        HandOver.objects.select_for_update()
        .filter(uid=body["handover"], referral=referral, side=HandOver.Side.HANDING)
        .first()
    )
    if handover is None:
        raise ValidationError(_("Unknown hand-over %(h)s.") % {"h": body["handover"]})
    if handover.countersigned:
        raise ValidationError(_("This hand-over is already countersigned."))
    handover.received_by = body["received_by"]
    handover.received_signed_at = datetime.fromisoformat(body["received_signed_at"])
    handover.version += 1
    handover.save()
    audit_record(
        actor=None,
        action=Action.UPDATE,
        target=handover,
        summary=node_text(gettext_noop("hand-over countersigned by %(p)s"), p=peer.name),
        username=f"node:{peer.name}",
    )


def on_family_assessment(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    referral = _referral(peer, body["referral"])
    if referral.case is None:
        raise ValidationError(_("The referral has no case on this node yet."))
    if FamilyAssessment.objects.filter(uid=body["assessment"]).exists():
        raise ValidationError(_("This family assessment was already received."))
    fields = {
        k: body.get(k, "")
        for k in ("place", "assessor", "household", "caregiver_name", "living_conditions")
    }
    fields.update({k: body.get(k, "") for k in ("risks", "support_needed", "recommendation")})
    _family_assessment_save(
        actor=None,
        case=referral.case,
        uid=body["assessment"],
        assessed_on=date.fromisoformat(body["assessed_on"]),
        caregiver_willing=bool(body.get("caregiver_willing")),
        caregiver_able=bool(body.get("caregiver_able")),
        source=FamilyAssessment.Source.PEER,
        received_from=peer.name,
        **fields,
    )


def register() -> None:
    register_message_type(
        OUTGOING_HANDOVER, HANDOVER_SCHEMA, on_handover, label=gettext_lazy("Return hand-over")
    )
    register_message_type(
        HANDOVER_COUNTERSIGNED,
        COUNTERSIGNED_SCHEMA,
        on_countersigned,
        label=gettext_lazy("Hand-over countersigned"),
    )
    register_message_type(
        FAMILY_ASSESSMENT,
        FAMILY_ASSESSMENT_SCHEMA,
        on_family_assessment,
        label=gettext_lazy("Family assessment of the area of origin"),
    )
