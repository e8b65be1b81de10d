"""The move of cross-border referrals from the federation app to the referrals app keeps the data:
a database migrated to the state before the move, with referrals, their timeline and their
outbox messages in it, comes out with the same rows under the new models, and the outbox rows
find their referral by topic. And back again."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("federation", "0001_initial"), ("referrals", "0001_initial")]


def _migrate(targets=None):
    """Migrate to ``targets`` (every app's latest when None); return the apps of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _old_rows(apps) -> dict:
    Peer = apps.get_model("federation", "Peer")
    Referral = apps.get_model("federation", "Referral")
    ReferralEvent = apps.get_model("federation", "ReferralEvent")
    OutboundMessage = apps.get_model("federation", "OutboundMessage")
    peer = Peer.objects.create(name="gabon", country="GA", url="http://127.0.0.1:9")
    uid = uuid.uuid4()
    referral = Referral.objects.create(
        uid=uid,
        direction="out",
        peer=peer,
        purpose="return",
        status="accepted",
        reason="Retour en famille à Kpalimé",
        shared_data='{"person": {"given_names": "Ama"}, "case": {}}',
        remote_case_ref="GA-2026-000042",
        legal_basis="consent",
    )
    ReferralEvent.objects.create(referral=referral, kind="status", status="sent", by_node="togo")
    ReferralEvent.objects.create(
        referral=referral, kind="note", text="Mère retrouvée", by_node="gabon"
    )
    for type in ("referral.create", "referral.status"):
        OutboundMessage.objects.create(peer=peer, type=type, payload="{}", referral=referral)
    OutboundMessage.objects.create(peer=peer, type="federation.keys", payload="{}")
    return {"uid": uid, "pk": referral.pk}


def test_referral_rows_survive_the_move_and_the_outbox_gets_topics():
    try:
        made = _old_rows(_migrate(BEFORE))
        apps = _migrate()
        Referral = apps.get_model("referrals", "CrossBorderReferral")
        OutboundMessage = apps.get_model("federation", "OutboundMessage")
        referral = Referral.objects.get()
        assert (referral.pk, referral.uid, referral.status) == (made["pk"], made["uid"], "accepted")
        assert referral.reason == "Retour en famille à Kpalimé"  # still decrypts
        assert referral.peer.name == "gabon" and referral.remote_case_ref == "GA-2026-000042"
        assert [(e.kind, e.text) for e in referral.events.order_by("id")] == [
            ("status", ""),
            ("note", "Mère retrouvée"),
        ]
        topics = dict(OutboundMessage.objects.values_list("type", "topic"))
        assert topics == {
            "referral.create": f"referral:{made['uid']}",
            "referral.status": f"referral:{made['uid']}",
            "federation.keys": "",
        }
        from corridor.referrals.models import CrossBorderReferral

        assert CrossBorderReferral.objects.get().topic == f"referral:{made['uid']}"

        old = _migrate(BEFORE)  # and back: the outbox points at its referral again
        messages = old.get_model("federation", "OutboundMessage").objects
        assert messages.filter(referral_id=made["pk"]).count() == 2
        assert old.get_model("federation", "ReferralEvent").objects.count() == 2
    finally:
        _migrate()
