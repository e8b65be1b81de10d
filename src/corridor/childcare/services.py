"""Writes of the child's case in depth. Each service takes plain, validated data (so an offline
sync or an ODK submission can call it as the pages do), checks who may write, refuses bad input
with a translated message naming the field, writes in one transaction and audits there.

Updates take ``expected_version``: the version the editor started from. When the record changed
since, the update is refused as a conflict for a person to resolve, never silently overwritten.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.cases.models import FOLLOW_UP_MONTHS, Approval, Case, Task
from corridor.cases.selectors import can_manage
from corridor.cases.services import approval_request, task_complete
from corridor.childcare import scoring
from corridor.childcare.models import (
    BestInterestAssessment,
    BestInterestDetermination,
    FamilyAssessment,
    FollowUpVisit,
    HandOver,
    Level,
    Option,
    Placement,
    PlacementType,
    TracingAction,
)

OUTGOING_HANDOVER = "referral.handover"
HANDOVER_COUNTERSIGNED = "referral.handover_countersigned"
FAMILY_ASSESSMENT = "referral.family_assessment"
SHELTER_SERVICE = "Shelter"


def _require_child_case(actor, case: Case) -> Case:
    if not can_manage(actor, case):
        raise PermissionDenied(_("You cannot change this case."))
    if not case.is_child:
        raise ValidationError(_("These records belong to a child's case."))
    return case


def _check_day(case: Case, day: date | None, field: str) -> None:
    if day is None:
        raise ValidationError({field: _("Give the date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if day < case.identified_on:
        raise ValidationError(
            {
                field: _("This date is before the child was identified (%(d)s).")
                % {"d": case.identified_on.isoformat()}
            }
        )


def _required(values: dict[str, str]) -> None:
    missing = {
        f: _("This field is required.") for f, v in values.items() if not str(v or "").strip()
    }
    if missing:
        raise ValidationError(missing)


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the values offered.")})


def _check_version(record, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != record.version:
        raise ValidationError(
            _(
                "Conflict: this record was changed by someone else since you opened it (your "
                "version %(mine)s, now %(now)s). Reload it and apply your changes again."
            )
            % {"mine": expected_version, "now": record.version}
        )


def _audit(actor, action, record, summary: str, **detail) -> None:
    audit_record(actor=actor, action=action, target=record, summary=summary, detail=detail or None)


def actor_name(actor) -> str:
    if actor is None:
        return ""
    return (actor.get_full_name() or actor.get_username())[:150]


# --- Best interests ---------------------------------------------------------------------------


@transaction.atomic
def assessment_record(
    *,
    actor,
    case: Case,
    assessed_on: date,
    childs_views: str,
    safety_risks: str,
    retrafficking_risk: str,
    recommendation: str,
    family_situation: str = "",
    health: str = "",
    education: str = "",
    options: list[str] | None = None,
) -> BestInterestAssessment:
    """Record the best-interest assessment and ask a supervisor to approve it (approval BIA)."""
    _require_child_case(actor, case)
    _check_day(case, assessed_on, "assessed_on")
    _required({"childs_views": childs_views, "safety_risks": safety_risks})
    _check_choice(retrafficking_risk, Level, "retrafficking_risk")
    _check_choice(recommendation, Option, "recommendation")
    options = list(dict.fromkeys(options or []))
    for option in options:
        _check_choice(option, Option, "options")
    if recommendation not in options:
        options.append(recommendation)
    assessment = BestInterestAssessment(
        case=case,
        assessed_on=assessed_on,
        childs_views=childs_views.strip(),
        safety_risks=safety_risks.strip(),
        retrafficking_risk=retrafficking_risk,
        family_situation=family_situation.strip(),
        health=health.strip(),
        education=education.strip(),
        options=options,
        recommendation=recommendation,
        recorded_by=actor,
    )
    assessment.full_clean(exclude=["approval", "recorded_by"])
    assessment.approval = approval_request(
        actor=actor,
        case=case,
        kind=Approval.Kind.BIA,
        comment=_("Best-interest assessment of %(d)s") % {"d": assessed_on.isoformat()},
    )
    assessment.save()
    _audit(actor, Action.CREATE, assessment, f"{case.ref}: BIA", recommendation=recommendation)
    return assessment


def latest_assessment(case: Case) -> BestInterestAssessment | None:
    return case.bias.select_related("approval").first()


def usable_family_assessment(case: Case) -> FamilyAssessment | None:
    """The latest family assessment of the area of origin, made here or received from the peer."""
    return case.family_assessments.first()


@transaction.atomic
def determination_record(
    *,
    actor,
    case: Case,
    decided_on: date,
    panel: list[dict],
    options_considered: list[str],
    child_heard: bool,
    heard_how: str,
    decision: str,
    reasons: str,
    dissent: str = "",
) -> BestInterestDetermination:
    """Record the panel's best-interest determination and ask for its approval (approval BID,
    which the move to return or alternative care requires). It needs an approved assessment;
    a determination for return also needs a family assessment of the area of origin."""
    _require_child_case(actor, case)
    _check_day(case, decided_on, "decided_on")
    assessment = latest_assessment(case)
    if assessment is None or not assessment.approved:
        raise ValidationError(
            _(
                "A best-interest determination needs a best-interest assessment approved by a supervisor."
            )
        )
    if decided_on < assessment.assessed_on:
        raise ValidationError({"decided_on": _("The determination cannot precede the assessment.")})
    _check_choice(decision, Option, "decision")
    _check_choice(heard_how, BestInterestDetermination.HeardHow, "heard_how")
    members = [
        {"name": str(m.get("name", "")).strip()[:150], "role": str(m.get("role", "")).strip()[:150]}
        for m in panel or []
        if str(m.get("name", "")).strip()
    ]
    if len(members) < 2 or any(not m["role"] for m in members):
        raise ValidationError({"panel": _("Name at least two panel members, each with a role.")})
    options = list(dict.fromkeys(options_considered or []))
    for option in options:
        _check_choice(option, Option, "options_considered")
    if decision not in options or len(options) < 2:
        raise ValidationError(
            {"options_considered": _("Weigh at least two options, the decision among them.")}
        )
    if child_heard == (heard_how == BestInterestDetermination.HeardHow.NOT_HEARD):
        raise ValidationError(
            {"heard_how": _("Say how the child was heard, or that the child was not heard.")}
        )
    _required({"reasons": reasons})
    family = usable_family_assessment(case)
    if decision == Option.RETURN and family is None:
        raise ValidationError(
            _(
                "A determination for return needs a family assessment from the area of origin "
                "(made here or received from the other country)."
            )
        )
    determination = BestInterestDetermination(
        case=case,
        assessment=assessment,
        family_assessment=family if decision == Option.RETURN else None,
        decided_on=decided_on,
        panel=members,
        options_considered=options,
        child_heard=child_heard,
        heard_how=heard_how,
        decision=decision,
        reasons=reasons.strip(),
        dissent=dissent.strip(),
        recorded_by=actor,
    )
    determination.approval = approval_request(
        actor=actor,
        case=case,
        kind=Approval.Kind.BID,
        comment=_("Best-interest determination: %(d)s") % {"d": Option(decision).label},
    )
    determination.save()
    _audit(actor, Action.CREATE, determination, f"{case.ref}: BID", decision=decision)
    return determination


# --- Family tracing and assessment -------------------------------------------------------------


def _tracing_fields(case, *, date, action, place, who, outcome, notes) -> dict:
    _check_day(case, date, "date")
    _required({"action": action, "who": who})
    _check_choice(outcome, TracingAction.Outcome, "outcome")
    return {
        "date": date,
        "action": action.strip()[:200],
        "place": (place or "").strip()[:150],
        "who": who.strip()[:150],
        "outcome": outcome,
        "notes": (notes or "").strip(),
    }


@transaction.atomic
def tracing_action_record(
    *,
    actor,
    case: Case,
    date: date,
    action: str,
    who: str,
    outcome: str,
    place: str = "",
    notes: str = "",
) -> TracingAction:
    _require_child_case(actor, case)
    fields = _tracing_fields(
        case, date=date, action=action, place=place, who=who, outcome=outcome, notes=notes
    )
    record = TracingAction.objects.create(case=case, recorded_by=actor, **fields)
    _audit(actor, Action.CREATE, record, f"{case.ref}: {outcome}")
    return record


@transaction.atomic
def tracing_action_update(
    *, actor, record: TracingAction, expected_version: int | None, **values
) -> TracingAction:
    record = TracingAction.objects.select_for_update().get(pk=record.pk)
    _require_child_case(actor, record.case)
    _check_version(record, expected_version)
    current = {
        f: getattr(record, f) for f in ("date", "action", "place", "who", "outcome", "notes")
    }
    fields = _tracing_fields(record.case, **{**current, **values})
    for name, value in fields.items():
        setattr(record, name, value)
    record.version += 1
    record.save()
    _audit(
        actor, Action.UPDATE, record, f"{record.case.ref}: {record.outcome}", version=record.version
    )
    return record


@transaction.atomic
def family_assessment_record(
    *,
    actor,
    case: Case,
    assessed_on: date,
    place: str,
    assessor: str,
    household: str,
    recommendation: str,
    caregiver_name: str = "",
    caregiver_willing: bool = False,
    caregiver_able: bool = False,
    living_conditions: str = "",
    risks: str = "",
    support_needed: str = "",
    source: str = FamilyAssessment.Source.LOCAL,
    received_from: str = "",
) -> FamilyAssessment:
    """Record a family assessment made here, or one the other node's social services made in
    the area of origin (``source="peer"``, naming the node)."""
    _require_child_case(actor, case)
    return _family_assessment_save(
        actor=actor,
        case=case,
        assessed_on=assessed_on,
        place=place,
        assessor=assessor,
        household=household,
        recommendation=recommendation,
        caregiver_name=caregiver_name,
        caregiver_willing=caregiver_willing,
        caregiver_able=caregiver_able,
        living_conditions=living_conditions,
        risks=risks,
        support_needed=support_needed,
        source=source,
        received_from=received_from,
    )


def _family_assessment_save(*, actor, case, uid=None, **data) -> FamilyAssessment:
    if data["assessed_on"] is None or data["assessed_on"] > timezone.localdate():
        raise ValidationError({"assessed_on": _("Give a date that is not in the future.")})
    _required(
        {"place": data["place"], "assessor": data["assessor"], "household": data["household"]}
    )
    _check_choice(data["recommendation"], FamilyAssessment.Recommendation, "recommendation")
    _check_choice(data["source"], FamilyAssessment.Source, "source")
    if data["source"] == FamilyAssessment.Source.PEER and not data["received_from"].strip():
        raise ValidationError({"received_from": _("Name the node the assessment came from.")})
    if data["source"] == FamilyAssessment.Source.LOCAL:
        data["received_from"] = ""
    if data["recommendation"] in (
        FamilyAssessment.Recommendation.RETURN,
        FamilyAssessment.Recommendation.RETURN_WITH_SUPPORT,
    ) and not (data["caregiver_willing"] and data["caregiver_able"]):
        raise ValidationError(
            {
                "recommendation": _(
                    "A return is recommended only to a caregiver who is willing and able."
                )
            }
        )
    record = FamilyAssessment(case=case, recorded_by=actor, **data)
    if uid:
        record.uid = uid
    record.full_clean(exclude=["recorded_by", "case"])
    record.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=record,
        summary=f"{case.ref}: {data['recommendation']}",
        detail={"source": data["source"]},
        username="" if actor else f"node:{data['received_from']}",
    )
    return record


# --- Alternative care -------------------------------------------------------------------------


def occupancy(provider) -> int:
    today = timezone.localdate()
    return (
        Placement.objects.filter(provider=provider, start_on__lte=today)
        .exclude(end_on__lt=today)
        .count()
    )


def _check_dates_list(values, field: str) -> list[str]:
    out = []
    for value in values or []:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise ValidationError({field: _("Dates are written YYYY-MM-DD.")}) from None
        out.append(value.isoformat())
    return sorted(set(out))


@transaction.atomic
def placement_start(
    *,
    actor,
    case: Case,
    kind: str,
    start_on: date,
    provider=None,
    review_dates: list | None = None,
    caregiver: str = "",
) -> Placement:
    """Place a child in alternative care: one placement at a time, with a provider of this
    country's service directory (a shelter offers shelter and has a free place)."""
    _require_child_case(actor, case)
    _check_day(case, start_on, "start_on")
    _check_choice(kind, PlacementType, "kind")
    if case.placements.filter(end_on__isnull=True).exists():
        raise ValidationError(_("The child is still in a placement: end it first."))
    if kind == PlacementType.SHELTER and provider is None:
        raise ValidationError({"provider": _("Choose the provider from the service directory.")})
    if provider is not None:
        from corridor.referrals.models import ServiceProvider

        provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
        if provider.country != settings.NODE_COUNTRY:
            raise ValidationError({"provider": _("Choose a provider of this country.")})
        if kind == PlacementType.SHELTER:
            if SHELTER_SERVICE not in (provider.services or []):
                raise ValidationError({"provider": _("This provider offers no shelter.")})
            if provider.capacity is not None and occupancy(provider) >= provider.capacity:
                raise ValidationError(
                    {
                        "provider": _("%(p)s is full (%(n)s places).")
                        % {"p": provider.name, "n": provider.capacity}
                    }
                )
    reviews = _check_dates_list(review_dates, "review_dates")
    if any(r < start_on.isoformat() for r in reviews):
        raise ValidationError(
            {"review_dates": _("A review cannot come before the placement starts.")}
        )
    caregivers = (
        [{"name": caregiver.strip()[:150], "from": start_on.isoformat(), "to": None}]
        if caregiver.strip()
        else []
    )
    placement = Placement.objects.create(
        case=case,
        kind=kind,
        provider=provider,
        start_on=start_on,
        review_dates=reviews,
        caregivers=caregivers,
        recorded_by=actor,
    )
    _audit(
        actor,
        Action.CREATE,
        placement,
        f"{case.ref}: {kind}",
        provider=provider.pk if provider else None,
    )
    return placement


