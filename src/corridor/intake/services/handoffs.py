"""Writes of the border hand-off: who is on duty, the hand-off itself (from a web screening or an
ODK one), the receiving agency's first action (which stops the clock), opening the case, and the
border officer's interception report sent to investigators."""

from __future__ import annotations

import logging
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from corridor.accounts.models import Agency, Role, User
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.cases.models import Approval
from corridor.cases.services import approval_request, case_open, caseload_proposed
from corridor.core import said
from corridor.core.numbers import decimal
from corridor.flows.models import FlowPoint
from corridor.intake.models import DutyAgency, Handoff, HandoffReason
from corridor.intake.selectors import DUTY_KEEPERS, RECEIVERS, is_receiver, is_sender
from corridor.referrals.models import ServiceProvider

log = logging.getLogger(__name__)

PRESUMED_VICTIM = ("PossibleVictimOfTrafficking", "ActualVictimOfTrafficking")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def border_post(*, place: str, agency) -> FlowPoint | None:
    """The monitoring point a screening was made at: the point named (or coded) by ``place``, or
    else the one point the screener's agency staffs. None when neither tells."""
    points = FlowPoint.objects.filter(country=settings.NODE_COUNTRY, is_active=True)
    wanted = _fold(place)
    if wanted:
        for point in points:
            if wanted in (_fold(point.name), _fold(point.code)):
                return point
    staffed = list(points.filter(agency=agency)[:2]) if agency is not None else []
    return staffed[0] if len(staffed) == 1 else None


def in_directory(agency: Agency) -> bool:
    """An agency takes hand-offs while it is active and listed in the service directory."""
    return agency.is_active and ServiceProvider.objects.filter(agency=agency).exists()


def duty_agency_for(point: FlowPoint) -> Agency:
    """The agency on duty for ``point`` (its own, else its region's). Refused, naming what to do,
    when there is none or when it left the service directory: a child must never be handed to
    nobody, so the screening is not recorded until the coordinator names one."""
    duty = (
        DutyAgency.objects.select_related("agency").filter(point=point).first()
        or DutyAgency.objects.select_related("agency").filter(region=point.region).first()
    )
    if duty is None:
        raise ValidationError(
            _(
                "No social-service agency is on duty for %(point)s: ask the national coordinator "
                "to name one (Hand-offs › Agencies on duty). Nothing was recorded."
            )
            % {"point": point.name}
        )
    if not in_directory(duty.agency):
        raise ValidationError(
            _(
                "The agency on duty for %(point)s, %(agency)s, has left the service directory: "
                "ask the national coordinator to name another one. Nothing was recorded."
            )
            % {"point": point.name, "agency": duty.agency}
        )
    return duty.agency


@transaction.atomic
def duty_agency_set(*, actor, agency: Agency, point: FlowPoint | None = None, region: str = ""):
    """Name the agency on duty for a point or a region (replacing the one named before)."""
    if actor is not None and not actor.has_role(*DUTY_KEEPERS):
        raise PermissionDenied(_("Only a coordinator or an administrator names agencies on duty."))
    if (point is None) == (not region):
        raise ValidationError(_("Choose either a monitoring point or a region."))
    if point is not None and point.country != settings.NODE_COUNTRY:
        raise ValidationError({"point": _("This point is not on this node.")})
    if (
        region
        and not FlowPoint.objects.filter(country=settings.NODE_COUNTRY, region=region).exists()
    ):
        raise ValidationError({"region": _("No monitoring point of this node is in that region.")})
    if agency.country != settings.NODE_COUNTRY or not in_directory(agency):
        raise ValidationError(
            {"agency": _("Choose an active agency of this country listed in the directory.")}
        )
    duty = (
        DutyAgency.objects.filter(point=point).first()
        if point is not None
        else DutyAgency.objects.filter(region=region).first()
    ) or DutyAgency(point=point, region=region)
    duty.agency, duty.updated_by, duty.updated_at = agency, actor, timezone.now()
    duty.full_clean()
    duty.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=duty,
        summary=str(duty),
        detail={"point": point.code if point else "", "region": region, "agency": agency.pk},
    )
    return duty


@transaction.atomic
def duty_agency_remove(*, actor, duty: DutyAgency) -> None:
    if actor is not None and not actor.has_role(*DUTY_KEEPERS):
        raise PermissionDenied(_("Only a coordinator or an administrator names agencies on duty."))
    audit_record(actor=actor, action=Action.DELETE, target=duty, summary=str(duty))
    duty.delete()


