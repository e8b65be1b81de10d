"""Demo tracing requests (idempotent): about forty per node, some of them for seeded children.

The requests for seeded children are written as a family would write them (another spelling,
surname first, only a birth year), so the candidate ranking has real work to do on the demo.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role, User
from corridor.cases.models import Case
from corridor.tracing.models import DuplicateCandidate, TracingRequest
from corridor.tracing.ranking import GENDER_SEX, parent_names

TARGET = 40
MATCHING = 12
GIVEN = {
    "F": ["Akouvi", "Ama", "Afi", "Abla", "Yawa", "Adjoa", "Mawuena", "Esi", "Fati", "Kafui"],
    "M": ["Kossi", "Kodjo", "Komlan", "Yao", "Koffi", "Kokou", "Sena", "Issa", "Edem", "Mawuli"],
}
FAMILY = ["AGBEKO", "AMEGAN", "DOSSOU", "KPODAR", "MENSAH", "TCHALLA", "ADJAHO", "ALASSANI", "BAWA"]
PLACES = [("Kpalimé", "Kloto"), ("Aného", "Lacs"), ("Sokodé", "Tchaoudjo"), ("Atakpamé", "Ogou")]
VARIANTS = {
    "kossi": "Kwasi",
    "kodjo": "Codjo",
    "komlan": "Komla",
    "koffi": "Kofi",
    "akouvi": "Akuvi",
}


def _requester(rng: random.Random):
    return rng.choice([("mother", "Maman {}"), ("father", "Papa {}"), ("grandparent", "Mémé {}")])


@transaction.atomic
def seed_tracing() -> dict[str, int]:
    from corridor.tracing.services import duplicates_find, tracing_request_create

    actor = (
        User.objects.filter(
            role=Role.CASEWORKER, is_active=True, agency__country=settings.NODE_COUNTRY
        )
        .order_by("id")
        .first()
    )
    have = TracingRequest.objects.count()
    if actor is None or have >= TARGET:
        return {gettext_noop("tracing requests"): 0}
    rng = random.Random(f"tracing-{settings.NODE_NAME}")
    today = timezone.localdate()
    children = list(
        Case.objects.filter(is_child=True).select_related("person").order_by("id")[:MATCHING]
    )
    parents = parent_names([c.person for c in children])
    created = 0
    for n in range(have, TARGET):
        kind, pattern = _requester(rng)
        report = today - timedelta(days=rng.randint(5, 400))
        values = {
            "report_date": report,
            "requester_name": pattern.format(rng.choice(GIVEN["F" if kind != "father" else "M"])),
            "requester_relationship": kind,
            "contact": f"+228 90 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "consent_given": True,
            "consent_on": report,
        }
        if n < len(children):
            person = children[n].person
            given = person.given_names.split()
            first = VARIANTS.get(given[0].lower(), given[0]) if given else ""
            born = person.birth_date.year if person.birth_date else person.birth_year
            values.update(
                given_names=" ".join([first, *given[1:]]),
                family_name=person.family_name.upper(),
                sex=GENDER_SEX.get(person.gender, "U"),
                birth_year=born if born and report.year - 25 <= born <= report.year else None,
                age_years=None
                if born
                else (
                    person.age_on(report)
                    if person.age_on(report) is not None and person.age_on(report) <= 25
                    else None
                ),
                place_of_origin=person.place_of_origin,
                origin_prefecture=person.origin_prefecture,
                mother_name=parents.get(person.pk, {}).get("mother", ""),
                father_name=parents.get(person.pk, {}).get("father", ""),
            )
        else:
            sex = rng.choice("FM")
            place, prefecture = rng.choice(PLACES)
            values.update(
                given_names=rng.choice(GIVEN[sex]),
                family_name=rng.choice(FAMILY),
                sex=sex,
                birth_year=report.year - rng.randint(6, 16),
                place_of_origin=place,
                origin_prefecture=prefecture,
                mother_name=rng.choice(GIVEN["F"]) + " " + rng.choice(FAMILY).title(),
                nationality="TG",
            )
        if not (values.get("given_names") or values.get("family_name")):
            continue
        tracing_request_create(actor=actor, **values)
        created += 1
    twins = _register_twice(actor, children[:2])
    found = duplicates_find()
    return {
        "tracing requests": created,
        gettext_noop("people registered twice"): twins,
        gettext_noop("possible duplicates"): found["new_candidates"],
    }


def _register_twice(actor, cases) -> int:
    """A child registered a second time by a border post, as happens when a child gives another
    spelling of her name: material for the duplicate review and the merge."""
    from corridor.people.services import person_create

    if DuplicateCandidate.objects.exists():
        return 0
    made = 0
    for case in cases:
        person = case.person
        given = person.given_names.split()
        person_create(
            actor=actor,
            agency=case.agency,
            given_names=" ".join([VARIANTS.get(given[0].lower(), given[0]), *given[1:]])
            if given
            else "",
            family_name=person.family_name.upper(),
            gender=person.gender,
            birth_year=person.birth_date.year if person.birth_date else person.birth_year,
            estimated_age=None
            if (person.birth_date or person.birth_year)
            else person.estimated_age,
            place_of_origin=person.place_of_origin,
            origin_prefecture=person.origin_prefecture,
        )
        made += 1
    return made
