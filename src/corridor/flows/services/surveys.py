"""Survey interviews at a point (one traveller, with consent)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.flows import vocab
from corridor.flows.models import FlowPoint, FlowSurvey
from corridor.flows.services.points import check_entry


@transaction.atomic
def flow_survey_record(
    *, actor, point: FlowPoint, day: date, consent: bool, instance_id: str = "", **answers
) -> FlowSurvey:
    """Record one survey interview. Without consent only the refusal is kept (no answers)."""
    check_entry(actor, point, day)
    allowed = {
        "direction",
        "sex",
        "age_group",
        "nationality",
        "origin_country",
        "destination_country",
        "transport",
        "reason",
        "vulnerabilities",
    }
    unknown = set(answers) - allowed
    if unknown:
        raise ValidationError(_("Unknown survey fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not consent:
        answers = {}
    vulns = answers.get("vulnerabilities") or []
    bad = [v for v in vulns if v not in vocab.Vulnerability.values]
    if bad:
        raise ValidationError(_("Unknown vulnerability: %(v)s") % {"v": ", ".join(bad)})
    survey = FlowSurvey(
        point=point,
        day=day,
        consent=consent,
        instance_id=instance_id,
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        **answers,
    )
    survey.full_clean()
    survey.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=survey,
        summary=f"{point.code} {day.isoformat()}",
        detail={"consent": consent},
    )
    return survey


@transaction.atomic
def flow_survey_delete(*, actor, survey: FlowSurvey) -> None:
    """Remove a survey (an edited field submission replaces the earlier one)."""
    audit_record(
        actor=actor,
        action=Action.DELETE,
        target=survey,
        summary=f"{survey.point.code} {survey.day.isoformat()}",
    )
    survey.delete()
