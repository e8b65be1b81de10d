"""Who may operate the federation: ``actor=None`` is the node itself (management commands run by
the operator, message handlers); people need a role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from corridor.accounts.models import Role

OPERATOR_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)


def require_admin(actor) -> None:
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only an administrator can manage peers and keys."))


def require_operator(actor, message: str) -> None:
    if actor is not None and not actor.has_role(*OPERATOR_ROLES):
        raise PermissionDenied(message)


def username(actor) -> str:
    """The name the audit records for ``actor`` (the node itself is ``system``)."""
    return actor.get_username() if actor is not None else "system"
