"""Writes of cross-border referrals: refer a case to the other country's node, decide on one
received, move the shared status along ``CROSS_BORDER_FLOW``, share updates, and stop sharing
when consent is withdrawn. Each write is audited here and told to the other node as a federation
message under the referral's topic (``cross_border_messages`` applies the peer's)."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role
from corridor.accounts.selectors import case_holding_agencies
from corridor.audit.models import Action
from corridor.audit.services import audit_record, choice_label, node_about, node_move, node_text
from corridor.cases.selectors import can_manage
from corridor.federation.models import Peer
from corridor.federation.outbox import message_send, messages_cancel
from corridor.referrals import cross_border_fields
from corridor.referrals.models import (
    CROSS_BORDER_FLOW,
    RECEIVER_DECISIONS,
    CrossBorderReferral,
    CrossBorderReferralEvent,
    CrossBorderStatus,
)

CREATE, STATUS, UPDATE, WITHDRAWN = (
    "referral.create",
    "referral.status",
    "referral.update",
    "referral.consent_withdrawn",
)
UPDATE_KINDS = [
    k
    for k in CrossBorderReferralEvent.Kind.values
    if k
    not in (CrossBorderReferralEvent.Kind.STATUS, CrossBorderReferralEvent.Kind.CONSENT_WITHDRAWN)
]


def actor_name(actor) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]


def add_event(
    referral, *, kind, by_node, by_name="", status="", text="", date=None, message_id=None
) -> CrossBorderReferralEvent:
    return CrossBorderReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        status=status,
        text=text,
        date=date,
        by_node=by_node,
        by_name=by_name,
        message_id=message_id,
    )


def _require_sharing(referral: CrossBorderReferral) -> None:
    if referral.sharing_stopped:
        raise ValidationError(
            _(
                "Consent to share this case with the other country was withdrawn: nothing more is sent."
            )
        )


def legal_basis(case) -> str:
    """The active cross-border consent or legal ground of the case, or '' when there is none."""
    for consent in case.consents.filter(purpose="cross_border", withdrawn_on__isnull=True):
        if consent.active:
            return consent.legal_ground or (
                "guardian_consent" if consent.given_by_guardian else "consent"
            )
    return ""


def can_work_on(user, referral: CrossBorderReferral) -> bool:
    """Coordinators work on every referral of their node; others on the referrals of cases they
    may manage."""
    if user.has_role(Role.COORDINATOR):
        return True
    return referral.case is not None and can_manage(user, referral.case)


def can_decide(user, referral: CrossBorderReferral) -> bool:
    """Only the receiving node's coordinator decides, while a decision is still possible."""
    return (
        user.has_role(Role.COORDINATOR)
        and referral.direction == CrossBorderReferral.Direction.INCOMING
        and not referral.sharing_stopped
        and any(s in RECEIVER_DECISIONS for s in CROSS_BORDER_FLOW.get(referral.status, ()))
    )


def shared_moves(status: str) -> list[str]:
    """The shared-status moves either node's case team may make from ``status``."""
    return [s for s in CROSS_BORDER_FLOW.get(status, ()) if s not in RECEIVER_DECISIONS]


