"""Best-interest assessment and determination (UNHCR BIP): the determination needs an approved assessment, and one for return a family assessment of the area of origin."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import node_about
from corridor.cases.models import Approval, Case, ChildStep
from corridor.cases.services import approval_request, latest_decided
from corridor.childcare.models import (
    BestInterestAssessment,
    BestInterestDetermination,
    FamilyAssessment,
    Level,
    Option,
)
from corridor.childcare.services.common import (
    _audit,
    _check_choice,
    _check_day,
    _require_child_case,
    _required,
)
from corridor.core import said


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
        comment=said.say(said.BIA_REQUESTED, d=assessed_on.isoformat()),
    )
    assessment.save()
    _audit(
        actor,
        Action.CREATE,
        assessment,
        node_about(case.ref, Approval.Kind.BIA.label),
        recommendation=recommendation,
    )
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
        comment=said.say(said.BID_REQUESTED, d=Option(decision).label),
    )
    determination.save()
    _audit(
        actor,
        Action.CREATE,
        determination,
        node_about(case.ref, Approval.Kind.BID.label),
        decision=decision,
    )
    return determination


def determination_move_check(case: Case, *, to_step: str = "", to_stage: str = "") -> list[str]:
    """Registered in ``cases.services.MOVE_CHECKS``: the approved determination that opens
    return or alternative care must be the panel's record (an approval asked bare opens
    nothing), and a return needs one deciding return."""
    if not case.is_child or to_step not in (ChildStep.RETURN, ChildStep.ALTERNATIVE_CARE):
        return []
    approval = latest_decided(case, Approval.Kind.BID)
    if approval is None or approval.decision != Approval.Decision.APPROVED:
        return []  # the cases app already says an approved determination is missing
    # None when the approval was asked bare, from the case page or the API.
    determination = BestInterestDetermination.objects.filter(approval=approval).first()
    if determination is None:
        return [
            _(
                "the record of that determination (panel, options weighed, how the child was "
                "heard, decision and reasons): record it on the child's page"
            )
        ]
    if to_step == ChildStep.RETURN and determination.decision != Option.RETURN:
        return [
            _("a determination deciding return (the approved one decided: %(d)s)")
            % {"d": Option(determination.decision).label}
        ]
    return []


def determination_approval_check(case: Case, kind: str) -> list[str]:
    """Registered in ``cases.services.APPROVAL_CHECKS``: warn before a BID approval that has no
    panel record behind it, since approving it would open nothing."""
    if kind != Approval.Kind.BID or not case.is_child:
        return []
    pending = case.approvals.filter(kind=kind, decision=Approval.Decision.PENDING).first()
    if pending is not None and BestInterestDetermination.objects.filter(approval=pending).exists():
        return []
    return [
        _(
            "No determination record (panel, options, decision) is behind this request: "
            "approving it will not open the return or alternative care."
        )
    ]
