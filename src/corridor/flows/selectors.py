"""Reads of flow-monitoring data, scoped. Each function fails closed: a user outside this node's
country, without an agency or without a flow role gets an empty queryset."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from corridor.accounts.models import Role
from corridor.flows.models import (
    DailySheet,
    FlowAlert,
    FlowCount,
    FlowDaily,
    FlowPoint,
    FlowSurvey,
    Notification,
    Submission,
    VulnerabilityCount,
)

NATIONAL_READERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
COUNT_WRITERS = frozenset({Role.BORDER_OFFICER, Role.COORDINATOR})
FLOW_READERS = NATIONAL_READERS | {Role.BORDER_OFFICER}


def _authenticated_staff(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_home_staff


def visible_points(user) -> QuerySet[FlowPoint]:
    """Coordinators and administrators see every point of the node; a border officer sees the
    points their agency staffs (they enter counts only there)."""
    if not _authenticated_staff(user):
        return FlowPoint.objects.none()
    points = FlowPoint.objects.filter(country=settings.NODE_COUNTRY)
    if user.role in NATIONAL_READERS:
        return points
    if user.role == Role.BORDER_OFFICER:
        return points.filter(agency_id=user.agency_id)
    return FlowPoint.objects.none()


def writable_points(user) -> QuerySet[FlowPoint]:
    """Where the user may enter counts: a border officer at their agency's active points, a
    coordinator at any active point of the node (to correct a sheet)."""
    if not _authenticated_staff(user) or user.role not in COUNT_WRITERS:
        return FlowPoint.objects.none()
    return visible_points(user).filter(is_active=True)


def visible_counts(user) -> QuerySet[FlowCount]:
    return FlowCount.objects.filter(point__in=visible_points(user))


def visible_vulnerability_counts(user) -> QuerySet[VulnerabilityCount]:
    return VulnerabilityCount.objects.filter(point__in=visible_points(user))


def visible_daily(user) -> QuerySet[FlowDaily]:
    return FlowDaily.objects.filter(point__in=visible_points(user))


def visible_sheets(user) -> QuerySet[DailySheet]:
    return DailySheet.objects.select_related("point", "entered_by").filter(
        point__in=visible_points(user)
    )


def visible_surveys(user) -> QuerySet[FlowSurvey]:
    return FlowSurvey.objects.select_related("point").filter(point__in=visible_points(user))


def visible_submissions(user) -> QuerySet[Submission]:
    """Field submissions can carry a person's answers: coordinators and administrators only."""
    if not _authenticated_staff(user) or user.role not in NATIONAL_READERS:
        return Submission.objects.none()
    return Submission.objects.all()


def visible_alerts(user) -> QuerySet[FlowAlert]:
    return FlowAlert.objects.select_related("point").filter(point__in=visible_points(user))


def visible_notifications(user) -> QuerySet[Notification]:
    """Everyone reads only their own notifications."""
    if not _authenticated_staff(user):
        return Notification.objects.none()
    return Notification.objects.select_related("alert__point").filter(recipient=user)
