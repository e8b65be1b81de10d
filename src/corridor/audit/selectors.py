"""Reads of the audit log, scoped."""

from __future__ import annotations

from django.db.models import QuerySet

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry

AUDIT_READERS = (Role.ADMINISTRATOR, Role.COORDINATOR)


def visible_audit_entries(user) -> QuerySet[AuditEntry]:
    """Administrators and national coordinators see their node's whole log; nobody else sees any
    of it (fail closed)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*AUDIT_READERS):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()
