"""The child's file under the governance of personal data: a subject-access export shows it, a
retention rule's anonymisation erases its narratives (keeping dates, codes and scores), and a
placement holds the case."""

from __future__ import annotations

import json

import pytest

from corridor.childcare import services
from corridor.childcare.models import BestInterestAssessment, FollowUpVisit, TracingAction
from corridor.governance.holds import holds_on
from corridor.governance.retention import anonymise_case
from corridor.governance.rights import subject_export
from tests.childcare.conftest import RATINGS, assessment, day

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(child, worker):
    assessment(child, worker)
    services.tracing_action_record(
        actor=worker,
        case=child,
        date=day(3),
        action="Visite chez la tante",
        who="AS",
        outcome="lead",
        notes="La tante DEMO vit au marché.",
    )
    placement = services.placement_start(
        actor=worker, case=child, kind="kinship", start_on=day(5), caregiver="Tante DEMO"
    )
    services.visit_record(
        actor=worker,
        case=child,
        month=3,
        visited_on=day(100),
        living_with="relatives",
        schooling="school",
        safety="safe",
        ratings=RATINGS,
        childs_account="Je veux rester chez ma tante.",
    )
    return placement


def test_subject_access_export_holds_the_childs_file(people, child, file):
    exported = json.loads(
        subject_export(actor=people["coordinator"], person=child.person, fmt="json")
    )
    text = json.dumps(exported, ensure_ascii=False)
    assert "Je veux rester chez ma tante." in text and "Visite chez la tante" in text


def test_a_placement_holds_the_case_and_anonymisation_erases_the_narratives(child, file):
    assert "placement" in " ".join(holds_on(person=child.person, case=child))
    anonymise_case(child)
    visit = FollowUpVisit.objects.get()
    assert visit.childs_account == "" and visit.score > 0 and visit.visited_on == day(100)
    assert BestInterestAssessment.objects.get().childs_views == ""
    assert TracingAction.objects.get().notes == ""
    file.refresh_from_db()
    assert file.caregivers == [] and file.start_on == day(5)
