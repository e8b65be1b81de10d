"""Demo data for justice (idempotent): prosecutions against members of the demo network (the
intelligence seed's synthetic persons) in both countries, at every stage from complaint to
appeal, with assets frozen and confiscated, victims linked on a legal ground, hearings with
victim-witness support; and one request for mutual legal assistance from Togo to Gabon, answered.

The nodes are seeded apart, before they are federated: each seeds its own side of the request
(same identifier, Togo's outgoing record and Gabon's incoming one), as the messages would have
left them. Everything goes through the services, so the chain's checks and the audit hold."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role, User
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_about
from corridor.justice import services
from corridor.justice.mla import add_event
from corridor.justice.models import CriminalCase, MlaEvent, MlaRequest, MlaStatus

TITLE = {
    "TG": "DEMO – Réseau FICTIF Kpalimé–Libreville (recrutement et transport)",
    "GA": "DEMO – Exploitation FICTIVE au marché de Mont-Bouët",
}
JURISDICTION = {"TG": "tg_lome", "GA": "ga_libreville"}
MLA_UID = uuid.uuid5(uuid.NAMESPACE_URL, "corridor-demo/justice/mla/1")

# name (from intel.demo.PEOPLE), sex, citizenship, offences, exploitation, steps. A step is
# (who: "opj" or "prosecutor", kind, days before today, extra values). Hearings may be ahead.
CHAINS = {
    "TG": [
        (
            "Kossi FICTIF",
            "M",
            "TG",
            ["tip_child", "document_fraud"],
            "Servitude",
            [
                ("opj", "arrest", 300, {}),
                ("opj", "custody", 300, {}),
                ("opj", "referral", 298, {}),
                ("prosecutor", "investigation", 290, {}),
                ("prosecutor", "indictment", 200, {}),
                ("prosecutor", "hearing", 120, {"court": "TPI de Lomé, chambre correctionnelle"}),
                ("prosecutor", "judgment", 90, {"charge": "tip_child", "outcome": "convicted"}),
                (
                    "prosecutor",
                    "judgment",
                    90,
                    {"charge": "document_fraud", "outcome": "convicted"},
                ),
                ("prosecutor", "sentence", 90, {"sentence_months": 96, "fine": 2_000_000}),
                ("prosecutor", "appeal", 80, {"court": "Cour d'appel de Lomé"}),
                ("prosecutor", "hearing", -21, {"court": "Cour d'appel de Lomé"}),
            ],
        ),
        (
            "Edem FICTIF-COURTIER",
            "M",
            "TG",
            ["tip_adult"],
            "Servitude",
            [
                ("opj", "arrest", 280, {}),
                ("opj", "custody", 280, {}),
                ("opj", "assets_frozen", 279, {"amount": 4_500_000}),
                ("opj", "referral", 278, {}),
                ("prosecutor", "indictment", 180, {}),
                ("prosecutor", "hearing", 100, {}),
                ("prosecutor", "judgment", 70, {"charge": "tip_adult", "outcome": "convicted"}),
                ("prosecutor", "sentence", 70, {"sentence_months": 60}),
                ("prosecutor", "assets_confiscated", 60, {"amount": 4_500_000}),
            ],
        ),
        (
            "Yao DEMO-TRANSPORT",
            "M",
            "TG",
            ["smuggling"],
            "",
            [
                ("opj", "arrest", 150, {}),
                ("opj", "referral", 148, {}),
                ("opj", "assets_frozen", 147, {"amount": 1_200_000}),
                ("prosecutor", "indictment", 60, {}),
                ("prosecutor", "hearing", -10, {}),
            ],
        ),
        (
            "Ama FICTIVE",
            "F",
            "TG",
            ["tip_child"],
            "Servitude",
            [
                ("opj", "arrest", 250, {}),
                ("opj", "referral", 249, {}),
                ("prosecutor", "indictment", 170, {}),
                ("prosecutor", "hearing", 110, {}),
                ("prosecutor", "judgment", 95, {"charge": "tip_child", "outcome": "acquitted"}),
            ],
        ),
        (
            "Komlan DEMO",
            "M",
            "TG",
            ["tip_child"],
            "",
            [
                ("opj", "arrest", 200, {}),
                ("opj", "referral", 199, {}),
                ("prosecutor", "dismissal", 150, {"note": "Charges insuffisantes (DEMO)."}),
            ],
        ),
        ("Afi EXEMPLE", "F", "TG", ["tip_child"], "", []),
    ],
    "GA": [
        (
            "Mme Nzé FICTIVE",
            "F",
            "GA",
            ["tip_child", "forced_labour"],
            "Servitude",
            [
                ("opj", "arrest", 240, {}),
                ("opj", "custody", 240, {}),
                ("opj", "referral", 238, {}),
                ("prosecutor", "investigation", 230, {}),
                ("prosecutor", "indictment", 150, {}),
                ("prosecutor", "hearing", 80, {}),
                ("prosecutor", "judgment", 50, {"charge": "tip_child", "outcome": "convicted"}),
                ("prosecutor", "judgment", 50, {"charge": "forced_labour", "outcome": "convicted"}),
                ("prosecutor", "sentence", 50, {"sentence_months": 120, "fine": 10_000_000}),
            ],
        ),
        (
            "Moussavou DEMO-COURTIER",
            "M",
            "GA",
            ["tip_child"],
            "",
            [
                ("opj", "arrest", 120, {}),
                ("opj", "custody", 120, {}),
                ("opj", "assets_frozen", 119, {"amount": 8_000_000}),
                ("opj", "referral", 118, {}),
                ("prosecutor", "investigation", 110, {}),
            ],
        ),
        (
            "Ondo DEMO-PIROGUE",
            "M",
            "GA",
            ["smuggling"],
            "",
            [
                ("opj", "arrest", 90, {}),
                ("opj", "referral", 89, {}),
                ("prosecutor", "indictment", 40, {}),
                ("prosecutor", "hearing", -14, {}),
            ],
        ),
        ("Obame EXEMPLE", "M", "GA", ["tip_child"], "", []),
    ],
}

SUPPORT = [
    # measure, days before today requested, decision, amount
    ("closed_hearing", 130, "granted", None),
    ("screen", 130, "granted", None),
    ("legal_aid", 200, "granted", None),
    ("accompaniment", 30, "", None),
    ("compensation", 90, "granted", 1_500_000),
    ("non_punishment", 250, "granted", None),
]


def _staff(role: str, *, exclude=None) -> User | None:
    users = User.objects.filter(
        role=role, is_active=True, agency__country=settings.NODE_COUNTRY
    ).order_by("pk")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.first()


def _entity(name: str):
    from corridor.intel.models import Entity, EntityKind

    return Entity.objects.filter(kind=EntityKind.PERSON, name=name).first()


def _victim_cases(limit: int):
    """Trafficking cases of this node's caseworkers, named only by reference in the case."""
    from corridor.cases.models import Case

    return list(Case.objects.order_by("pk")[:limit])


