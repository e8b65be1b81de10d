"""Governance actions run inside a node process by the two-node test (through ``corridor shell``,
as tests/federation/node_actions.py does); each returns JSON-able data."""

from __future__ import annotations

import time
from datetime import date

from corridor.accounts.models import User


def record_meeting(*, country: str, title: str) -> dict:
    from corridor.federation.models import Peer
    from corridor.governance import framework

    meeting = framework.meeting_record(
        actor=User.objects.get(username=f"{country.lower()}.coordinator"),
        held_on=date(2026, 3, 1),
        title=title,
        place="Lomé",
        summary="Session ordinaire",
        decisions=[
            {"text": "Désigner les points focaux", "owner": "CNLTP", "due_on": date(2026, 4, 1)},
            {"text": "Former les magistrats", "owner": "DGAS", "due_on": date(2026, 6, 1)},
        ],
        peers=list(Peer.objects.filter(is_active=True)),
    )
    return {"uid": str(meeting.uid)}


def close_decision(*, country: str, uid: str, text: str) -> dict:
    from corridor.federation.models import Peer
    from corridor.governance import framework
    from corridor.governance.models import CommitteeDecision

    decision = CommitteeDecision.objects.get(meeting__uid=uid, text=text)
    framework.decision_update(
        actor=User.objects.get(username=f"{country.lower()}.coordinator"),
        decision=decision,
        status="done",
        peers=list(Peer.objects.filter(is_active=True)),
    )
    return {"ok": True}


def meeting_state(*, uid: str, timeout: float = 60, done: int = 0) -> dict:
    """Wait until the meeting is here (with ``done`` decisions done), then describe it."""
    from corridor.governance.models import CommitteeMeeting

    deadline = time.monotonic() + timeout
    while True:
        meeting = CommitteeMeeting.objects.filter(uid=uid).first()
        if meeting is not None:
            decisions = list(meeting.decisions.order_by("due_on").values("owner", "status"))
            if sum(d["status"] == "done" for d in decisions) >= done:
                return {"origin": meeting.origin, "title": meeting.title, "decisions": decisions}
        if time.monotonic() > deadline:
            return {"missing": True}
        time.sleep(0.5)
