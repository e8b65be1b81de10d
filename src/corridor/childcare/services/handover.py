"""The return hand-over signed on both sides of the border, and a family assessment sent to the other node."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import node_about
from corridor.cases.models import Case
from corridor.childcare.models import (
    FamilyAssessment,
    HandOver,
)
from corridor.childcare.services.common import (
    FAMILY_ASSESSMENT,
    HANDOVER_COUNTERSIGNED,
    OUTGOING_HANDOVER,
    _audit,
    _check_day,
    _require_child_case,
    _required,
    actor_name,
)


def open_referral(case: Case):
    from corridor.referrals.models import CrossBorderReferral, CrossBorderStatus

    return (
        CrossBorderReferral.objects.filter(case=case, sharing_stopped=False)
        .exclude(status__in=[CrossBorderStatus.DECLINED, CrossBorderStatus.CLOSED])
        .order_by("-created_at")
        .first()
    )


def handover_payload(handover: HandOver) -> dict:
    return {
        "referral": str(handover.referral.uid),
        "handover": str(handover.uid),
        "date": handover.date.isoformat(),
        "place": handover.place,
        "escort": handover.escort,
        "documents": handover.documents,
        "receiving_agency": handover.receiving_agency,
        "handed_by": handover.handed_by,
        "handed_signed_at": handover.handed_signed_at.isoformat(),
        "remarks": handover.remarks,
    }


@transaction.atomic
def handover_sign(
    *,
    actor,
    case: Case,
    date: date,
    place: str,
    escort: str,
    receiving_agency: str,
    documents: list[str] | None = None,
    remarks: str = "",
) -> HandOver:
    """The handing side signs the hand-over record. When the return crosses the border (the
    case has an open cross-border referral) the other node receives its copy to countersign."""
    from corridor.federation.outbox import message_send

    _require_child_case(actor, case)
    _check_day(case, date, "date")
    _required({"place": place, "escort": escort, "receiving_agency": receiving_agency})
    documents = [d.strip()[:200] for d in documents or [] if d.strip()]
    referral = open_referral(case)
    handover = HandOver.objects.create(
        case=case,
        referral=referral,
        side=HandOver.Side.HANDING,
        date=date,
        place=place.strip()[:150],
        escort=escort.strip()[:200],
        documents=documents,
        receiving_agency=receiving_agency.strip()[:200],
        handed_by=actor_name(actor),
        handed_signed_at=timezone.now(),
        remarks=remarks.strip(),
        recorded_by=actor,
    )
    _audit(
        actor,
        Action.CREATE,
        handover,
        node_about(case.ref, gettext_noop("hand-over signed")),
        cross_border=bool(referral),
    )
    if referral is not None:
        message_send(
            actor=actor,
            peer=referral.peer,
            type=OUTGOING_HANDOVER,
            payload=handover_payload(handover),
            topic=referral.topic,
        )
    return handover


@transaction.atomic
def handover_countersign(*, actor, handover: HandOver, remarks: str = "") -> HandOver:
    """The receiving side countersigns its copy; the handing node's copy is countersigned too."""
    from corridor.federation.outbox import message_send

    handover = HandOver.objects.select_for_update().get(pk=handover.pk)
    if handover.case is None and handover.referral_id and handover.referral.case_id:
        handover.case = handover.referral.case  # received before the referral was accepted
    if handover.case is None:
        raise ValidationError(
            _("Accept the referral first: the hand-over is countersigned on the child's case.")
        )
    _require_child_case(actor, handover.case)
    if handover.side != HandOver.Side.RECEIVING and handover.referral_id:
        raise ValidationError(_("The receiving side countersigns a cross-border hand-over."))
    if handover.countersigned:
        raise ValidationError(_("This hand-over is already countersigned."))
    handover.received_by = actor_name(actor)
    handover.received_signed_at = timezone.now()
    if remarks.strip():
        handover.remarks = "\n".join(r for r in (handover.remarks, remarks.strip()) if r)
    handover.version += 1
    handover.save()
    _audit(
        actor,
        Action.UPDATE,
        handover,
        node_about(handover.case.ref, gettext_noop("hand-over countersigned")),
    )
    if handover.referral_id and not handover.referral.sharing_stopped:
        message_send(
            actor=actor,
            peer=handover.referral.peer,
            type=HANDOVER_COUNTERSIGNED,
            payload={
                "referral": str(handover.referral.uid),
                "handover": str(handover.uid),
                "received_by": handover.received_by,
                "received_signed_at": handover.received_signed_at.isoformat(),
            },
            topic=handover.referral.topic,
        )
    return handover


@transaction.atomic
def family_assessment_share(*, actor, assessment: FamilyAssessment):
    """Send a family assessment made here to the other node, on the case's cross-border
    referral (purpose return), as a structured update."""
    from corridor.federation.outbox import message_send

    _require_child_case(actor, assessment.case)
    referral = open_referral(assessment.case)
    if referral is None:
        raise ValidationError(_("This case has no open cross-border referral to share it on."))
    if assessment.source != FamilyAssessment.Source.LOCAL:
        raise ValidationError(_("Only an assessment made here is shared."))
    payload = {
        "referral": str(referral.uid),
        "assessment": str(assessment.uid),
        "assessed_on": assessment.assessed_on.isoformat(),
        **{
            f: getattr(assessment, f)
            for f in (
                "place",
                "assessor",
                "household",
                "caregiver_name",
                "caregiver_willing",
                "caregiver_able",
                "living_conditions",
                "risks",
                "support_needed",
                "recommendation",
            )
        },
    }
    _audit(
        actor,
        Action.SEND,
        assessment,
        node_about(assessment.case.ref, gettext_noop("family assessment shared")),
    )
    return message_send(
        actor=actor,
        peer=referral.peer,
        type=FAMILY_ASSESSMENT,
        payload=payload,
        topic=referral.topic,
    )
