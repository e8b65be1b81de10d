"""Follow-up visits at 3, 6 and 12 months with their reintegration score."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import node_about
from corridor.cases.models import FOLLOW_UP_MONTHS, Case, Task
from corridor.cases.services import task_complete
from corridor.childcare import scoring
from corridor.childcare.models import (
    FollowUpVisit,
    Placement,
)
from corridor.childcare.services.common import (
    _audit,
    _check_choice,
    _check_day,
    _check_version,
    _require_child_case,
)
from corridor.core import said


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
            outcome=said.say(said.VISIT_RECORDED, s=visit.score),
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
    _audit(
        actor,
        Action.CREATE,
        visit,
        node_about(case.ref, said.FOLLOW_UP_VISIT.msgid, m=month),
        score=str(visit.score),
    )
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
    _audit(
        actor,
        Action.UPDATE,
        visit,
        node_about(case.ref, said.FOLLOW_UP_VISIT.msgid, m=visit.month),
        version=visit.version,
    )
    return visit
