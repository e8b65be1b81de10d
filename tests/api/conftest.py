"""Records for the API tests, built through the services the pages use."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.cases import services as case_services
from corridor.people import services as people_services
from tests.factories import guardian_consent


@pytest.fixture
def case_records(people, child_case):
    """A child's case of the home agency with one of each record a case gathers."""
    worker = people["caseworker"]
    case = child_case
    relative = people_services.person_add_relationship(
        actor=worker, person=case.person, kind="mother", relative_name="Afi AKUÉ"
    )
    plan = case_services.support_plan_add(actor=worker, case=case, plan_type="Health")
    return {
        "case": case,
        "person": case.person,
        "relative": relative,
        "consent": guardian_consent(case, worker, "family_tracing"),
        "plan": plan,
        "service": case_services.service_record(
            actor=worker,
            case=case,
            service_type="Health",
            delivered_on=date(2025, 3, 2),
            plan=plan,
        ),
        "task": case_services.task_create(
            actor=worker, case=case, title="Visite", due_on=date(2025, 4, 1)
        ),
        "note": case_services.note_add(actor=worker, case=case, text="Vue au centre."),
        "event": case_services.event_add(
            actor=worker, case=case, event_type="Recruitment", country="TG"
        ),
        "approval": case_services.approval_request(actor=worker, case=case, kind="bia"),
    }
