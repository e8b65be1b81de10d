"""The cross-border referral workflow on one node, with the other node played by ``RemoteNode``; and every
page against the permission matrix."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.cases.models import Case
from corridor.cases.services import case_open, consent_record, consent_withdraw
from corridor.federation.inbox import inbox_accept
from corridor.federation.models import OutboundMessage
from corridor.federation.outbox import message_delivered, message_seal
from corridor.people.models import Person
from corridor.people.services import person_create
from corridor.referrals import cross_border as services
from corridor.referrals.forms import CrossBorderDecideForm
from corridor.referrals.models import CrossBorderReferral as Referral
from corridor.referrals.models import CrossBorderReferralEvent as ReferralEvent
from corridor.referrals.models import CrossBorderStatus as ReferralStatus
from tests.factories import make_agency, make_user
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def _case(actor, *, consent=True):
    person = person_create(
        actor=actor,
        given_names="Ama",
        family_name="DEMO-KOSSI",
        gender="Feminine",
        estimated_age=15,
        citizenships=["TG"],
        place_of_origin="Kpalimé",
        notes="secret note that must never leave",
        phones=["+22890112233"],
    )
    case = case_open(actor=actor, person=person, narrative="narrative that must never leave")
    if consent:
        consent_record(
            actor=actor, case=case, purpose="cross_border", legal_ground="child_protection_order"
        )
    return case


def _incoming(remote, own_keys, client_or_none=None, **overrides):
    body = {
        "referral": str(uuid.uuid4()),
        "purpose": "return",
        "reason": "Return to family in Kpalimé",
        "case_ref": "GA-2026-000042",
        "legal_basis": "consent",
        "referring_agency": "DGAS",
        "by": "Nadège DEMO-MBOUMBA",
        "person": {
            "given_names": "Kossi",
            "family_name": "DEMO-AGBO",
            "gender": "Masculine",
            "estimated_age": 13,
            "age_estimated_on": "2026-01-10",
            "citizenships": ["TG"],
            "place_of_origin": "Kpalimé",
            "other_names": ["Cossi"],
        },
        "case": {"is_child": True, "identified_on": "2026-01-10", "vulnerabilities": []},
        **overrides,
    }
    token = remote.seal(remote.envelope("referral.create", body), recipient_jwk=own_keys["enc"])
    return body, token


def test_referral_requires_cross_border_consent(people, remote):
    case = _case(people[Role.CASEWORKER], consent=False)
    with pytest.raises(ValidationError, match="consent"):
        services.referral_send(
            actor=people[Role.CASEWORKER], case=case, peer=remote.peer, purpose="return", reason="x"
        )
    assert not Referral.objects.exists() and not OutboundMessage.objects.exists()


def test_only_the_purpose_fields_leave_the_node(people, remote, own_keys):
    worker = people[Role.CASEWORKER]
    case = _case(worker)
    referral = services.referral_send(
        actor=worker, case=case, peer=remote.peer, purpose="family_tracing", reason="Trace family"
    )
    message = OutboundMessage.objects.get(type="referral.create")
    opened = remote.open(message_seal(message), own_keys["sig"])
    body = opened["body"]
    assert opened["to"] == "gabon" and opened["from"] == "togo" and opened["v"] == 1
    assert set(body["person"]) <= {
        "given_names",
        "family_name",
        "gender",
        "estimated_age",
        "age_estimated_on",
        "place_of_origin",
    }
    assert set(body["case"]) == {"is_child"}
    text = json.dumps(opened)
    assert "never leave" not in text and "22890112233" not in text
    assert (
        referral.status == ReferralStatus.SENT and referral.legal_basis == "child_protection_order"
    )
    with pytest.raises(ValidationError, match="open referral"):
        services.referral_send(
            actor=worker, case=case, peer=remote.peer, purpose="return", reason="again"
        )


def test_receipt_moves_sent_to_received_and_peer_status_is_tracked(people, remote, own_keys):
    worker = people[Role.CASEWORKER]
    referral = services.referral_send(
        actor=worker, case=_case(worker), peer=remote.peer, purpose="return", reason="Return"
    )
    message = OutboundMessage.objects.get(type="referral.create")
    from joserfc import jws

    receipt = jws.serialize_compact(
        {"alg": "ES256", "kid": remote.sign.thumbprint()},
        json.dumps(
            {
                "receipt_for": str(message.message_id),
                "from": "gabon",
                "to": "togo",
                "result": "applied",
                "iat": 0,
            }
        ).encode(),
        remote.sign,
    )
    assert message_delivered(message=message, receipt=receipt, via="http")
    assert not message_delivered(message=message, receipt=receipt, via="http")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    status = remote.envelope(
        "referral.status",
        {"referral": str(referral.uid), "status": "accepted", "by": "Sylvie", "case_ref": "GA-1"},
    )
    inbox_accept(token=remote.seal(status, recipient_jwk=own_keys["enc"]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.remote_case_ref == "GA-1"
    assert [e.status for e in referral.events.filter(kind="status")] == [
        "sent",
        "received",
        "accepted",
    ]


def _peer_status(remote, own_keys, referral, status: str):
    envelope = remote.envelope(
        "referral.status", {"referral": str(referral.uid), "status": status, "by": "Sylvie"}
    )
    return inbox_accept(token=remote.seal(envelope, recipient_jwk=own_keys["enc"]))


def _sent(people, remote) -> Referral:
    worker = people[Role.CASEWORKER]
    return services.referral_send(
        actor=worker, case=_case(worker), peer=remote.peer, purpose="return", reason="Return"
    )


def test_peer_word_before_the_receipt_implies_received(people, remote, own_keys):
    referral = _sent(people, remote)
    _peer_status(remote, own_keys, referral, "accepted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert [e.status for e in referral.events.filter(kind="status")] == [
        "sent",
        "received",
        "accepted",
    ]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["accepted", "closed"], "in_progress"),  # a closed referral is never moved back
        (["declined"], "accepted"),  # nor a declined one
        (["accepted"], "returned"),  # nor a move the flow table does not have
        (["accepted"], "sent"),  # nor sent back
    ],
)
def test_peer_status_is_checked_against_the_flow_table(people, remote, own_keys, path, refused):
    from corridor.audit.models import Action, AuditEntry
    from corridor.federation.envelope import Rejected

    referral = _sent(people, remote)
    for status in path:
        _peer_status(remote, own_keys, referral, status)
    referral.refresh_from_db()
    events = referral.events.count()
    rejects = AuditEntry.objects.filter(action=Action.REJECT).count()
    with pytest.raises(Rejected, match="cannot move this referral") as info:
        _peer_status(remote, own_keys, referral, refused)
    assert info.value.code == "invalid"
    referral.refresh_from_db()
    assert referral.status == path[-1] and referral.events.count() == events
    assert AuditEntry.objects.filter(action=Action.REJECT).count() == rejects + 1


def test_only_the_receiving_node_decides(people, remote, own_keys):
    from corridor.federation.envelope import Rejected

    _body, token = _incoming(remote, own_keys)
    inbox_accept(token=token)
    referral = Referral.objects.get()
    with pytest.raises(Rejected, match="cannot move"):
        _peer_status(remote, own_keys, referral, "accepted")  # the sender cannot accept for us
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED


def test_the_same_move_made_on_both_nodes_at_once_is_kept_once(
    people, remote, own_keys, home_agency
):
    referral = _sent(people, remote)
    _peer_status(remote, own_keys, referral, "accepted")
    services.referral_set_status(
        actor=people[Role.CASEWORKER], referral=referral, status="in_progress"
    )
    _peer_status(remote, own_keys, referral, "in_progress")  # crossed in the network
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS
    assert [e.by_node for e in referral.events.filter(status="in_progress")] == ["togo", "gabon"]


def test_incoming_referral_accept_opens_own_person_and_case(people, remote, own_keys, home_agency):
    body, token = _incoming(remote, own_keys)
    assert inbox_accept(token=token)[0] == "applied"
    assert inbox_accept(token=token)[0] == "duplicate"
    referral = Referral.objects.get()
    assert referral.direction == "in" and referral.status == ReferralStatus.RECEIVED
    coordinator = people[Role.COORDINATOR]
    with pytest.raises(PermissionDenied):
        services.referral_decide(
            actor=people[Role.CASEWORKER],
            referral=referral,
            decision="accepted",
            agency=home_agency,
        )
    with pytest.raises(ValidationError):
        services.referral_decide(actor=coordinator, referral=referral, decision="accepted")
    border_post = make_agency(name="PF Sanvée-Condji (no caseworker)")
    make_user(Role.BORDER_OFFICER, agency=border_post, username="tg.post")
    with pytest.raises(ValidationError, match="caseworkers"):  # nobody there to take the case
        services.referral_decide(
            actor=coordinator, referral=referral, decision="accepted", agency=border_post
        )
    assert Case.objects.count() == 0 and not referral.events.filter(status="accepted").exists()
    choices = CrossBorderDecideForm().fields["agency"].queryset
    assert home_agency in choices and border_post not in choices
    services.referral_decide(
        actor=coordinator, referral=referral, decision="accepted", agency=home_agency, comment="ok"
    )
    referral.refresh_from_db()
    case = referral.case
    assert case.cross_border and case.agency == home_agency and case.is_child
    assert case.person.family_name == "DEMO-AGBO"
    assert list(case.person.other_names.values_list("name", flat=True)) == ["Cossi"]
    assert Person.objects.count() == 1 and Case.objects.count() == 1
    sent = OutboundMessage.objects.get(type="referral.status")
    opened = remote.open(message_seal(sent), own_keys["sig"])
    assert opened["body"]["status"] == "accepted" and opened["body"]["case_ref"] == case.ref
    services.referral_set_status(actor=coordinator, referral=referral, status="in_progress")
    services.referral_add_update(
        actor=coordinator, referral=referral, kind="family_traced", text="Mother found in Kpalimé"
    )
    with pytest.raises(ValidationError):
        services.referral_set_status(actor=coordinator, referral=referral, status="returned")
    assert OutboundMessage.objects.count() == 3


def test_the_peers_dates_are_checked_in_its_own_calendar(
    people, remote, own_keys, home_agency, settings
):
    """A child the peer registered "today" in its calendar may be dated a day this node has not
    reached: the acceptance opens her case. A day beyond the peer's own today is still refused.
    (Here this node runs at UTC-12 and the peer at UTC+14, so the peer is always ahead.)"""
    settings.TIME_ZONE = "Etc/GMT+12"
    settings.COUNTRY_TIME_ZONES = {**settings.COUNTRY_TIME_ZONES, remote.peer.country: "Etc/GMT-14"}
    peers_today = timezone.localdate(timezone=services.peer_time_zone(remote.peer))
    assert peers_today > timezone.localdate()
    coordinator = people[Role.COORDINATOR]
    for day, accepted in ((peers_today + timedelta(days=1), False), (peers_today, True)):
        person = {**_incoming(remote, own_keys)[0]["person"], "age_estimated_on": day.isoformat()}
        _body, token = _incoming(remote, own_keys, person=person)
        assert inbox_accept(token=token)[0] == "applied"
        referral = Referral.objects.get(uid=_body["referral"])
        if accepted:
            services.referral_decide(
                actor=coordinator, referral=referral, decision="accepted", agency=home_agency
            )
            referral.refresh_from_db()
            assert referral.case.person.age_estimated_on == peers_today
        else:
            with pytest.raises(ValidationError, match="future"):
                services.referral_decide(
                    actor=coordinator, referral=referral, decision="accepted", agency=home_agency
                )
    assert Person.objects.count() == 1


def test_schema_and_minimal_set_are_enforced_on_receipt(remote, own_keys):
    from corridor.federation.envelope import Rejected

    _body, token = _incoming(remote, own_keys, person={"given_names": "A", "notes": "secret"})
    with pytest.raises(Rejected) as info:
        inbox_accept(token=token)
    assert info.value.code == "invalid"
    _body, token = _incoming(
        remote, own_keys, purpose="family_tracing", case={"is_child": True, "stage": "return"}
    )
    with pytest.raises(Rejected, match="minimal set"):
        inbox_accept(token=token)
    assert not Referral.objects.exists()


def test_withdrawn_consent_stops_sharing_and_is_propagated(people, remote, own_keys):
    worker = people[Role.CASEWORKER]
    case = _case(worker)
    referral = services.referral_send(
        actor=worker, case=case, peer=remote.peer, purpose="return", reason="Return"
    )
    services.referral_add_update(actor=worker, referral=referral, kind="note", text="pending")
    consent_withdraw(actor=worker, consent=case.consents.get(purpose="cross_border"))
    referral.refresh_from_db()
    assert referral.sharing_stopped
    states = dict(OutboundMessage.objects.values_list("type", "state"))
    assert states["referral.create"] == "cancelled" and states["referral.update"] == "cancelled"
    assert states["referral.consent_withdrawn"] == "pending"
    with pytest.raises(ValidationError, match="withdrawn"):
        services.referral_add_update(actor=worker, referral=referral, kind="note", text="more")
    assert referral.events.filter(kind=ReferralEvent.Kind.CONSENT_WITHDRAWN).count() == 1


def test_withdrawal_received_from_peer_stops_sharing_here(people, remote, own_keys, home_agency):
    _body, token = _incoming(remote, own_keys)
    inbox_accept(token=token)
    referral = Referral.objects.get()
    withdrawn = remote.envelope("referral.consent_withdrawn", {"referral": str(referral.uid)})
    inbox_accept(token=remote.seal(withdrawn, recipient_jwk=own_keys["enc"]))
    with pytest.raises(ValidationError, match="withdrawn"):
        services.referral_decide(
            actor=people[Role.COORDINATOR],
            referral=referral,
            decision="accepted",
            agency=home_agency,
        )


CASE_TEAM = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR}


def test_permission_matrix(people, remote, own_keys):
    case = _case(people[Role.CASEWORKER])
    assert check_matrix("/referrals/cross-border/", people, CASE_TEAM) == []
    # the refer form: the case's team; in another agency only the national coordinator
    assert check_matrix(f"/referrals/cross-border/refer/{case.pk}/", people, CASE_TEAM) == [
        f"other.caseworker GET /referrals/cross-border/refer/{case.pk}/ -> 404 (allowed=True)",
        f"other.supervisor GET /referrals/cross-border/refer/{case.pk}/ -> 404 (allowed=True)",
    ]
    _body, token = _incoming(remote, own_keys)
    inbox_accept(token=token)
    incoming = Referral.objects.get(direction="in")
    assert check_matrix(f"/referrals/cross-border/{incoming.pk}/", people, {Role.COORDINATOR}) == []
    outgoing = services.referral_send(
        actor=people[Role.CASEWORKER], case=case, peer=remote.peer, purpose="return", reason="R"
    )
    assert check_matrix(f"/referrals/cross-border/{outgoing.pk}/", people, CASE_TEAM) == [
        f"other.caseworker GET /referrals/cross-border/{outgoing.pk}/ -> 404 (allowed=True)",
        f"other.supervisor GET /referrals/cross-border/{outgoing.pk}/ -> 404 (allowed=True)",
    ]


def test_pages_refer_and_decide(people, remote, own_keys, as_user, home_agency):
    worker = people[Role.CASEWORKER]
    case = _case(worker)
    client = as_user(worker)
    page = client.get(f"/referrals/cross-border/refer/{case.pk}/")
    assert page.status_code == 200 and b"child_protection_order" in page.content
    response = client.post(
        f"/referrals/cross-border/refer/{case.pk}/",
        {"peer": remote.peer.pk, "purpose": "return", "reason": "Return to Kpalimé"},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{referral.pk}/")
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and b'id="shared-status"' in detail.content
    _body, token = _incoming(remote, own_keys)
    inbox_accept(token=token)
    incoming = Referral.objects.get(direction="in")
    boss = as_user(people[Role.COORDINATOR])
    assert b"GA-2026-000042" in boss.get("/referrals/cross-border/").content
    bad = boss.post(f"/referrals/cross-border/{incoming.pk}/do/decide/", {"decision": "accepted"})
    assert bad.status_code == 302
    incoming.refresh_from_db()
    assert incoming.status == ReferralStatus.RECEIVED
    boss.post(
        f"/referrals/cross-border/{incoming.pk}/do/decide/",
        {"decision": "accepted", "agency": home_agency.pk, "comment": ""},
    )
    incoming.refresh_from_db()
    assert incoming.status == ReferralStatus.ACCEPTED and incoming.case.cross_border


def test_the_case_page_shows_the_referral_on_both_sides(people, remote, own_keys, as_user):
    """Issue 17, item 2: the receiving case links back to the referral, with its status and its
    updates, in the referrals panel and in the timeline; the sending case likewise."""
    body, token = _incoming(remote, own_keys)
    inbox_accept(token=token)
    referral = Referral.objects.get()
    coordinator = people[Role.COORDINATOR]
    services.referral_decide(
        actor=coordinator, referral=referral, decision="accepted", agency=coordinator.agency
    )
    services.referral_add_update(
        actor=coordinator, referral=referral, kind="family_traced", text="Mère retrouvée"
    )
    referral.refresh_from_db()
    page = as_user(coordinator).get(f"/cases/{referral.case.pk}/").content.decode()
    panel = page[page.index('id="referrals"') :]
    assert f"/referrals/cross-border/{referral.pk}/" in panel
    assert "Reçu du" in panel and "Accepté" in panel and "Famille retrouvée" in panel
    timeline = page[page.index('id="timeline"') : page.index('id="referrals"')]
    assert "Famille retrouvée" in timeline

    sent = _sent(people, remote)
    page = as_user(people[Role.CASEWORKER]).get(f"/cases/{sent.case.pk}/").content.decode()
    assert "Référé au" in page[page.index('id="referrals"') :]
    assert "Aucun référencement" not in page
