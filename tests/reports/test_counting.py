"""Counting right: every victim statistic counts persons of a trafficking caseload whose status
is possible or actual, keeps "possible" apart, and never counts a returnee, a stranded or a
smuggled migrant; the smuggling table and ``corridor stats caseloads``."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import override

from corridor.accounts.models import Role
from corridor.cases import caseloads as cl
from corridor.cases import services as case_services
from corridor.core.stats import stats_sections
from corridor.people.services import person_create
from corridor.reports import indicators, services

pytestmark = pytest.mark.django_db

NOT_VICTIMS = [
    cl.RETURNEE,
    cl.STRANDED_MIGRANT,
    cl.SMUGGLED_MIGRANT,
    cl.CHILD_ON_THE_MOVE,
    cl.INTERNATIONAL_PROTECTION,
]


def open_case(people, caseload, *, status="", gender="Feminine", child=False, citizenship="BJ"):
    coordinator = people[Role.COORDINATOR]
    person = person_create(
        actor=coordinator,
        given_names="Abla",
        family_name="DEMO-COUNT",
        gender=gender,
        birth_date=date(2012, 5, 1) if child else date(1994, 5, 1),
        citizenships=[citizenship],
        unaccompanied=child,
    )
    return case_services.case_open(
        actor=coordinator,
        person=person,
        caseload=caseload,
        identified_on=timezone.localdate() - timedelta(days=10),
        trafficking_status=status,
    )


def every_victim_statistic(people) -> dict:
    """Every published victim figure of the period, as the coordinator sees it."""
    coordinator = people[Role.COORDINATOR]
    start, end = timezone.localdate() - timedelta(days=30), timezone.localdate()
    victims = indicators.victim_records(coordinator, start, end)
    report = indicators.indicator_report(coordinator, start, end)
    ctdc = services.ctdc_export(actor=coordinator, start=start, end=end)
    return {
        "victim_records": len(victims),
        "unodc": sum(r["victims"] for r in report["unodc"]),
        "sdg": sum(s["victims"] for s in report["sdg"]),
        "ctdc": len(ctdc.rows) + ctdc.suppressed,
        "indicators": report["cases"]["victims_actual"] + report["cases"]["victims_possible"],
    }


@pytest.mark.parametrize("caseload", NOT_VICTIMS)
@pytest.mark.parametrize("status", ["", cl.POSSIBLE, cl.ACTUAL])
def test_a_migrant_outside_trafficking_never_reaches_a_victim_statistic(people, caseload, status):
    for _ in range(12):  # enough for the k-anonymous export to publish them if it counted them
        open_case(people, caseload, status=status, child=caseload == cl.CHILD_ON_THE_MOVE)
    assert set(every_victim_statistic(people).values()) == {0}


def test_possible_and_actual_victims_are_counted_apart(people):
    open_case(people, cl.PRESUMED_VICTIM)  # possible until decided
    open_case(people, cl.PRESUMED_VICTIM, status=cl.ACTUAL)
    open_case(people, cl.IDENTIFIED_VICTIM)
    open_case(people, cl.PRESUMED_VICTIM, status=cl.NOT_A_VICTIM)  # decided: not a victim
    open_case(people, cl.RETURNEE, status=cl.ACTUAL)
    coordinator = people[Role.COORDINATOR]
    start, end = timezone.localdate() - timedelta(days=30), timezone.localdate()
    victims = indicators.victim_records(coordinator, start, end)
    assert sorted(v.status for v in victims) == ["actual", "actual", "possible"]
    report = indicators.indicator_report(coordinator, start, end)
    assert (report["cases"]["victims_actual"], report["cases"]["victims_possible"]) == (2, 1)
    by_status = {}
    for row in report["unodc"]:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["victims"]
    assert by_status == {"actual": 2, "possible": 1}
    assert report["cases"]["identified"] == 5  # every person on the move is still counted there


def test_a_person_with_two_cases_is_one_victim(people):
    case = open_case(people, cl.PRESUMED_VICTIM)
    case_services.case_open(
        actor=people[Role.COORDINATOR], person=case.person, caseload=cl.IDENTIFIED_VICTIM
    )
    victims = indicators.victim_records(
        people[Role.COORDINATOR], timezone.localdate() - timedelta(days=30), timezone.localdate()
    )
    table = indicators.unodc_victims_table(victims)
    assert sum(r["victims"] for r in table) == 1 and table[0]["status"] == "actual"


def test_the_smuggling_table(people):
    worker = people[Role.COORDINATOR]
    a = open_case(people, cl.SMUGGLED_MIGRANT, gender="Masculine", citizenship="NG")
    b = open_case(people, cl.SMUGGLED_MIGRANT, gender="Feminine", child=True, citizenship="BJ")
    open_case(people, cl.SMUGGLED_MIGRANT, gender="Feminine", citizenship="BJ")
    open_case(people, cl.STRANDED_MIGRANT, citizenship="BJ")
    case_services.smuggling_facts_record(actor=worker, case=a, endangered_life=True)
    case_services.smuggling_facts_record(
        actor=worker, case=b, endangered_life=True, inhuman_treatment=True
    )
    report = indicators.indicator_report(
        worker, timezone.localdate() - timedelta(days=30), timezone.localdate()
    )
    table = report["smuggling"]
    assert table["smuggled_migrants"] == 3
    assert table["by_sex"] == {"female": 2, "male": 1}
    assert table["by_age_group"] == {"adult": 2, "child": 1}
    assert table["by_citizenship"] == {"BJ": 2, "NG": 1}
    assert table["cases_by_aggravating_circumstance"] == {
        "cases": 3,
        "facts_recorded": 2,
        "endangered_life": 2,
        "inhuman_or_degrading_treatment": 1,
        "any_aggravating": 2,
    }
    assert report["caseloads"]["persons_by_caseload"][cl.SMUGGLED_MIGRANT] == 3
    assert report["caseloads"]["persons_by_caseload"][cl.PRESUMED_VICTIM] == 0


def test_corridor_stats_caseloads_prints_the_registered_sections(people):
    open_case(people, cl.RETURNEE, gender="Masculine")
    open_case(people, cl.CHILD_ON_THE_MOVE, child=True)
    out = StringIO()
    call_command("stats", "caseloads", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert {"caseloads", "smuggling"} <= set(figures)
    assert set(figures) <= {"caseloads", "handoffs", "intakes", "smuggling"}
    assert figures == json.loads(json.dumps(stats_sections(list(figures)), default=str))
    caseloads = figures["caseloads"]
    assert caseloads["persons_by_caseload"][cl.RETURNEE] == 1
    assert caseloads["persons_by_caseload"][cl.CHILD_ON_THE_MOVE] == 1
    assert {
        "caseload": cl.CHILD_ON_THE_MOVE,
        "sex": "female",
        "age_group": "child",
        "persons": 1,
    } in caseloads["persons_by_sex_and_age_group"]
    assert "DEMO-COUNT" not in out.getvalue()  # aggregates only
    text = StringIO()
    with override("fr"):
        call_command("stats", "caseloads", stdout=text)
    lines = text.getvalue().splitlines()  # each figure by its name, as the joint picture names it
    assert "persons_by_caseload" not in text.getvalue()
    assert (
        "  Par catégorie de prise en charge · Enfant en mouvement non accompagné ou séparé\u00a0: 1"
        in lines
    )
    assert any(
        line.startswith("  Par catégorie de prise en charge, sexe et tranche d'âge · ")
        for line in lines
    )


def test_the_coordinators_dashboard_shows_the_same_figures(people, as_user):
    open_case(people, cl.RETURNEE, gender="Masculine")
    open_case(people, cl.CHILD_ON_THE_MOVE, child=True)
    smuggled = open_case(people, cl.SMUGGLED_MIGRANT, citizenship="NG")
    figures = stats_sections(["caseloads", "smuggling"])
    page = as_user(people[Role.COORDINATOR]).get("/").content.decode()
    assert 'id="panel-caseloads"' in page
    for code, n in figures["caseloads"]["persons_by_caseload"].items():
        row = page.split(f'data-caseload="{code}"')[1].split("</tr>")[0]
        assert f'value="{n}"' in row
    assert "Nigeria" in page and "Smuggled migrant" in page
    panel = page.split('id="panel-caseloads"')[1].split("</section>")[0]
    assert smuggled.person.family_name not in panel  # aggregates only
    for role in (Role.CASEWORKER, Role.SUPERVISOR, Role.PARTNER):
        assert 'id="panel-caseloads"' not in as_user(people[role]).get("/").content.decode()
