"""Cross-border intelligence requests, carried by the federation as signed, encrypted messages.

An investigator asks the other country's node about identifiers (phones, wallets, plates,
documents): ``intel.request``. The receiving node records the request and shows it to its own
investigators; nothing is answered automatically. When one of them answers, ``intel.response``
carries, per identifier, whether it is known there, its grading and activity counts, and the
linked entities only where the item, the link and the linked entity all permit lawful sharing
(handling code P); items under conditions (C) only say "held: contact us". Both directions are audited on both nodes.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.intel.models import (
    Entity,
    EntityKind,
    Event,
    ExchangeDirection,
    ExchangeStatus,
    Handling,
    IntelRequest,
    Link,
)
from corridor.intel.services import _require_investigator, _user, entity_key

REQUEST_TYPE = "intel.request"
RESPONSE_TYPE = "intel.response"
ASKABLE = [EntityKind.PHONE, EntityKind.ACCOUNT, EntityKind.VEHICLE, EntityKind.DOCUMENT]

REQUEST_SCHEMA = {
    "type": "object",
    "required": ["request_id", "identifiers", "purpose", "legal_basis"],
    "additionalProperties": False,
    "properties": {
        "request_id": {"type": "string", "format": "uuid", "maxLength": 36},
        "identifiers": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["kind", "value"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"enum": [str(k) for k in ASKABLE]},
                    "value": {"type": "string", "minLength": 3, "maxLength": 120},
                },
            },
        },
        "purpose": {"type": "string", "minLength": 5, "maxLength": 500},
        "legal_basis": {"type": "string", "minLength": 3, "maxLength": 300},
    },
}
RESPONSE_SCHEMA = {
    "type": "object",
    "required": ["request_id", "results"],
    "additionalProperties": False,
    "properties": {
        "request_id": {"type": "string", "maxLength": 36},
        "results": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["kind", "value", "known"],
                "properties": {
                    "kind": {"type": "string"},
                    "value": {"type": "string"},
                    "known": {"type": "boolean"},
                    "grading": {"type": "string"},
                    "shared": {"type": "boolean"},
                    "events": {"type": "integer"},
                    "first_seen": {"type": ["string", "null"]},
                    "last_seen": {"type": ["string", "null"]},
                    "linked": {"type": "array", "maxItems": 50},
                },
            },
        },
    },
}


def parse_identifiers(text: str) -> list[dict]:
    """``kind: value`` per line (``phone: +228 90 12 34 56``), normalised to natural keys.

    A bad line is an error naming it; nothing is sent with a half-read list.
    """
    identifiers, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        kind, _sep, value = line.partition(":")
        kind = kind.strip().lower()
        if kind not in ASKABLE or not value.strip():
            problems.append(
                _("line %(line)d: write “kind: value” with kind one of %(kinds)s")
                % {"line": number, "kinds": ", ".join(ASKABLE)}
            )
            continue
        try:
            identifiers.append({"kind": kind, "value": entity_key(kind=kind, name=value.strip())})
        except ValidationError as error:
            problems.append(
                _("line %(line)d: %(error)s") % {"line": number, "error": " ".join(error.messages)}
            )
    if problems:
        raise ValidationError(problems)
    if not identifiers:
        raise ValidationError(_("Give at least one identifier."))
    return identifiers


@transaction.atomic
def intel_request_send(
    *, actor, peer, identifiers: list[dict], purpose: str, legal_basis: str
) -> IntelRequest:
    """Ask the other node about identifiers; the purpose and legal basis travel with the request."""
    from corridor.federation.outbox import message_send

    _require_investigator(actor)
    request = IntelRequest(
        direction=ExchangeDirection.OUT,
        request_id=uuid.uuid4(),
        peer=peer.name,
        identifiers=identifiers,
        purpose=purpose,
        legal_basis=legal_basis,
        status=ExchangeStatus.SENT,
        created_by=_user(actor),
    )
    request.full_clean()
    request.save()
    message_send(
        actor=actor,
        peer=peer,
        type=REQUEST_TYPE,
        payload={
            "request_id": str(request.request_id),
            "identifiers": identifiers,
            "purpose": purpose,
            "legal_basis": legal_basis,
        },
    )
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=request,
        summary=node_text(gettext_noop("intelligence request to %(peer)s"), peer=peer.name),
        detail={"identifiers": len(identifiers)},
    )
    return request


def on_request(*, peer, message, body: dict) -> None:
    """Receiving node: record the request for the investigators (once per request id)."""
    if IntelRequest.objects.filter(
        direction=ExchangeDirection.IN, request_id=body["request_id"]
    ).exists():
        return
    request = IntelRequest(
        direction=ExchangeDirection.IN,
        request_id=body["request_id"],
        peer=peer.name,
        identifiers=body["identifiers"],
        purpose=body["purpose"],
        legal_basis=body["legal_basis"],
        status=ExchangeStatus.RECEIVED,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=request,
        summary=node_text(gettext_noop("intelligence request from %(peer)s"), peer=peer.name),
        detail={"identifiers": len(body["identifiers"])},
        username=f"node:{peer.name}",
    )


def _shareable(entity: Entity) -> bool:
    """A linked entity is named to the other node only if its own handling code (and that of
    the record it was merged into) permits sharing; victims' case references never are."""
    if entity.kind == EntityKind.CASE_REF or entity.handling != Handling.PERMITTED:
        return False
    return entity.merged_into_id is None or entity.canonical.handling == Handling.PERMITTED