def screening_reasons(screening) -> list[str]:
    reasons = []
    if screening.child:
        reasons.append(HandoffReason.CHILD)
    if screening.unaccompanied:
        reasons.append(HandoffReason.UNACCOMPANIED)
    if screening.proposed_status in PRESUMED_VICTIM:
        reasons.append(HandoffReason.PRESUMED_VICTIM)
    if screening.vulnerability_level == "high":
        reasons.append(HandoffReason.HIGH_VULNERABILITY)
    return [str(r) for r in reasons]


def _person_summary(person) -> str:
    age = person.age_today
    parts = [
        person.get_gender_display(),
        ngettext("about %(n)s year", "about %(n)s years", age) % {"n": age}
        if age is not None
        else _("age unknown"),
        ", ".join(person.citizenships or []),
    ]
    return " · ".join(str(p) for p in parts if p)[:200]


def _notify(handoff: Handoff) -> None:
    """E-mail the receiving agency's staff once the hand-off is committed. The message names no
    one (e-mail is not a safe channel): it says where and why, and points to Corridor."""
    recipients = list(
        User.objects.filter(
            agency=handoff.to_agency, role__in=RECEIVERS, is_active=True, email__gt=""
        ).values_list("email", flat=True)
    )
    if not recipients:
        return
    subject = _("[Corridor] Border hand-off waiting: %(point)s") % {"point": handoff.point.name}
    body = _(
        "The border post %(point)s handed a person over to your agency (%(reasons)s).\n"
        "Open Corridor to accept the hand-off and open the case: %(path)s\n"
        "The clock runs until your agency's first action."
    ) % {
        "point": handoff.point.name,
        "reasons": ", ".join(handoff.reason_labels()),
        "path": reverse("intake:handoff_detail", args=[handoff.uid]),
    }

    def send() -> None:
        try:
            send_mail(subject, body, None, recipients)
        except OSError as error:  # no mail server: the in-app queue still shows the hand-off
            log.warning("hand-off %s: e-mail not sent (%s)", handoff.uid, error)

    transaction.on_commit(send)


def _create(*, actor, point: FlowPoint, reasons: list[str], **fields) -> Handoff:
    handoff = Handoff(
        point=point, to_agency=duty_agency_for(point), reasons=reasons, started_at=timezone.now()
    )
    for name, value in fields.items():
        setattr(handoff, name, value)
    handoff.full_clean()
    handoff.save()
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=handoff,
        summary=f"{point.code} → {handoff.to_agency}",
        detail={"reasons": reasons, "source": handoff.source},
    )
    _notify(handoff)
    return handoff


@transaction.atomic
def handoff_from_screening(*, actor, screening) -> Handoff | None:
    """Hand a border officer's screening to the agency on duty when it flags a child, an
    unaccompanied or separated child, a presumed victim or high vulnerability. Other screenings,
    and screenings by staff who open cases themselves, are not handed off. The post is the one
    the screening names, else the one the officer's agency staffs; an officer whose agency
    staffs several posts must name one."""
    if actor is None or actor.role != Role.BORDER_OFFICER:
        return None
    reasons = screening_reasons(screening)
    if not reasons:
        return None
    point = border_post(place=screening.place, agency=screening.agency)
    staffs_a_post = FlowPoint.objects.filter(
        agency=screening.agency, country=settings.NODE_COUNTRY, is_active=True
    ).exists()
    if point is None and not staffs_a_post:
        return None  # an officer of no monitoring point (a mobile unit): no post to hand from
    if point is None:
        raise ValidationError(
            {
                "place": _(
                    "Name the border post (a monitoring point of this node): this person must be "
                    "handed to the social-service agency on duty there."
                )
            }
        )
    return _create(
        actor=actor,
        point=point,
        reasons=reasons,
        source=Handoff.Source.WEB,
        screening=screening,
        person=screening.person,
        from_agency=screening.agency,
        summary=_person_summary(screening.person),
    )


