"""Reads of users and agencies, scoped."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from corridor.accounts.adapter import normalise_username
from corridor.accounts.mfa import has_authenticator
from corridor.accounts.models import Agency, Role, User


def visible_users(user) -> QuerySet[User]:
    """Administrators see every account of their node; supervisors and coordinators see the staff
    they can assign work to (their agency, their country); anyone else sees only themselves."""
    if not getattr(user, "is_authenticated", False) or not user.is_home_staff:
        return User.objects.none()
    users = User.objects.select_related("agency").filter(agency__country=user.country)
    if user.role == Role.ADMINISTRATOR:
        return users
    if user.role == Role.COORDINATOR:
        return users
    if user.role == Role.SUPERVISOR:
        return users.filter(agency_id=user.agency_id)
    return users.filter(pk=user.pk)


def visible_agencies(user) -> QuerySet[Agency]:
    """The agency directory is shared knowledge among staff; outsiders see nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_home_staff:
        return Agency.objects.none()
    return Agency.objects.all()


def case_holding_agencies() -> QuerySet[Agency]:
    """This node's agencies that can take a person's case: active, with at least one active
    caseworker or supervisor (not a border post, a prosecutor's office or a partner)."""
    return Agency.objects.filter(
        country=settings.NODE_COUNTRY,
        is_active=True,
        user__is_active=True,
        user__role__in=(Role.CASEWORKER, Role.SUPERVISOR),
    ).distinct()


def sign_in_state(user: User) -> dict:
    """What an administrator needs to help someone who cannot sign in: the failed sign-ins
    counted against the account within the lockout window (locked at ``AXES_FAILURE_LIMIT``)
    and whether an authenticator app is set up."""
    attempts = _recent_failures().filter(username=normalise_username(user.username))
    failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
    return {
        "failures": failures,
        "locked": failures >= settings.AXES_FAILURE_LIMIT,
        "has_totp": has_authenticator(user),
    }


def locked_users(users) -> set[int]:
    """The ids of those of ``users`` whose account is locked now, in one query (a list's page)."""
    names = {normalise_username(user.username): user.pk for user in users}
    locked = (
        _recent_failures()
        .filter(username__in=names)
        .values("username")
        .annotate(n=Sum("failures_since_start"))
        .filter(n__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {names[row["username"]] for row in locked}


def _recent_failures():
    """Failed sign-ins still counted: those within django-axes' cool-off window."""
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(attempt_time__gte=since)
