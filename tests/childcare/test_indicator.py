"""The reintegration indicator on a hand-made data set: computed from the structured visits'
scores, whatever the free text says."""

from __future__ import annotations

import pytest

from corridor.cases import services as case_services
from corridor.cases.models import Task
from corridor.childcare import scoring, services
from corridor.people.services import person_create
from corridor.reports.indicators import case_indicators
from tests.childcare.conftest import START, TODAY, day

pytestmark = pytest.mark.django_db


def _child(worker, name):
    person = person_create(actor=worker, given_names=name, family_name="DEMO", estimated_age=12)
    case = case_services.case_open(actor=worker, person=person, identified_on=START)
    services.placement_start(actor=worker, case=case, kind="kinship", start_on=day(1))
    return case


def _visit(worker, case, month, rating, living_with="parents", account="", **override):
    ratings = {**dict.fromkeys(scoring.ITEMS, rating), **override}
    return services.visit_record(
        actor=worker,
        case=case,
        month=month,
        visited_on=day(month * 30),
        living_with=living_with,
        schooling="school",
        safety="safe",
        ratings=ratings,
        childs_account=account,
    )


def test_reintegration_indicator_by_hand(people):
    worker = people["caseworker"]
    a, b, c, d = (_child(worker, n) for n in ("Ama", "Kossi", "Yawa", "Komi"))
    # 6 months: A all 4 -> 0.75 reintegrated (its free text speaks of someone who "left" and
    # was "lost": it does not count); B all 2 -> 0.25 not; C all 5 but gone -> not.
    _visit(worker, a, 6, 4, account="Mon frère est parti, il s'est perdu en ville.")
    Task.objects.create(
        case=a,
        kind=Task.Kind.FOLLOW_UP,
        title="x",
        due_on=day(180),
        done_on=day(180),
        outcome="Enfant parti, perdu de vue",
    )
    _visit(worker, b, 6, 2)
    _visit(worker, c, 6, 5, living_with="left")
    # 12 months: D all 3 -> exactly 0.5, reintegrated; A good average (0.667) but its economic
    # dimension at 0, below the floor -> not.
    _visit(worker, d, 12, 3)
    _visit(worker, a, 12, 5, econ_needs=1, econ_learning=1)
    figures = case_indicators(people["supervisor"], START, TODAY)
    assert (figures["reintegrated_6m"], figures["followed_6m"]) == (1, 3)
    assert (figures["reintegrated_12m"], figures["followed_12m"]) == (1, 2)
    # another agency's supervisor sees none of these cases, hence no visit
    other = case_indicators(people["other_agency.supervisor"], START, TODAY)
    assert (other["followed_6m"], other["followed_12m"]) == (0, 0)
