"""Caseloads: who a case is for, read from ``cases/vocab/caseload.yaml``.

A caseload decides which groups of case content a case shows and accepts (the victim context and
trafficking route for presumed and identified victims, the smuggling facts for smuggled
migrants), whether its person may count as a victim, whether it is for children only, and which
steps of the shared procedures it leaves out. Pages, services and statistics all ask here, so a
stranded migrant never shows, accepts or counts a victim field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from corridor.core.vocab import vocabulary

VICTIM = "victim"
SMUGGLING = "smuggling"

POSSIBLE = "PossibleVictimOfTrafficking"
ACTUAL = "ActualVictimOfTrafficking"
NOT_A_VICTIM = "NotAVictimOfTrafficking"

PRESUMED_VICTIM = "presumed_trafficking_victim"
IDENTIFIED_VICTIM = "identified_trafficking_victim"
SMUGGLED_MIGRANT = "smuggled_migrant"
STRANDED_MIGRANT = "stranded_migrant"
CHILD_ON_THE_MOVE = "child_on_the_move"
RETURNEE = "returnee"
INTERNATIONAL_PROTECTION = "international_protection"

VICTIM_CONTEXT_FIELDS = (
    "exploitation_types",
    "industries",
    "methods_of_control",
    "recruitment_method",
    "relationship_to_trafficker",
    "age_when_trafficked",
)
"""The case fields of the ``victim`` group (vulnerabilities fit every person on the move)."""


@dataclass(frozen=True)
class Caseload:
    code: str
    label: str
    groups: frozenset[str]
    victim_status: str  # the status its persons count under until one is decided; "" = never
    children_only: bool
    exclude_steps: frozenset[str]

    def shows(self, group: str) -> bool:
        return group in self.groups


def caseload(code: str) -> Caseload:
    vocab = vocabulary("cases.caseload")
    for term in vocab.terms:
        if term.code == code:
            return Caseload(
                code=term.code,
                label=vocab.label(term.code),
                groups=frozenset(term.extra.get("groups") or ()),
                victim_status=term.extra.get("victim") or "",
                children_only=bool(term.extra.get("children_only")),
                exclude_steps=frozenset(term.extra.get("exclude_steps") or ()),
            )
    raise KeyError(code)


def caseload_codes() -> list[str]:
    return vocabulary("cases.caseload").codes()


def victim_caseloads() -> list[str]:
    """The caseloads whose persons may count as victims of trafficking."""
    return [c for c in caseload_codes() if caseload(c).victim_status]


def victim_status(case) -> str:
    """The trafficking status a case counts under: the decided one, else its caseload's; "" for
    a caseload outside trafficking (a returnee, a stranded or smuggled migrant), whatever
    status a screening proposed or another system recorded."""
    load = caseload(case.caseload)
    if not load.victim_status:
        return ""
    status = case.trafficking_status or load.victim_status
    return status if status in (POSSIBLE, ACTUAL) else ""


def child_procedure_name(country: str | None = None) -> str:
    """The name the node gives its child-protection procedure (ECOWAS in Togo, ECCAS in Gabon)."""
    vocab = vocabulary("cases.child_procedure")
    country = country or settings.NODE_COUNTRY
    return vocab.label(country) if country in vocab else vocab.label(vocab.codes()[0])
