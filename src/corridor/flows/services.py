"""Writes of flow-monitoring data. Every write is audited in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.accounts.models import Agency, Role, User
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.flows import anomaly, vocab
from corridor.flows.models import (
    DailySheet,
    FlowAlert,
    FlowCount,
    FlowDaily,
    FlowPoint,
    FlowSurvey,
    Notification,
    Submission,
    SubmissionStatus,
    VulnerabilityCount,
)
from corridor.flows.selectors import writable_points

COUNT_FIELDS = ("direction", "sex", "age_group", "nationality", "transport", "reason")
EARLIEST_DAY = date(2000, 1, 1)


def _check_day(day: date) -> None:
    if not isinstance(day, date):
        raise ValidationError(_("The day is not a valid date."))
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            _("Counts cannot be entered for a day in the future (%(day)s).") % {"day": day}
        )
    if day < EARLIEST_DAY:
        raise ValidationError(_("The day %(day)s is too far in the past.") % {"day": day})


def _check_writer(actor, point: FlowPoint) -> None:
    """``actor=None`` is the node itself (imports by the operator, seeding)."""
    if actor is not None and not writable_points(actor).filter(pk=point.pk).exists():
        raise PermissionDenied(_("You cannot enter counts for this point."))


@transaction.atomic
def point_sync(*, actor, agency: Agency | None = None) -> dict:
    """Create or update this node's flow monitoring points from ``vocab/points.yaml``
    (idempotent); new points are staffed by ``agency``."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR, Role.COORDINATOR):
        raise PermissionDenied(_("Only a coordinator or an administrator can manage points."))
    created = updated = 0
    for spec in vocab.points(settings.NODE_COUNTRY):
        fields = {k: spec[k] for k in ("name", "country", "region", "kind", "route")}
        point = FlowPoint.objects.filter(code=spec["code"]).first()
        if point is None:
            point = FlowPoint(code=spec["code"], agency=agency, **fields)
            point.full_clean()
            point.save()
            created += 1
            audit_record(actor=actor, action=Action.CREATE, target=point, summary=point.name)
        elif any(getattr(point, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(point, k, v)
            point.full_clean()
            point.save()
            updated += 1
            audit_record(actor=actor, action=Action.UPDATE, target=point, summary=point.name)
    return {"points created": created, "points updated": updated}


def _refresh_daily(point_ids: Iterable[int] | None, start: date, end: date) -> None:
    """Rebuild the ``FlowDaily`` pre-aggregate for the given points and days from the counts."""
    scope = Q(day__gte=start, day__lte=end)
    if point_ids is not None:
        scope &= Q(point_id__in=list(point_ids))
    FlowDaily.objects.filter(scope).delete()
    table, src = FlowDaily._meta.db_table, FlowCount._meta.db_table
    where, params = "day >= %s AND day <= %s", [start, end]
    if point_ids is not None:
        ids = list(point_ids)
        where += " AND point_id IN (" + ",".join(["%s"] * len(ids)) + ")"
        params += ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (point_id, day, nationality, persons, children, females, inbound) "
            f"SELECT point_id, day, nationality, SUM(count), "
            f"SUM(CASE WHEN age_group = 'child' THEN count ELSE 0 END), "
            f"SUM(CASE WHEN sex = 'f' THEN count ELSE 0 END), "
            f"SUM(CASE WHEN direction = 'in' THEN count ELSE 0 END) "
            f"FROM {src} WHERE {where} GROUP BY point_id, day, nationality",
            params,
        )


@transaction.atomic
def flow_sheet_record(
    *,
    actor,
    point: FlowPoint,
    day: date,
    rows: list[dict],
    vulnerabilities: dict[tuple[str, str], int] | None = None,
    source: str = "form",
) -> DailySheet:
    """Record (or replace) the daily count sheet of one point: the category rows and the
    vulnerability counts. Rows with the same categories are added together; nothing is saved
    unless every row is valid."""
    _check_writer(actor, point)
    _check_day(day)
    merged: dict[tuple, int] = {}
    for index, row in enumerate(rows, start=1):
        key = tuple(row.get(f, "") for f in COUNT_FIELDS)
        count = row.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError(
                _("Line %(line)s: the number of travellers must be a whole number ≥ 0.")
                % {"line": index}
            )
        if count:
            merged[key] = merged.get(key, 0) + count
    counts = []
    for key, count in merged.items():
        obj = FlowCount(
            point=point, day=day, count=count, **dict(zip(COUNT_FIELDS, key, strict=True))
        )
        try:
            obj.full_clean(exclude=["point"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(
                _("Invalid line %(values)s: %(errors)s")
                % {"values": " / ".join(key), "errors": "; ".join(exc.messages)}
            ) from exc
        counts.append(obj)
    vulns = []
    for (direction, vulnerability), count in (vulnerabilities or {}).items():
        if not isinstance(count, int) or count < 0:
            raise ValidationError(_("Vulnerability counts must be whole numbers ≥ 0."))
        if count:
            obj = VulnerabilityCount(
                point=point, day=day, direction=direction, vulnerability=vulnerability, count=count
            )
            obj.full_clean(exclude=["point"], validate_unique=False, validate_constraints=False)
            vulns.append(obj)
    replaced = FlowCount.objects.filter(point=point, day=day).delete()[0]
    VulnerabilityCount.objects.filter(point=point, day=day).delete()
    FlowCount.objects.bulk_create(counts)
    VulnerabilityCount.objects.bulk_create(vulns)
    _refresh_daily([point.pk], day, day)
    total = sum(c.count for c in counts)
    sheet, _created = DailySheet.objects.update_or_create(
        point=point,
        day=day,
        defaults={
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
            "travellers": total,
            "source": source,
        },
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE if replaced else Action.CREATE,
        target=sheet,
        summary=f"{point.code} {day.isoformat()}",
        detail={
            "travellers": total,
            "rows": len(counts),
            "vulnerabilities": {
                f"{d}.{v}": c for (d, v), c in (vulnerabilities or {}).items() if c
            },
            "replaced_rows": replaced,
            "source": source,
        },
    )
    flow_alerts_detect(actor=actor, point=point, day=day)
    return sheet


def _copy_rows(rows: Iterable[tuple]) -> int:
    """PostgreSQL COPY of (point_id, day, direction, sex, age_group, nationality, transport,
    reason, count) tuples."""
    columns = ("point_id", "day", *COUNT_FIELDS, "count")
    sql = f"COPY {FlowCount._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    n = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


@transaction.atomic
def flow_counts_ingest(
    *, actor, rows: Iterable[tuple], start: date, end: date, batch_size: int = 20_000
) -> int:
    """Bulk-load count rows already validated by the caller (bench, archive imports):
    (point_id, day, direction, sex, age_group, nationality, transport, reason, count).
    PostgreSQL uses COPY, other databases ``bulk_create``; the pre-aggregate of the period is
    rebuilt once at the end and the whole load is one audit entry."""
    if actor is not None and not actor.has_role(Role.COORDINATOR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only a coordinator can load count archives."))
    if connection.vendor == "postgresql":
        n = _copy_rows(rows)
    else:
        n, batch = 0, []
        for row in rows:
            batch.append(
                FlowCount(
                    point_id=row[0],
                    day=row[1],
                    count=row[8],
                    **dict(zip(COUNT_FIELDS, row[2:8], strict=True)),
                )
            )
            if len(batch) >= batch_size:
                FlowCount.objects.bulk_create(batch)
                n, batch = n + len(batch), []
        FlowCount.objects.bulk_create(batch)
        n += len(batch)
    _refresh_daily(None, start, end)
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        object_type="flows.flowcount",
        summary=_("%(n)s count rows loaded") % {"n": n},
        detail={"rows": n, "from": start.isoformat(), "to": end.isoformat()},
    )
    return n


@transaction.atomic
def flow_survey_record(
    *, actor, point: FlowPoint, day: date, consent: bool, instance_id: str = "", **answers
) -> FlowSurvey:
    """Record one survey interview. Without consent only the refusal is kept (no answers)."""
    _check_writer(actor, point)
    _check_day(day)
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


ALERT_METRIC = "unaccompanied"


def _unaccompanied(point: FlowPoint, days: list[date]) -> dict[date, int]:
    rows = (
        VulnerabilityCount.objects.filter(
            point=point, day__in=days, vulnerability=vocab.Vulnerability.UNACCOMPANIED
        )
        .values("day")
        .annotate(n=Sum("count"))
    )
    return {r["day"]: r["n"] for r in rows}


@transaction.atomic
def flow_alerts_detect(*, actor, point: FlowPoint, day: date) -> FlowAlert | None:
    """Compare the unaccompanied children counted at ``point`` on ``day`` with the seasonal
    baseline; above the threshold, raise one alert (once per point, day and indicator) and
    notify every active coordinator of the node in the application."""
    history_days = anomaly.baseline_days(day)
    sheets = set(
        DailySheet.objects.filter(point=point, day__in=history_days).values_list("day", flat=True)
    )
    counts = _unaccompanied(point, [*history_days, day])
    # Days with a sheet but no unaccompanied children count as zero; days without a sheet are
    # unknown and stay out of the baseline.
    history = [counts.get(d, 0) for d in history_days if d in sheets]
    score = anomaly.robust_score(counts.get(day, 0), history)
    if (
        not score.is_anomaly
        or FlowAlert.objects.filter(point=point, day=day, metric=ALERT_METRIC).exists()
    ):
        return None
    alert = FlowAlert(
        point=point,
        day=day,
        metric=ALERT_METRIC,
        observed=score.observed,
        baseline=score.median,
        mad=score.mad,
        score=score.z,
    )
    alert.full_clean()
    alert.save()
    coordinators = User.objects.filter(
        is_active=True, role=Role.COORDINATOR, agency__country=settings.NODE_COUNTRY
    )
    text = _("%(point)s, %(day)s: %(n)s unaccompanied children counted (usual: %(median)s)") % {
        "point": point.name,
        "day": day.isoformat(),
        "n": score.observed,
        "median": score.median,
    }
    Notification.objects.bulk_create(
        [Notification(recipient=u, alert=alert, text=text[:300]) for u in coordinators]
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=alert,
        summary=text[:300],
        detail={"z": score.z, "median": score.median, "mad": score.mad, "history": score.history},
    )
    return alert


@transaction.atomic
def flow_alerts_scan(*, actor, start: date, end: date) -> int:
    """Run the detection over every point and day with a sheet in the period (command, cron)."""
    raised = 0
    for sheet in DailySheet.objects.filter(day__gte=start, day__lte=end).select_related("point"):
        raised += flow_alerts_detect(actor=actor, point=sheet.point, day=sheet.day) is not None
    return raised


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=actor, action=Action.UPDATE, target=notification, summary=_("read"))
    return notification


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _recount_sheet(*, actor, point: FlowPoint, day: date, source: str) -> DailySheet:
    total = FlowCount.objects.filter(point=point, day=day).aggregate(n=Sum("count"))["n"] or 0
    sheet, _created = DailySheet.objects.update_or_create(
        point=point,
        day=day,
        defaults={
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
            "travellers": total,
            "source": source,
        },
    )
    return sheet


@transaction.atomic
def flow_counts_add(
    *,
    actor,
    point: FlowPoint,
    day: date,
    rows: list[dict],
    vulnerabilities: dict[tuple[str, str], int] | None = None,
    sign: int = 1,
    source: str = "odk",
) -> DailySheet:
    """Add one observed group to the counts of a point and day (``sign=-1`` takes it back out,
    when an edited field submission replaces it). A count never goes below zero."""
    _check_writer(actor, point)
    _check_day(day)
    if sign not in (1, -1):
        raise ValueError("sign must be 1 or -1")
    for row in rows:
        if not row["count"]:
            continue
        key = {f: row[f] for f in COUNT_FIELDS}
        existing = FlowCount.objects.select_for_update().filter(point=point, day=day, **key).first()
        new = (existing.count if existing else 0) + sign * row["count"]
        if new < 0:
            raise ValidationError(_("Taking this group out would make a count negative."))
        if existing and new == 0:
            existing.delete()
        elif existing:
            existing.count = new
            existing.save(update_fields=["count"])
        else:
            obj = FlowCount(point=point, day=day, count=new, **key)
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
    for (direction, vulnerability), n in (vulnerabilities or {}).items():
        if not n:
            continue
        existing = (
            VulnerabilityCount.objects.select_for_update()
            .filter(point=point, day=day, direction=direction, vulnerability=vulnerability)
            .first()
        )
        new = (existing.count if existing else 0) + sign * n
        if new < 0:
            raise ValidationError(_("Taking this group out would make a count negative."))
        if existing and new == 0:
            existing.delete()
        elif existing:
            existing.count = new
            existing.save(update_fields=["count"])
        else:
            obj = VulnerabilityCount(
                point=point, day=day, direction=direction, vulnerability=vulnerability, count=new
            )
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
    _refresh_daily([point.pk], day, day)
    sheet = _recount_sheet(actor=actor, point=point, day=day, source=source)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=sheet,
        summary=f"{point.code} {day.isoformat()} {'+' if sign > 0 else '-'}"
        f"{sum(r['count'] for r in rows)}",
        detail={"sign": sign, "rows": len(rows), "source": source},
    )
    if sign > 0:
        flow_alerts_detect(actor=actor, point=point, day=day)
    return sheet


# --- Field submissions (ODK Central / KoboToolbox) -------------------------------------------

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
    else:
        target, outcome = _apply_htcds(actor=actor, answers=answers)
    if isinstance(target, tuple):
        target_type, target_id = target
    elif target is not None:
        target_type, target_id = target._meta.label_lower, str(target.pk)
    else:
        target_type = target_id = ""
    stored = _jsonable(answers)
    if kind == "htcds" and target_id:
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


@transaction.atomic
def point_set_agency(*, actor, point: FlowPoint, agency: Agency | None) -> FlowPoint:
    """Say which agency staffs a point (its officers enter the counts there)."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR, Role.COORDINATOR):
        raise PermissionDenied(_("Only a coordinator or an administrator can manage points."))
    if agency is not None and agency.country != point.country:
        raise ValidationError(_("A point is staffed by an agency of its own country."))
    if point.agency_id != (agency.pk if agency else None):
        old = str(point.agency) if point.agency_id else None
        point.agency = agency
        point.full_clean()
        point.save(update_fields=["agency"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=point,
            summary=point.name,
            detail={"agency": [old, str(agency) if agency else None]},
        )
    return point
