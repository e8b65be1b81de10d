"""The case API beyond open and read: moves, assignment, victim context, relatives and caregiver,
and the records a case gathers (consents, support plans, services, tasks, notes, trafficking
events). The permission matrix of every route, the pages' rules, and bad input that changes
nothing."""

from __future__ import annotations

import pytest
from django.conf import settings

from corridor.audit.models import Action, AuditEntry
from corridor.cases.models import CaseNote, ChildStep, Consent, StageChange, Task
from tests.api.permissions import check_api_matrix, token_client

CASE_ROLES = {"caseworker", "supervisor", "coordinator"}
DECIDERS = {"supervisor", "coordinator"}
NATIONAL = {"coordinator"}


@pytest.mark.api_matrix(
    "POST api:case-transition",
    "POST api:case-assign",
    "POST api:case-victim-context",
    "GET api:case-relatives",
    "POST api:case-relatives",
    "POST api:case-caregiver",
)
def test_case_action_matrix(people, case_records):
    url = f"/api/cases/{case_records['case'].pk}"
    post = {"method": "post", "other_agency_allowed": NATIONAL}
    problems = check_api_matrix(
        f"{url}/transition/", people, CASE_ROLES, data={"to": "closed"}, **post
    )
    problems += check_api_matrix(
        f"{url}/assign/", people, DECIDERS, data={"assignee": "home.caseworker"}, **post
    )
    problems += check_api_matrix(
        f"{url}/victim-context/", people, CASE_ROLES, data={"age_when_trafficked": 11}, **post
    )
    problems += check_api_matrix(
        f"{url}/relatives/", people, CASE_ROLES, other_agency_allowed=NATIONAL
    )
    problems += check_api_matrix(
        f"{url}/relatives/", people, CASE_ROLES, data={"kind": "father"}, **post
    )
    problems += check_api_matrix(
        f"{url}/caregiver/", people, CASE_ROLES, data={"caregiver": 0}, **post
    )
    assert problems == []


RECORDS = {
    "consents": ("consent", {"purpose": "return", "legal_ground": "child_protection_order"}),
    "support-plans": ("plan", {"plan_type": "Legal"}),
    "services-provided": ("service", {"service_type": "Legal", "delivered_on": "2025-03-03"}),
    "tasks": ("task", {"title": "Appeler la famille", "due_on": "2025-05-01"}),
    "case-notes": ("note", {"text": "Entretien."}),
    "trafficking-events": ("event", {"event_type": "Transit", "city": "Lomé"}),
}


@pytest.mark.api_matrix(
    "GET api:consent-list",
    "POST api:consent-list",
    "GET api:consent-detail",
    "GET api:support-plan-list",
    "POST api:support-plan-list",
    "GET api:support-plan-detail",
    "GET api:service-provided-list",
    "POST api:service-provided-list",
    "GET api:service-provided-detail",
    "GET api:task-list",
    "POST api:task-list",
    "GET api:task-detail",
    "GET api:case-note-list",
    "POST api:case-note-list",
    "GET api:case-note-detail",
    "GET api:trafficking-event-list",
    "POST api:trafficking-event-list",
    "GET api:trafficking-event-detail",
    "POST api:consent-withdraw",
    "POST api:task-complete",
)
def test_case_record_matrix(people, case_records):
    case = case_records["case"].pk
    problems = []
    for path, (key, body) in RECORDS.items():
        record = case_records[key].pk
        problems += check_api_matrix(f"/api/{path}/", people, CASE_ROLES)
        problems += check_api_matrix(
            f"/api/{path}/", people, CASE_ROLES, method="post", data={"case": case, **body}
        )
        problems += check_api_matrix(
            f"/api/{path}/{record}/", people, CASE_ROLES, other_agency_allowed=NATIONAL
        )
    for url in (
        f"/api/consents/{case_records['consent'].pk}/withdraw/",
        f"/api/tasks/{case_records['task'].pk}/complete/",
    ):
        problems += check_api_matrix(
            url, people, CASE_ROLES, method="post", other_agency_allowed=NATIONAL
        )
    assert problems == []


