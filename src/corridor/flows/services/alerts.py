"""Alerts on unusual counts (unaccompanied children above the seasonal baseline) and the
notifications they send to the node's coordinators."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role, User
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core import said
from corridor.core.numbers import decimal
from corridor.flows import anomaly, vocab
from corridor.flows.models import DailySheet, FlowAlert, FlowPoint, Notification, VulnerabilityCount

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
    text = said.say(
        said.FLOW_ALERT,
        point=point.name,
        day=day.isoformat(),
        n=score.observed,
        median=decimal(score.median),
    )
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
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=notification,
            summary=node_text(gettext_noop("read")),
        )
    return notification
