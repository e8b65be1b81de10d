"""Cross-border police and judicial cooperation: writes of requests to the other country's node
(``MlaRequest``). A judicial police officer or prosecutor drafts a request on a criminal case; a
second person of this node approves it (never its author) and it leaves as a signed, encrypted
federation message; the other node's prosecutors answer it, partly or fully; the sender may
withdraw it. Each write is audited here; ``mla_messages`` applies the other node's messages.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, choice_label, node_about
from corridor.core import said
from corridor.core.vocab import vocabulary
from corridor.federation.models import Peer
from corridor.federation.outbox import message_send
from corridor.justice.models import MLA_FLOW, CriminalCase, MlaEvent, MlaRequest, MlaStatus
from corridor.justice.selectors import (
    JUSTICE_ROLES,
    visible_criminal_cases,
    visible_mla_requests,
)

REQUEST, ANSWER, WITHDRAWN = "justice.mla_request", "justice.mla_answer", "justice.mla_withdrawn"
REMINDER_DAYS = 7
"""The request's author (and the other side's prosecutors) are reminded this many days before
the deadline, and again once it has passed without a full answer."""


def actor_name(actor) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]


def add_event(request, *, kind, by_node=None, by_name="", text="", message_id=None) -> MlaEvent:
    return MlaEvent.objects.create(
        request=request,
        kind=kind,
        text=text,
        by_node=by_node or settings.NODE_NAME,
        by_name=by_name,
        message_id=message_id,
    )


def _locked(actor, request: MlaRequest) -> MlaRequest:
    if not visible_mla_requests(actor).filter(pk=request.pk).exists():
        raise PermissionDenied(_("You cannot act on this cross-border request."))
    return MlaRequest.objects.select_for_update().get(pk=request.pk)


def _peer_of(request: MlaRequest) -> Peer:
    """The other node of the request; a request seeded by the demo before the nodes were
    federated gets the other country's node now."""
    if request.peer_id is None:
        request.peer = (
            Peer.objects.filter(is_active=True).exclude(country=settings.NODE_COUNTRY).first()
        )
        if request.peer is None:
            raise ValidationError(_("No other country's node is registered: nothing can be sent."))
        request.save(update_fields=["peer", "updated_at"])
    return request.peer


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def mla_draft(
    *,
    actor,
    criminal_case: CriminalCase,
    peer: Peer,
    kind: str,
    subject: str,
    deadline: date,
    jurisdiction: str = "",
    suspect_name: str = "",
    suspect_identifiers: str = "",
    victim_ground: str = "",
    victim_details: str = "",
) -> MlaRequest:
    """Draft a request to ``peer`` on a criminal case the actor reads. Nothing leaves before a
    second person approves it. Only the suspect's identifiers the request needs are asked for; a
    victim's details need a recorded legal ground."""
    if not actor.has_role(*JUSTICE_ROLES):
        raise PermissionDenied(
            _("Only judicial police officers and prosecutors send cross-border requests.")
        )
    if not visible_criminal_cases(actor).filter(pk=criminal_case.pk).exists():
        raise PermissionDenied(_("You cannot change this criminal case."))
    errors = {}
    if kind not in vocabulary("justice.mla_kind"):
        errors["kind"] = _("Choose the kind of request.")
    if not subject.strip():
        errors["subject"] = _("Say what the facts are and what is asked.")
    if deadline is None or deadline <= timezone.localdate():
        errors["deadline"] = _("The deadline must be a date after today.")
    if peer is None or not peer.is_active or peer.country == settings.NODE_COUNTRY:
        errors["peer"] = _("Choose the other country's node.")
    elif jurisdiction:
        terms = {t.code: t for t in vocabulary("justice.jurisdiction").terms}
        if jurisdiction not in terms or terms[jurisdiction].extra.get("country") != peer.country:
            errors["jurisdiction"] = _("This court is not one of the other country's.")
    if victim_details.strip() and not victim_ground:
        errors["victim_ground"] = _(
            "Record the legal ground before sharing any detail about a victim."
        )
    if victim_ground and victim_ground not in vocabulary("cases.legal_ground"):
        errors["victim_ground"] = _("Unknown legal ground.")
    if errors:
        raise ValidationError(errors)
    request = MlaRequest(
        direction=MlaRequest.Direction.OUTGOING,
        peer=peer,
        kind=kind,
        status=MlaStatus.DRAFT,
        criminal_case=criminal_case,
        case_ref=criminal_case.ref,
        jurisdiction=jurisdiction,
        subject=subject.strip(),
        suspect_name=suspect_name.strip(),
        suspect_identifiers="\n".join(_lines(suspect_identifiers)),
        victim_ground=victim_ground if victim_details.strip() else "",
        victim_details=victim_details.strip(),
        deadline=deadline,
        drafted_by=actor,
        sender_name=actor_name(actor),
    )
    request.full_clean()
    request.save()
    add_event(request, kind=MlaEvent.Kind.DRAFTED, by_name=actor_name(actor))
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=request,
        summary=node_about(
            criminal_case.ref,
            gettext_noop("cross-border request drafted (%(kind)s)"),
            kind=lambda: vocabulary("justice.mla_kind").label(kind),
        ),
        detail={"peer": peer.name, "kind": kind, "deadline": deadline.isoformat()},
    )
    return request


