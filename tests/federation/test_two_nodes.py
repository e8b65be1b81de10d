"""Two real node processes on loopback: referrals end to end over HTTP, and the faults the
network and the processes throw at them."""

from __future__ import annotations

import json

import pytest

from tests.federation.nodes import running_pair

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    with running_pair(tmp_path_factory, "e2e") as pair:
        yield pair


def test_referral_end_to_end_over_http(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    sent = gabon.call("make_referral", country="GA")
    received = togo.call("wait_for", uid=sent["uid"], key="status", value="received")
    assert received["direction"] == "in" and received["referrals"] == 1
    assert gabon.call("wait_for", uid=sent["uid"], key="status", value="received")["status"] == (
        "received"
    )
    accepted = togo.call("accept", uid=sent["uid"], country="TG")
    assert accepted["status"] == "accepted"
    seen = gabon.call("wait_for", uid=sent["uid"], key="status", value="accepted")
    assert seen["status"] == "accepted"
    assert [e for e in seen["events"] if e[0] == "status"] == [
        ["status", "sent"],
        ["status", "received"],
        ["status", "accepted"],
    ]
    togo_state = togo.call("referral_state", uid=sent["uid"])
    assert togo_state["case_cross_border"] and togo_state["duplicates"] == 0
    status = togo.cli("federation", "status")
    gabon_keys = json.loads(gabon.cli("federation", "identity"))["keys"]
    assert all(key["kid"] in status for key in gabon_keys)
    peer_line = next(line for line in status.splitlines() if "gabon" in line)
    assert peer_line.endswith(("reachable", "joignable"))  # not "(un)reachable (error)"


def test_receiver_down_then_back_delivers_exactly_once(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    togo.stop()
    try:
        sent = gabon.call("make_referral", country="GA", given_names="Yawa")
        waiting = gabon.call("wait_attempts", uid=sent["uid"], attempts=2)
        assert waiting["outbound"][0][1] == "pending"
    finally:
        togo.start()
    delivered = gabon.call("wait_for", uid=sent["uid"], key="outbound", value="delivered")
    assert delivered["outbound"][0][1] == "delivered"
    state = togo.call("referral_state", uid=sent["uid"])
    assert state["referrals"] == 1 and state["inbound"] == 1


def test_sender_crash_after_sending_before_receipt(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    gabon.stop()
    gabon.start(CORRIDOR_FEDERATION_FAULT="crash_after_post")
    sent = gabon.call("make_referral", country="GA", given_names="Kafui")
    assert gabon.wait_exit(timeout=60) == 3  # crashed right after the POST, receipt unrecorded
    assert togo.call("referral_state", uid=sent["uid"])["referrals"] == 1
    assert gabon.call("referral_state", uid=sent["uid"])["outbound"][0][1] == "pending"
    gabon.start()
    done = gabon.call("wait_for", uid=sent["uid"], key="outbound", value="delivered")
    assert done["outbound"][0][1] == "delivered"
    state = togo.call("referral_state", uid=sent["uid"])
    assert state["referrals"] == 1 and state["inbound"] == 1 and state["duplicates"] == 1


def test_sealed_file_when_the_link_is_down(nodes, tmp_path):
    togo, gabon = nodes["togo"], nodes["gabon"]
    togo.stop()
    try:
        sent = gabon.call("make_referral", country="GA", given_names="Mawuena")
        sealed, receipts = tmp_path / "out.sealed.json", tmp_path / "receipts.json"
        gabon.cli("federation", "export-sealed", "--peer", "togo", "--out", str(sealed))
        assert json.loads(sealed.read_text())["to"] == "togo"
        report = togo.cli(
            "federation", "import-sealed", str(sealed), "--receipts-out", str(receipts)
        )
        assert '"applied": 1' in report or '"applied": 2' in report
        again = togo.cli(
            "federation", "import-sealed", str(sealed), "--receipts-out", str(receipts)
        )
        assert '"applied": 0' in again
        gabon.cli("federation", "import-sealed", str(receipts))
        state = gabon.call("referral_state", uid=sent["uid"])
        assert state["outbound"][0][1] == "delivered" and state["status"] == "received"
    finally:
        togo.start()
    assert togo.call("referral_state", uid=sent["uid"])["referrals"] == 1


def test_key_rotation_reaches_the_peer_without_losing_messages(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    before = gabon.call("make_referral", country="GA", given_names="Dela")
    gabon.cli("federation", "rotate-keys")
    after = gabon.call("make_referral", country="GA", given_names="Enyonam")
    for sent in (before, after):
        assert togo.call("wait_for", uid=sent["uid"], key="status", value="received")["status"] == (
            "received"
        )
    identity = json.loads(gabon.cli("federation", "identity"))
    active = [k["kid"] for k in identity["keys"] if k["status"] == "active"]
    retiring = [k["kid"] for k in identity["keys"] if k["status"] == "retiring"]
    assert len(active) == 2 and len(retiring) == 2
    status = togo.cli("federation", "status")
    for kid in active:
        assert f"{kid} (active)" in status
    for kid in retiring:
        assert f"{kid} (retiring)" in status
    accepted = togo.call("accept", uid=after["uid"], country="TG")  # encrypted to the new key
    assert accepted["status"] == "accepted"
    assert gabon.call("wait_for", uid=after["uid"], key="status", value="accepted")["status"] == (
        "accepted"
    )
