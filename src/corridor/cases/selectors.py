"""Reads of cases, scoped: the one home of case access control (fails closed)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from corridor.accounts.models import Role, Scope
from corridor.cases.models import Approval, Case, Task

CASE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR)


def visible_cases(user) -> QuerySet[Case]:
    """National scope sees the node's cases, agency scope its agency's, own scope the cases the
    user owns or is assigned. Roles outside case work (border, investigator, partner,
    administrator) and anyone not home staff see none."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*CASE_ROLES):
        return Case.objects.none()
    cases = Case.objects.select_related("person", "agency", "owner", "assigned_to")
    if user.scope == Scope.NATIONAL:
        return cases
    if user.scope == Scope.AGENCY:
        return cases.filter(agency_id=user.agency_id)
    return cases.filter(Q(owner=user) | Q(assigned_to=user))


def persons_of_visible_cases(user) -> QuerySet:
    """Ids of the people of the cases the user can see: a way to see a person that cases adds
    to ``people.selectors.visible_persons`` (registered in ``CasesConfig.ready``)."""
    return visible_cases(user).values("person_id")


def cases_of_person(user, person) -> QuerySet[Case]:
    """The person's cases the user can see, for the person page."""
    return visible_cases(user).filter(person=person)


def can_manage(user, case: Case) -> bool:
    """Who may change a case: its owner or assignee, a supervisor of its agency, a coordinator."""
    if not user.has_role(*CASE_ROLES):
        return False
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.SUPERVISOR:
        return case.agency_id == user.agency_id
    return user.pk in (case.owner_id, case.assigned_to_id)


def can_approve(user, case: Case) -> bool:
    """Approvals (best interest, case plan, closure) are for supervisors of the case's agency and
    national coordinators, never for the caseworker who asked."""
    if user.role == Role.COORDINATOR and user.is_home_staff:
        return True
    return user.has_role(Role.SUPERVISOR) and case.agency_id == user.agency_id


def pending_approvals(user) -> QuerySet[Approval]:
    if not getattr(user, "is_authenticated", False) or not user.has_role(
        Role.SUPERVISOR, Role.COORDINATOR
    ):
        return Approval.objects.none()
    return Approval.objects.filter(
        decision=Approval.Decision.PENDING, case__in=visible_cases(user)
    ).select_related("case", "case__person", "requested_by")


def my_tasks(user) -> QuerySet[Task]:
    return (
        Task.objects.filter(done_on__isnull=True, case__in=visible_cases(user))
        .filter(Q(assigned_to=user) | Q(assigned_to__isnull=True, case__owner=user))
        .select_related("case", "case__person")
        .order_by("due_on")
    )


def overdue(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.filter(due_on__lt=timezone.localdate())
