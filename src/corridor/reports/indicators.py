"""The programme's indicators, computed from the case-management apps through their scoping
selectors (a user sees the indicators of the cases they may see).

``case_indicators(user, start, end)`` is the single function behind the case indicators of the
dashboards and reports; ``victim_records(user, start, end)`` is the single source of the UNODC
tables, SDG 16.2.2, the CTDC export and the differentially private counts.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import Count, Sum

from corridor.reports.anonymise import Victim, age_broad
from corridor.reports.anonymise import one_per_person as anonymise_one_per_person

CHILD_AGE = 18


def _age(person, on: date) -> int | None:
    if person.birth_date:
        b = person.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
    if person.birth_year:
        return on.year - person.birth_year
    if person.estimated_age is not None:
        estimated_on = person.age_estimated_on or on
        return person.estimated_age + max(0, (on - estimated_on).days // 365)
    return None


def _cases(user, start: date, end: date):
    from corridor.cases.selectors import visible_cases

    return visible_cases(user).filter(identified_on__gte=start, identified_on__lte=end)


def _reintegrated_at(cases, months: int) -> tuple[int, int]:
    """(sustainably reintegrated, followed up) at the ``months`` follow-up visit: the structured
    visits of the child's case in depth, each scored on IOM's reintegration sustainability
    dimensions (``childcare.scoring``). Never words in free text."""
    from corridor.childcare.models import FollowUpVisit

    visits = FollowUpVisit.objects.filter(case__in=cases, month=months)
    return visits.filter(reintegrated=True).count(), visits.count()


def case_indicators(user, start: date, end: date) -> dict:
    """Identified, referred, assisted by service type, returned, reunified, still reintegrated at
    6 and 12 months, cross-border cases handled jointly, and days from identification to first
    assistance (median and mean) for the cases identified in [start, end] that ``user`` sees."""
    from corridor.cases.models import ChildStep, ServiceDelivery

    cases = _cases(user, start, end)
    identified = cases.count()
    referred = cases.filter(referrals__isnull=False).distinct().count() if _has_referrals() else 0
    by_service = dict(
        ServiceDelivery.objects.filter(case__in=cases)
        .values_list("service_type")
        .annotate(n=Count("case", distinct=True))
        .order_by("service_type")
    )
    returned = cases.filter(returned_on__isnull=False).count()
    reunified = cases.filter(
        is_child=True,
        child_step__in=[ChildStep.REINTEGRATION, ChildStep.FOLLOW_UP, ChildStep.CLOSED],
        returned_on__isnull=False,
    ).count()
    delays = [
        (c.first_assistance_on - c.identified_on).days
        for c in cases.filter(first_assistance_on__isnull=False)
        .select_related(None)
        .only("first_assistance_on", "identified_on")
    ]
    ok6, seen6 = _reintegrated_at(cases, 6)
    ok12, seen12 = _reintegrated_at(cases, 12)
    victims = anonymise_one_per_person(victim_records(user, start, end))
    return {
        "identified": identified,
        "victims_possible": sum(1 for v in victims if v.status == "possible"),
        "victims_actual": sum(1 for v in victims if v.status == "actual"),
        "children": cases.filter(is_child=True).count(),
        "referred": referred,
        "assisted": cases.filter(services__isnull=False).distinct().count(),
        "assisted_by_service": by_service,
        "returned": returned,
        "reunified": reunified,
        "reintegrated_6m": ok6,
        "followed_6m": seen6,
        "reintegrated_12m": ok12,
        "followed_12m": seen12,
        "cross_border": cases.filter(cross_border=True).count(),
        "days_to_assistance_median": statistics.median(delays) if delays else None,
        "days_to_assistance_mean": round(statistics.fmean(delays), 1) if delays else None,
    }


def case_indicator_bars(c: dict) -> list[tuple[str, int]]:
    """The case indicators as (label, value) pairs for a bar chart (empty when no case)."""
    from django.utils.translation import gettext as _

    if not c["identified"]:
        return []
    return [
        (_("Persons on the move assisted (every caseload)"), c["identified"]),
        (_("Victims of trafficking (actual)"), c["victims_actual"]),
        (_("Possible victims of trafficking"), c["victims_possible"]),
        (_("Referred"), c["referred"]),
        (_("Assisted"), c["assisted"]),
        (_("Returned"), c["returned"]),
        (_("Reunified (children)"), c["reunified"]),
        (_("Reintegrated at 6 months"), c["reintegrated_6m"]),
        (_("Reintegrated at 12 months"), c["reintegrated_12m"]),
        (_("Handled jointly across the border"), c["cross_border"]),
    ]


def _has_referrals() -> bool:
    from corridor.cases.models import Case

    return any(r.name == "referrals" for r in Case._meta.related_objects)


def victim_cases(cases):
    """The cases whose person counts as a victim of trafficking: a trafficking caseload
    (presumed or identified victim) and a status possible or actual — decided, or the caseload's
    own until a decision. A returnee, a stranded or smuggled migrant, a child on the move or a
    person referred for international protection is never counted, whatever a screening
    proposed; the single rule of every victim statistic (``cases.caseloads.victim_status``)."""
    from corridor.cases.caseloads import NOT_A_VICTIM, victim_caseloads

    return cases.filter(caseload__in=victim_caseloads()).exclude(trafficking_status=NOT_A_VICTIM)


def victim_records(user, start: date, end: date) -> list[Victim]:
    """Victims of trafficking, possible or actual (``victim_cases``), as the anonymisation and
    statistics need them, from the cases ``user`` may see; ``status`` keeps "possible" apart."""
    from corridor.cases.caseloads import ACTUAL, victim_status

    out = []
    cases = victim_cases(_cases(user, start, end))
    for case in cases.select_related("person").prefetch_related("events"):
        status = victim_status(case)
        if not status:
            continue
        person = case.person
        age = _age(person, case.identified_on)
        is_child = case.is_child if age is None else (age < CHILD_AGE)
        exploitation_country = next(
            (e.country for e in case.events.all() if e.event_type == "exploitation" and e.country),
            "",
        )
        out.append(
            Victim(
                registered_on=case.identified_on,
                gender=person.gender,
                age=age,
                is_child=is_child,
                citizenship=(person.citizenships or [""])[0],
                country_of_exploitation=exploitation_country,
                exploitation=tuple(case.exploitation_types or ()),
                means_of_control=tuple(case.methods_of_control or ()),
                person=case.person_id,
                status="actual" if status == ACTUAL else "possible",
            )
        )
    return out


SEX_LABEL = {"Feminine": "female", "Masculine": "male"}


def unodc_victims_table(victims: list[Victim]) -> list[dict]:
    """UNODC Global Report victims table: status × sex × age group × form of exploitation ×
    citizenship (one row per combination, a victim with several forms counted under each; a
    person counted once, possible victims apart from actual ones)."""
    from corridor.reports.anonymise import one_per_person

    counter: Counter = Counter()
    for v in one_per_person(victims):
        sex = SEX_LABEL.get(v.gender, "unknown")
        age = "child" if v.is_child else "adult"
        citizenship = (
            "national"
            if v.citizenship == settings.NODE_COUNTRY
            else ("foreign" if v.citizenship else "unknown")
        )
        for form in v.exploitation or ("Unknown",):
            counter[(v.status, sex, age, form, citizenship)] += 1
    return [
        {"status": st, "sex": s, "age": a, "form": f, "citizenship": c, "victims": n}
        for (st, s, a, f, c), n in sorted(counter.items())
    ]


JUSTICE_FIGURES: list = []
"""Who counts persons before the criminal justice system (``fn(start, end) -> {"suspected",
"prosecuted", "convicted"}``): the justice app registers its GLOTIP count in persons."""


def register_justice_figures(figures) -> None:
    if figures not in JUSTICE_FIGURES:
        JUSTICE_FIGURES.append(figures)


def unodc_justice_table(user, start: date, end: date) -> dict:
    """Persons brought into formal contact with the police, prosecuted and convicted in the
    period, from the criminal cases (GLOTIP, persons not cases); zero where no justice records
    are kept on this node."""
    totals = {"suspected": 0, "prosecuted": 0, "convicted": 0}
    for figures in JUSTICE_FIGURES:
        for key, value in figures(start, end).items():
            totals[key] += value
    return totals


@cache
def population() -> dict:
    path = Path(__file__).resolve().parent / "vocab" / "population.yaml"
    return yaml.safe_load(path.read_text("utf-8"))["population"]


def sdg_16_2_2(victims: list[Victim], year: int, country: str | None = None) -> dict | None:
    """SDG 16.2.2: detected victims per 100 000 inhabitants in ``year``, in total, by sex and for
    children. None when the year's population is not configured."""
    country = country or settings.NODE_COUNTRY
    pop = population().get(country, {}).get(year)
    if not pop:
        return None
    from corridor.reports.anonymise import one_per_person

    of_year = [v for v in one_per_person(victims) if v.registered_on.year == year]

    def rate(n: int, base: int) -> float:
        return round(n * 100_000 / base, 2) if base else 0.0

    female = sum(1 for v in of_year if v.gender == "Feminine")
    male = sum(1 for v in of_year if v.gender == "Masculine")
    children = sum(1 for v in of_year if v.is_child)
    return {
        "year": year,
        "victims": len(of_year),
        "possible": sum(1 for v in of_year if v.status == "possible"),
        "actual": sum(1 for v in of_year if v.status == "actual"),
        "total": rate(len(of_year), pop["total"]),
        "female": rate(female, pop["female"]),
        "male": rate(male, pop["male"]),
        "children": rate(children, pop["children"]),
    }