@transaction.atomic
def seed() -> dict[str, int]:
    country = settings.NODE_COUNTRY
    if country not in TITLE or CriminalCase.objects.filter(title=TITLE[country]).exists():
        return {gettext_noop("criminal cases"): 0}
    prosecutor, opj = _staff(Role.PROSECUTOR), _staff(Role.JUDICIAL_POLICE)
    if prosecutor is None or opj is None:
        return {"criminal cases": 0}
    today = timezone.localdate()
    start = today - timedelta(days=330)
    case = services.criminal_case_open(
        actor=opj,
        title=TITLE[country],
        jurisdiction=JURISDICTION[country],
        opened_on=start,
        summary="Données synthétiques de démonstration. Rien ici n'est réel.",
        evidence="PV d'audition n°1 (DEMO)\nRéquisitions téléphoniques (DEMO)\nRelevés Mobile Money",
    )
    counts = {
        "criminal cases": 1,
        gettext_noop("accused"): 0,
        gettext_noop("steps"): 0,
        gettext_noop("victims"): 0,
        gettext_noop("measures"): 0,
    }
    actors = {"opj": opj, "prosecutor": prosecutor}
    # victims first, so that the hearings ahead remind their caseworkers
    for victim_case in _victim_cases(2):
        link = services.victim_link(
            actor=prosecutor,
            criminal_case=case,
            case_ref=victim_case.ref,
            legal_ground="public_task",
        )
        counts["victims"] += 1
        for measure, days_ago, decision, amount in SUPPORT:
            item = services.measure_request(
                actor=prosecutor,
                victim=link,
                measure=measure,
                requested_on=today - timedelta(days=days_ago),
                amount=amount,
            )
            counts["measures"] += 1
            if decision:
                services.measure_decide(
                    actor=prosecutor,
                    measure=item,
                    status=decision,
                    decided_on=today - timedelta(days=days_ago - 5),
                    amount=amount,
                )
        if country == "GA":
            break
    for name, sex, citizenship, offences, exploitation, steps in CHAINS[country]:
        accused = services.accused_add(
            actor=opj,
            criminal_case=case,
            name=name,
            complaint_on=start + timedelta(days=5),
            offences=offences,
            exploitation=exploitation if exploitation else "",
            sex=sex,
            citizenship=citizenship,
            intel_entity=_entity(name),
        )
        counts["accused"] += 1
        for who, kind, days_ago, extra in steps:
            extra = dict(extra)
            if "charge" in extra:
                extra["charge"] = accused.charges.get(offence=extra["charge"])
            services.event_record(
                actor=actors[who],
                accused=accused,
                kind=kind,
                date=today - timedelta(days=days_ago),
                **extra,
            )
            counts["steps"] += 1
    counts[gettext_noop("requests")] = _seed_request(case, opj=opj, prosecutor=prosecutor)
    return counts


