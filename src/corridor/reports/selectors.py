"""Reads of reports data, scoped and failing closed."""

from __future__ import annotations

from django.db.models import QuerySet

from corridor.accounts.models import Role
from corridor.reports.models import PrivacyBudget, Publication, TrainingSession

REPORT_READERS = frozenset({Role.COORDINATOR, Role.SUPERVISOR})
TRAINING_MANAGERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
PUBLISHERS = frozenset({Role.COORDINATOR})
PUBLICATION_READERS = frozenset({Role.PARTNER, Role.COORDINATOR, Role.ADMINISTRATOR})


def _staff(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_home_staff


def visible_trainings(user) -> QuerySet[TrainingSession]:
    if not _staff(user) or user.role not in TRAINING_MANAGERS | REPORT_READERS:
        return TrainingSession.objects.none()
    return TrainingSession.objects.select_related("organiser").prefetch_related(
        "attendance__agency"
    )


def visible_budgets(user) -> QuerySet[PrivacyBudget]:
    if not _staff(user) or user.role not in PUBLISHERS | {Role.ADMINISTRATOR}:
        return PrivacyBudget.objects.none()
    return PrivacyBudget.objects.all()


def visible_publications(user) -> QuerySet[Publication]:
    """Published aggregates: all a partner ever sees of the node's data."""
    if not _staff(user) or user.role not in PUBLICATION_READERS:
        return Publication.objects.none()
    return Publication.objects.select_related("budget")
