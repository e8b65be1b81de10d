"""The GLOTIP tables of one year, counted in persons, not cases (UNODC Global Report on
Trafficking in Persons questionnaire): persons brought into formal contact with the police,
prosecuted and convicted, by sex, age group, citizenship and form of exploitation, for
trafficking in persons and for smuggling of migrants apart; and the offences recorded.

- *formal contact*: a complaint, report or arrest naming the person in the year;
- *prosecuted*: indicted in the year;
- *convicted*: convicted on at least one charge in the year (first instance or appeal).

A person is counted once per table however many charges or cases: accused linked to the same
intelligence person are one person, others are one person per accused record. A person
convicted on two charges is one convicted person. In the exploitation breakdown a person
appears under each form of their charges, so that breakdown may add up to more than the total.
Aggregates only: no name leaves this module.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from django.conf import settings

from corridor.core.vocab import vocabulary
from corridor.justice.models import (
    Accused,
    Charge,
    CriminalCase,
    EventKind,
    Outcome,
    ProceedingEvent,
)

CATEGORIES = ("trafficking", "smuggling")
MEASURES = ("contact", "prosecuted", "convicted")
CONTACT_EVENTS = (EventKind.COMPLAINT, EventKind.ARREST)


def offence_category(code: str) -> str:
    for term in vocabulary("justice.offence").terms:
        if term.code == code:
            return term.extra.get("category", "related")
    return "related"


def _person(accused: Accused) -> tuple:
    return (
        ("entity", accused.intel_entity_id) if accused.intel_entity_id else ("accused", accused.pk)
    )


def _breakdown(persons: dict[tuple, Accused], forms: dict[tuple, set[str]] | None) -> dict:
    sex, age, citizenship = defaultdict(int), defaultdict(int), defaultdict(int)
    exploitation = defaultdict(int)
    for key, accused in persons.items():
        sex[{"F": "female", "M": "male"}.get(accused.sex, "unknown")] += 1
        age["child" if accused.is_child else "adult"] += 1
        citizenship[accused.citizenship or "unknown"] += 1
        for form in sorted((forms or {}).get(key, ())):
            exploitation[form] += 1
    table = {
        "total": len(persons),
        "sex": dict(sorted(sex.items())),
        "age": dict(sorted(age.items())),
        "citizenship": dict(sorted(citizenship.items())),
    }
    if forms is not None:
        table["exploitation"] = dict(sorted(exploitation.items()))
    return table


def glotip_tables(year: int, *, start=None, end=None) -> dict:
    """The node's GLOTIP tables for ``year`` (aggregates only), or for the days from ``start``
    to ``end`` when both are given."""
    charges_of: dict[int, list[Charge]] = defaultdict(list)
    for charge in Charge.objects.all():
        charges_of[charge.accused_id].append(charge)
    accused = {a.pk: a for a in Accused.objects.all()}
    if start is not None and end is not None:
        events = ProceedingEvent.objects.filter(date__gte=start, date__lte=end)
    else:
        events = ProceedingEvent.objects.filter(date__year=year)

    def people(ids, category, charge_filter=None):
        persons: dict[tuple, Accused] = {}
        forms: dict[tuple, set[str]] = defaultdict(set)
        for pk in ids:
            a = accused[pk]
            charges = [
                c
                for c in charges_of[pk]
                if offence_category(c.offence) == category
                and (charge_filter is None or c.pk in charge_filter)
            ]
            if not charges:
                continue
            key = _person(a)
            persons.setdefault(key, a)
            forms[key].update(c.exploitation for c in charges if c.exploitation)
        return _breakdown(persons, forms if category == "trafficking" else None)

    contact_ids = set(events.filter(kind__in=CONTACT_EVENTS).values_list("accused_id", flat=True))
    prosecuted_ids = set(
        events.filter(kind=EventKind.INDICTMENT).values_list("accused_id", flat=True)
    )
    convictions = events.filter(kind=EventKind.JUDGMENT, outcome=Outcome.CONVICTED)
    convicted_ids = set(convictions.values_list("accused_id", flat=True))
    convicted_charges = set(convictions.values_list("charge_id", flat=True))
    tables = {
        category: {
            "contact": people(contact_ids, category),
            "prosecuted": people(prosecuted_ids, category),
            "convicted": people(convicted_ids, category, convicted_charges),
        }
        for category in CATEGORIES
    }
    complaint_ids = set(
        events.filter(kind=EventKind.COMPLAINT).values_list("accused_id", flat=True)
    )
    offences: dict[str, int] = defaultdict(int)
    for pk in complaint_ids:
        for charge in charges_of[pk]:
            offences[charge.offence] += 1
    return {
        "year": year,
        "node": settings.NODE_NAME,
        "country": settings.NODE_COUNTRY,
        **tables,
        "offences_recorded": dict(sorted(offences.items())),
    }


def glotip_rows(tables: dict) -> list[list]:
    """The tables as the questionnaire's long rows: category, measure, breakdown, value, count."""
    rows = [["year", "country", "offence_category", "measure", "breakdown", "value", "persons"]]
    for category in CATEGORIES:
        for measure in MEASURES:
            table = tables[category][measure]
            rows.append(
                [tables["year"], tables["country"], category, measure, "total", "", table["total"]]
            )
            for breakdown in ("sex", "age", "citizenship", "exploitation"):
                for value, n in table.get(breakdown, {}).items():
                    rows.append(
                        [tables["year"], tables["country"], category, measure, breakdown, value, n]
                    )
    for offence, n in tables["offences_recorded"].items():
        rows.append(
            [
                tables["year"],
                tables["country"],
                offence_category(offence),
                "offences_recorded",
                "offence",
                offence,
                n,
            ]
        )
    return rows


def glotip_csv(tables: dict) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(glotip_rows(tables))
    return out.getvalue()


def glotip_xlsx(tables: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"GLOTIP {tables['year']}"
    for row in glotip_rows(tables):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def period_persons(start, end) -> dict:
    """Persons (not cases) brought into formal contact, prosecuted and convicted in the period,
    for trafficking in persons: the indicators page's criminal-justice figures."""
    tables = glotip_tables(start.year, start=start, end=end)["trafficking"]
    return {
        "suspected": tables["contact"]["total"],
        "prosecuted": tables["prosecuted"]["total"],
        "convicted": tables["convicted"]["total"],
    }


def prosecutions_section() -> dict:
    """The ``prosecutions`` section of ``corridor stats``: accused by stage, charges by outcome."""
    from django.db.models import Count

    return {
        "criminal_cases": CriminalCase.objects.count(),
        "accused_by_stage": {
            r["stage"]: r["n"] for r in Accused.objects.values("stage").annotate(n=Count("id"))
        },
        "charges_by_outcome": {
            r["outcome"]: r["n"] for r in Charge.objects.values("outcome").annotate(n=Count("id"))
        },
    }
