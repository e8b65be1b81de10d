"""The cross-border referral API: every action of the pages (refer, decide, move the shared
status, share an update) through the same selector and services, and its permission matrix."""

from __future__ import annotations

import pytest

from corridor.accounts.models import Role
from corridor.federation.inbox import inbox_accept
from corridor.federation.models import OutboundMessage
from corridor.referrals.cross_border import referral_send
from corridor.referrals.models import CrossBorderReferral as Referral
from tests.api.permissions import check_api_matrix, token_client
from tests.referrals.test_cross_border import _case, _incoming

pytestmark = [pytest.mark.django_db]
BASE = "/api/cross-border-referrals/"
TEAM = {"caseworker", "supervisor", "coordinator"}
NATIONAL = {"coordinator"}


@pytest.mark.api_matrix(
    "GET api:cross-border-referral-list",
    "GET api:cross-border-referral-detail",
    "POST api:cross-border-referral-list",
    "POST api:cross-border-referral-decide",
    "POST api:cross-border-referral-status",
    "POST api:cross-border-referral-update-shared",
)
def test_matrix(people, remote, own_keys):
    worker = people[Role.CASEWORKER]
    case = _case(worker)
    outgoing = referral_send(
        actor=worker, case=case, peer=remote.peer, purpose="return", reason="Return"
    )
    _body, token = _incoming(remote, own_keys)
    inbox_accept(token=token)
    incoming = Referral.objects.get(direction="in")
    problems = check_api_matrix(BASE, people, TEAM)
    problems += check_api_matrix(
        f"{BASE}{outgoing.pk}/", people, TEAM, other_agency_allowed=NATIONAL
    )
    problems += check_api_matrix(
        BASE, people, TEAM, method="post", data={"case": case.pk, "purpose": "nope"}
    )
    # the decision is the national coordinator's, on a referral received from the other node
    problems += check_api_matrix(
        f"{BASE}{incoming.pk}/decide/",
        people,
        NATIONAL,
        method="post",
        data={"decision": "maybe"},
    )
    for action, data in (("status", {"status": "nope"}), ("update_shared", {"kind": "nope"})):
        problems += check_api_matrix(
            f"{BASE}{outgoing.pk}/{action}/",
            people,
            TEAM,
            method="post",
            data=data,
            other_agency_allowed=NATIONAL,
        )
    assert problems == []
    assert Referral.objects.count() == 2 and OutboundMessage.objects.count() == 1


def test_refer_and_decide_through_the_api(people, remote, own_keys, home_agency):
    worker = people[Role.CASEWORKER]
    case = _case(worker)
    client = token_client(worker)
    bad = client.post(
        BASE,
        {"case": case.pk, "peer": "gabon", "purpose": "nope", "reason": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "purpose" in bad.json()
    nobody = client.post(
        BASE,
        {"case": case.pk, "peer": "benin", "purpose": "return", "reason": "x"},
        format="json",
    )
    assert nobody.status_code == 400 and "peer" in nobody.json()
    assert not Referral.objects.exists()
    made = client.post(
        BASE,
        {"case": case.pk, "peer": "gabon", "purpose": "return", "reason": "Return"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["status"] == "sent"
    assert client.get(BASE).json()["count"] == 1
    _body, token = _incoming(remote, own_keys)
    inbox_accept(token=token)
    incoming = Referral.objects.get(direction="in")
    assert client.get(f"{BASE}{incoming.pk}/").status_code == 404
    boss = token_client(people[Role.COORDINATOR])
    assert [r["direction"] for r in boss.get(BASE, {"direction": "in"}).json()["results"]] == ["in"]
    refused = boss.post(f"{BASE}{incoming.pk}/decide/", {"decision": "accepted"}, format="json")
    assert refused.status_code == 400 and "agency" in refused.json()
    done = boss.post(
        f"{BASE}{incoming.pk}/decide/",
        {"decision": "accepted", "agency": home_agency.pk},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert done.json()["case"] is not None


def test_consent_is_required_through_the_api_too(people, remote):
    worker = people[Role.CASEWORKER]
    case = _case(worker, consent=False)
    refused = token_client(worker).post(
        BASE,
        {"case": case.pk, "peer": "gabon", "purpose": "return", "reason": "Return"},
        format="json",
    )
    assert refused.status_code == 400
    assert "consent" in " ".join(refused.json()["non_field_errors"])
    assert not Referral.objects.exists() and not OutboundMessage.objects.exists()


def test_status_and_updates_through_the_api(people, remote, own_keys):
    worker = people[Role.CASEWORKER]
    referral = referral_send(
        actor=worker, case=_case(worker), peer=remote.peer, purpose="return", reason="Return"
    )
    client = token_client(worker)
    early = client.post(f"{BASE}{referral.pk}/status/", {"status": "closed"}, format="json")
    assert early.status_code == 400 and "status" in early.json()  # not before a decision
    accepted = remote.envelope(
        "referral.status", {"referral": str(referral.uid), "status": "accepted"}
    )
    inbox_accept(token=remote.seal(accepted, recipient_jwk=own_keys["enc"]))
    moved = client.post(
        f"{BASE}{referral.pk}/status/", {"status": "in_progress", "comment": "ok"}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    empty = client.post(f"{BASE}{referral.pk}/update_shared/", {"kind": "note"}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()
    shared = client.post(
        f"{BASE}{referral.pk}/update_shared/",
        {"kind": "return_date", "date": "2026-03-01", "text": "Vol Libreville–Lomé"},
        format="json",
    )
    assert shared.status_code == 200
    assert shared.json()["events"][-1]["kind"] == "return_date"
    sent = OutboundMessage.objects.filter(topic=referral.topic).values_list("type", flat=True)
    assert list(sent) == ["referral.create", "referral.status", "referral.update"]
