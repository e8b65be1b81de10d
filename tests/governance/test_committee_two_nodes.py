"""Committee records travel between two real node processes: a meeting recorded in Togo
arrives in Gabon with its decisions (non-personal, purpose joint monitoring), and a decision
closed in Gabon comes back to Togo."""

from __future__ import annotations

import json
import os

import pytest

from tests.federation.nodes import prepare_pair, teardown_pair

pytestmark = pytest.mark.slow


def _call(node, function: str, **kwargs):
    code = (
        "import json; from tests.governance import node_actions as a; "
        f"print('@@' + json.dumps(a.{function}(**json.loads({json.dumps(json.dumps(kwargs))}))))"
    )
    out = node.cli("shell", "-c", code)
    return json.loads([line for line in out.splitlines() if line.startswith("@@")][-1][2:])


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    base = tmp_path_factory.mktemp("governance-nodes")
    pair = prepare_pair(base, os.environ.get("DATABASE_URL", ""), suffix="gov_")
    for node in pair.values():
        node.start()
    yield pair
    teardown_pair(pair)


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