@transaction.atomic
def placement_update(
    *,
    actor,
    placement: Placement,
    expected_version: int | None,
    end_on: date | None = None,
    end_reason: str = "",
    review_on: date | None = None,
    caregiver: str = "",
    caregiver_from: date | None = None,
) -> Placement:
    """Add a review date, record a change of caregiver (the previous one's stay ends the day
    before), or end the placement."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    case = _require_child_case(actor, placement.case)
    _check_version(placement, expected_version)
    if placement.end_on is not None:
        raise ValidationError(_("This placement has ended."))
    if review_on is not None:
        if review_on < placement.start_on:
            raise ValidationError(
                {"review_on": _("A review cannot come before the placement starts.")}
            )
        placement.review_dates = sorted({*placement.review_dates, review_on.isoformat()})
    if caregiver.strip():
        since = caregiver_from or timezone.localdate()
        _check_day(case, since, "caregiver_from")
        if since < placement.start_on:
            raise ValidationError(
                {"caregiver_from": _("This date is before the placement started.")}
            )
        history = [dict(c) for c in placement.caregivers]
        for entry in history:
            if entry.get("to") is None:
                entry["to"] = since.isoformat()
        history.append({"name": caregiver.strip()[:150], "from": since.isoformat(), "to": None})
        placement.caregivers = history
    if end_on is not None:
        _check_day(case, end_on, "end_on")
        if end_on < placement.start_on:
            raise ValidationError({"end_on": _("A placement cannot end before it starts.")})
        _required({"end_reason": end_reason})
        placement.end_on, placement.end_reason = end_on, end_reason.strip()[:200]
        for entry in placement.caregivers:
            if entry.get("to") is None:
                entry["to"] = end_on.isoformat()
    placement.version += 1
    placement.save()
    _audit(actor, Action.UPDATE, placement, case.ref, version=placement.version)
    return placement


# --- Return hand-over --------------------------------------------------------------------------


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
        actor, Action.CREATE, handover, f"{case.ref}: hand-over signed", cross_border=bool(referral)
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
    _audit(actor, Action.UPDATE, handover, f"{handover.case.ref}: hand-over countersigned")
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
    _audit(actor, Action.SEND, assessment, f"{assessment.case.ref}: family assessment shared")
    return message_send(
        actor=actor,
        peer=referral.peer,
        type=FAMILY_ASSESSMENT,
        payload=payload,
        topic=referral.topic,
    )


# --- Follow-up visits --------------------------------------------------------------------------


def _visit_anchor(case: Case, placement: Placement | None) -> date | None:
    """A visit follows the return home, or the start of the placement it visits."""
    if placement is not None:
        return placement.start_on
    starts = [
        d
        for d in (
            case.returned_on,
            case.placements.order_by("start_on").values_list("start_on", flat=True).first(),
        )
        if d
    ]
    return min(starts) if starts else None


def _visit_fields(
    case: Case, *, placement, month, visited_on, living_with, schooling, safety, ratings
) -> dict:
    if placement is not None and placement.case_id != case.pk:
        raise ValidationError({"placement": _("This placement belongs to another case.")})
    if month not in FOLLOW_UP_MONTHS:
        raise ValidationError({"month": _("Follow-up visits are at 3, 6 and 12 months.")})
    _check_day(case, visited_on, "visited_on")
    anchor = _visit_anchor(case, placement)
    if anchor is None:
        raise ValidationError(
            _("A follow-up visit comes after the return or a placement: neither is recorded.")
        )
    if visited_on < anchor:
        raise ValidationError(
            {
                "visited_on": _("The visit is dated before the return or the placement (%(d)s).")
                % {"d": anchor.isoformat()}
            }
        )
    _check_choice(living_with, FollowUpVisit.LivingWith, "living_with")
    _check_choice(schooling, FollowUpVisit.Schooling, "schooling")
    _check_choice(safety, FollowUpVisit.Safety, "safety")
    bad = {
        item: _("Rate from %(lo)s to %(hi)s.") % {"lo": scoring.SCALE[0], "hi": scoring.SCALE[1]}
        for item in scoring.ITEMS
        if not scoring.in_scale(ratings.get(item))
    }
    if bad:
        raise ValidationError(bad)
    result = scoring.score(ratings, living_with)
    return {
        **{item: ratings[item] for item in scoring.ITEMS},
        "economic_score": result["economic"],
        "social_score": result["social"],
        "psychosocial_score": result["psychosocial"],
        "score": result["score"],
        "reintegrated": result["reintegrated"],
    }


def _complete_task(actor, case: Case, month: int, visit: FollowUpVisit) -> None:
    """The follow-up task of that milestone (created on reintegration) is done by the visit."""
    tasks = list(case.tasks.filter(kind=Task.Kind.FOLLOW_UP).order_by("due_on", "id"))
    index = FOLLOW_UP_MONTHS.index(month)
    if index < len(tasks) and tasks[index].done_on is None:
        task_complete(
            actor=actor,
            task=tasks[index],
            outcome=_("Visit recorded: reintegration score %(s)s") % {"s": visit.score},
            done_on=visit.visited_on,
        )


@transaction.atomic
def visit_record(
    *,
    actor,
    case: Case,
    month: int,
    visited_on: date,
    living_with: str,
    schooling: str,
    safety: str,
    ratings: dict[str, int],
    wellbeing: str = "",
    childs_account: str = "",
    placement: Placement | None = None,
) -> FollowUpVisit:
    """Record the visit at 3, 6 or 12 months with its reintegration score (``scoring.py``)."""
    _require_child_case(actor, case)
    fields = _visit_fields(
        case,
        placement=placement,
        month=month,
        visited_on=visited_on,
        living_with=living_with,
        schooling=schooling,
        safety=safety,
        ratings=ratings,
    )
    if case.follow_ups.filter(month=month).exists():
        raise ValidationError({"month": _("The visit at this milestone is already recorded.")})
    visit = FollowUpVisit.objects.create(
        case=case,
        placement=placement,
        month=month,
        visited_on=visited_on,
        living_with=living_with,
        schooling=schooling,
        safety=safety,
        wellbeing=wellbeing.strip(),
        childs_account=childs_account.strip(),
        recorded_by=actor,
        **fields,
    )
    _complete_task(actor, case, month, visit)
    _audit(actor, Action.CREATE, visit, f"{case.ref}: {month} months", score=str(visit.score))
    return visit


@transaction.atomic
def visit_update(
    *, actor, visit: FollowUpVisit, expected_version: int | None, **values
) -> FollowUpVisit:
    """Correct a visit; refused as a conflict when it changed since ``expected_version``."""
    visit = FollowUpVisit.objects.select_for_update().get(pk=visit.pk)
    case = _require_child_case(actor, visit.case)
    _check_version(visit, expected_version)
    ratings = {item: values.pop(item, getattr(visit, item)) for item in scoring.ITEMS}
    ratings.update(values.pop("ratings", {}) or {})
    current = {
        f: values.get(f, getattr(visit, f))
        for f in ("placement", "month", "visited_on", "living_with", "schooling", "safety")
    }
    fields = _visit_fields(case, ratings=ratings, **current)
    for name, value in {**current, **fields}.items():
        setattr(visit, name, value)
    for name in ("wellbeing", "childs_account"):
        if name in values:
            setattr(visit, name, (values[name] or "").strip())
    visit.version += 1
    visit.save()
    _audit(actor, Action.UPDATE, visit, f"{case.ref}: {visit.month} months", version=visit.version)
    return visit
