"""The legal and institutional framework: national action plans against trafficking (activities,
lead institution, deadline, status, evidence), the bilateral agreement's joint committee
(meetings and decisions, each with an owning institution and a due date, exchanged between the
nodes as ``governance.committee`` messages: non-personal records, purpose joint monitoring), and
the tracker of laws, decrees and standard operating procedures with their training sessions.
What is late is shown to the national coordinator (CNLTP in Togo) on the home page."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Country, Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.governance.models import (
    ActivityStatus,
    CommitteeDecision,
    CommitteeMeeting,
    InstrumentKind,
    InstrumentStatus,
    LegalInstrument,
    PlanActivity,
)

COMMITTEE_TYPE = "governance.committee"
FRAMEWORK_EDITORS = (Role.COORDINATOR,)
FRAMEWORK_READERS = (Role.COORDINATOR, Role.PARTNER)
OPEN = (ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS)

_TEXT = {"type": "string", "maxLength": 500}
_DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_UID = {"type": "string", "pattern": r"^[0-9a-f-]{36}$"}
COMMITTEE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["meeting"],
    "properties": {
        "meeting": {
            "type": "object",
            "additionalProperties": False,
            "required": ["uid", "held_on", "title", "place", "summary", "decisions"],
            "properties": {
                "uid": _UID,
                "held_on": _DAY,
                "title": {"type": "string", "minLength": 1, "maxLength": 200},
                "place": {"type": "string", "maxLength": 120},
                "summary": {"type": "string", "maxLength": 5000},
                "decisions": {
                    "type": "array",
                    "maxItems": 200,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["uid", "text", "owner", "due_on", "status"],
                        "properties": {
                            "uid": _UID,
                            "text": {**_TEXT, "minLength": 1},
                            "owner": {"type": "string", "minLength": 1, "maxLength": 120},
                            "due_on": _DAY,
                            "status": {"enum": list(ActivityStatus.values)},
                        },
                    },
                },
            },
        }
    },
}


def _editor(actor) -> None:
    if actor is not None and not actor.has_role(*FRAMEWORK_EDITORS):
        raise PermissionDenied


# --- national action plans ------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    actor,
    plan: str,
    activity: str,
    lead_institution: str,
    due_on: date,
    status: str = ActivityStatus.PLANNED,
    axis: str = "",
    evidence: str = "",
    country: str | None = None,
) -> PlanActivity:
    """Record an activity of this country's national action plan."""
    _editor(actor)
    row = PlanActivity(
        country=country or settings.NODE_COUNTRY,
        plan=plan,
        axis=axis,
        activity=activity,
        lead_institution=lead_institution,
        due_on=due_on,
        status=status,
        evidence=evidence,
    )
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=row,
        summary=node_text(gettext_noop("plan activity")),
    )
    return row


@transaction.atomic
def activity_update(*, actor, activity: PlanActivity, status: str, evidence: str) -> PlanActivity:
    """Move an activity on; a done activity needs its evidence."""
    _editor(actor)
    activity = PlanActivity.objects.select_for_update().get(pk=activity.pk)
    if status not in ActivityStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == ActivityStatus.DONE and not (evidence or activity.evidence).strip():
        raise ValidationError({"evidence": _("A completed activity needs its evidence.")})
    before = activity.status
    activity.status = status
    if evidence.strip():
        activity.evidence = evidence.strip()
    activity.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=activity,
        summary=node_text(gettext_noop("plan activity updated")),
        detail={"from": before, "to": status},
    )
    return activity


# --- joint committee -----------------------------------------------------------------------


def meeting_payload(meeting: CommitteeMeeting) -> dict:
    return {
        "meeting": {
            "uid": str(meeting.uid),
            "held_on": meeting.held_on.isoformat(),
            "title": meeting.title,
            "place": meeting.place,
            "summary": meeting.summary,
            "decisions": [
                {
                    "uid": str(d.uid),
                    "text": d.text,
                    "owner": d.owner,
                    "due_on": d.due_on.isoformat(),
                    "status": d.status,
                }
                for d in meeting.decisions.order_by("due_on", "pk")
            ],
        }
    }


