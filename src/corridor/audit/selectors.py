"""Reads of the audit log, scoped: who reads the log at all, and what of each entry they see."""

from __future__ import annotations

from django.db.models import Case, F, Q, QuerySet, Value, When

from corridor.accounts.models import Role
from corridor.audit.models import AuditEntry

AUDIT_READERS = (Role.ADMINISTRATOR, Role.COORDINATOR)

# Kinds of record (``object_type`` prefixes) about persons: an entry on one of them may name or
# describe the person (older entries wrote names into the summary, a list's search terms are
# names), so only readers who may open such records read its summary.
PERSONAL_KINDS = (
    "people.",
    "cases.",
    "screening.",
    "tracing.",
    "referrals.",
    "justice.",
    "intake.",
)
# Investigators' pages, searches and records: no reader of the log works in intelligence.
INTEL_KINDS = ("intel.",)
# What each reader of the log may not read the summary of: administrators may not open a person;
# coordinators do not read investigators' search terms. The record's reference (type and id),
# the action, the user, the time and the address stay visible to both.
HIDDEN_KINDS = {
    Role.ADMINISTRATOR: PERSONAL_KINDS + INTEL_KINDS,
    Role.COORDINATOR: INTEL_KINDS,
}


def hidden_kinds(user) -> tuple[str, ...]:
    """The kinds of record whose summaries ``user`` may not read (all of them if the user reads
    more than one way: the strictest of the user's reader roles wins)."""
    kinds: set[str] = set()
    for role, hidden in HIDDEN_KINDS.items():
        if user.has_role(role):
            kinds.update(hidden)
    return tuple(sorted(kinds))


def visible_audit_entries(user) -> QuerySet[AuditEntry]:
    """Administrators and national coordinators see their node's whole log, each entry with
    ``shown_summary``: its summary, or nothing when it is about a kind of record the reader may
    not read (``HIDDEN_KINDS``). Nobody else sees any of it (fail closed)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*AUDIT_READERS):
        return AuditEntry.objects.none()
    hidden = Q()
    for prefix in hidden_kinds(user):
        hidden |= Q(object_type__startswith=prefix)
    shown = F("summary") if not hidden else Case(When(hidden, then=Value("")), default=F("summary"))
    return AuditEntry.objects.defer("summary", "detail").annotate(shown_summary=shown)