@transaction.atomic
def referral_send(
    *, actor, case, peer: Peer, purpose: str, reason: str = ""
) -> CrossBorderReferral:
    """Refer a case to the other country's node: only with recorded consent for cross-border
    sharing (or a recorded legal ground), and only the fields the purpose needs."""
    if not can_manage(actor, case):
        raise PermissionDenied(_("You cannot refer this case."))
    if purpose not in cross_border_fields.PURPOSES:
        raise ValidationError({"purpose": _("Choose the purpose of the referral.")})
    basis = legal_basis(case)
    if not basis:
        raise ValidationError(
            _(
                "No consent (or legal ground) for sharing with the other country is recorded on this case: record it first."
            )
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is referred.")})
    open_one = CrossBorderReferral.objects.filter(
        case=case, peer=peer, direction=CrossBorderReferral.Direction.OUTGOING
    ).exclude(status__in=[CrossBorderStatus.DECLINED, CrossBorderStatus.CLOSED])
    if open_one.exists():
        raise ValidationError(_("This case already has an open referral to that node."))
    minimal = cross_border_fields.minimal_payload(case, purpose)
    referral = CrossBorderReferral(
        direction=CrossBorderReferral.Direction.OUTGOING,
        peer=peer,
        case=case,
        purpose=purpose,
        status=CrossBorderStatus.SENT,
        reason=reason.strip(),
        shared_data=json.dumps(minimal, ensure_ascii=False),
        remote_case_ref=case.ref,
        legal_basis=basis,
        agency=case.agency,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    add_event(
        referral,
        kind=CrossBorderReferralEvent.Kind.STATUS,
        status=CrossBorderStatus.SENT,
        by_node=settings.NODE_NAME,
        by_name=actor_name(actor),
        text=reason.strip(),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=referral,
        summary=node_text(gettext_noop("%(ref)s referred to %(p)s"), ref=case.ref, p=peer.name),
        detail={
            "purpose": purpose,
            "fields": sorted(minimal["person"]) + sorted(minimal["case"]),
            "legal_basis": basis,
        },
    )
    message_send(
        actor=actor,
        peer=peer,
        type=CREATE,
        topic=referral.topic,
        payload={
            "referral": str(referral.uid),
            "purpose": purpose,
            "reason": reason.strip(),
            "case_ref": case.ref,
            "legal_basis": basis,
            "referring_agency": str(case.agency),
            "by": actor_name(actor),
            **minimal,
        },
    )
    return referral


def _move(actor, referral: CrossBorderReferral, status: str, comment: str, **detail) -> None:
    """Record a move of the shared status made here (timeline, audit) and tell the other node."""
    previous = referral.status
    referral.status = status
    referral.save()
    add_event(
        referral,
        kind=CrossBorderReferralEvent.Kind.STATUS,
        status=status,
        by_node=settings.NODE_NAME,
        by_name=actor_name(actor),
        text=comment,
    )
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=referral,
        summary=node_move(
            referral.remote_case_ref,
            choice_label(CrossBorderStatus, previous),
            choice_label(CrossBorderStatus, status),
        ),
        detail={"from": previous, "to": status, "case": referral.case_id, **detail},
    )
    _share_status(actor, referral, comment)


def _share_status(actor, referral: CrossBorderReferral, comment: str = "") -> None:
    payload = {"referral": str(referral.uid), "status": referral.status, "by": actor_name(actor)}
    if comment:
        payload["comment"] = comment
    if referral.case_id and referral.direction == CrossBorderReferral.Direction.INCOMING:
        payload["case_ref"] = referral.case.ref
    message_send(
        actor=actor, peer=referral.peer, type=STATUS, payload=payload, topic=referral.topic
    )


@transaction.atomic
def referral_decide(
    *, actor, referral: CrossBorderReferral, decision: str, agency=None, comment: str = ""
) -> CrossBorderReferral:
    """The receiving node's coordinator accepts (assigning an agency; the node opens its own
    person and cross-border case), declines, or asks for more information."""
    referral = CrossBorderReferral.objects.select_for_update().get(pk=referral.pk)
    if not actor.has_role(Role.COORDINATOR):
        raise PermissionDenied(_("Only the national coordinator decides on a referral."))
    if referral.direction != CrossBorderReferral.Direction.INCOMING:
        raise ValidationError(_("Only the receiving node decides on a referral."))
    _require_sharing(referral)
    if decision not in RECEIVER_DECISIONS or decision not in CROSS_BORDER_FLOW[referral.status]:
        raise ValidationError(_("This decision is not possible now."))
    if (
        decision in (CrossBorderStatus.DECLINED, CrossBorderStatus.INFO_REQUESTED)
        and not comment.strip()
    ):
        raise ValidationError({"comment": _("Say why, for the referring caseworker.")})
    if decision == CrossBorderStatus.ACCEPTED:
        if agency is None or not case_holding_agencies().filter(pk=agency.pk).exists():
            raise ValidationError(
                {"agency": _("Assign an agency of this country that has caseworkers.")}
            )
        referral.case = _open_case(actor=actor, referral=referral, agency=agency)
        referral.agency = agency
    _move(actor, referral, decision, comment, agency=agency.pk if agency else None)
    return referral


def peer_time_zone(peer: Peer) -> ZoneInfo:
    """The time zone a peer node writes its dates in (this node's own when its country is not
    in ``COUNTRY_TIME_ZONES``)."""
    return ZoneInfo(settings.COUNTRY_TIME_ZONES.get(peer.country, settings.TIME_ZONE))


def _open_case(*, actor, referral: CrossBorderReferral, agency):
    """The receiving node's own person and cross-border case, from the shared fields only."""
    from corridor.cases.services import case_open
    from corridor.people.services import PERSON_FIELDS, person_create

    shared = json.loads(referral.shared_data or "{}")
    person_data = dict(shared.get("person", {}))
    other_names = [("spelling", n) for n in person_data.pop("other_names", [])]
    for key in ("birth_date", "age_estimated_on"):
        if person_data.get(key):
            person_data[key] = date.fromisoformat(person_data[key])
    person_data = {
        k: v
        for k, v in person_data.items()
        if k in PERSON_FIELDS or k in ("given_names", "family_name")
    }
    # The peer wrote its dates in its own calendar: a child registered in Libreville at 00:30
    # is dated a day Lomé has not reached yet, and is not "in the future" for that.
    with timezone.override(peer_time_zone(referral.peer)):
        person = person_create(actor=actor, agency=agency, other_names=other_names, **person_data)
    case_data = shared.get("case", {})
    victim = {}
    if case_data.get("exploitation_types"):
        victim["exploitation_types"] = case_data["exploitation_types"]
    if case_data.get("vulnerabilities"):
        victim["vulnerabilities"] = case_data["vulnerabilities"]
    return case_open(
        actor=actor,
        person=person,
        agency=agency,
        identified_at_place=_("Referred by the %(p)s node (%(ref)s)")
        % {"p": referral.peer.label, "ref": referral.remote_case_ref},
        cross_border=True,
        **victim,
    )


@transaction.atomic
def referral_set_status(
    *, actor, referral: CrossBorderReferral, status: str, comment: str = ""
) -> CrossBorderReferral:
    """Move the shared status along the table (after acceptance: in progress, return planned,
    returned, reintegration follow-up, closed); the other node is told."""
    referral = CrossBorderReferral.objects.select_for_update().get(pk=referral.pk)
    if not can_work_on(actor, referral):
        raise PermissionDenied(_("You cannot change this referral."))
    _require_sharing(referral)
    if status not in shared_moves(referral.status):
        raise ValidationError(
            {
                "status": _("A referral cannot go from “%(from)s” to “%(to)s”.")
                % {"from": referral.get_status_display(), "to": status}
            }
        )
    _move(actor, referral, status, comment)
    return referral


@transaction.atomic
def referral_add_update(
    *, actor, referral: CrossBorderReferral, kind: str, text: str = "", date=None
) -> CrossBorderReferralEvent:
    """Share an update (family traced, best-interest determination approved, return date,
    follow-up visit outcome, information asked for, a note) with the other node."""
    if not can_work_on(actor, referral):
        raise PermissionDenied(_("You cannot change this referral."))
    _require_sharing(referral)
    if kind not in UPDATE_KINDS:
        raise ValidationError({"kind": _("Choose the kind of update.")})
    if not text.strip() and date is None:
        raise ValidationError({"text": _("The update is empty.")})
    if kind == CrossBorderReferralEvent.Kind.RETURN_DATE and date is None:
        raise ValidationError({"date": _("Give the return date.")})
    event = add_event(
        referral,
        kind=kind,
        by_node=settings.NODE_NAME,
        by_name=actor_name(actor),
        text=text.strip(),
        date=date,
    )
    payload = {"referral": str(referral.uid), "kind": kind, "by": actor_name(actor)}
    if text.strip():
        payload["text"] = text.strip()
    if date:
        payload["date"] = date.isoformat()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=referral,
        summary=node_about(
            referral.remote_case_ref, choice_label(CrossBorderReferralEvent.Kind, kind)
        ),
        detail={"kind": kind},
    )
    message_send(
        actor=actor, peer=referral.peer, type=UPDATE, payload=payload, topic=referral.topic
    )
    return event


