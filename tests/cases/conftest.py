import pytest

from corridor.cases import services
from corridor.people.services import person_create


@pytest.fixture
def child_case(people):
    """A child's case owned by the home agency's caseworker."""
    worker = people["caseworker"]
    person = person_create(
        actor=worker, given_names="Ama", family_name="AKUÉ", estimated_age=12, citizenships=["TG"]
    )
    return services.case_open(
        actor=worker,
        person=person,
        identified_at_place="Libreville",
        caseload="presumed_trafficking_victim",
    )


@pytest.fixture
def adult_case(people):
    worker = people["caseworker"]
    person = person_create(
        actor=worker,
        given_names="Kodjo",
        family_name="SEWA",
        birth_date=__import__("datetime").date(1990, 5, 1),
    )
    return services.case_open(actor=worker, person=person, caseload="presumed_trafficking_victim")


def guardian_consent(case, worker, purpose):
    return services.consent_record(
        actor=worker,
        case=case,
        purpose=purpose,
        given_by_guardian=True,
        guardian_name="Afi AKUÉ",
        childs_views="Veut rentrer.",
    )
