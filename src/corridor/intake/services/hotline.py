"""Writes of hotline intake: a call recorded by a call-taker or an SMS from the gateway, then
triage, dispatch to the local social worker, and the outcome (a case, an intelligence tip, or no
further action). One mover, ``_move``, checks the workflow table."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import User
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_about, node_text
from corridor.core import said
from corridor.intake.models import Channel, Concern, Intake, Urgency
from corridor.intake.selectors import INTAKE_TAKERS, RECEIVERS, is_handler, is_taker

SMS_MAX_CHARS = 1600
"""Ten concatenated SMS: a longer text is not an SMS, and is refused rather than cut."""


def acknowledgement(ref: str) -> str:
    return _(
        "Thank you. Your report %(ref)s was received by the child helpline; a social worker "
        "will follow it up. In danger now, call 1011."
    ) % {"ref": ref}


def _finish_create(intake: Intake, actor) -> Intake:
    intake.full_clean(exclude=["ref"])
    intake.save()
    intake.ref = f"{settings.NODE_COUNTRY}-HL-{intake.received_at:%Y}-{intake.pk:06d}"
    intake.acknowledgement = acknowledgement(intake.ref)
    intake.save(update_fields=["ref", "acknowledgement"])
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=intake,
        summary=node_text(
            gettext_noop("%(ref)s (%(channel)s)"),
            ref=intake.ref,
            channel=intake.get_channel_display,
        ),
        detail={"channel": intake.channel, "urgency": intake.urgency},
    )
    return intake


def _check_choice(field: str, value: str, choices) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Choose a value from the list.")})


@transaction.atomic
def intake_record(
    *,
    actor,
    concern: str,
    channel: str = Channel.CALL,
    concern_type: str = Concern.OTHER,
    urgency: str = Urgency.DAY,
    place: str = "",
    children_involved: int | None = None,
    anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
) -> Intake:
    """A call-taker records a call (or an SMS read out of another phone). An anonymous reporter
    leaves no name and no number: whatever was typed in those fields is dropped."""
    if not actor.has_role(*INTAKE_TAKERS):
        raise PermissionDenied(_("Only hotline call-takers and coordinators record intakes."))
    _check_choice("channel", channel, Channel)
    _check_choice("concern_type", concern_type, Concern)
    _check_choice("urgency", urgency, Urgency)
    if not concern.strip():
        raise ValidationError({"concern": _("Write down what was reported.")})
    if anonymous:
        reporter_name = reporter_phone = ""
    intake = Intake(
        channel=channel,
        concern=concern.strip(),
        concern_type=concern_type,
        urgency=urgency,
        place=place.strip(),
        children_involved=children_involved,
        anonymous=anonymous,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        agency=actor.agency,
        received_by=actor,
    )
    return _finish_create(intake, actor)


@transaction.atomic
def intake_from_sms(*, sender: str, text: str, gateway_id: str = "") -> tuple[Intake, bool]:
    """An SMS the gateway forwarded (the webhook checked its signature): a new intake, or the one
    already recorded for that gateway message id (gateways retry), and whether it is new. No
    hotline has taken it yet: every call-taker of the node sees it until one triages it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The SMS has no text.")})
    if len(text) > SMS_MAX_CHARS:
        raise ValidationError(
            {
                "text": _("The SMS is %(n)s characters long; at most %(max)s are accepted.")
                % {"n": len(text), "max": SMS_MAX_CHARS}
            }
        )
    if "\x00" in text or "\ufffd" in text:
        raise ValidationError({"text": _("The SMS text is not readable text.")})
    if gateway_id:
        existing = Intake.objects.filter(gateway_id=gateway_id).first()
        if existing is not None:
            return existing, False
    intake = Intake(
        channel=Channel.SMS,
        gateway_id=gateway_id or None,
        concern=text,
        reporter_phone=(sender or "").strip()[:40],
        anonymous=not (sender or "").strip(),
        agency=None,
    )
    return _finish_create(intake, None), True


def _move(intake: Intake, to: str) -> None:
    if to not in Intake.FLOW[intake.status]:
        raise ValidationError(
            _("This intake is %(now)s: it cannot become %(to)s.")
            % {"now": intake.get_status_display(), "to": Intake.Status(to).label}
        )
    intake.status = to


def _lock(intake: Intake) -> Intake:
    return Intake.objects.select_for_update().get(pk=intake.pk)


@transaction.atomic
def intake_triage(
    *,
    actor,
    intake: Intake,
    concern_type: str,
    urgency: str,
    children_involved: int | None = None,
    place: str = "",
    note: str = "",
) -> Intake:
    intake = _lock(intake)
    if not is_taker(actor, intake):
        raise PermissionDenied(_("Only the hotline triages this intake."))
    _check_choice("concern_type", concern_type, Concern)
    _check_choice("urgency", urgency, Urgency)
    _move(intake, Intake.Status.TRIAGED)
    intake.concern_type, intake.urgency, intake.triage_note = concern_type, urgency, note.strip()
    if children_involved is not None:
        intake.children_involved = children_involved
    intake.place = place.strip() or intake.place
    intake.agency = intake.agency or actor.agency
    intake.full_clean()
    intake.save()
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=intake,
        summary=node_about(
            intake.ref, gettext_noop("triaged (%(urgency)s)"), urgency=intake.get_urgency_display
        ),
        detail={"concern": concern_type, "urgency": urgency},
    )
    return intake