def test_a_partner_system_records_consent_and_moves_the_child_on(people, case_records):
    """Consent first, then the move it allows: what a cross-border referral needs."""
    client = token_client(people["caseworker"])
    case = case_records["case"]
    for to in (ChildStep.EMERGENCY, ChildStep.STUDY):
        response = client.post(f"/api/cases/{case.pk}/transition/", {"to": to}, format="json")
        assert response.status_code == 200, response.content
    assert response.json()["moves"] == [ChildStep.TRACING]
    consent = client.post(
        "/api/consents/",
        {
            "case": case.pk,
            "purpose": "cross_border",
            "given_by_guardian": True,
            "guardian_name": "Afi AKUÉ",
            "childs_views": "Veut rentrer (synthétique).",
        },
        format="json",
    )
    assert consent.status_code == 201 and consent.json()["active"]
    moved = client.post(
        f"/api/cases/{case.pk}/transition/", {"to": "family_tracing"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["child_step"] == ChildStep.TRACING
    withdrawn = client.post(
        f"/api/consents/{consent.json()['id']}/withdraw/", {"comment": "La mère refuse."}
    )
    assert withdrawn.status_code == 200 and not withdrawn.json()["active"]
    listed = client.get(f"/api/consents/?case={case.pk}").json()
    assert {c["purpose"] for c in listed["results"]} == {"family_tracing", "cross_border"}


def test_a_move_without_its_preconditions_is_refused_and_changes_nothing(people, case_records):
    client = token_client(people["caseworker"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    case = case_records["case"]
    entries = AuditEntry.objects.count()
    wrong = client.post(f"/api/cases/{case.pk}/transition/", {"to": "closed"}, format="json")
    assert wrong.status_code == 400
    assert "cannot go from" in wrong.json()["non_field_errors"][0]
    assert client.post(f"/api/cases/{case.pk}/transition/", {}, format="json").json() == {
        "to": ["This field is required."]
    }
    assert not StageChange.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_consent_for_a_child_names_the_guardian_and_the_childs_views(people, case_records):
    """A service's field errors come back in French by default; nothing is written."""
    client = token_client(people["caseworker"])
    entries, consents = AuditEntry.objects.count(), Consent.objects.count()
    response = client.post(
        "/api/consents/",
        {"case": case_records["case"].pk, "purpose": "return"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"guardian_name", "childs_views"}
    assert "tuteur" in response.json()["guardian_name"][0]
    bad = client.post("/api/consents/", {"case": case_records["case"].pk, "purpose": "x"})
    assert bad.status_code == 400 and "purpose" in bad.json()
    assert (AuditEntry.objects.count(), Consent.objects.count()) == (entries, consents)


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("case-notes", {"text": "  "}, "text"),
        ("tasks", {"title": "Appeler", "due_on": "demain"}, "due_on"),
        (
            "services-provided",
            {"service_type": "Legal", "delivered_on": "2099-01-01"},
            "delivered_on",
        ),
        (
            "services-provided",
            {"service_type": "Legal", "delivered_on": "0001-01-01"},
            "delivered_on",
        ),
        ("tasks", {"title": "Appeler", "due_on": "0026-12-07"}, "due_on"),
        ("support-plans", {"plan_type": "Nothing"}, "plan_type"),
        ("trafficking-events", {"event_type": "Transit", "date": "2099-01-01"}, "date"),
    ],
)
def test_bad_records_are_refused_with_field_errors(people, case_records, path, body, field):
    client = token_client(people["caseworker"])
    entries = AuditEntry.objects.count()
    notes, tasks = CaseNote.objects.count(), Task.objects.count()
    response = client.post(
        f"/api/{path}/", {"case": case_records["case"].pk, **body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert AuditEntry.objects.count() == entries
    assert (CaseNote.objects.count(), Task.objects.count()) == (notes, tasks)


def test_records_of_cases_out_of_scope_stay_hidden(people, case_records):
    other = token_client(people["other_agency.caseworker"])
    case = case_records["case"].pk
    refused = other.post("/api/case-notes/", {"case": case, "text": "Intrus."}, format="json")
    assert refused.status_code == 400 and "case" in refused.json()
    assert other.get(f"/api/case-notes/{case_records['note'].pk}/").status_code == 404
    assert other.get(f"/api/case-notes/?case={case}").json()["count"] == 0
    assert other.get("/api/tasks/?case=abc").status_code == 400
    assert not CaseNote.objects.filter(text="Intrus.").exists()


def test_reading_a_note_is_audited(people, case_records):
    client = token_client(people["supervisor"])
    note = client.get(f"/api/case-notes/{case_records['note'].pk}/").json()
    assert note["text"] == "Vue au centre." and note["case_ref"] == case_records["case"].ref
    assert AuditEntry.objects.filter(
        action=Action.READ, object_type="cases.casenote", actor=people["supervisor"]
    ).exists()


def test_task_completion_and_follow_up_visits(people, case_records):
    client = token_client(people["caseworker"])
    task = case_records["task"]
    done = client.post(f"/api/tasks/{task.pk}/complete/", {"outcome": "Famille jointe."})
    assert done.status_code == 200 and done.json()["done_on"]
    again = client.post(f"/api/tasks/{task.pk}/complete/", {})
    assert again.status_code == 400
    assert client.get("/api/tasks/").json()["results"][0]["kind"] == "general"


def test_service_under_a_plan_of_another_case_is_refused(people, case_records, adult_case):
    client = token_client(people["caseworker"])
    other_plan = client.post(
        "/api/support-plans/", {"case": adult_case.pk, "plan_type": "Legal"}, format="json"
    ).json()["id"]
    response = client.post(
        "/api/services-provided/",
        {
            "case": case_records["case"].pk,
            "service_type": "Legal",
            "delivered_on": "2025-03-03",
            "plan": other_plan,
        },
        format="json",
    )
    assert response.status_code == 400 and "plan" in response.json()
    fine = client.post(
        "/api/services-provided/",
        {
            "case": case_records["case"].pk,
            "service_type": "Health",
            "delivered_on": "2025-03-03",
            "plan": case_records["plan"].pk,
        },
        format="json",
    )
    assert fine.status_code == 201 and fine.json()["plan"] == case_records["plan"].pk


def test_assignment_victim_context_relatives_and_caregiver(people, case_records):
    case = case_records["case"]
    supervisor = token_client(people["supervisor"])
    assigned = supervisor.post(
        f"/api/cases/{case.pk}/assign/", {"assignee": "home.supervisor"}, format="json"
    )
    assert assigned.status_code == 200 and assigned.json()["assigned_to"] == "home.supervisor"
    foreign = supervisor.post(
        f"/api/cases/{case.pk}/assign/", {"assignee": "other.caseworker"}, format="json"
    )
    assert foreign.status_code == 400 and "assignee" in foreign.json()
    worker = token_client(people["caseworker"])
    context = worker.post(
        f"/api/cases/{case.pk}/victim-context/",
        {"exploitation_types": ["ChildLabour"], "proceedings": "complaint"},
        format="json",
    )
    assert context.status_code == 200
    assert context.json()["exploitation_types"] == ["ChildLabour"]
    assert context.json()["proceedings"] == "complaint"
    unknown = worker.post(
        f"/api/cases/{case.pk}/victim-context/", {"industries": ["Nowhere"]}, format="json"
    )
    assert unknown.status_code == 400 and "industries" in unknown.json()
    added = worker.post(
        f"/api/cases/{case.pk}/relatives/",
        {"kind": "father", "relative_name": "Kodjo AKUÉ", "whereabouts": "Kpalimé"},
        format="json",
    )
    assert added.status_code == 201 and added.json()["name"] == "Kodjo AKUÉ"
    relatives = worker.get(f"/api/cases/{case.pk}/relatives/").json()
    assert {r["name"] for r in relatives} == {"Afi AKUÉ", "Kodjo AKUÉ"}
    caregiver = worker.post(
        f"/api/cases/{case.pk}/caregiver/",
        {"caregiver": added.json()["id"], "agreed": True, "able": True},
        format="json",
    )
    assert caregiver.status_code == 200
    assert caregiver.json()["caregiver"] == added.json()["id"]
    assert caregiver.json()["caregiver_agreed"] and caregiver.json()["caregiver_able"]
    not_theirs = worker.post(f"/api/cases/{case.pk}/caregiver/", {"caregiver": 10**6})
    assert not_theirs.status_code == 400 and "caregiver" in not_theirs.json()
