"""Privacy-preserving look-up across the border: "do you hold a child matching this request?"

The asking node sends the Bloom-filter encoding of the sought child (``tracing.clk``), never
a name; the peer encodes its own children with the same pair key, and answers with opaque case
ids and match probabilities computed from the fields' Dice similarities. Details of a candidate
follow only through a referral, with consent.

Answering is an oracle (an encoding of a guessed name answered with a score), so the answering
side holds it in check (``on_lookup``): a look-up names the asker's tracing requests (one per
query; ``lookup_send`` asks only for open requests with consent) and each request is answered
once a day at most; a peer gets at most ``CORRIDOR_LOOKUPS_PER_DAY`` requests answered in 24
hours; a coordinator sees every look-up received and may pause a peer's (``lookup_pause``); each
look-up received, answered or refused, is audited with the request ids it named.

The pair key needs no exchange: it is derived (HKDF) from an ECDH agreement between this node's
federation encryption key and the peer's, which only the two nodes can compute. The message
names the two key ids used, so a key rotation on either side does not break look-ups in flight.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.cases.models import Case, Status
from corridor.tracing import clk
from corridor.tracing.models import (
    InboundLookup,
    LookupControl,
    PeerLookup,
    RequestStatus,
    TracingRequest,
)
from corridor.tracing.ranking import parent_names, person_record

LOOKUP_TYPE = "tracing.lookup"
ANSWER_TYPE = "tracing.lookup_answer"
TOP_K = 5
FLOOR = 0.1
LOOKUP_MANAGERS = (Role.COORDINATOR,)
DAY = timedelta(days=1)
"""Candidates under this match probability are not worth a referral and are not reported."""

_B64 = {"type": "string", "pattern": "^[A-Za-z0-9+/]+={0,2}$", "maxLength": 400}
LOOKUP_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "query_id", "queries"],
    "properties": {
        "version": {"const": clk.ENCODING_VERSION},
        "query_id": {"type": "string", "maxLength": 64},
        "keys": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"asker": {"type": "string"}, "answerer": {"type": "string"}},
        },
        "queries": {
            "type": "array",
            "maxItems": 100,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "clk"],
                "properties": {"id": {"type": "string", "maxLength": 64}, "clk": _B64},
            },
        },
    },
}
ANSWER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["query_id", "candidates"],
    "properties": {
        "query_id": {"type": "string", "maxLength": 64},
        "refused": {"type": "string", "maxLength": 20},
        "candidates": {
            "type": "array",
            "maxItems": 500,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["query", "id", "score"],
                "properties": {
                    "query": {"type": "string", "maxLength": 64},
                    "id": {"type": "string", "maxLength": 64},
                    "score": {"type": "number", "minimum": 0, "maximum": 1},
                },
            },
        },
    },
}


def lookup_request_build(*, requests: list[TracingRequest], key: bytes, query_id: str) -> dict:
    """The look-up message: one encoding per request under an opaque id, nothing else."""
    return {
        "version": clk.ENCODING_VERSION,
        "query_id": query_id,
        "queries": [
            {
                "id": str(r.uid),
                "clk": clk.to_text(clk.encode(record=r.as_record(), key=key, side="left")),
            }
            for r in requests
        ],
    }


def children_encodings(*, key: bytes) -> list[tuple[str, bytes]]:
    """This node's children of open child cases, encoded; ids are case uids (opaque)."""
    cases = list(
        Case.objects.filter(is_child=True, person__merged_into__isnull=True)
        .exclude(status=Status.CLOSED)
        .select_related("person")
    )
    parents = parent_names([c.person for c in cases])
    return [
        (
            str(c.uid),
            clk.encode(
                record=person_record(c.person, parents=parents.get(c.person_id, {})),
                key=key,
                side="right",
            ),
        )
        for c in cases
    ]


