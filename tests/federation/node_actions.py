"""Actions run inside a node process by the two-node tests (``NodeProcess.call``); each returns
JSON-able data. Waits poll the node's own database, so a test never sleeps blindly."""

from __future__ import annotations

import time

from corridor.accounts.models import Agency, User
from tests.factories import make_agency, make_agreement, make_user

NAMES = {"TG": "CNLTP", "GA": "DGAS"}


def setup_users(*, country: str) -> dict:
    if User.objects.filter(username=f"{country.lower()}.coordinator").exists():
        return {"created": 0}
    agency = make_agency(country=country, name=f"{NAMES[country]} test agency")
    make_agreement(peer="gabon" if country == "TG" else "togo")
    make_user("caseworker", agency=agency, username=f"{country.lower()}.caseworker")
    make_user("coordinator", agency=agency, username=f"{country.lower()}.coordinator")
    return {"created": 2, "agency": agency.pk}


def prepare(*, country: str, url: str, identity: str) -> dict:
    """The test users and agreement, then the node's identity file for its peer."""
    from django.core.management import call_command

    created = setup_users(country=country)
    call_command("federation", "identity", "--url", url, "--out", identity)
    return created


def add_peer(*, identity: str) -> dict:
    from django.core.management import call_command

    call_command("federation", "add-peer", identity)
    return {"added": identity}


def make_referral(*, country: str, given_names: str = "Ama", purpose: str = "return") -> dict:
    from corridor.cases.services import case_open, consent_record
    from corridor.federation.models import Peer
    from corridor.people.services import person_create
    from corridor.referrals.cross_border import referral_send

    worker = User.objects.get(username=f"{country.lower()}.caseworker")
    person = person_create(
        actor=worker,
        given_names=given_names,
        family_name="DEMO-KOUASSI",
        gender="Feminine",
        estimated_age=14,
        citizenships=["TG"],
        place_of_origin="Kpalimé",
    )
    case = case_open(actor=worker, person=person, narrative="stays on this node")
    consent_record(actor=worker, case=case, purpose="cross_border", legal_ground="vital_interest")
    referral = referral_send(
        actor=worker, case=case, peer=Peer.objects.get(), purpose=purpose, reason="Return home"
    )
    return {"uid": str(referral.uid), "case": case.pk, "case_ref": case.ref}


def make_case(*, country: str) -> dict:
    from corridor.cases.services import case_open, consent_record
    from corridor.people.services import person_create

    worker = User.objects.get(username=f"{country.lower()}.caseworker")
    person = person_create(
        actor=worker,
        given_names="Afi",
        family_name="DEMO-MENSAH",
        gender="Feminine",
        estimated_age=12,
    )
    case = case_open(actor=worker, person=person)
    consent_record(actor=worker, case=case, purpose="cross_border", legal_ground="vital_interest")
    return {"case": case.pk, "case_ref": case.ref}


def referral_state(*, uid: str) -> dict:
    from corridor.federation.models import InboundMessage, OutboundMessage
    from corridor.referrals.models import CrossBorderReferral as Referral

    referral = Referral.objects.filter(uid=uid).first()
    if referral is None:
        return {"exists": False}
    return {
        "exists": True,
        "pk": referral.pk,
        "status": referral.status,
        "direction": referral.direction,
        "case_cross_border": bool(referral.case and referral.case.cross_border),
        "referrals": Referral.objects.filter(uid=uid).count(),
        "outbound": list(
            OutboundMessage.objects.filter(topic=referral.topic).values_list(
                "type", "state", "attempts"
            )
        ),
        "inbound": InboundMessage.objects.filter(
            message_id__in=referral.events.exclude(message_id=None).values("message_id")
        ).count(),
        "duplicates": sum(
            InboundMessage.objects.filter(
                message_id__in=referral.events.exclude(message_id=None).values("message_id")
            ).values_list("duplicates", flat=True)
        ),
        "events": list(referral.events.values_list("kind", "status")),
    }


