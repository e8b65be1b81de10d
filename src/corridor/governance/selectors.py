"""Who sees what in governance. Agreements, rules and registers are not personal data but are
the node's own: only its staff with the role see them (another country's staff see nothing).
Subject requests name a person: coordinators of this node only."""

from __future__ import annotations

from corridor.accounts.models import Role
from corridor.governance.models import Agreement, Breach, ProcessingActivity, SubjectRequest

AGREEMENT_READERS = (Role.ADMINISTRATOR, Role.COORDINATOR)
ADMINISTRATORS = (Role.ADMINISTRATOR,)
COORDINATORS = (Role.COORDINATOR,)


def _of_this_node(user, roles) -> bool:
    """``has_role`` already requires home staff (this node's country, an agency, a role)."""
    return user is not None and user.is_authenticated and user.has_role(*roles)


def visible_agreements(user):
    if not _of_this_node(user, AGREEMENT_READERS):
        return Agreement.objects.none()
    return Agreement.objects.all()


def visible_activities(user):
    if not _of_this_node(user, ADMINISTRATORS):
        return ProcessingActivity.objects.none()
    return ProcessingActivity.objects.all()


def visible_breaches(user):
    if not _of_this_node(user, ADMINISTRATORS):
        return Breach.objects.none()
    return Breach.objects.all()


def visible_requests(user):
    if not _of_this_node(user, COORDINATORS):
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.select_related("person")