REQUEST = {
    "kind": "phone_account",
    "case_ref": "PJ-TG-DEMO",
    "subject": (
        "Dans la procédure contre le réseau FICTIF Kpalimé–Libreville, identifier le titulaire "
        "du numéro et du compte Mobile Money utilisés par le courtier à Libreville, et nous "
        "communiquer ses antécédents."
    ),
    "suspect_name": "Moussavou DEMO-COURTIER",
    "suspect_identifiers": "+241 77 01 10 32\nAirtel Money DEMO +241 77 01 10 32",
}
ANSWERS = [
    (
        MlaEvent.Kind.PARTIAL_ANSWER,
        40,
        "Titulaire identifié\u00a0: Moussavou DEMO-COURTIER (DEMO).",
    ),
    (
        MlaEvent.Kind.FULL_ANSWER,
        25,
        "Relevés du compte sur 12 mois transmis par voie diplomatique\u00a0; une procédure est ouverte "
        "à Libreville (DEMO).",
    ),
]


def _seed_request(case: CriminalCase, *, opj, prosecutor) -> int:
    """One request answered across the border: Togo's outgoing record, Gabon's incoming one."""
    if MlaRequest.objects.filter(uid=MLA_UID).exists():
        return 0
    today = timezone.localdate()
    togo = settings.NODE_COUNTRY == "TG"
    request = MlaRequest.objects.create(
        uid=MLA_UID,
        direction=MlaRequest.Direction.OUTGOING if togo else MlaRequest.Direction.INCOMING,
        peer=None,
        kind=REQUEST["kind"],
        status=MlaStatus.ANSWERED,
        criminal_case=case if togo else None,
        case_ref=case.ref if togo else REQUEST["case_ref"],
        jurisdiction="ga_libreville",
        subject=REQUEST["subject"],
        suspect_name=REQUEST["suspect_name"],
        suspect_identifiers=REQUEST["suspect_identifiers"],
        deadline=today - timedelta(days=10),
        drafted_by=opj if togo else None,
        approved_by=prosecutor if togo else None,
        sender_name="Yao DEMO-ATSU",
    )
    here, there = settings.NODE_NAME, "gabon" if togo else "togo"

    def event(kind, days_ago, **values):
        item = add_event(request, kind=kind, **values)
        item.at = timezone.now() - timedelta(days=days_ago)
        item.save(update_fields=["at"])

    if togo:
        event(MlaEvent.Kind.DRAFTED, 62, by_name="Yao DEMO-ATSU")
        event(MlaEvent.Kind.APPROVED, 60, by_name="Kafui DEMO-AMEGBO")
    else:
        event(MlaEvent.Kind.RECEIVED, 60, by_node=there, by_name="Yao DEMO-ATSU")
    for kind, days_ago, text in ANSWERS:
        event(kind, days_ago, by_node="gabon", by_name="Armelle DEMO-NGUEMA", text=text)
    audit_record(
        actor=None,
        action=Action.CREATE,
        target=request,
        summary=node_about(
            request.case_ref, gettext_noop("demo cross-border request (%(here)s)"), here=here
        ),
        username="seed_demo",
    )
    return 1
