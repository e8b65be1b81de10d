"""Reads of people, scoped, and the person search that forgives spelling."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from corridor.accounts.models import Role, Scope
from corridor.people.keys import name_index_keys
from corridor.people.models import Person, PersonKey
from corridor.people.registry import person_access

PERSON_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR, Role.BORDER_OFFICER)


def visible_persons(user) -> QuerySet[Person]:
    """People registered within the user's scope, and the people other apps let the user see
    (``registry.register_person_access``: the people of the cases they can see). Investigators
    see victims only as case references, partners only aggregates: none here."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*PERSON_ROLES):
        return Person.objects.none()
    people = Person.objects.filter(merged_into__isnull=True)
    if user.scope == Scope.NATIONAL and user.role != Role.BORDER_OFFICER:
        return people
    if user.scope == Scope.AGENCY or user.role == Role.BORDER_OFFICER:
        mine = Q(agency_id=user.agency_id)
    else:
        mine = Q(registered_by=user)
    for granted in person_access(user):
        mine |= Q(pk__in=granted)
    return people.filter(mine)


def person_search(user, query: str) -> QuerySet[Person]:
    """Every key of the query must match a key of the person's names: accents, case, hyphens,
    apostrophes, name order and the spelling variants of a family (Kossi/Cossi/Kwasi) do not
    matter."""
    people = visible_persons(user)
    keys = name_index_keys([query])
    if not keys:
        return people.none() if query.strip() else people
    for key in keys:
        people = people.filter(pk__in=PersonKey.objects.filter(key=key).values("person_id"))
    return people
