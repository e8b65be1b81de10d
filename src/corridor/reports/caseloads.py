"""Figures of every person on the move, by caseload, and of the smuggling of migrants.

Persons, not cases: a person with two cases in one caseload counts once there (a person whose
caseload changed counts in the caseload their case is in now). Sex is the person's; the age group
is the age at identification, a person of uncertain age counted as a child as everywhere else.
These are aggregates only; ``corridor stats`` and the dashboards show them, the indicators page
shows them for the cases its reader may see.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

SEX = {"Feminine": "female", "Masculine": "male"}
SEX_LABELS = {"female": _("Female"), "male": _("Male"), "unknown": _("Sex unknown")}
AGE_LABELS = {"child": _("Children"), "adult": _("Adults")}
CHILD_AGE = 18


def _age_group(case) -> str:
    from corridor.reports.indicators import _age

    age = _age(case.person, case.identified_on)
    if age is None:
        return "child" if case.is_child else "adult"
    return "child" if age < CHILD_AGE else "adult"


def _persons(cases) -> list:
    """One case per (person, caseload): the earliest, which gives the age at identification."""
    seen, out = set(), []
    for case in cases.select_related("person").order_by("identified_on", "id"):
        key = (case.person_id, case.caseload)
        if key not in seen:
            seen.add(key)
            out.append(case)
    return out


def caseload_figures(cases) -> dict:
    """Persons by caseload, and by caseload × sex × age group, with every caseload listed (at 0
    when empty) so that an absent row reveals nothing."""
    from corridor.cases.caseloads import caseload_codes

    persons = _persons(cases)
    by_caseload = Counter(c.caseload for c in persons)
    by_sex_age = Counter(
        (c.caseload, SEX.get(c.person.gender, "unknown"), _age_group(c)) for c in persons
    )
    return {
        "persons": len({c.person_id for c in persons}),
        "persons_by_caseload": {code: by_caseload.get(code, 0) for code in caseload_codes()},
        "persons_by_sex_and_age_group": [
            {"caseload": load, "sex": sex, "age_group": age, "persons": n}
            for (load, sex, age), n in sorted(by_sex_age.items())
        ],
    }


def smuggling_figures(cases) -> dict:
    """Smuggled migrants (persons of the smuggled-migrant caseload) by sex, age group and
    citizenship (national, or the country), and their cases by aggravating circumstance."""
    from corridor.cases.caseloads import SMUGGLED_MIGRANT

    smuggled = cases.filter(caseload=SMUGGLED_MIGRANT)
    persons = _persons(smuggled)
    by_sex, by_age, by_citizenship, rows = Counter(), Counter(), Counter(), Counter()
    for case in persons:
        sex = SEX.get(case.person.gender, "unknown")
        age = _age_group(case)
        citizenship = (case.person.citizenships or ["unknown"])[0]
        by_sex[sex] += 1
        by_age[age] += 1
        by_citizenship[citizenship] += 1
        rows[(sex, age, citizenship)] += 1
    aggravating = smuggled.aggregate(
        cases=Count("pk"),
        endangered_life=Count("pk", filter=Q(smuggling__endangered_life=True)),
        inhuman_treatment=Count("pk", filter=Q(smuggling__inhuman_treatment=True)),
        either=Count(
            "pk",
            filter=Q(smuggling__endangered_life=True) | Q(smuggling__inhuman_treatment=True),
        ),
        facts_recorded=Count("smuggling"),
    )
    return {
        "smuggled_migrants": len(persons),
        "by_sex": dict(sorted(by_sex.items())),
        "by_age_group": dict(sorted(by_age.items())),
        "by_citizenship": dict(sorted(by_citizenship.items())),
        "nationals": by_citizenship.get(settings.NODE_COUNTRY, 0),
        "by_sex_age_group_and_citizenship": [
            {"sex": s, "age_group": a, "citizenship": c, "persons": n}
            for (s, a, c), n in sorted(rows.items())
        ],
        "cases_by_aggravating_circumstance": {
            "cases": aggravating["cases"],
            "facts_recorded": aggravating["facts_recorded"],
            "endangered_life": aggravating["endangered_life"],
            "inhuman_or_degrading_treatment": aggravating["inhuman_treatment"],
            "any_aggravating": aggravating["either"],
        },
    }


def node_caseloads() -> dict:
    """The node's own figures (every case of the node), for ``corridor stats`` and dashboards."""
    from corridor.cases.models import Case

    return caseload_figures(Case.objects.all())


def node_smuggling() -> dict:
    from corridor.cases.models import Case

    return smuggling_figures(Case.objects.all())


def dashboard(caseloads: dict, smuggling: dict) -> dict:
    """The figures above as a person reads them: each caseload by its label with its persons by
    sex and age group, smuggled migrants by country name, for the coordinator's dashboard."""
    from corridor.core.countries import country_name
    from corridor.core.vocab import vocabulary

    caseload_label = vocabulary("cases.caseload").label

    columns = [(sex, age) for age in AGE_LABELS for sex in SEX_LABELS]
    cells = Counter()
    for row in caseloads["persons_by_sex_and_age_group"]:
        cells[(row["caseload"], row["sex"], row["age_group"])] += row["persons"]
    most = max(caseloads["persons_by_caseload"].values(), default=0)
    return {
        "persons": caseloads["persons"],
        "most": most,
        "columns": [(SEX_LABELS[sex], AGE_LABELS[age]) for sex, age in columns],
        "rows": [
            {
                "code": code,
                "label": caseload_label(code),
                "persons": n,
                "cells": [cells[(code, sex, age)] for sex, age in columns],
            }
            for code, n in caseloads["persons_by_caseload"].items()
        ],
        "smuggled": smuggling["smuggled_migrants"],
        "citizenship": sorted(
            (
                (country_name(c) if c != "unknown" else _("Unknown"), n)
                for c, n in smuggling["by_citizenship"].items()
            ),
            key=lambda pair: -pair[1],
        ),
        "aggravating": smuggling["cases_by_aggravating_circumstance"],
    }