def request_payload(request: MlaRequest) -> dict:
    """What leaves: the request, the suspect's identifiers it needs, a victim's details only
    with their legal ground; never the criminal case's summary, evidence or victims."""
    payload = {
        "request": str(request.uid),
        "kind": request.kind,
        "case_ref": request.case_ref,
        "subject": request.subject,
        "deadline": request.deadline.isoformat(),
        "by": request.sender_name,
        "approved_by": actor_name(request.approved_by),
    }
    if request.jurisdiction:
        payload["jurisdiction"] = request.jurisdiction
    if request.suspect_name or request.suspect_identifiers:
        payload["suspect"] = {
            "name": request.suspect_name,
            "identifiers": _lines(request.suspect_identifiers),
        }
    if request.victim_details and request.victim_ground:
        payload["victim"] = {"ground": request.victim_ground, "details": request.victim_details}
    return payload


@transaction.atomic
def mla_approve(*, actor, request: MlaRequest) -> MlaRequest:
    """A second judicial police officer or prosecutor of this node approves a draft: it leaves
    for the other node. The author cannot approve their own request."""
    request = _locked(actor, request)
    if request.direction != MlaRequest.Direction.OUTGOING or request.status != MlaStatus.DRAFT:
        raise ValidationError(_("Only a draft of this node can be approved."))
    if request.drafted_by_id == actor.pk:
        raise ValidationError(
            _("A second person must approve this request: its author cannot approve it.")
        )
    if request.deadline <= timezone.localdate():
        raise ValidationError(
            {"deadline": _("The deadline has passed: withdraw this draft and draft it again.")}
        )
    request.status = MlaStatus.SENT
    request.approved_by = actor
    request.save(update_fields=["status", "approved_by", "updated_at"])
    add_event(request, kind=MlaEvent.Kind.APPROVED, by_name=actor_name(actor))
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=request,
        summary=node_about(
            request.case_ref,
            gettext_noop("cross-border request approved and sent to %(peer)s"),
            peer=request.peer.name,
        ),
        detail={
            "kind": request.kind,
            "drafted_by": request.drafted_by_id,
            "suspect": bool(request.suspect_name or request.suspect_identifiers),
            "victim_ground": request.victim_ground,
        },
    )
    message_send(
        actor=actor,
        peer=request.peer,
        type=REQUEST,
        topic=request.topic,
        payload=request_payload(request),
    )
    return request


@transaction.atomic
def mla_answer(*, actor, request: MlaRequest, text: str, complete: bool) -> MlaRequest:
    """A prosecutor of the receiving node answers, partly or fully; the answer goes back to the
    sender. A withdrawn or fully answered request takes no answer."""
    if not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(_("Only a prosecutor answers a cross-border request."))
    request = _locked(actor, request)
    if request.direction != MlaRequest.Direction.INCOMING:
        raise ValidationError(_("Only the node that received the request answers it."))
    if request.status == MlaStatus.WITHDRAWN:
        raise ValidationError(_("This request was withdrawn by the sender: it takes no answer."))
    status = MlaStatus.ANSWERED if complete else MlaStatus.PARTLY_ANSWERED
    if status not in MLA_FLOW[request.status]:
        raise ValidationError(_("This request was already answered in full."))
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    previous = request.status
    request.status = status
    request.reminded = ""
    request.save(update_fields=["status", "reminded", "updated_at"])
    kind = MlaEvent.Kind.FULL_ANSWER if complete else MlaEvent.Kind.PARTIAL_ANSWER
    add_event(request, kind=kind, by_name=actor_name(actor), text=text.strip())
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=request,
        summary=node_about(
            request.case_ref,
            gettext_noop("cross-border request answered (%(status)s)"),
            status=choice_label(MlaStatus, status),
        ),
        detail={"from": previous, "to": status},
    )
    message_send(
        actor=actor,
        peer=_peer_of(request),
        type=ANSWER,
        topic=request.topic,
        payload={
            "request": str(request.uid),
            "complete": complete,
            "text": text.strip(),
            "by": actor_name(actor),
        },
    )
    return request


