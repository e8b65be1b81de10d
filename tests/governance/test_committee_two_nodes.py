"""Committee records travel between two real node processes: a meeting recorded in Togo
arrives in Gabon with its decisions (non-personal, purpose joint monitoring), and a decision
closed in Gabon comes back to Togo."""

from __future__ import annotations

import pytest

from tests.federation.nodes import running_pair

pytestmark = pytest.mark.slow


def _call(node, function: str, **kwargs):
    return node.call(function, actions="tests.governance.node_actions", **kwargs)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    with running_pair(tmp_path_factory, "gov") as pair:
        yield pair


def test_committee_records_exchanged_between_two_nodes(nodes):
    togo, gabon = nodes["togo"], nodes["gabon"]
    sent = _call(togo, "record_meeting", country="TG", title="1re session du comité mixte")
    there = _call(gabon, "meeting_state", uid=sent["uid"])
    assert there == {
        "origin": "togo",
        "title": "1re session du comité mixte",
        "decisions": [
            {"owner": "CNLTP", "status": "planned"},
            {"owner": "DGAS", "status": "planned"},
        ],
    }
    _call(gabon, "close_decision", country="GA", uid=sent["uid"], text="Former les magistrats")
    back = _call(togo, "meeting_state", uid=sent["uid"], done=1)
    assert back["origin"] == "togo"  # where it was recorded, whoever sent the update
    assert [d["status"] for d in back["decisions"]] == ["planned", "done"]