def submission_reasons(data: dict) -> list[str]:
    age = data.get("prs_EstimatedAge")
    birth = data.get("prs_Birthdate")
    child = age is None and not birth
    if isinstance(age, int | float) or (isinstance(age, str) and age.isdigit()):
        child = int(age) < 18
    elif birth:
        year = int(str(birth)[:4])
        child = timezone.localdate().year - year < 20  # uncertain near 18: treated as a child
    reasons = [HandoffReason.CHILD] if child else []
    if child and data.get("unaccompanied") == "yes":
        reasons.append(HandoffReason.UNACCOMPANIED)
    if data.get("vic_TraffickingStatus") in PRESUMED_VICTIM:
        reasons.append(HandoffReason.PRESUMED_VICTIM)
    return [str(r) for r in reasons]


@transaction.atomic
def handoff_from_submission(*, actor, submission) -> Handoff | None:
    """An ODK screening from a border post that waits for the case-management hand-off (see
    ``flows.handoff``) joins the same queue, under the same rules."""
    data = submission.data or {}
    code = data.get("point") or ""
    if not code:
        return None
    reasons = submission_reasons(data)
    if not reasons:
        return None
    point = FlowPoint.objects.filter(code=code, country=settings.NODE_COUNTRY).first()
    if point is None:
        return None
    parts = [str(data.get(k) or "") for k in ("prs_Gender", "prs_EstimatedAge", "prs_Citizenship")]
    return _create(
        actor=actor,
        point=point,
        reasons=reasons,
        source=Handoff.Source.ODK,
        submission=submission,
        from_agency=point.agency,
        summary=" · ".join(p for p in parts if p)[:200],
    )


def _first_action(handoff: Handoff, actor, status: str) -> None:
    if status not in Handoff.FLOW[handoff.status]:
        raise ValidationError(_("This hand-off was already taken up."))
    if handoff.first_action_at is None:
        handoff.first_action_at, handoff.first_action_by = timezone.now(), actor
    handoff.status = status


@transaction.atomic
def handoff_accept(*, actor, handoff: Handoff) -> Handoff:
    """The agency on duty takes the hand-off: the clock stops."""
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if not is_receiver(actor, handoff):
        raise PermissionDenied(_("Only the agency on duty can take up this hand-off."))
    _first_action(handoff, actor, Handoff.Status.ACCEPTED)
    handoff.save()
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=handoff,
        summary=node_text(
            gettext_noop("accepted after %(h)s h"), h=lambda: decimal(handoff.hours, 1)
        ),
    )
    return handoff


def _person_from_submission(*, actor, submission):
    from corridor.flows.handoff import HtcdsRecord

    data = dict(submission.data or {})
    for key in ("screening_date", "prs_Birthdate"):  # stored as JSON text
        if isinstance(data.get(key), str) and data[key]:
            data[key] = date.fromisoformat(data[key])
    record = HtcdsRecord(
        consent=data.get("con_Consent") == "TRUE",
        person={k: v for k, v in data.items() if k.startswith("prs_") and v not in (None, "")},
        victim={k: v for k, v in data.items() if k.startswith("vic_") and v},
        point_code=data.get("point") or "",
        point_name=submission.handoff.point.name,
        screening_date=data.get("screening_date"),
        estimated_age=data.get("prs_EstimatedAge"),
        unaccompanied=data.get("unaccompanied") == "yes",
    )
    if not record.can_hand_off(actor):
        raise ValidationError(
            _(
                "This ODK screening has no consent or no name: register the person and open the "
                "case from the person's page, then the hand-off is taken up."
            )
        )
    return record


@transaction.atomic
def handoff_open_case(*, actor, handoff: Handoff):
    """The agency on duty opens the case (in its own name) for the person handed over. A web
    screening's proposed status waits for a supervisor's decision, as when a caseworker opens a
    case from a screening; an ODK screening goes through the flows hand-off."""
    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if not is_receiver(actor, handoff):
        raise PermissionDenied(_("Only the agency on duty can open this case."))
    _first_action(handoff, actor, Handoff.Status.CASE_OPENED)
    if handoff.screening_id:
        case = _open_from_screening(actor=actor, handoff=handoff)
    else:
        from corridor.cases.models import Case
        from corridor.flows.handoff import htcds_handoff
        from corridor.flows.models import SubmissionStatus

        record = _person_from_submission(actor=actor, submission=handoff.submission)
        _label, case_id = htcds_handoff(actor=actor, record=record, agency=actor.agency)
        case = Case.objects.get(pk=case_id)
        submission = handoff.submission
        submission.status, submission.target_type = SubmissionStatus.IMPORTED, "cases.case"
        submission.target_id = str(case.pk)
        submission.data = {k: v for k, v in submission.data.items() if not k.startswith("prs_")}
        submission.save(update_fields=["status", "target_type", "target_id", "data"])
        handoff.person = case.person
    handoff.case = case
    handoff.save()
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=handoff,
        summary=node_text(gettext_noop("case %(ref)s opened"), ref=case.ref),
        detail={"case": case.ref, "hours": round(handoff.hours, 2)},
    )
    return case