def _send(*, actor, meeting: CommitteeMeeting, peers) -> None:
    from corridor.federation.outbox import message_send

    payload = meeting_payload(meeting)
    for peer in peers:
        message_send(
            actor=actor,
            peer=peer,
            type=COMMITTEE_TYPE,
            payload=payload,
            topic=f"committee:{meeting.uid}",
        )
    if peers:
        meeting.sent_at = timezone.now()
        meeting.save(update_fields=["sent_at"])


def _check_decisions(decisions: list[dict]) -> None:
    errors = []
    for i, d in enumerate(decisions, start=1):
        if not (d.get("text") or "").strip():
            errors.append(_("Decision %(n)s: say what was decided.") % {"n": i})
        if not (d.get("owner") or "").strip():
            errors.append(
                _("Decision %(n)s has no owner: name the institution responsible.") % {"n": i}
            )
        if not d.get("due_on"):
            errors.append(_("Decision %(n)s has no due date.") % {"n": i})
    if errors:
        raise ValidationError({"decisions": errors})


@transaction.atomic
def meeting_record(
    *,
    actor,
    held_on: date,
    title: str,
    place: str = "",
    summary: str = "",
    decisions: list[dict],
    peers=(),
) -> CommitteeMeeting:
    """Record a joint committee meeting with its decisions and send it to ``peers``. Every
    decision needs an owning institution and a due date; otherwise nothing is saved."""
    _editor(actor)
    _check_decisions(decisions)
    meeting = CommitteeMeeting(
        held_on=held_on, title=title, place=place, summary=summary, origin=settings.NODE_NAME
    )
    meeting.full_clean()
    meeting.save()
    for d in decisions:
        decision = CommitteeDecision(
            meeting=meeting,
            text=d["text"].strip(),
            owner=d["owner"].strip(),
            due_on=d["due_on"],
            status=d.get("status") or ActivityStatus.PLANNED,
        )
        decision.full_clean()
        decision.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=meeting,
        summary=node_text(gettext_noop("joint committee meeting recorded")),
        detail={"decisions": len(decisions)},
    )
    _send(actor=actor, meeting=meeting, peers=list(peers))
    return meeting


@transaction.atomic
def decision_update(*, actor, decision: CommitteeDecision, status: str, peers=()) -> None:
    """Move a decision on; the meeting's record is sent again to the other node."""
    _editor(actor)
    if status not in ActivityStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    decision = CommitteeDecision.objects.select_for_update().get(pk=decision.pk)
    before = decision.status
    decision.status = status
    decision.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=decision,
        summary=node_text(gettext_noop("committee decision updated")),
        detail={"from": before, "to": status},
    )
    _send(actor=actor, meeting=decision.meeting, peers=list(peers))


@transaction.atomic
def pending_send(*, actor, peers) -> int:
    """Send this node's meetings never sent yet (recorded before a peer was registered)."""
    _editor(actor)
    meetings = list(
        CommitteeMeeting.objects.filter(origin=settings.NODE_NAME, sent_at__isnull=True)
    )
    for meeting in meetings:
        _send(actor=actor, meeting=meeting, peers=list(peers))
    return len(meetings) if peers else 0


def on_committee(*, peer, message, body) -> None:
    """Receiving node: the meeting and its decisions, created or brought up to date by uid."""
    data = body["meeting"]
    meeting, _created = CommitteeMeeting.objects.update_or_create(
        uid=data["uid"],
        defaults={
            "held_on": date.fromisoformat(data["held_on"]),
            "title": data["title"],
            "place": data["place"],
            "summary": data["summary"],
        },
        create_defaults={
            "held_on": date.fromisoformat(data["held_on"]),
            "title": data["title"],
            "place": data["place"],
            "summary": data["summary"],
            "origin": peer.name,
        },
    )
    for d in data["decisions"]:
        if not d["owner"].strip():
            raise ValidationError(_("A committee decision without an owner was sent."))
        CommitteeDecision.objects.update_or_create(
            uid=d["uid"],
            defaults={
                "meeting": meeting,
                "text": d["text"],
                "owner": d["owner"],
                "due_on": date.fromisoformat(d["due_on"]),
                "status": d["status"],
            },
        )
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=meeting,
        summary=node_text(gettext_noop("joint committee meeting received")),
        detail={"from": peer.name, "decisions": len(data["decisions"])},
        username=f"node:{peer.name}",
    )