def lookup_answer(*, payload: dict, key: bytes, top_k: int = TOP_K, floor: float = FLOOR) -> dict:
    """The answer to a look-up: per query, the best candidates' case uids and scores."""
    if payload.get("version") != clk.ENCODING_VERSION:
        raise ValidationError(_("The look-up uses an encoding this node does not know."))
    try:
        queries = [(q["id"], clk.from_text(q["clk"])) for q in payload["queries"]]
    except (KeyError, ValueError) as exc:
        raise ValidationError(_("The look-up is malformed.")) from exc
    found = clk.best_candidates(
        queries=queries, targets=children_encodings(key=key), top_k=top_k, floor=floor
    )
    return {
        "query_id": payload["query_id"],
        "candidates": [{"query": c.query_id, "id": c.target_id, "score": c.score} for c in found],
    }


# --- over the federation --------------------------------------------------------------------


def federation_peer():
    """The active peer node, or None while the federation is not set up."""
    try:
        from corridor.federation.models import Peer
    except ImportError:  # pragma: no cover - the federation app is part of the project
        return None
    return Peer.objects.filter(is_active=True).order_by("id").first()


def _peer_enc_key(peer, kid: str = ""):
    keys = peer.keys.filter(use="enc").exclude(status="retired")
    key = keys.filter(kid=kid).first() if kid else keys.filter(status="active").first()
    if key is None:
        raise ValidationError(_("The peer node's encryption key is not known."))
    return key


def pair_key_with(peer, *, mine: str = "", theirs: str = "") -> tuple[bytes, str, str]:
    """The linkage key shared with ``peer``: HKDF over ECDH(our enc key, their enc key)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from corridor.federation import identity

    own = identity.live_key(mine, "enc") if mine else identity.active_key("enc")
    if own is None:
        raise ValidationError(_("This node's encryption key for the look-up was retired."))
    other = _peer_enc_key(peer, theirs)
    shared = identity.private_key(own).private_key.exchange(
        ec.ECDH(), identity.public_key(other.public_jwk).public_key
    )
    return (
        clk.pair_key(secret=shared, nodes=(settings.NODE_NAME, peer.name)),
        own.kid,
        other.kid,
    )


@transaction.atomic
def lookup_send(*, actor, request: TracingRequest) -> PeerLookup:
    """Ask the peer about one open request (the request's consent covers tracing)."""
    from corridor.federation.outbox import message_send

    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("Only an open request can be looked up."))
    if not request.consent_given:
        raise ValidationError(_("The requester has not consented to tracing."))
    peer = federation_peer()
    if peer is None:
        raise ValidationError(_("No peer node is registered yet."))
    key, mine, theirs = pair_key_with(peer)
    record = PeerLookup.objects.create(request=request, peer=peer.name, sent_by=actor)
    payload = lookup_request_build(requests=[request], key=key, query_id=str(record.query_id))
    payload["keys"] = {"asker": mine, "answerer": theirs}
    message_send(actor=actor, peer=peer, type=LOOKUP_TYPE, payload=payload)
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=record,
        summary=node_text(gettext_noop("tracing look-up of %(ref)s"), ref=request.ref),
        detail={"peer": peer.name, "query_id": str(record.query_id)},
    )
    return record


def _refusal(peer_name: str, request_ids: list[str]) -> str:
    """Why a look-up from ``peer_name`` naming ``request_ids`` is not answered, or ``""``."""
    if LookupControl.objects.filter(peer=peer_name, paused=True).exists():
        return "paused"
    since = timezone.now() - DAY
    recent = InboundLookup.objects.filter(peer=peer_name, received_at__gte=since, refused="")
    answered = {rid for ids in recent.values_list("requests", flat=True) for rid in ids}
    if len(set(request_ids)) != len(request_ids) or answered & set(request_ids):
        return "repeated"
    if len(answered) + len(request_ids) > settings.CORRIDOR_LOOKUPS_PER_DAY:
        return "rate_limited"
    return ""


