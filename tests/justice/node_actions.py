"""Actions run inside a node process by the two-node cross-border request test (through
``node.cli("shell", ...)``, as ``tests/federation/node_actions``); each returns JSON-able data.
Waits poll the node's own database."""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.accounts.models import User
from tests.factories import make_agency, make_user
from tests.federation.node_actions import setup_users

CITY = {"TG": "Lomé", "GA": "Libreville"}


def setup_justice(*, country: str) -> dict:
    """The node's test users, plus a prosecutors' office in the capital's court area with two
    prosecutors and a judicial police officer; on Togo a criminal case with one accused."""
    setup_users(country=country)
    cc = country.lower()
    if User.objects.filter(username=f"{cc}.prosecutor").exists():
        return {"created": 0}
    office = make_agency(country=country, name=f"Parquet {CITY[country]}")
    office.city = CITY[country]
    office.save(update_fields=["city"])
    make_user("prosecutor", agency=office, username=f"{cc}.prosecutor")
    make_user("prosecutor", agency=office, username=f"{cc}.prosecutor2")
    make_user("judicial_police", agency=office, username=f"{cc}.police")
    found = {"created": 3}
    if country == "TG":
        from corridor.justice import services

        police = User.objects.get(username="tg.police")
        case = services.criminal_case_open(
            actor=police, title="Filière Lomé-Libreville", jurisdiction="tg_lome"
        )
        services.accused_add(
            actor=police,
            criminal_case=case,
            name="Kodjo DEMO-SEWA",
            complaint_on=timezone.localdate() - timedelta(days=10),
            offences=["tip_adult"],
            sex="M",
            citizenship="TG",
        )
        found["case"] = case.pk
    return found


def mla_send(*, subject: str) -> dict:
    """Drafted by the judicial police officer; their own approval is refused; a prosecutor, the
    second person, approves and the request leaves."""
    from corridor.federation.models import Peer
    from corridor.justice import mla
    from corridor.justice.models import CriminalCase

    police = User.objects.get(username="tg.police")
    request = mla.mla_draft(
        actor=police,
        criminal_case=CriminalCase.objects.get(),
        peer=Peer.objects.get(),
        kind="suspect_info",
        subject=subject,
        deadline=timezone.localdate() + timedelta(days=20),
        jurisdiction="ga_libreville",
        suspect_name="Kodjo DEMO-SEWA",
        suspect_identifiers="+241 06 00 00 99",
    )
    try:
        mla.mla_approve(actor=police, request=request)
        self_approval = ""
    except ValidationError as error:
        self_approval = " ".join(error.messages)
    try:
        mla.mla_draft(
            actor=police,
            criminal_case=request.criminal_case,
            peer=request.peer,
            kind="mla",
            subject="x",
            deadline=date(2020, 1, 1),
        )
        past = ""
    except ValidationError as error:
        past = " ".join(error.messages)
    mla.mla_approve(actor=User.objects.get(username="tg.prosecutor"), request=request)
    return {"uid": str(request.uid), "self_approval": self_approval, "past_deadline": past}


def mla_state(*, uid: str) -> dict:
    from corridor.audit.models import AuditEntry
    from corridor.federation.models import InboundMessage, OutboundMessage
    from corridor.justice.models import MlaRequest
    from corridor.justice.selectors import visible_mla_requests

    request = MlaRequest.objects.filter(uid=uid).first()
    if request is None:
        return {"exists": False}
    readers = [
        u.username
        for u in User.objects.order_by("username")
        if visible_mla_requests(u).filter(pk=request.pk).exists()
    ]
    return {
        "exists": True,
        "status": request.status,
        "direction": request.direction,
        "suspect_identifiers": request.suspect_identifiers,
        "events": [e.kind for e in request.events.all()],
        "texts": [e.text for e in request.events.all()],
        "audit": sorted(
            AuditEntry.objects.filter(
                object_type="justice.mlarequest", object_id=str(request.pk)
            ).values_list("action", flat=True)
        ),
        "readers": readers,
        "outbound": sorted(
            OutboundMessage.objects.filter(topic=request.topic).values_list("type", flat=True)
        ),
        "inbound": InboundMessage.objects.filter(type__startswith="justice.").count(),
    }


def wait_status(*, uid: str, status: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = mla_state(uid=uid)
        if state.get("status") == status or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def mla_answer(*, uid: str, username: str, text: str, complete: bool) -> dict:
    from corridor.justice import mla
    from corridor.justice.models import MlaRequest

    try:
        request = mla.mla_answer(
            actor=User.objects.get(username=username),
            request=MlaRequest.objects.get(uid=uid),
            text=text,
            complete=complete,
        )
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        return {"refused": " ".join(messages)}
    return {"status": request.status}


def mla_withdraw(*, uid: str) -> dict:
    from corridor.justice import mla
    from corridor.justice.models import MlaRequest

    request = mla.mla_withdraw(
        actor=User.objects.get(username="tg.prosecutor2"),
        request=MlaRequest.objects.get(uid=uid),
        reason="Suspect arrêté au Togo.",
    )
    return {"status": request.status}
