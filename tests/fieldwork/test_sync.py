# ruff: noqa: F811
"""Field work without network, server side: the pack, the sync of records made offline (applied,
sent twice, refused and kept, a conflict and its resolution), and who may use what."""

from __future__ import annotations

import json
import uuid

import pytest

from corridor.accounts.models import Role
from corridor.childcare import services as childcare
from corridor.fieldwork import services
from corridor.fieldwork.models import Conflict, Operation
from tests.childcare.conftest import (  # noqa: F401
    RATINGS,
    child,
    day,
    supervisor,
    worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(child, worker):
    childcare.placement_start(actor=worker, case=child, kind="kinship", start_on=day(10))
    return child


def visit(case, **over) -> dict:
    fields = {
        "month": "3",
        "visited_on": day(100).isoformat(),
        "living_with": "relatives",
        "schooling": "school",
        "safety": "safe",
        "wellbeing": "Va bien",
        "childs_account": "Je vais à l'école.",
        **{k: str(v) for k, v in RATINGS.items()},
    }
    return {
        "id": str(uuid.uuid4()),
        "form": "visit",
        "case": case.pk,
        "fields": fields | over,
        "recorded_at": "2026-12-01T09:00:00Z",
    }


def test_the_pack_holds_the_workers_children_and_the_forms(placed, worker, as_user):
    response = as_user(worker).get("/fieldwork/pack/")
    pack = response.json()
    assert response.status_code == 200 and pack["user"] == worker.username
    assert [c["ref"] for c in pack["cases"]] == [placed.ref]
    assert {"visit", "tracing", "family"} <= set(pack["forms"])
    assert pack["forms"]["tracing"]["correctable"] and len(pack["secret"]) > 30
    fields = {f["name"]: f for f in pack["forms"]["visit"]["fields"]}
    assert fields["econ_needs"]["type"] == "number" and fields["econ_needs"]["max"] == 5
    assert "narrative" not in json.dumps(pack)  # minimal fields only


def test_a_visit_made_offline_is_applied_once(placed, worker):
    operation = visit(placed)
    [answer] = services.sync(actor=worker, operations=[operation])
    assert answer["status"] == "applied"
    assert placed.follow_ups.get().score > 0
    [again] = services.sync(actor=worker, operations=[operation])  # a retry after a lost answer
    assert again == answer and placed.follow_ups.count() == 1


def test_a_visit_sent_twice_at_once_is_applied_once(placed, worker, monkeypatch):
    """Two requests carry the same record: the second looked for it before the first had
    committed, so it meets the unique id and answers with what the first did."""
    operation = visit(placed)
    [answer] = services.sync(actor=worker, operations=[operation])
    real_filter = Operation.objects.filter
    missed = []

    def filter_missing_once(*args, **kwargs):
        if not missed:
            missed.append(True)
            return Operation.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Operation.objects, "filter", filter_missing_once)
    [again] = services.sync(actor=worker, operations=[operation])
    assert again == answer and placed.follow_ups.count() == 1
    assert real_filter(uid=operation["id"]).count() == 1


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"visited_on": day(5).isoformat()}, "before"),
        ({"econ_needs": "9"}, "5"),
        ({"living_with": ""}, "required"),
    ],
)
def test_a_record_breaking_a_rule_is_refused_and_kept(placed, worker, over, message):
    [answer] = services.sync(actor=worker, operations=[visit(placed, **over)])
    assert answer["status"] == "refused" and message in answer["message"]
    assert not placed.follow_ups.exists()
    kept = Operation.objects.get(uid=answer["id"])
    assert kept.status == "refused" and "Je vais" in kept.payload


def test_a_case_lost_while_offline_is_refused_kept_for_the_supervisor(
    placed,
    worker,
    supervisor,
    people,
):
    placed.owner = people["supervisor"]
    placed.assigned_to = None
    placed.save(update_fields=["owner", "assigned_to"])
    [answer] = services.sync(actor=worker, operations=[visit(placed)])
    assert answer["status"] == "refused" and "supervisor" in answer["message"]
    assert not placed.follow_ups.exists()
    assert Operation.objects.get(uid=answer["id"]) in services.visible_refused(supervisor)


def test_a_field_changed_on_the_server_meanwhile_becomes_a_conflict(placed, worker, supervisor):
    action = childcare.tracing_action_record(
        actor=worker, case=placed, date=day(3), action="Appel au chef", who="Afi", outcome="lead"
    )
    base = {
        "date": day(3).isoformat(),
        "action": "Appel au chef",
        "place": "",
        "who": "Afi",
        "outcome": "lead",
        "notes": "",
    }
    # Meanwhile, on the server, the supervisor corrects the outcome.
    childcare.tracing_action_update(
        actor=supervisor, record=action, expected_version=1, outcome="dead_end"
    )
    operation = {
        "id": str(uuid.uuid4()),
        "form": "tracing",
        "case": placed.pk,
        "record": str(action.uid),
        "base_version": 1,
        "base": base,
        "fields": {"outcome": "family_found", "place": "Kpalimé"},
    }
    [answer] = services.sync(actor=worker, operations=[operation])
    assert answer["status"] == "conflict"
    action.refresh_from_db()
    assert action.outcome == "dead_end" and action.place == "Kpalimé"  # the other field applied
    conflict = Conflict.objects.get()
    assert (json.loads(conflict.server_value), json.loads(conflict.device_value)) == (
        "dead_end",
        "family_found",
    )
    services.conflict_resolve(actor=worker, conflict=conflict, keep="device")
    action.refresh_from_db()
    assert action.outcome == "family_found"
    assert Operation.objects.get(uid=answer["id"]).status == "resolved"


def test_bad_requests(placed, worker, as_user):
    client = as_user(worker)
    assert client.post("/fieldwork/sync/", b"{", content_type="application/json").status_code == 400
    too_many = {"operations": [visit(placed) for _ in range(201)]}
    assert (
        client.post("/fieldwork/sync/", too_many, content_type="application/json").status_code
        == 400
    )
    odd = client.post(
        "/fieldwork/sync/",
        {"operations": [{"id": "x"}, {"id": str(uuid.uuid4()), "form": "nope", "case": placed.pk}]},
        content_type="application/json",
    ).json()["answers"]
    assert [a["status"] for a in odd] == ["refused", "refused"]
    assert not placed.follow_ups.exists()


@pytest.mark.parametrize("url", ["/fieldwork/", "/fieldwork/pack/", "/fieldwork/conflicts/"])
def test_page_matrix(people, as_user, url):
    allowed = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR}
    for role in Role.values:
        user = people.get(role)
        if user is None:
            continue
        status = as_user(user).get(url).status_code
        assert (status == 200) == (role in allowed), (role, status)


def test_sync_matrix(people, as_user):
    for role in Role.values:
        user = people.get(role)
        if user is None:
            continue
        status = (
            as_user(user)
            .post("/fieldwork/sync/", {"operations": []}, content_type="application/json")
            .status_code
        )
        assert (status == 200) == (role in {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR})


def test_worker_and_manifest_are_public_static_code(client):
    worker_js = client.get("/fieldwork/sw.js")
    assert worker_js.status_code == 200 and "SHELL" in worker_js.content.decode()
    assert client.get("/fieldwork/manifest.webmanifest").json()["scope"] == "/fieldwork/"