def intel_request_apply(*, identifiers: list[dict]) -> list[dict]:
    """What this node may say about each identifier (see the module docstring)."""
    results = []
    for item in identifiers[:50]:
        entity = Entity.objects.filter(kind=item["kind"], key=item["value"]).first()
        if entity is None:
            results.append({"kind": item["kind"], "value": item["value"], "known": False})
            continue
        entity = entity.canonical
        members = [entity.pk, *entity.merged.values_list("pk", flat=True)]
        events = Event.objects.filter(participations__entity__in=members).distinct()
        span = events.aggregate(first=Min("at"), last=Max("at"))
        shared = entity.handling == Handling.PERMITTED
        linked = []
        if shared:
            for link in Link.objects.filter(
                source_entity__in=members, handling=Handling.PERMITTED
            ).select_related("target_entity")[:50]:
                other = link.target_entity
                if not _shareable(other):
                    continue
                linked.append(
                    {
                        "kind": other.kind,
                        "name": other.name,
                        "link": link.kind,
                        "grading": link.grading,
                    }
                )
            for link in Link.objects.filter(
                target_entity__in=members, handling=Handling.PERMITTED
            ).select_related("source_entity")[:50]:
                other = link.source_entity
                if not _shareable(other):
                    continue
                linked.append(
                    {
                        "kind": other.kind,
                        "name": other.name,
                        "link": link.kind,
                        "grading": link.grading,
                    }
                )
        results.append(
            {
                "kind": item["kind"],
                "value": item["value"],
                "known": True,
                "grading": entity.grading,
                "shared": shared,
                "events": events.count(),
                "first_seen": span["first"].date().isoformat() if span["first"] else None,
                "last_seen": span["last"].date().isoformat() if span["last"] else None,
                "linked": linked[:50],
            }
        )
    return results


@transaction.atomic
def intel_response_send(*, actor, request: IntelRequest) -> IntelRequest:
    """An investigator of the receiving node answers a request, once."""
    from corridor.federation.models import Peer
    from corridor.federation.outbox import message_send

    _require_investigator(actor)
    request = IntelRequest.objects.select_for_update().get(pk=request.pk)
    if request.direction != ExchangeDirection.IN:
        raise PermissionDenied(_("Only a request received from the other node can be answered."))
    if request.status == ExchangeStatus.ANSWERED:
        raise ValidationError(_("This request was already answered."))
    peer = Peer.objects.filter(name=request.peer, is_active=True).first()
    if peer is None:
        raise ValidationError(_("The requesting node is not an active peer."))
    results = intel_request_apply(identifiers=request.identifiers)
    request.answer = results
    request.status = ExchangeStatus.ANSWERED
    request.answered_at = timezone.now()
    request.answered_by = _user(actor)
    request.save(update_fields=["answer", "status", "answered_at", "answered_by"])
    message_send(
        actor=actor,
        peer=peer,
        type=RESPONSE_TYPE,
        payload={"request_id": str(request.request_id), "results": results},
    )
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=request,
        summary=node_text(gettext_noop("intelligence response to %(peer)s"), peer=peer.name),
        detail={"known": sum(1 for r in results if r["known"])},
    )
    return request


def on_response(*, peer, message, body: dict) -> None:
    """Asking node: store the answer on the request it answers (once)."""
    request = (
        IntelRequest.objects.select_for_update()
        .filter(direction=ExchangeDirection.OUT, request_id=body["request_id"], peer=peer.name)
        .first()
    )
    if request is None:
        raise ValidationError(_("This answer matches no intelligence request of ours."))
    if request.status == ExchangeStatus.ANSWERED:
        return
    request.answer = body["results"]
    request.status = ExchangeStatus.ANSWERED
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "status", "answered_at"])
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=request,
        summary=node_text(gettext_noop("intelligence response from %(peer)s"), peer=peer.name),
        detail={"known": sum(1 for r in body["results"] if r.get("known"))},
        username=f"node:{peer.name}",
    )


def register() -> None:
    """Declare the two message types to the federation (called from ``IntelConfig.ready``)."""
    try:
        from corridor.federation.registry import register_message_type
    except ImportError:  # pragma: no cover - the federation app is part of the node
        return
    register_message_type(REQUEST_TYPE, REQUEST_SCHEMA, on_request)
    register_message_type(RESPONSE_TYPE, RESPONSE_SCHEMA, on_response)
