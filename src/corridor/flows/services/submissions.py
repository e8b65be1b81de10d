"""Field submissions from ODK Central and KoboToolbox: a group count, a survey or an HTCDS
screening, each applied through the count, survey or hand-off services, idempotent on the
submission's instance id, an edited submission replacing its earlier version."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.flows.models import FlowPoint, FlowSurvey, Submission, SubmissionStatus
from corridor.flows.services.counts import flow_counts_add
from corridor.flows.services.surveys import flow_survey_delete, flow_survey_record

PERSONAL_PREFIXES = ("prs_",)
NON_IDENTIFYING = ("prs_Gender", "prs_Citizenship", "prs_EstimatedAge")


def _jsonable(answers: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in answers.items()}


def _point(code: str) -> FlowPoint:
    point = FlowPoint.objects.filter(code=code, country=settings.NODE_COUNTRY).first()
    if point is None:
        raise ValidationError(
            _("point %(code)s is not a monitoring point of this node") % {"code": code}
        )
    return point


def _group_rows(answers: dict) -> tuple[list[dict], dict]:
    base = {k: answers[k] for k in ("direction", "nationality", "transport", "reason")}
    rows = [
        base | {"sex": sex, "age_group": age, "count": answers.get(f"{age}_{sex}") or 0}
        for age in ("adult", "child")
        for sex in ("m", "f")
    ]
    vulnerabilities = {
        (answers["direction"], v): answers.get(v) or 0
        for v in ("unaccompanied", "under5", "pregnant", "elderly", "disability")
    }
    return rows, vulnerabilities


def _apply_flow_count(*, actor, answers: dict, sign: int = 1) -> tuple[object, str]:
    if answers.get("unaccompanied") and answers["unaccompanied"] > (
        (answers.get("child_m") or 0) + (answers.get("child_f") or 0)
    ):
        raise ValidationError(_("unaccompanied: more unaccompanied children than children."))
    point = _point(answers["point"])
    day = answers["day"] if isinstance(answers["day"], date) else date.fromisoformat(answers["day"])
    rows, vulnerabilities = _group_rows(answers)
    if not any(r["count"] for r in rows):
        raise ValidationError(_("the group counts no traveller."))
    sheet = flow_counts_add(
        actor=actor,
        point=point,
        day=day,
        rows=rows,
        vulnerabilities=vulnerabilities,
        sign=sign,
        source="field",
    )
    return sheet, "imported"


def _apply_flow_survey(*, actor, answers: dict) -> tuple[object, str]:
    consent = answers.get("consent") == "yes"
    fields = {
        k: answers.get(k) or ("" if k != "vulnerabilities" else [])
        for k in (
            "direction",
            "sex",
            "age_group",
            "nationality",
            "origin_country",
            "destination_country",
            "transport",
            "reason",
            "vulnerabilities",
        )
    }
    survey = flow_survey_record(
        actor=actor,
        point=_point(answers["point"]),
        day=answers["day"],
        consent=consent,
        instance_id=answers.get("_instance", ""),
        **fields,
    )
    return survey, "imported"


def _apply_htcds(*, actor, answers: dict) -> tuple[object | None, str]:
    from corridor.flows.handoff import HtcdsRecord, htcds_handoff

    consent = answers.get("con_Consent") == "TRUE"
    person = {k: v for k, v in answers.items() if k.startswith("prs_") and v not in (None, "", [])}
    if not consent:
        # Without consent nothing that identifies the person is kept (legal grounds for a case
        # without consent are recorded in the case-management pages, not from the field).
        person = {k: v for k, v in person.items() if k in ("prs_Gender", "prs_Citizenship")}
    birth = person.get("prs_Birthdate")
    if birth and birth > timezone.localdate():
        raise ValidationError(_("prs_Birthdate: the birth date is in the future."))
    record = HtcdsRecord(
        consent=consent,
        person=person,
        victim={k: v for k, v in answers.items() if k.startswith("vic_") and v},
        case={k: v for k, v in answers.items() if k.startswith("cas_") and v},
        point_code=answers.get("point") or "",
        screening_date=answers.get("screening_date"),
        estimated_age=answers.get("prs_EstimatedAge"),
        unaccompanied=(answers.get("unaccompanied") == "yes")
        if answers.get("unaccompanied")
        else None,
    )
    if record.point_code:
        record.point_name = _point(record.point_code).name
    agency = getattr(actor, "agency", None)
    target = htcds_handoff(actor=actor, record=record, agency=agency)
    return target, "imported" if target else "pending"


def _undo(*, actor, previous: Submission) -> None:
    kind = registry_kind(previous.form_id)
    if kind == "flow_count":
        _apply_flow_count(actor=actor, answers=previous.data, sign=-1)
    elif kind == "flow_survey":
        survey = FlowSurvey.objects.filter(pk=previous.target_id).first()
        if survey is not None:
            flow_survey_delete(actor=actor, survey=survey)
    elif previous.status != "pending":
        raise ValidationError(
            _(
                "the earlier version of this submission already became case %(id)s: record the "
                "change in that case"
            )
            % {"id": previous.target_id}
        )


SUBMISSION_KINDS: dict[str, tuple] = {}
"""Forms other capabilities add (``register_submission_kind``): kind → (handler, fields kept)."""


def register_submission_kind(kind: str, handler, kept: tuple[str, ...] = ()) -> None:
    """``handler(*, actor, answers) -> (target, outcome)`` turns a submission of a form of this
    kind into records; ``kept`` names the answers the submission keeps (the rest, which may
    identify a person, live only in the records the handler made)."""
    SUBMISSION_KINDS[kind] = (handler, kept)


def registry_kind(form_id: str) -> str:
    from corridor.flows.xlsforms import registry

    spec = registry().get(form_id)
    return spec.kind if spec else ""


@transaction.atomic
def submission_import(*, actor, parsed) -> str:
    """Import one validated field submission; return "imported", "pending" (waiting for the
    case-management hand-off), "replaced" (an edit replaced its earlier version) or "unchanged"
    (already imported)."""
    if actor is not None and not actor.has_role(Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only a coordinator can import field submissions."))
    if Submission.objects.filter(instance_id=parsed.instance_id).exists():
        return "unchanged"
    previous, root = None, parsed.root_id or parsed.instance_id
    if parsed.deprecated_id:
        edited = Submission.objects.filter(instance_id=parsed.deprecated_id).first()
        if edited is not None and edited.status == SubmissionStatus.SUPERSEDED:
            raise ValidationError(
                _("the submission it edits (%(id)s) was already replaced by another edit")
                % {"id": parsed.deprecated_id}
            )
        if edited is not None:
            root = edited.root_id
    if parsed.deprecated_id or parsed.root_id:
        previous = (
            Submission.objects.select_for_update()
            .filter(root_id=root)
            .exclude(status=SubmissionStatus.SUPERSEDED)
            .first()
        )
        if previous is not None:
            _undo(actor=actor, previous=previous)
            previous.status = SubmissionStatus.SUPERSEDED
            previous.save(update_fields=["status"])
    answers = dict(parsed.answers)
    kind = parsed.spec.kind
    if kind == "flow_count":
        target, outcome = _apply_flow_count(actor=actor, answers=answers)
    elif kind == "flow_survey":
        target, outcome = _apply_flow_survey(
            actor=actor, answers=answers | {"_instance": parsed.instance_id}
        )
    elif kind in SUBMISSION_KINDS:
        target, outcome = SUBMISSION_KINDS[kind][0](
            actor=actor, answers=answers | {"_instance": parsed.instance_id}
        )
    else:
        target, outcome = _apply_htcds(actor=actor, answers=answers)
    if isinstance(target, tuple):
        target_type, target_id = target
    elif target is not None:
        target_type, target_id = target._meta.label_lower, str(target.pk)
    else:
        target_type = target_id = ""
    stored = _jsonable(answers)
    if kind in SUBMISSION_KINDS:
        stored = {k: v for k, v in stored.items() if k in SUBMISSION_KINDS[kind][1]}
    elif kind == "htcds" and target_id:
        # Handed off: the person lives in the people app now; keep no copy of who they are.
        stored = {k: v for k, v in stored.items() if not k.startswith(PERSONAL_PREFIXES)}
    elif kind == "htcds" and stored.get("con_Consent") != "TRUE":
        # No consent to record personal data: keep nothing that identifies the person.
        stored = {
            k: v
            for k, v in stored.items()
            if not k.startswith(PERSONAL_PREFIXES) or k in NON_IDENTIFYING
        }
    submission = Submission(
        instance_id=parsed.instance_id,
        root_id=root,
        deprecated_id=parsed.deprecated_id,
        form_id=parsed.spec.form_id,
        form_version=parsed.version,
        source=parsed.source,
        status=SubmissionStatus.PENDING_HANDOFF
        if outcome == "pending"
        else SubmissionStatus.IMPORTED,
        data=stored,
        target_type=target_type,
        target_id=target_id,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    submission.full_clean()
    submission.save()
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        target=submission,
        summary=f"{parsed.spec.form_id} {parsed.instance_id}",
        detail={
            "form": parsed.spec.form_id,
            "version": parsed.version,
            "replaces": parsed.deprecated_id,
            "target": f"{target_type}:{target_id}",
        },
    )
    return "replaced" if previous is not None else outcome
