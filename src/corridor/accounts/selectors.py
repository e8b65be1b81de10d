"""Reads of users and agencies, scoped."""

from __future__ import annotations

from django.db.models import QuerySet

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