@transaction.atomic
def mla_withdraw(*, actor, request: MlaRequest, reason: str = "") -> MlaRequest:
    """The sender withdraws a draft or a request not yet fully answered; a sent one is withdrawn
    at the other node too."""
    request = _locked(actor, request)
    if request.direction != MlaRequest.Direction.OUTGOING:
        raise ValidationError(_("Only the node that sent the request withdraws it."))
    if MlaStatus.WITHDRAWN not in MLA_FLOW[request.status]:
        raise ValidationError(_("This request can no longer be withdrawn."))
    was_sent = request.status != MlaStatus.DRAFT
    previous = request.status
    request.status = MlaStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    add_event(request, kind=MlaEvent.Kind.WITHDRAWN, by_name=actor_name(actor), text=reason)
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=request,
        summary=node_about(request.case_ref, gettext_noop("cross-border request withdrawn")),
        detail={"from": previous, "to": MlaStatus.WITHDRAWN},
    )
    if was_sent:
        payload = {"request": str(request.uid), "by": actor_name(actor)}
        if reason.strip():
            payload["reason"] = reason.strip()
        message_send(
            actor=actor,
            peer=_peer_of(request),
            type=WITHDRAWN,
            topic=request.topic,
            payload=payload,
        )
    return request


def _recipients(request: MlaRequest) -> list:
    """Who is reminded: the author of an outgoing request; the prosecutors who read an incoming
    one."""
    from corridor.accounts.models import User

    if request.direction == MlaRequest.Direction.OUTGOING:
        return [request.drafted_by] if request.drafted_by_id else []
    prosecutors = User.objects.filter(is_active=True, role=Role.PROSECUTOR)
    return [u for u in prosecutors if visible_mla_requests(u).filter(pk=request.pk).exists()]


@transaction.atomic
def mla_reminders(*, today: date | None = None) -> int:
    """Remind once when an open request's deadline is near, once more when it has passed (an
    in-application notification to each recipient, audited). Returns the reminders sent."""
    from corridor.flows.models import Notification

    today = today or timezone.localdate()
    sent = 0
    due = MlaRequest.objects.select_for_update().filter(
        status__in=[MlaStatus.SENT, MlaStatus.RECEIVED, MlaStatus.PARTLY_ANSWERED],
        deadline__lte=today + timedelta(days=REMINDER_DAYS),
    )
    for request in due:  # (no join: the peer is nullable, and PostgreSQL locks no outer join)
        step = MlaRequest.Reminder.OVERDUE if request.deadline < today else MlaRequest.Reminder.NEAR
        if request.reminded == step or request.reminded == MlaRequest.Reminder.OVERDUE:
            continue
        text = said.say(
            said.MLA_OVERDUE if step == MlaRequest.Reminder.OVERDUE else said.MLA_DUE,
            ref=request.case_ref,
            kind=request.get_kind_display(),
            date=request.deadline.isoformat(),
        )
        recipients = _recipients(request)
        Notification.objects.bulk_create(
            [Notification(recipient=user, text=text[:300]) for user in recipients]
        )
        request.reminded = step
        request.save(update_fields=["reminded", "updated_at"])
        audit_record(
            actor=None,
            action=Action.CREATE,
            target=request,
            summary=node_about(
                request.case_ref,
                gettext_noop("cross-border request reminder (%(step)s)"),
                step=choice_label(MlaRequest.Reminder, step),
            ),
            detail={"recipients": [u.pk for u in recipients]},
            username="system",
        )
        sent += len(recipients)
    return sent
