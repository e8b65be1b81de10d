from __future__ import annotations

import pytest

from corridor.flows.models import FlowPoint
from corridor.flows.services.points import point_set_agency, point_sync
from corridor.intake import services
from corridor.referrals.services import provider_save


@pytest.fixture
def duty(people, home_agency):
    """Kodjoviakopé is staffed by the home agency's border officers; the other agency of the
    permission matrix is the social-service agency on duty for the Maritime region (TG-M)."""
    point_sync(actor=None)
    kod = FlowPoint.objects.get(code="TG-KOD")
    point_set_agency(actor=None, point=kod, agency=home_agency)
    agency = people["other_agency.caseworker"].agency
    provider_save(
        actor=None,
        name="Permanence sociale (test)",
        country="TG",
        agency=agency,
        services=["SocialCare"],
    )
    services.duty_agency_set(actor=people["coordinator"], agency=agency, region="TG-M")
    return {"kod": kod, "agency": agency}


GIRL = {
    "given_names": "Afi",
    "family_name": "KOUDAWO",
    "gender": "Feminine",
    "estimated_age": 13,
    "migrant_status": "UnaccompaniedChild",
    "unaccompanied": True,
}


@pytest.fixture
def handoff(people, duty):
    from corridor.screening.services import screening_record

    screening = screening_record(
        actor=people["border_officer"],
        questionnaire="unodc_child",
        answers={"travels_unaccompanied": "yes", "found_by_adult": "yes"},
        new_person=GIRL,
        place="Kodjoviakopé",
    )
    return screening.handoff
