"""The demo's intelligence: an invented cross-border network, obviously synthetic.

Recruiters in Togo's Plateaux region, transporters along Lomé–Cotonou–Lagos–Libreville,
exploiters in Libreville's markets, their phones, wallets and vehicles, a few brokers across the
border, and 18 months of calls, payments, recruitments, transports and exploitation. Every name
carries FICTIF, DEMO or EXEMPLE; every victim is a case reference. Deterministic and idempotent:
a second run finds the demo report and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.intel import keys, services
from corridor.intel.models import Entity, EntityKind, EventKind, LinkKind, Report

DEMO_REPORT = "DEMO – réseau synthétique du corridor"
SOURCE = "DEMO – données fictives"
START = dt.datetime(2025, 1, 6, 8, 0)
MONTHS = 18

# name, country, role, home place, phone (national format of its country)
PEOPLE = [
    ("r1", "Kossi FICTIF", "TG", "RecruiterOrIntermediary", "Kpalimé", "90 01 10 11"),
    ("r2", "Afi EXEMPLE", "TG", "RecruiterOrIntermediary", "Atakpamé", "90 01 10 12"),
    ("r3", "Komlan DEMO", "TG", "RecruiterOrIntermediary", "Badou", "91 01 10 13"),
    ("r4", "Ama FICTIVE", "TG", "RecruiterOrIntermediary", "Notsè", "92 01 10 14"),
    ("t1", "Yao DEMO-TRANSPORT", "TG", "Transporter", "Lomé", "93 01 10 21"),
    ("t2", "Codjo EXEMPLE", "BJ", "Transporter", "Cotonou", "0197011022"),
    ("t3", "Emeka FICTIF", "NG", "Transporter", "Lagos", "8030110230"),
    ("t4", "Ondo DEMO-PIROGUE", "GA", "Transporter", "Owendo", "062 01 10 24"),
    ("b1", "Edem FICTIF-COURTIER", "TG", "BrokerTravelAgent", "Lomé", "99 01 10 31"),
    ("b2", "Moussavou DEMO-COURTIER", "GA", "BrokerTravelAgent", "Libreville", "077 01 10 32"),
    ("x1", "Mme Nzé FICTIVE", "GA", "Exploiter", "Mont-Bouët", "066 01 10 41"),
    ("x2", "Obame EXEMPLE", "GA", "Exploiter", "Mont-Bouët", "074 01 10 42"),
    ("x3", "Ngoua DEMO", "GA", "Exploiter", "Nkembo", "065 01 10 43"),
    ("x4", "Mba FICTIF", "GA", "Exploiter", "Akébé", "062 01 10 44"),
    ("c1", "Sena FICTIF", "TG", "TravellingPartner", "Lomé", "70 01 10 51"),
    ("d1", "Kwasi FICTIF", "TG", "RecruiterOrIntermediary", "Kpalimé", "96 01 10 13"),
]
ORGANISATIONS = [
    ("o1", "Transports EXEMPLE SARL", "TG", "Lomé"),
    ("o2", "Boutique FICTIVE du marché", "GA", "Mont-Bouët"),
]
PLACES = [
    ("p1", "Maison de passage FICTIVE, Kpalimé", "TG"),
    ("p2", "Gare routière DEMO, Lomé", "TG"),
    ("p3", "Marché de Mont-Bouët (étal DEMO), Libreville", "GA"),
    ("p4", "Débarcadère FICTIF, Owendo", "GA"),
]
VEHICLES = [
    ("v1", "TG 4821 AB", "TG", "minibus", "t1"),
    ("v2", "AB 1234 RB", "BJ", "bus", "t2"),
    ("v3", "GA 0977 LB", "GA", "pirogue motorisée", "t4"),
    ("v4", "TG 482I AB", "TG", "minibus", "t1"),
]
DOCUMENTS = [
    ("doc1", "TGP0D1001", "TG", "passport", "b1"),
    ("doc2", "GAP0D2002", "GA", "passport", "b2"),
    ("doc3", "TGN1D3003", "TG", "national_id", "t1"),
]
WALLETS = ["r1", "r2", "r3", "r4", "b1", "b2", "x1", "x2", "x3", "x4"]
VICTIMS = [
    "TG-2025-0101",
    "TG-2025-0102",
    "TG-2025-0117",
    "TG-2025-0123",
    "TG-2026-0004",
    "TG-2026-0019",
]
BURNERS = [("q1", "98 01 10 91", "b1"), ("q2", "076 01 10 92", "b2")]

CALL_PAIRS = [
    ("r1", "b1", 14),
    ("r2", "b1", 10),
    ("r3", "b1", 9),
    ("r4", "b1", 7),
    ("d1", "r3", 3),
    ("b1", "t1", 12),
    ("t1", "t2", 8),
    ("t2", "t3", 7),
    ("t3", "t4", 6),
    ("t4", "b2", 8),
    ("q1", "q2", 11),
    ("b1", "b2", 6),
    ("b2", "x1", 10),
    ("b2", "x2", 8),
    ("b2", "x3", 6),
    ("b2", "x4", 5),
    ("x1", "x2", 4),
    ("r1", "r2", 3),
    ("c1", "t1", 4),
    ("c1", "b1", 2),
]
PAYMENT_PAIRS = [
    ("x1", "b2", 5, "XAF", 150000),
    ("x2", "b2", 4, "XAF", 120000),
    ("x3", "b2", 3, "XAF", 90000),
    ("x4", "b2", 2, "XAF", 80000),
    ("b2", "b1", 6, "XAF", 300000),
    ("b1", "r1", 4, "XOF", 45000),
    ("b1", "r2", 3, "XOF", 40000),
    ("b1", "r3", 3, "XOF", 35000),
    ("b1", "r4", 2, "XOF", 30000),
]


def _moment(rng: random.Random, month: int) -> dt.datetime:
    day = START + dt.timedelta(days=30 * month + rng.randint(0, 27), minutes=rng.randint(0, 600))
    return timezone.make_aware(day)


@transaction.atomic
def seed_intel() -> dict[str, int]:
    if Report.objects.filter(title=DEMO_REPORT).exists():
        return {gettext_noop("entities"): 0, gettext_noop("links"): 0, gettext_noop("events"): 0}
    rng = random.Random(2026)
    report = services.report_create(
        actor=None,
        title=DEMO_REPORT,
        received_on=dt.date(2026, 6, 30),
        source=SOURCE,
        reliability="B",
        credibility="2",
        narrative="Synthetic network for demonstration and tests. Nothing here is real.",
    )
    common = {"source": SOURCE, "report": report}
    counts = {"entities": 0, "links": 0, "events": 0}
    ids: dict[str, Entity] = {}

    def entity(ref, **values):
        grading = {"reliability": rng.choice("ABBC"), "credibility": rng.choice("1223")}
        ids[ref] = services.entity_create(actor=None, **grading, **values, **common)
        counts["entities"] += 1
        return ids[ref]

    def link(kind, a, b, **values):
        services.link_create(
            actor=None, kind=kind, source_entity=ids[a], target_entity=ids[b], **values, **common
        )
        counts["links"] += 1

    def event(kind, at, parties, **values):
        services.event_create(
            actor=None,
            kind=kind,
            at=at,
            participants=[(ids[ref], role) for ref, role in parties],
            reliability="B",
            credibility="2",
            **values,
            **common,
        )
        counts["events"] += 1

    for ref, name, country, role, place, phone in PEOPLE:
        entity(
            ref,
            kind=EntityKind.PERSON,
            name=name,
            country=country,
            roles=[role],
            details={"place": place},
        )
        region = {"TG": "TG", "GA": "GA", "BJ": "BJ", "NG": "NG"}[country]
        number = keys.phone_e164(phone, region=region)
        entity(f"ph-{ref}", kind=EntityKind.PHONE, name=number)
        link(LinkKind.USES, ref, f"ph-{ref}")
    for ref, phone, owner in BURNERS:
        region = "TG" if owner == "b1" else "GA"
        entity(f"ph-{ref}", kind=EntityKind.PHONE, name=keys.phone_e164(phone, region=region))
        link(LinkKind.USES, owner, f"ph-{ref}", description="téléphone jetable (DEMO)")
    for ref, name, country, place in ORGANISATIONS:
        entity(
            ref, kind=EntityKind.ORGANISATION, name=name, country=country, details={"place": place}
        )
    for ref, full, country in PLACES:
        entity(ref, kind=EntityKind.ADDRESS, name=full, country=country)
    for ref, plate, country, vtype, owner in VEHICLES:
        entity(ref, kind=EntityKind.VEHICLE, name=plate, country=country, details={"type": vtype})
        link(LinkKind.OWNERSHIP, owner, ref)
    for ref, number, country, dtype, holder in DOCUMENTS:
        entity(
            ref,
            kind=EntityKind.DOCUMENT,
            name=number,
            country=country,
            details={"document_type": dtype, "suspected_forgery": True},
        )
        link(LinkKind.HOLDER, holder, ref)
    for owner in WALLETS:
        phone = ids[f"ph-{owner}"].key
        operator = "T-Money DEMO" if phone.startswith("+228") else "Airtel Money DEMO"
        entity(
            f"w-{owner}",
            kind=EntityKind.ACCOUNT,
            name=phone,
            country=ids[owner].country,
            details={"account_type": "mobile_money", "operator": operator},
        )
        link(LinkKind.OWNERSHIP, owner, f"w-{owner}")
        link(LinkKind.USES, f"w-{owner}", f"ph-{owner}")
    for number, ref in enumerate(VICTIMS):
        entity(f"cr{number}", kind=EntityKind.CASE_REF, name=ref)

    link(LinkKind.EMPLOYMENT, "o1", "t1", start=dt.date(2024, 6, 1))
    link(LinkKind.EMPLOYMENT, "o2", "x1", start=dt.date(2024, 9, 1))
    link(LinkKind.FAMILY, "r1", "x1", description="cousins (DEMO)")
    link(LinkKind.ASSOCIATE, "b1", "b2", start=dt.date(2024, 11, 1))
    link(LinkKind.REPRESENTATION, "b2", "x2")
    link(LinkKind.REPRESENTATION, "b1", "t2")
    link(LinkKind.LOCATED, "r1", "p1")
    link(LinkKind.LOCATED, "t1", "p2")
    link(LinkKind.LOCATED, "x1", "p3")
    link(LinkKind.LOCATED, "o2", "p3")
    link(LinkKind.LOCATED, "t4", "p4")

    for a, b, count in CALL_PAIRS:
        for _n in range(count):
            event(
                EventKind.CALL,
                _moment(rng, rng.randrange(MONTHS)),
                [(f"ph-{a}", "caller"), (f"ph-{b}", "callee")],
                duration_seconds=rng.randint(20, 600),
                place=ids[a].details.get("place", "") if a in ids else "",
            )
    for a, b, count, currency, amount in PAYMENT_PAIRS:
        for _n in range(count):
            event(
                EventKind.PAYMENT,
                _moment(rng, rng.randrange(MONTHS)),
                [(f"w-{a}", "sender"), (f"w-{b}", "receiver")],
                amount=Decimal(amount + 5000 * rng.randint(0, 6)),
                currency=currency,
            )
    recruiters = ["r1", "r2", "r3", "r4", "r1", "r3"]
    exploiters = ["x1", "x2", "x3", "x4", "x1", "x2"]
    for number in range(len(VICTIMS)):
        month = 2 + number * 2
        place = ids[recruiters[number]].details["place"]
        event(
            EventKind.RECRUITMENT,
            _moment(rng, month),
            [(recruiters[number], "recruiter"), (f"cr{number}", "victim")],
            place=place,
        )
        event(
            EventKind.TRANSPORT,
            _moment(rng, month + 1),
            [
                ("t1", "transporter"),
                ("v1" if number % 2 else "v2", "vehicle"),
                (f"cr{number}", "victim"),
            ],
            place="Lomé → Cotonou",
        )
        event(
            EventKind.TRIP,
            _moment(rng, month + 1),
            [("t3", "transporter"), ("t4", "transporter"), (f"cr{number}", "victim")],
            place="Lagos → Libreville",
        )
        event(
            EventKind.EXPLOITATION,
            _moment(rng, min(month + 2, MONTHS - 1)),
            [(exploiters[number], "exploiter"), (f"cr{number}", "victim")],
            place="Marché de Mont-Bouët",
        )
    return counts
