"""The reports API: published aggregates (all a partner gets), indicators, publishing and
training records: the permission matrix, the pages' rules, and bad input that changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from corridor.audit.models import Action, AuditEntry
from corridor.people.services import person_create
from corridor.reports import services
from corridor.reports.models import PrivacyBudget, Publication, TrainingSession
from tests.api.permissions import check_api_matrix, token_client
from tests.factories import privacy_budget

READERS = {"partner", "coordinator", "administrator"}
PUBLISHER = {"coordinator"}
BUDGET_READERS = {"coordinator", "administrator"}
INDICATOR_READERS = {"coordinator", "supervisor"}
TRAINING_MANAGERS = {"coordinator", "administrator"}


@pytest.fixture
def budget(people):
    return privacy_budget(people["coordinator"], name="2025")


@pytest.fixture
def publication(people):
    return services.publication_ctdc_export(
        actor=people["coordinator"], start=date(2020, 1, 1), end=timezone.localdate()
    )


@pytest.mark.api_matrix(
    "GET api:publication-list",
    "GET api:publication-detail",
    "POST api:publication-dp-release",
    "POST api:publication-ctdc-export",
    "GET api:privacy-budget-list",
    "POST api:privacy-budget-list",
)
def test_publication_matrix(people, budget, publication):
    problems = check_api_matrix("/api/published/", people, READERS)
    problems += check_api_matrix(f"/api/published/{publication.pk}/", people, READERS)
    problems += check_api_matrix(
        "/api/published/dp-release/",
        people,
        PUBLISHER,
        method="post",
        data={"budget": budget.pk, "dimension": "sex", "epsilon": 0.1},
    )
    problems += check_api_matrix(
        "/api/published/ctdc-export/",
        people,
        PUBLISHER,
        method="post",
        data={"start": "2020-01-01", "end": "2019-01-01"},
    )
    problems += check_api_matrix("/api/privacy-budgets/", people, BUDGET_READERS)
    problems += check_api_matrix(
        "/api/privacy-budgets/", people, PUBLISHER, method="post", data={"name": "x"}
    )
    assert problems == []


@pytest.mark.api_matrix("GET api:indicator-list", "GET api:training-list", "POST api:training-list")
def test_indicator_and_training_matrix(people):
    problems = check_api_matrix("/api/indicators/", people, INDICATOR_READERS)
    problems += check_api_matrix("/api/trainings/", people, TRAINING_MANAGERS)
    problems += check_api_matrix(
        "/api/trainings/", people, TRAINING_MANAGERS, method="post", data={"title": "x"}
    )
    assert problems == []


def test_a_partner_reads_aggregates_and_its_reading_is_audited(people, publication):
    partner = token_client(people["partner"])
    listed = partner.get("/api/published/").json()["results"]
    assert [p["kind"] for p in listed] == ["ctdc"] and "content" not in listed[0]
    one = partner.get(f"/api/published/{publication.pk}/").json()
    assert one["k"] == 11 and one["content"].startswith("yearOfRegistration,")
    assert AuditEntry.objects.filter(
        action=Action.EXPORT, object_type="reports.publication", actor=people["partner"]
    ).exists()
    assert partner.get("/api/indicators/").status_code == 403


def test_dp_release_spends_the_budget_and_refuses_beyond_it(people, budget):
    coordinator = token_client(people["coordinator"])
    url = "/api/published/dp-release/"
    first = coordinator.post(
        url, {"budget": budget.pk, "dimension": "age", "epsilon": 0.6}, format="json"
    )
    assert first.status_code == 201 and first.json()["epsilon"] == 0.6
    entries = AuditEntry.objects.count()
    beyond = coordinator.post(
        url, {"budget": budget.pk, "dimension": "age", "epsilon": 0.5}, format="json"
    )
    assert beyond.status_code == 400 and "ε" in beyond.json()["non_field_errors"][0]
    unknown = coordinator.post(
        url, {"budget": 10**6, "dimension": "age", "epsilon": 0.1}, format="json"
    )
    assert unknown.status_code == 400 and "budget" in unknown.json()
    assert Publication.objects.count() == 1 and AuditEntry.objects.count() == entries
    remaining = coordinator.get("/api/privacy-budgets/").json()["results"][0]["remaining"]
    assert remaining == pytest.approx(0.4)


def test_ctdc_export_and_budget_refusals(people):
    coordinator = token_client(people["coordinator"])
    small_k = coordinator.post(
        "/api/published/ctdc-export/", {"start": "2020-01-01", "end": "2025-01-01", "k": 5}
    )
    assert small_k.status_code == 400 and "k" in small_k.json()
    backwards = coordinator.post(
        "/api/privacy-budgets/",
        {"name": "x", "epsilon_total": 1, "period_start": "2025-02-01", "period_end": "2025-01-01"},
        format="json",
    )
    assert backwards.status_code == 400
    assert (Publication.objects.count(), PrivacyBudget.objects.count()) == (0, 0)
    published = coordinator.post(
        "/api/published/ctdc-export/", {"start": "2020-01-01", "end": "2025-01-01"}
    )
    assert published.status_code == 201 and published.json()["kind"] == "ctdc"


def test_indicators_count_the_cases_the_user_sees(people):
    from corridor.cases.services import case_open

    worker = people["caseworker"]
    case_open(actor=worker, person=person_create(actor=worker, given_names="Ama", estimated_age=9))
    body = token_client(people["coordinator"]).get("/api/indicators/").json()
    assert body["cases"]["identified"] == 1 and body["cases"]["children"] == 1
    assert body["end"] == timezone.localdate().isoformat()
    assert body["justice"] == {"suspected": 0, "prosecuted": 0, "convicted": 0}
    other = token_client(people["other_agency.supervisor"]).get("/api/indicators/").json()
    assert other["cases"]["identified"] == 0
    backwards = token_client(people["coordinator"]).get(
        "/api/indicators/?start=2025-02-01&end=2025-01-01"
    )
    assert backwards.status_code == 400


def test_training_session_through_the_api(people, home_agency):
    coordinator = token_client(people["coordinator"])
    foreign = people["other_country.caseworker"].agency
    session = {
        "title": "Identification des victimes",
        "held_on": "2025-03-01",
        "organiser": home_agency.pk,
        "attendance": [
            {"agency": home_agency.pk, "sex": "f", "count": 4},
            {"agency": foreign.pk, "sex": "m", "count": 3},
        ],
    }
    created = coordinator.post("/api/trainings/", session, format="json")
    assert created.status_code == 201, created.content
    assert sorted(a["count"] for a in created.json()["attendance"]) == [3, 4]
    empty = coordinator.post(
        "/api/trainings/", session | {"attendance": [], "title": "Vide"}, format="json"
    )
    assert empty.status_code == 400
    future = coordinator.post(
        "/api/trainings/", session | {"held_on": "2099-01-01", "title": "Demain"}, format="json"
    )
    assert future.status_code == 400 and "held_on" in future.json()
    assert TrainingSession.objects.count() == 1