def training_indicators(start: date, end: date) -> dict:
    """Officials trained by agency, country and sex, and sessions held, in the period."""
    from corridor.reports.models import TrainingAttendance, TrainingSession

    attendance = TrainingAttendance.objects.filter(
        session__held_on__gte=start, session__held_on__lte=end
    )
    by_agency = list(
        attendance.values("agency__short_name", "agency__name", "agency__country", "sex")
        .annotate(n=Sum("count"))
        .order_by("agency__country", "agency__name", "sex")
    )
    by_sex = dict(attendance.values_list("sex").annotate(n=Sum("count")).order_by())
    by_country = dict(attendance.values_list("agency__country").annotate(n=Sum("count")).order_by())
    return {
        "sessions": TrainingSession.objects.filter(held_on__gte=start, held_on__lte=end).count(),
        "trained": sum(by_sex.values()),
        "by_sex": by_sex,
        "by_country": by_country,
        "by_agency": by_agency,
    }


def indicator_report(user, start: date, end: date) -> dict:
    """Everything the indicators page shows for the period, from the cases ``user`` sees: case
    indicators, training, the UNODC victims and justice tables and SDG 16.2.2 per year."""
    from corridor.reports.caseloads import caseload_figures, smuggling_figures

    victims = victim_records(user, start, end)
    cases = _cases(user, start, end)
    return {
        "cases": case_indicators(user, start, end),
        "caseloads": caseload_figures(cases),
        "smuggling": smuggling_figures(cases),
        "training": training_indicators(start, end),
        "unodc": unodc_victims_table(victims),
        "justice": unodc_justice_table(user, start, end),
        "sdg": [
            s
            for year in range(start.year, end.year + 1)
            if (s := sdg_16_2_2(victims, year)) is not None
        ],
    }


def default_period() -> tuple[date, date]:
    from django.utils import timezone

    today = timezone.localdate()
    return today - timedelta(days=365), today


__all__ = ["age_broad", "case_indicators", "victim_records"]