def dispatchable_workers():
    """The social workers an intake may be dispatched to: active caseworkers and supervisors of
    this node's agencies."""
    return (
        User.objects.filter(
            role__in=RECEIVERS, is_active=True, agency__country=settings.NODE_COUNTRY
        )
        .select_related("agency")
        .order_by("agency__name", "last_name", "username")
    )


@transaction.atomic
def intake_dispatch(*, actor, intake: Intake, social_worker: User) -> Intake:
    intake = _lock(intake)
    if not is_taker(actor, intake):
        raise PermissionDenied(_("Only the hotline dispatches this intake."))
    if not dispatchable_workers().filter(pk=social_worker.pk).exists():
        raise ValidationError(
            {"social_worker": _("Choose an active caseworker or supervisor of this country.")}
        )
    _move(intake, Intake.Status.DISPATCHED)
    intake.dispatched_to, intake.dispatched_at = social_worker, timezone.now()
    intake.save()
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=intake,
        summary=f"{intake.ref} → {social_worker.username}",
        detail={"to": social_worker.pk},
    )
    return intake


def _close(intake: Intake, actor, outcome: str, note: str, summary, **detail) -> Intake:
    _move(intake, Intake.Status.CLOSED)
    intake.outcome, intake.closing_note, intake.closed_at = outcome, note.strip(), timezone.now()
    intake.save()
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=intake,
        summary=node_about(intake.ref, summary),
        detail={"outcome": outcome, **detail},
    )
    return intake


@transaction.atomic
def intake_convert_case(
    *,
    actor,
    intake: Intake,
    given_names: str,
    family_name: str = "",
    gender: str = "NonSpecifiedUnknown",
    estimated_age: int | None = None,
    caseload: str = "",
) -> Intake:
    """The social worker met the child: register them and open the case, in the worker's agency,
    with the report as its narrative, in the caseload the worker chose (for a child with none
    chosen: a child on the move, until a supervisor decides otherwise)."""
    from corridor.cases.caseloads import CHILD_ON_THE_MOVE
    from corridor.cases.services import case_open
    from corridor.people.services import person_create

    intake = _lock(intake)
    if intake.status != Intake.Status.DISPATCHED or not is_handler(actor, intake):
        raise PermissionDenied(_("Only the social worker it was dispatched to opens a case."))
    if not given_names.strip() and not family_name.strip():
        raise ValidationError({"given_names": _("Give at least one name of the person.")})
    person = person_create(
        actor=actor,
        given_names=given_names,
        family_name=family_name.upper(),
        gender=gender,
        estimated_age=estimated_age,
    )
    if not caseload and person.is_child:
        caseload = CHILD_ON_THE_MOVE
    case = case_open(
        actor=actor,
        person=person,
        caseload=caseload,
        identified_on=intake.received_at.date(),
        identified_at_place=intake.place,
        narrative=said.say(said.HOTLINE_CASE, ref=intake.ref, text=intake.concern),
    )
    intake.case = case
    return _close(
        intake,
        actor,
        Intake.Outcome.CASE,
        "",
        lambda: _("case %(ref)s") % {"ref": case.ref},
        case=case.ref,
    )


@transaction.atomic
def intake_convert_tip(*, actor, intake: Intake, handling: str = "C", note: str = "") -> Intake:
    """A report about a network, a smuggler or a place, rather than about a child to protect,
    reaches investigators as an intelligence report (hotline source, not yet graded) with the
    handling code chosen. The hotline writes it and never reads intelligence back."""
    from corridor.intel.models import Handling
    from corridor.intel.services import report_create

    intake = _lock(intake)
    if not (is_taker(actor, intake) or is_handler(actor, intake)):
        raise PermissionDenied(_("You cannot act on this intake."))
    if handling not in Handling.values:
        raise ValidationError({"handling": _("Choose a handling code.")})
    report = report_create(
        actor=None,
        title=said.say(said.HOTLINE_TIP, ref=intake.ref),
        received_on=intake.received_at.date(),
        source=said.say(said.HOTLINE_SOURCE, channel=intake.get_channel_display()),
        reliability="F",
        credibility="6",
        handling=handling,
        narrative="\n".join(
            part
            for part in (intake.concern, intake.place, intake.triage_note, note.strip())
            if part
        ),
    )
    intake.intel_report_id = report.pk
    return _close(
        intake,
        actor,
        Intake.Outcome.TIP,
        note,
        gettext_noop("tip for investigators"),
        report=report.pk,
    )


@transaction.atomic
def intake_close(*, actor, intake: Intake, note: str) -> Intake:
    """Close with no further action, saying why (a prank, a duplicate, help given on the phone)."""
    intake = _lock(intake)
    if not (is_taker(actor, intake) or is_handler(actor, intake)):
        raise PermissionDenied(_("You cannot act on this intake."))
    if not note.strip():
        raise ValidationError({"note": _("Say why no further action is needed.")})
    return _close(intake, actor, Intake.Outcome.NO_ACTION, note, gettext_noop("no further action"))
