"""Counts of travellers at a point: the daily sheet, a group added from the field, archive loads,
and the ``FlowDaily`` pre-aggregate the dashboards read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core.numbers import in_a_list
from corridor.flows.models import DailySheet, FlowCount, FlowDaily, FlowPoint, VulnerabilityCount
from corridor.flows.services.alerts import flow_alerts_detect
from corridor.flows.services.points import check_entry

COUNT_FIELDS = ("direction", "sex", "age_group", "nationality", "transport", "reason")


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
    check_entry(actor, point, day)
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
                % {"values": " / ".join(key), "errors": in_a_list(exc.messages)}
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
        summary=node_text(
            lambda: ngettext("%(n)s count row loaded", "%(n)s count rows loaded", n) % {"n": n}
        ),
        detail={"rows": n, "from": start.isoformat(), "to": end.isoformat()},
    )
    return n


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


def _add_to_count(model, change: int, **key) -> None:
    """Add ``change`` to the count row of ``model`` with these key fields (locked): a row that
    falls to zero goes, and no count may go below zero."""
    existing = model.objects.select_for_update().filter(**key).first()
    new = (existing.count if existing else 0) + change
    if new < 0:
        raise ValidationError(_("Taking this group out would make a count negative."))
    if existing and new == 0:
        existing.delete()
    elif existing:
        existing.count = new
        existing.save(update_fields=["count"])
    else:
        obj = model(count=new, **key)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()


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
    check_entry(actor, point, day)
    if sign not in (1, -1):
        raise ValueError("sign must be 1 or -1")
    for row in rows:
        if row["count"]:
            key = {f: row[f] for f in COUNT_FIELDS}
            _add_to_count(FlowCount, sign * row["count"], point=point, day=day, **key)
    for (direction, vulnerability), n in (vulnerabilities or {}).items():
        if n:
            _add_to_count(
                VulnerabilityCount,
                sign * n,
                point=point,
                day=day,
                direction=direction,
                vulnerability=vulnerability,
            )
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