def wait_for(*, uid: str, key: str, value, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = referral_state(uid=uid)
        current = state.get(key)
        if key == "outbound":
            current = [s for _t, s, _a in state.get("outbound", [])][:1]
            current = current[0] if current else None
        if current == value or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def wait_attempts(*, uid: str, attempts: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = referral_state(uid=uid)
        tries = max([a for _t, _s, a in state.get("outbound", [])] or [0])
        if tries >= attempts or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def accept(*, uid: str, country: str) -> dict:
    from corridor.referrals.cross_border import referral_decide
    from corridor.referrals.models import CrossBorderReferral as Referral

    coordinator = User.objects.get(username=f"{country.lower()}.coordinator")
    referral = referral_decide(
        actor=coordinator,
        referral=Referral.objects.get(uid=uid),
        decision="accepted",
        agency=Agency.objects.get(name=f"{NAMES[country]} test agency"),
    )
    return {"status": referral.status, "case": referral.case.ref}


def rejections() -> dict:
    from corridor.audit.models import Action, AuditEntry

    return {"rejects": AuditEntry.objects.filter(action=Action.REJECT).count()}


def wait_incoming(*, timeout: float = 60) -> dict:
    from corridor.referrals.models import CrossBorderReferral as Referral

    deadline = time.monotonic() + timeout
    while True:
        referral = Referral.objects.filter(direction="in").order_by("-id").first()
        if referral or time.monotonic() > deadline:
            return {"pk": referral.pk, "uid": str(referral.uid)} if referral else {}
        time.sleep(0.2)


# --- The child's case in depth: the return hand-over and the family assessment -----------------


def _referral_case(uid: str):
    from corridor.referrals.models import CrossBorderReferral as Referral

    return Referral.objects.get(uid=uid).case


def handover_sign(*, uid: str, country: str) -> dict:
    """The node where the child is signs the hand-over of the referred child's case."""
    from datetime import date

    from corridor.childcare.services import handover_sign as sign

    worker = User.objects.get(username=f"{country.lower()}.caseworker")
    handover = sign(
        actor=worker,
        case=_referral_case(uid),
        date=date.today(),
        place="Poste frontière de Kodjoviakopé",
        escort="Assistante sociale DEMO",
        receiving_agency="Direction régionale de l'action sociale (DEMO)",
        documents=["Laissez-passer", "Rapport social"],
    )
    return {"handover": str(handover.uid)}


def handover_state(*, uid: str, timeout: float = 60, countersigned: bool = False) -> dict:
    """This node's copy of hand-over ``uid`` (waiting for it, or for its countersignature)."""
    from corridor.childcare.models import HandOver

    deadline = time.monotonic() + timeout
    while True:
        copy = HandOver.objects.filter(uid=uid).first()
        ready = copy is not None and (copy.countersigned or not countersigned)
        if ready or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if copy is None:
        return {"exists": False}
    return {
        "exists": True,
        "side": copy.side,
        "case": copy.case.ref if copy.case else None,
        "place": copy.place,
        "documents": copy.documents,
        "handed_by": copy.handed_by,
        "received_by": copy.received_by,
        "countersigned": copy.countersigned,
        "copies": HandOver.objects.filter(uid=uid).count(),
    }


def handover_countersign(*, uid: str, country: str) -> dict:
    from corridor.childcare.models import HandOver
    from corridor.childcare.services import handover_countersign as countersign

    coordinator = User.objects.get(username=f"{country.lower()}.coordinator")
    done = countersign(actor=coordinator, handover=HandOver.objects.get(uid=uid))
    return {"received_by": done.received_by}


def family_assessment_share(*, uid: str, country: str) -> dict:
    """The area of origin assesses the family and shares the report with the other node."""
    from datetime import date

    from corridor.childcare import services

    coordinator = User.objects.get(username=f"{country.lower()}.coordinator")
    case = _referral_case(uid)
    assessment = services.family_assessment_record(
        actor=coordinator,
        case=case,
        assessed_on=date.today(),
        place="Kpalimé",
        assessor="Service social de Kpalimé (DEMO)",
        household="Mère et deux frères.",
        caregiver_name="Mère (DEMO)",
        caregiver_willing=True,
        caregiver_able=True,
        recommendation="return_with_support",
    )
    services.family_assessment_share(actor=coordinator, assessment=assessment)
    return {"assessment": str(assessment.uid)}


def family_assessment_state(*, uid: str, timeout: float = 60) -> dict:
    from corridor.childcare.models import FamilyAssessment

    deadline = time.monotonic() + timeout
    while True:
        copy = FamilyAssessment.objects.filter(uid=uid).first()
        if copy is not None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if copy is None:
        return {"exists": False}
    return {
        "exists": True,
        "source": copy.source,
        "received_from": copy.received_from,
        "recommendation": copy.recommendation,
        "case": copy.case.ref,
    }
