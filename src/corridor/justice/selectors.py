"""Reads of criminal cases, scoped: the one home of justice access control (fails closed).

Judicial police officers and prosecutors of this node read the criminal cases of their
jurisdiction: the court covering their agency's city (``justice/vocab/jurisdiction.yaml``). A
national scope reads the whole node, an own scope the cases they opened. Nobody else reads a
criminal file; a caseworker sees only the dates that concern their victim (``victim_dates``).
"""

from __future__ import annotations

import unicodedata

from django.db.models import Q, QuerySet
from django.utils import timezone

from corridor.accounts.models import Role, Scope
from corridor.core.vocab import vocabulary
from corridor.justice.models import (
    Accused,
    CriminalCase,
    EventKind,
    Outcome,
    ProceedingEvent,
    SupportMeasure,
    VictimLink,
)

JUSTICE_ROLES = (Role.JUDICIAL_POLICE, Role.PROSECUTOR)
GLOTIP_READERS = (Role.COORDINATOR, Role.PROSECUTOR, Role.JUDICIAL_POLICE)
"""Who reads the node's GLOTIP tables (aggregates in persons, no name)."""


def _fold(text: str) -> str:
    return (
        "".join(
            c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c)
        )
        .casefold()
        .strip()
    )


def jurisdiction_of(agency) -> str:
    """The court whose area covers the agency's city, or "" (no jurisdiction: sees nothing)."""
    if agency is None:
        return ""
    city = _fold(agency.city)
    for term in vocabulary("justice.jurisdiction").terms:
        if term.extra.get("country") == agency.country and city in {
            _fold(c) for c in term.extra.get("cities", [])
        }:
            return term.code
    return ""


def jurisdictions_of_country(country: str) -> list[str]:
    return [
        t.code
        for t in vocabulary("justice.jurisdiction").terms
        if t.extra.get("country") == country
    ]


def visible_criminal_cases(user) -> QuerySet[CriminalCase]:
    """National scope: every criminal case of the node; agency scope (the default): those of
    the user's jurisdiction; own scope: those they opened. Anyone else: none."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*JUSTICE_ROLES):
        return CriminalCase.objects.none()
    cases = CriminalCase.objects.select_related("agency", "opened_by")
    if user.scope == Scope.NATIONAL:
        return cases
    if user.scope == Scope.AGENCY:
        jurisdiction = jurisdiction_of(user.agency)
        return cases.filter(jurisdiction=jurisdiction) if jurisdiction else cases.none()
    return cases.filter(opened_by=user)


def visible_accused(user) -> QuerySet[Accused]:
    return Accused.objects.filter(criminal_case__in=visible_criminal_cases(user)).select_related(
        "criminal_case", "intel_entity"
    )


def visible_victims(user) -> QuerySet[VictimLink]:
    return VictimLink.objects.filter(criminal_case__in=visible_criminal_cases(user)).select_related(
        "criminal_case", "case"
    )


def can_record(user, kind: str) -> bool:
    """Judicial police record the police steps; prosecutors record every step."""
    from corridor.justice.models import POLICE_EVENTS

    if user.has_role(Role.PROSECUTOR):
        return True
    return user.has_role(Role.JUDICIAL_POLICE) and kind in POLICE_EVENTS


def victim_dates(case) -> list[dict]:
    """What a caseworker may know of the proceedings of their victim's protection ``case``: the
    court, the next hearing and the outcomes, never a name or a fact of the file. The caller
    has already read ``case`` through ``cases.selectors.visible_cases``."""
    links = list(VictimLink.objects.filter(case=case).select_related("criminal_case"))
    today = timezone.localdate()
    found = []
    for link in links:
        criminal = link.criminal_case
        events = ProceedingEvent.objects.filter(accused__criminal_case=criminal)
        upcoming = events.filter(kind=EventKind.HEARING, date__gte=today).order_by("date").first()
        outcomes = sorted(
            {
                e.outcome
                for e in events.filter(kind=EventKind.JUDGMENT).exclude(outcome="")
                if e.outcome != Outcome.PENDING
            }
        )
        found.append(
            {
                "ref": criminal.ref,
                "jurisdiction": criminal.get_jurisdiction_display(),
                "next_hearing": upcoming.date if upcoming else None,
                "outcomes": [Outcome(o).label for o in outcomes],
                "measures": [
                    (m.get_measure_display(), m.get_status_display()) for m in link.measures.all()
                ],
            }
        )
    return found


def measures_of(victim: VictimLink) -> QuerySet[SupportMeasure]:
    return victim.measures.select_related("recorded_by")


def case_search(cases: QuerySet[CriminalCase], q: str) -> QuerySet[CriminalCase]:
    q = q.strip()
    if not q:
        return cases
    return cases.filter(Q(ref__icontains=q) | Q(title__icontains=q)).distinct()


def visible_mla_requests(user) -> QuerySet:
    """Cross-border requests, for judicial police and prosecutors only. Outgoing: those of the
    criminal cases they read. Incoming: with a national scope every one; with an agency scope
    those addressed to their court. Anyone else: none."""
    from corridor.justice.models import MlaRequest

    if not getattr(user, "is_authenticated", False) or not user.has_role(*JUSTICE_ROLES):
        return MlaRequest.objects.none()
    requests = MlaRequest.objects.select_related(
        "criminal_case", "peer", "drafted_by", "approved_by"
    )
    outgoing = Q(
        direction=MlaRequest.Direction.OUTGOING,
        criminal_case__in=visible_criminal_cases(user),
    )
    if user.scope == Scope.NATIONAL:
        incoming = Q(direction=MlaRequest.Direction.INCOMING)
    elif user.scope == Scope.AGENCY and jurisdiction_of(user.agency):
        incoming = Q(
            direction=MlaRequest.Direction.INCOMING, jurisdiction=jurisdiction_of(user.agency)
        )
    else:
        incoming = Q(pk__in=[])
    return requests.filter(outgoing | incoming)