def _open_from_screening(*, actor, handoff: Handoff):
    from corridor.screening.models import Screening

    screening = Screening.objects.select_for_update().get(pk=handoff.screening_id)
    if screening.case_id:
        raise ValidationError(_("A case is already open for this screening."))
    case = case_open(
        actor=actor,
        person=screening.person,
        identified_on=screening.screened_on,
        identified_at_place=handoff.point.name,
        trafficking_status_proposed=screening.proposed_status,
        caseload=caseload_proposed(screening),
    )
    approval = None
    if screening.proposed_status:
        approval = approval_request(
            actor=actor,
            case=case,
            kind=Approval.Kind.TRAFFICKING_STATUS,
            comment=said.say(
                said.BORDER_SCREENING_PROPOSES,
                point=handoff.point.name,
                p=screening.get_proposed_status_display(),
            ),
        )
    screening.case, screening.approval = case, approval
    screening.save(update_fields=["case", "approval"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=screening,
        summary=node_text(gettext_noop("case opened: %(ref)s"), ref=case.ref),
        detail={"case": case.ref, "handoff": str(handoff.uid)},
    )
    return case


INTERCEPTION_FIELDS = ("adults", "vehicle_plate", "phones", "route", "documents")


@transaction.atomic
def interception_report(
    *,
    actor,
    handoff: Handoff,
    adults: str = "",
    vehicle_plate: str = "",
    phones: list[str] | None = None,
    route: str = "",
    documents: str = "",
    handling: str = "C",
):
    """The border officer's interception report reaches investigators as an intelligence report
    (graded as an officer's first-hand observation, with the handling code the officer chose),
    the plate and phones as entities sourced to it. The officer writes it and never reads it
    back: the hand-off keeps only the fact that it was sent."""
    from corridor.intel import services as intel
    from corridor.intel.models import EntityKind, Handling

    handoff = Handoff.objects.select_for_update().get(pk=handoff.pk)
    if not is_sender(actor, handoff):
        raise PermissionDenied(_("Only the border post that made the hand-off reports on it."))
    if handoff.intel_report_id:
        raise ValidationError(_("The interception report was already sent."))
    if handling not in Handling.values:
        raise ValidationError({"handling": _("Choose a handling code.")})
    phones = [p.strip() for p in phones or [] if p.strip()]
    if not any((adults.strip(), vehicle_plate.strip(), phones, route.strip(), documents.strip())):
        raise ValidationError(_("The interception report is empty."))
    lines = [
        (_("Accompanying adults"), adults),
        (_("Vehicle plate"), vehicle_plate),
        (_("Phones"), ", ".join(phones)),
        (_("Route"), route),
        (_("Documents shown"), documents),
    ]
    source = said.say(said.BORDER_POST, agency=handoff.from_agency, point=handoff.point.name)
    grading = {"source": source, "reliability": "B", "credibility": "3", "handling": handling}
    report = intel.report_create(
        actor=None,
        title=said.say(
            said.INTERCEPTION, point=handoff.point.name, day=handoff.started_at.date().isoformat()
        ),
        received_on=timezone.localdate(),
        narrative="\n".join(
            said.say(said.INTERCEPTION_LINE, label=label, value=value.strip())
            for label, value in lines
            if value.strip()
        ),
        **grading,
    )
    try:
        if vehicle_plate.strip():
            intel.entity_get_or_create(
                actor=None,
                kind=EntityKind.VEHICLE,
                name=vehicle_plate.strip(),
                report=report,
                **grading,
            )
        for phone in phones:
            intel.entity_get_or_create(
                actor=None, kind=EntityKind.PHONE, name=phone, report=report, **grading
            )
    except ValidationError as error:
        raise ValidationError({"phones" if phones else "vehicle_plate": error.messages}) from None
    handoff.intel_report_id, handoff.interception_sent_at = report.pk, timezone.now()
    handoff.save(update_fields=["intel_report_id", "interception_sent_at"])
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=handoff,
        summary=node_text(gettext_noop("interception report sent to investigators")),
        detail={"report": report.pk, "handling": handling},
    )
    return handoff
