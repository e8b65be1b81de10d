"""A cross-border request between two real node processes over HTTP: drafted and approved by a
second person in Togo, received and answered (partly, then fully) by a prosecutor in Gabon,
audited on both sides; a second request withdrawn, then an answer refused."""

from __future__ import annotations

import pytest

from tests.federation.nodes import running_pair

pytestmark = pytest.mark.slow


def call(node, function: str, **kwargs):
    return node.call(function, actions="tests.justice.node_actions", **kwargs)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    with running_pair(tmp_path_factory, "mla") as pair:
        call(pair["togo"], "setup_justice", country="TG")
        call(pair["gabon"], "setup_justice", country="GA")
        yield pair


def test_request_approved_sent_answered_across_the_border(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    sent = call(togo, "mla_send", subject="Antécédents et adresse du suspect à Libreville.")
    assert "second person" in sent["self_approval"] or "seconde personne" in sent["self_approval"]
    assert sent["past_deadline"]
    uid = sent["uid"]
    received = call(gabon, "wait_status", uid=uid, status="received")
    assert received["direction"] == "in" and received["events"] == ["received"]
    assert received["suspect_identifiers"] == "+241 06 00 00 99"
    # only Gabon's prosecutors and judicial police of the Libreville court read it
    assert received["readers"] == ["ga.police", "ga.prosecutor", "ga.prosecutor2"]
    refused = call(gabon, "mla_answer", uid=uid, username="ga.police", text="x", complete=True)
    assert refused["refused"]
    assert call(
        gabon,
        "mla_answer",
        uid=uid,
        username="ga.prosecutor",
        text="Adresse trouvée.",
        complete=False,
    ) == {"status": "partly_answered"}
    assert call(togo, "wait_status", uid=uid, status="partly_answered")["status"] == (
        "partly_answered"
    )
    call(
        gabon, "mla_answer", uid=uid, username="ga.prosecutor2", text="Casier joint.", complete=True
    )
    done = call(togo, "wait_status", uid=uid, status="answered")
    assert done["events"] == ["drafted", "approved", "partial", "full"]
    assert done["texts"][2:] == ["Adresse trouvée.", "Casier joint."]
    assert done["readers"] == ["tg.police", "tg.prosecutor", "tg.prosecutor2"]
    assert {"create", "send", "receive"} <= set(done["audit"])
    assert done["outbound"] == ["justice.mla_request"]
    other = call(gabon, "mla_state", uid=uid)
    assert {"receive", "send"} <= set(other["audit"])
    assert other["outbound"] == ["justice.mla_answer", "justice.mla_answer"]


def test_answer_after_withdrawal_is_refused(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    uid = call(togo, "mla_send", subject="Relevés d'un compte de paiement mobile.")["uid"]
    call(gabon, "wait_status", uid=uid, status="received")
    assert call(togo, "mla_withdraw", uid=uid) == {"status": "withdrawn"}
    assert call(gabon, "wait_status", uid=uid, status="withdrawn")["events"] == [
        "received",
        "withdrawn",
    ]
    late = call(gabon, "mla_answer", uid=uid, username="ga.prosecutor", text="x", complete=True)
    assert "withdrawn" in late["refused"] or "retirée" in late["refused"]
    assert call(togo, "mla_state", uid=uid)["status"] == "withdrawn"