def stop_sharing(referral: CrossBorderReferral) -> int:
    """Mark the referral as no longer shared and cancel what still waits in the outbox for it
    (the withdrawal message itself excepted); returns how many messages were cancelled."""
    referral.sharing_stopped = True
    referral.save(update_fields=["sharing_stopped", "updated_at"])
    return messages_cancel(topic=referral.topic, keep_types=(WITHDRAWN,))


def on_consent_withdrawn(*, actor, consent) -> None:
    """Registered in ``cases.services.CONSENT_WITHDRAWN_HOOKS``: withdrawing cross-border
    consent cancels what is still waiting in the outbox for the case's referrals, stops any
    further sharing and tells the other node, in the withdrawal's own transaction."""
    if consent.purpose != "cross_border":
        return
    if legal_basis(consent.case):
        return  # another consent or a legal ground still covers the sharing
    for referral in CrossBorderReferral.objects.select_for_update().filter(
        case=consent.case, sharing_stopped=False
    ):
        cancelled = stop_sharing(referral)
        add_event(
            referral,
            kind=CrossBorderReferralEvent.Kind.CONSENT_WITHDRAWN,
            by_node=settings.NODE_NAME,
            by_name=actor_name(actor),
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=referral,
            summary=node_text(gettext_noop("consent withdrawn: sharing stopped")),
            detail={"cancelled_messages": cancelled},
        )
        message_send(
            actor=actor,
            peer=referral.peer,
            type=WITHDRAWN,
            payload={"referral": str(referral.uid), "by": actor_name(actor)},
            topic=referral.topic,
        )
