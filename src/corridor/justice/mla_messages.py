"""The federation messages of cross-border requests (``justice.`` types, purpose: mutual legal
assistance): their JSON schemas and the handlers that apply the other node's messages here,
registered from ``JusticeConfig.ready``. Each handler runs inside the transaction recording the
message, so a ValidationError refuses it: audited as a rejection, nothing changed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, choice_label, node_about
from corridor.core import said
from corridor.core.vocab import vocabulary
from corridor.federation.models import InboundMessage, Peer
from corridor.federation.registry import register_message_type
from corridor.justice.mla import ANSWER, REQUEST, WITHDRAWN, add_event
from corridor.justice.models import MLA_FLOW, MlaEvent, MlaRequest, MlaStatus

_REF = {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"}
_NAME = {"type": "string", "maxLength": 150}
_TEXT = {"type": "string", "maxLength": 8000}
REQUEST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["request", "kind", "case_ref", "subject", "deadline"],
    "properties": {
        "request": _REF,
        "kind": {"type": "string", "maxLength": 30},
        "case_ref": {"type": "string", "minLength": 1, "maxLength": 40},
        "jurisdiction": {"type": "string", "maxLength": 30},
        "subject": {**_TEXT, "minLength": 1},
        "deadline": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "by": _NAME,
        "approved_by": _NAME,
        "suspect": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "maxLength": 200},
                "identifiers": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {"type": "string", "maxLength": 200},
                },
            },
        },
        "victim": {
            "type": "object",
            "additionalProperties": False,
            "required": ["ground", "details"],
            "properties": {
                "ground": {"type": "string", "minLength": 1, "maxLength": 40},
                "details": {"type": "string", "maxLength": 2000},
            },
        },
    },
}
ANSWER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["request", "complete", "text"],
    "properties": {
        "request": _REF,
        "complete": {"type": "boolean"},
        "text": {**_TEXT, "minLength": 1},
        "by": _NAME,
    },
}
WITHDRAWN_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["request"],
    "properties": {"request": _REF, "by": _NAME, "reason": {"type": "string", "maxLength": 2000}},
}


def _request(peer: Peer, uid: str, direction: str) -> MlaRequest:
    found = (
        MlaRequest.objects.select_for_update()
        .filter(peer=peer, uid=uid, direction=direction)
        .first()
    )
    if found is None:
        raise ValidationError(_("Unknown cross-border request %(r)s.") % {"r": uid})
    return found


def on_request(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    from datetime import date

    if body["kind"] not in vocabulary("justice.mla_kind"):
        raise ValidationError(_("Unknown kind of request: %(k)s") % {"k": body["kind"]})
    jurisdiction = body.get("jurisdiction", "")
    if jurisdiction:
        terms = {t.code: t for t in vocabulary("justice.jurisdiction").terms}
        if (
            jurisdiction not in terms
            or terms[jurisdiction].extra.get("country") != settings.NODE_COUNTRY
        ):
            raise ValidationError(_("This court is not one of this country's."))
    victim = body.get("victim")
    if victim and victim["ground"] not in vocabulary("cases.legal_ground"):
        raise ValidationError(_("Unknown legal ground."))
    if MlaRequest.objects.filter(uid=body["request"]).exists():
        raise ValidationError(_("This request was already received."))
    suspect = body.get("suspect", {})
    request = MlaRequest(
        uid=body["request"],
        direction=MlaRequest.Direction.INCOMING,
        peer=peer,
        kind=body["kind"],
        status=MlaStatus.RECEIVED,
        case_ref=body["case_ref"],
        jurisdiction=jurisdiction,
        subject=body["subject"],
        suspect_name=suspect.get("name", ""),
        suspect_identifiers="\n".join(suspect.get("identifiers", [])),
        victim_ground=victim["ground"] if victim else "",
        victim_details=victim["details"] if victim else "",
        deadline=date.fromisoformat(body["deadline"]),
        sender_name=body.get("by", ""),
    )
    request.full_clean(exclude=["peer"], validate_constraints=False)
    request.save()
    add_event(
        request,
        kind=MlaEvent.Kind.RECEIVED,
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=said.say(said.MLA_APPROVED_BY, name=body.get("approved_by", "")),
        message_id=message.message_id,
    )
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=request,
        summary=node_about(
            body["case_ref"],
            gettext_noop("cross-border request received from %(peer)s"),
            peer=peer.name,
        ),
        detail={"kind": body["kind"], "jurisdiction": jurisdiction},
        username=f"node:{peer.name}",
    )


def on_answer(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    """The other node answers our request; a withdrawn request takes no answer (the message is
    refused, and the refusal audited)."""
    request = _request(peer, body["request"], MlaRequest.Direction.OUTGOING)
    if request.status == MlaStatus.WITHDRAWN:
        raise ValidationError(_("This request was withdrawn by the sender: it takes no answer."))
    status = MlaStatus.ANSWERED if body["complete"] else MlaStatus.PARTLY_ANSWERED
    if status not in MLA_FLOW[request.status]:
        raise ValidationError(_("This request was already answered in full."))
    previous = request.status
    request.status = status
    request.reminded = ""
    request.save(update_fields=["status", "reminded", "updated_at"])
    add_event(
        request,
        kind=MlaEvent.Kind.FULL_ANSWER if body["complete"] else MlaEvent.Kind.PARTIAL_ANSWER,
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body["text"],
        message_id=message.message_id,
    )
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=request,
        summary=node_about(
            request.case_ref,
            gettext_noop("answer received from %(peer)s (%(status)s)"),
            peer=peer.name,
            status=choice_label(MlaStatus, status),
        ),
        detail={"from": previous, "to": status},
        username=f"node:{peer.name}",
    )


def on_withdrawn(*, peer: Peer, message: InboundMessage, body: dict) -> None:
    request = _request(peer, body["request"], MlaRequest.Direction.INCOMING)
    if MlaStatus.WITHDRAWN not in MLA_FLOW[request.status]:
        raise ValidationError(_("This request can no longer be withdrawn."))
    previous = request.status
    request.status = MlaStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    add_event(
        request,
        kind=MlaEvent.Kind.WITHDRAWN,
        by_node=peer.name,
        by_name=body.get("by", ""),
        text=body.get("reason", ""),
        message_id=message.message_id,
    )
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=request,
        summary=node_about(
            request.case_ref,
            gettext_noop("cross-border request withdrawn by %(peer)s"),
            peer=peer.name,
        ),
        detail={"from": previous, "to": MlaStatus.WITHDRAWN},
        username=f"node:{peer.name}",
    )


def register() -> None:
    """Declare the three ``justice.`` message types to the federation."""
    register_message_type(
        REQUEST, REQUEST_SCHEMA, on_request, label=gettext_lazy("Cross-border police request")
    )
    register_message_type(
        ANSWER, ANSWER_SCHEMA, on_answer, label=gettext_lazy("Answer to a cross-border request")
    )
    register_message_type(
        WITHDRAWN,
        WITHDRAWN_SCHEMA,
        on_withdrawn,
        label=gettext_lazy("Cross-border request withdrawn"),
    )