def on_lookup(*, peer, message, body: dict) -> None:
    """Peer side: answer with candidate ids and scores, as a message of its own, unless the
    look-ups of this peer are paused, a request was already answered in the last 24 hours, or
    the peer's daily allowance is spent (then the answer says so and names no candidate).
    Audited either way, with the peer's request ids, never the encodings."""
    from corridor.federation.outbox import message_send

    request_ids = [str(q.get("id", "")) for q in body.get("queries", [])]
    refused = _refusal(peer.name, request_ids)
    if refused:
        answer = {"query_id": body["query_id"], "candidates": [], "refused": refused}
    else:
        keys = body.get("keys") or {}
        key, _mine, _theirs = pair_key_with(
            peer, mine=keys.get("answerer", ""), theirs=keys.get("asker", "")
        )
        answer = lookup_answer(payload=body, key=key)
    record = InboundLookup.objects.create(
        peer=peer.name,
        query_id=str(body["query_id"])[:64],
        requests=request_ids,
        candidates=len(answer["candidates"]),
        refused=refused,
    )
    audit_record(
        actor=None,
        action=Action.REJECT if refused else Action.READ,
        target=record,
        summary=(
            node_text(
                lambda: (
                    _("look-up from %(p)s refused (%(why)s)") % {"p": peer.name, "why": refused}
                    if refused
                    else ngettext(
                        "look-up from %(p)s answered: %(n)s candidate",
                        "look-up from %(p)s answered: %(n)s candidates",
                        record.candidates,
                    )
                    % {"p": peer.name, "n": record.candidates}
                )
            )
        ),
        detail={
            "requests": request_ids,
            "candidates": [c["id"] for c in answer["candidates"]],
            "refused": refused,
        },
        username=f"node:{peer.name}",
    )
    message_send(actor=None, peer=peer, type=ANSWER_TYPE, payload=answer)


@transaction.atomic
def lookup_pause(*, actor, peer: str, paused: bool) -> LookupControl:
    """Pause (or resume) answering ``peer``'s look-ups. National coordinators only."""
    if actor is None or not actor.has_role(*LOOKUP_MANAGERS):
        raise PermissionDenied(_("Only a national coordinator can pause the look-ups."))
    control, _created = LookupControl.objects.select_for_update().get_or_create(peer=peer)
    control.paused, control.changed_by, control.changed_at = paused, actor, timezone.now()
    control.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=control,
        summary=node_text(
            lambda: (
                (_("look-ups from %(p)s paused") if paused else _("look-ups from %(p)s resumed"))
                % {"p": peer}
            )
        ),
    )
    return control


def on_answer(*, peer, message, body: dict) -> None:
    """Asking side: store the candidates on the look-up they answer (once)."""
    record = (
        PeerLookup.objects.select_for_update()
        .filter(query_id=body["query_id"], peer=peer.name)
        .first()
    )
    if record is None:
        raise ValidationError(_("This answer matches no look-up of ours."))
    if record.answered_at is not None:
        return
    record.answer = [{"id": c["id"], "score": c["score"]} for c in body["candidates"]]
    record.answered_at = timezone.now()
    record.save(update_fields=["answer", "answered_at"])
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=record,
        summary=node_text(
            lambda: (
                ngettext(
                    "tracing look-up answered: %(n)s candidate",
                    "tracing look-up answered: %(n)s candidates",
                    len(record.answer),
                )
                % {"n": len(record.answer)}
            )
        ),
        detail={"refused": body.get("refused", "")},
        username=f"node:{peer.name}",
    )


def register() -> None:
    """Declare the two message types to the federation (called from ``TracingConfig.ready``)."""
    try:
        from corridor.federation.registry import register_message_type
    except ImportError:  # pragma: no cover
        return
    register_message_type(LOOKUP_TYPE, LOOKUP_SCHEMA, on_lookup)
    register_message_type(ANSWER_TYPE, ANSWER_SCHEMA, on_answer)
