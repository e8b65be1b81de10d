"""Two real nodes: the child's return across the border. The area of origin (Togo) sends its
family assessment; the node where the child is (Gabon) signs the hand-over and Togo receives its
copy, countersigns it, and Gabon's copy is countersigned in turn: each node keeps its copy."""

from __future__ import annotations

import pytest

from tests.federation.nodes import running_pair

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    with running_pair(tmp_path_factory, "child") as pair:
        yield pair


def test_family_assessment_and_hand_over_signed_on_both_sides(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    sent = gabon.call("make_referral", country="GA", given_names="Kafui")
    togo.call("wait_for", uid=sent["uid"], key="status", value="received")
    accepted = togo.call("accept", uid=sent["uid"], country="TG")
    gabon.call("wait_for", uid=sent["uid"], key="status", value="accepted")

    shared = togo.call("family_assessment_share", uid=sent["uid"], country="TG")
    received = gabon.call("family_assessment_state", uid=shared["assessment"])
    assert received == {
        "exists": True,
        "source": "peer",
        "received_from": "togo",
        "recommendation": "return_with_support",
        "case": sent["case_ref"],
    }

    signed = gabon.call("handover_sign", uid=sent["uid"], country="GA")
    copy = togo.call("handover_state", uid=signed["handover"])
    assert copy["exists"] and copy["side"] == "receiving" and copy["case"] == accepted["case"]
    assert copy["documents"] == ["Laissez-passer", "Rapport social"]
    assert not copy["countersigned"] and copy["handed_by"]

    togo.call("handover_countersign", uid=signed["handover"], country="TG")
    mine = gabon.call("handover_state", uid=signed["handover"], countersigned=True)
    assert mine["side"] == "handing" and mine["countersigned"] and mine["received_by"]
    assert mine["copies"] == 1 and mine["case"] == sent["case_ref"]
