"""The family-tracing log and the family assessment (made here or received from the other node)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_about
from corridor.cases.models import Case
from corridor.childcare.models import (
    FamilyAssessment,
    TracingAction,
)
from corridor.childcare.services.common import (
    _audit,
    _check_choice,
    _check_day,
    _check_version,
    _require_child_case,
    _required,
)


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
    _audit(actor, Action.CREATE, record, node_about(case.ref, record.get_outcome_display))
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
        actor,
        Action.UPDATE,
        record,
        node_about(record.case.ref, record.get_outcome_display),
        version=record.version,
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
        summary=node_about(case.ref, record.get_recommendation_display),
        detail={"source": data["source"]},
        username="" if actor else f"node:{data['received_from']}",
    )
    return record