# --- laws, decrees and procedures ----------------------------------------------------------


def _check_instrument(kind, status, adopted_on, in_force_on) -> None:
    errors = {}
    if kind not in InstrumentKind.values:
        errors["kind"] = _("Unknown kind.")
    if status not in InstrumentStatus.values:
        errors["status"] = _("Unknown status.")
    if status in (InstrumentStatus.ADOPTED, InstrumentStatus.IN_FORCE) and adopted_on is None:
        errors["adopted_on"] = _("An adopted text needs its adoption date.")
    if status == InstrumentStatus.IN_FORCE and in_force_on is None:
        errors["in_force_on"] = _("A text in force needs the date it came into force.")
    if adopted_on and in_force_on and in_force_on < adopted_on:
        errors["in_force_on"] = _("A text cannot come into force before it is adopted.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def instrument_update(
    *,
    actor,
    instrument: LegalInstrument,
    status: str,
    adopted_on: date | None = None,
    in_force_on: date | None = None,
    trainings=None,
) -> LegalInstrument:
    """Move a text on (draft → adopted → in force), with the same date rules, and set the
    training sessions that go with it."""
    _editor(actor)
    instrument = LegalInstrument.objects.select_for_update().get(pk=instrument.pk)
    adopted_on = adopted_on or instrument.adopted_on
    in_force_on = in_force_on or instrument.in_force_on
    _check_instrument(instrument.kind, status, adopted_on, in_force_on)
    before = instrument.status
    instrument.status, instrument.adopted_on, instrument.in_force_on = (
        status,
        adopted_on,
        in_force_on,
    )
    instrument.save()
    if trainings is not None:
        instrument.trainings.set(trainings)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=instrument,
        summary=node_text(gettext_noop("legal text updated")),
        detail={"from": before, "to": status},
    )
    return instrument


@transaction.atomic
def instrument_save(
    *,
    actor,
    kind: str,
    title: str,
    status: str,
    reference: str = "",
    adopted_on: date | None = None,
    in_force_on: date | None = None,
    target_on: date | None = None,
    trainings=(),
    country: str | None = None,
) -> LegalInstrument:
    """Record a law, decree or procedure. An instrument in force has its date; one adopted has
    its adoption date; it cannot come into force before it is adopted."""
    _editor(actor)
    _check_instrument(kind, status, adopted_on, in_force_on)
    row = LegalInstrument(
        country=country or settings.NODE_COUNTRY,
        kind=kind,
        title=title,
        reference=reference,
        status=status,
        adopted_on=adopted_on,
        in_force_on=in_force_on,
        target_on=target_on,
    )
    row.full_clean()
    row.save()
    if trainings:
        row.trainings.set(trainings)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=row,
        summary=node_text(gettext_noop("legal text recorded")),
    )
    return row


# --- what is late --------------------------------------------------------------------------


def late_items(user) -> dict:
    """What is late for this node's coordinator: plan activities of this country, committee
    decisions (both nodes'), texts expected by a date that are not in force."""
    if user is None or not user.has_role(*FRAMEWORK_READERS):
        return {"activities": [], "decisions": [], "instruments": [], "total": 0}
    today = timezone.localdate()
    activities = list(
        PlanActivity.objects.filter(
            country=settings.NODE_COUNTRY, status__in=OPEN, due_on__lt=today
        ).order_by("due_on")
    )
    decisions = list(
        CommitteeDecision.objects.filter(status__in=OPEN, due_on__lt=today)
        .select_related("meeting")
        .order_by("due_on")
    )
    instruments = list(
        LegalInstrument.objects.filter(country=settings.NODE_COUNTRY, target_on__lt=today)
        .exclude(status=InstrumentStatus.IN_FORCE)
        .order_by("target_on")
    )
    return {
        "activities": activities,
        "decisions": decisions,
        "instruments": instruments,
        "total": len(activities) + len(decisions) + len(instruments),
    }


def country_label(code: str) -> str:
    return str(dict(Country.choices).get(code, code))
