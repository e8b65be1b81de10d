"""Demo cases: at least 150 synthetic cases per node, at every stage, including Togolese children
identified in Gabon, in a realistic mix of caseloads: most people on the move are not victims
of trafficking (smuggled and stranded migrants, children on the move, returnees, persons
referred for international protection). The smuggled migrants' facts name smugglers of the demo
network (``seed_smuggling``, after the intelligence seeder). Everything goes through the
services, so the audit chain is real too."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.demo_data import PREFIX
from corridor.accounts.models import User
from corridor.cases import caseloads as cl
from corridor.cases import services
from corridor.cases.models import Approval, Case, ChildStep, Stage
from corridor.people.services import person_add_relationship, person_create

CASES_PER_NODE = 160

# (caseload, weight): about a third of the people met are presumed or identified victims.
CASELOAD_MIX = [
    (cl.PRESUMED_VICTIM, 22),
    (cl.IDENTIFIED_VICTIM, 11),
    (cl.SMUGGLED_MIGRANT, 22),
    (cl.STRANDED_MIGRANT, 17),
    (cl.CHILD_ON_THE_MOVE, 13),
    (cl.RETURNEE, 10),
    (cl.INTERNATIONAL_PROTECTION, 5),
]

GIVEN_F = [
    "Akossiwa",
    "Afi",
    "Ama",
    "Abla",
    "Adjoa",
    "Yawa",
    "Akouvi",
    "Essi",
    "Kafui",
    "Mawuena",
    "Dzifa",
    "Enyonam",
    "Sena",
    "Edem",
    "Aïcha",
    "Mariam",
    "Fati",
    "Grâce",
    "Prisca",
    "Nadège",
]
GIVEN_M = [
    "Kossi",
    "Koffi",
    "Komi",
    "Kodjo",
    "Yao",
    "Kokou",
    "Kwami",
    "Mawuli",
    "Sélom",
    "Elom",
    "Komlan",
    "Kafui",
    "Ibrahim",
    "Moussa",
    "Inoussa",
    "Issifou",
    "Dieudonné",
    "Ghislain",
    "Brice",
    "Rodrigue",
]
FAMILY_TG = [
    "AMEGAN",
    "AGBEKO",
    "KPODAR",
    "ADJAHO",
    "SEWA",
    "KUAKU",
    "LAWSON",
    "ATTIOGBE",
    "DOSSOU",
    "AKAKPO",
    "AMOUZOU",
    "GBADOE",
    "TCHALLA",
    "ESSO",
    "BATCHASSI",
    "ALASSANI",
    "SALIFOU",
    "FIAGAN",
    "AKUE",
    "TSEVI",
]
FAMILY_GA = [
    "MBOUMBA",
    "NZE",
    "OBAME",
    "NDONG",
    "MOUSSAVOU",
    "ELLA",
    "OYONO",
    "MINKO",
    "BIYOGHE",
    "NGUEMA",
    "ONDO",
    "MBA",
]
ORIGINS_TG = [
    ("Kpalimé", "Kloto"),
    ("Atakpamé", "Ogou"),
    ("Vogan", "Vo"),
    ("Aného", "Lacs"),
    ("Tsévié", "Zio"),
    ("Notsé", "Haho"),
    ("Sokodé", "Tchaoudjo"),
    ("Kara", "Kozah"),
    ("Badou", "Wawa"),
    ("Tabligbo", "Yoto"),
    ("Dapaong", "Tône"),
    ("Amlamé", "Amou"),
]
PLACES_GA = [
    "Libreville - Mont-Bouët",
    "Libreville - Nkembo",
    "Owendo",
    "Port-Gentil",
    "Oyem",
    "Franceville",
    "Lambaréné",
]
PLACES_TG = [
    "Lomé - Grand marché",
    "Lomé - Port",
    "Kodjoviakopé",
    "Sanvée-Condji",
    "Cinkassé",
    "Kpalimé",
]
EXPLOITATION = [
    ["Servitude"],
    ["ChildLabour"],
    ["ForcedLabour"],
    ["SexualExploitation"],
    ["ForcedBegging"],
    ["Servitude", "ChildLabour"],
]
INDUSTRY = [
    ["G_WholesaleAndRetailTradeRepairOfMotorVehicles"],
    ["T_ActivitiesOfHouseholdsAsEmployers"],
    ["A_AgricultureForestryAndFishing"],
    ["I_AccommodationAndFoodServiceActivities"],
]
CONTROL = [
    ["FalsePromises", "TakesEarnings"],
    ["DebtBondage"],
    ["PhysicalThreats", "WithholdsDocuments"],
    ["PsychologicalAbuse", "ExcessiveWorkingHours"],
]

CHILD_PATH = [
    ChildStep.EMERGENCY,
    ChildStep.STUDY,
    ChildStep.TRACING,
    ChildStep.BID,
    ChildStep.RETURN,
    ChildStep.REINTEGRATION,
    ChildStep.FOLLOW_UP,
    ChildStep.CLOSED,
]
ADULT_PATHS = [
    [],
    [Stage.FIRST_ASSISTANCE],
    [Stage.FIRST_ASSISTANCE, Stage.LONG_TERM],
    [Stage.FIRST_ASSISTANCE, Stage.RETURN],
    [Stage.FIRST_ASSISTANCE, Stage.LONG_TERM, Stage.CLOSED],
]


def _staff(node: str) -> dict[str, User]:
    prefix = PREFIX[node]
    return {
        u.username.split(".", 1)[1]: u
        for u in User.objects.filter(username__startswith=f"{prefix}.")
    }


def _approve(case: Case, kind: str, staff: dict, on_behalf, **decision) -> None:
    approval = services.approval_request(actor=on_behalf, case=case, kind=kind, comment="")
    approver = (
        staff["supervisor"]
        if staff["supervisor"].agency_id == case.agency_id
        else staff["coordinator"]
    )
    services.approval_decide(
        actor=approver,
        approval=approval,
        decision=Approval.Decision.APPROVED,
        comment="Conforme.",
        **decision,
    )


def _victim_context(rng: random.Random) -> dict:
    return {
        "exploitation_types": rng.choice(EXPLOITATION),
        "industries": rng.choice(INDUSTRY),
        "methods_of_control": rng.choice(CONTROL),
        "recruitment_method": rng.choice(
            ["ThroughFamilyOrFamilyEvents", "ThroughFriendsOrSocialEvents", "AtAPlaceOfBusiness"]
        ),
        "relationship_to_trafficker": rng.choice(["Familial", "Acquainted", "Unaquainted"]),
    }


def _victim_route(case, owner, rng, origin, family, node, togolese_abroad) -> None:
    identified = case.identified_on
    services.event_add(
        actor=owner,
        case=case,
        event_type="Recruitment",
        date=identified - timedelta(days=rng.randint(30, 400)),
        city=origin,
        country="TG" if family in FAMILY_TG else "GA",
    )
    if node == "gabon" and togolese_abroad:
        services.event_add(
            actor=owner,
            case=case,
            event_type="Transit",
            city=rng.choice(["Cotonou", "Lagos", "Port-Gentil"]),
            country=rng.choice(["BJ", "NG", "GA"]),
        )
    services.event_add(
        actor=owner,
        case=case,
        event_type="Exploitation",
        date=identified - timedelta(days=rng.randint(1, 25)),
        city=case.identified_at_place.split(" - ")[0],
        country="GA" if node == "gabon" else "TG",
    )


# What other apps record before the demo's walk moves a child into a step, as a caseworker
# would (childcare: the panel's determination before the return); ``hook(case, staff, day, rng)``.
BEFORE_CHILD_STEP: dict[str, list] = {}


def _walk_child(case: Case, steps: int, staff: dict, rng: random.Random) -> None:
    actor = case.owner
    day = case.identified_on
    for step in CHILD_PATH[:steps]:
        day = min(day + timedelta(days=rng.randint(1, 20)), timezone.localdate())
        if step == ChildStep.TRACING:
            services.consent_record(
                actor=actor,
                case=case,
                purpose="family_tracing",
                given_by_guardian=True,
                guardian_name="Tante (tutrice provisoire)",
                childs_views="Veut retrouver sa famille.",
                given_on=case.identified_on,
            )
        for hook in BEFORE_CHILD_STEP.get(step, []):
            hook(case, staff, day, rng)
        if step == ChildStep.RETURN:
            relative = case.person.relationships.filter(kind="mother").first()
            services.case_set_caregiver(
                actor=actor, case=case, caregiver=relative, agreed=True, able=True
            )
            services.consent_record(
                actor=actor,
                case=case,
                purpose="return",
                given_by_guardian=True,
                guardian_name=relative.name,
                childs_views="D'accord pour rentrer.",
                given_on=day,
            )
        if step == ChildStep.CLOSED:
            _approve(case, Approval.Kind.CLOSURE, staff, actor)
        if step == ChildStep.EMERGENCY:
            services.service_record(
                actor=actor,
                case=case,
                service_type="Shelter",
                delivered_on=min(
                    case.identified_on + timedelta(days=rng.randint(0, 3)), timezone.localdate()
                ),
                provider_name="Centre d'accueil",
                outcome="Hébergement d'urgence.",
            )
        case = services.case_transition(
            actor=actor,
            case=case,
            to=step,
            on=day,
            closure_reason="Réintégration réussie" if step == ChildStep.CLOSED else "",
        )
        day = _visit_due_follow_ups(case, day, rng)


def _visit_due_follow_ups(case: Case, day, rng: random.Random):
    """Follow-up visits already due were made (a few are left overdue, as in real life)."""
    for task in case.tasks.filter(done_on__isnull=True, due_on__lt=timezone.localdate()):
        if rng.random() < 0.85:
            services.task_complete(
                actor=case.owner,
                task=task,
                outcome="Visite effectuée\u00a0: enfant en famille, scolarisé.",
                done_on=task.due_on,
            )
            day = max(day, task.due_on)
    return day


def _walk_adult(case: Case, path: list[str], staff: dict, rng: random.Random) -> None:
    actor = case.owner
    day = case.identified_on
    for stage in path:
        day = min(day + timedelta(days=rng.randint(1, 30)), timezone.localdate())
        if stage == Stage.RETURN:
            services.consent_record(actor=actor, case=case, purpose="return", given_on=day)
        if stage == Stage.CLOSED:
            _approve(case, Approval.Kind.CLOSURE, staff, actor)
        if stage == Stage.FIRST_ASSISTANCE:
            services.service_record(
                actor=actor,
                case=case,
                service_type=rng.choice(["Health", "Shelter", "Psychosocial"]),
                delivered_on=day,
                provider_name="Service partenaire",
                outcome="Pris en charge.",
            )
        case = services.case_transition(actor=actor, case=case, to=stage, on=day)


@transaction.atomic
def seed_cases() -> dict[str, int]:
    node = settings.NODE_NAME
    staff = _staff(node)
    if not staff or Case.objects.filter(owner__in=staff.values()).count() >= CASES_PER_NODE:
        return {gettext_noop("cases"): 0}
    rng = random.Random(f"corridor-demo-{node}")
    today = timezone.localdate()
    owners = [staff["caseworker"], staff["caseworker2"], staff["shelter"]]
    created = 0
    for i in range(CASES_PER_NODE):
        child = rng.random() < 0.72
        female = rng.random() < 0.6
        togolese_abroad = node == "gabon" and rng.random() < 0.7
        family = rng.choice(FAMILY_TG if (node == "togo" or togolese_abroad) else FAMILY_GA)
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        origin, prefecture = (
            rng.choice(ORIGINS_TG)
            if (node == "togo" or togolese_abroad)
            else (rng.choice(PLACES_GA).split(" - ")[0], "")
        )
        identified = today - timedelta(days=rng.randint(5, 540))
        caseload = rng.choices([c for c, _w in CASELOAD_MIX], [w for _c, w in CASELOAD_MIX])[0]
        if caseload == cl.CHILD_ON_THE_MOVE:
            child = True
        age = rng.randint(7, 17) if child else rng.randint(18, 35)
        birth = (
            {"estimated_age": age} if rng.random() < 0.6 else {"birth_year": identified.year - age}
        )
        owner = owners[i % len(owners)]
        person = person_create(
            actor=owner,
            given_names=given,
            family_name=family,
            gender="Feminine" if female else "Masculine",
            citizenships=["TG"] if (node == "togo" or togolese_abroad) else ["GA"],
            languages=["ewe", "fra"] if family in FAMILY_TG else ["fra", "fan"],
            place_of_origin=origin,
            origin_prefecture=prefecture,
            unaccompanied=child and (caseload == cl.CHILD_ON_THE_MOVE or rng.random() < 0.5),
            migrant_status=("UnaccompaniedChild" if child else "IrregularMigrant")
            if togolese_abroad
            else "",
            **birth,
        )
        if person.is_child:
            person_add_relationship(
                actor=owner,
                person=person,
                kind="mother",
                relative_name=f"{rng.choice(GIVEN_F)} {family}",
                whereabouts=origin,
            )
        victim = cl.caseload(caseload).shows(cl.VICTIM)
        case = services.case_open(
            actor=owner,
            person=person,
            caseload=caseload,
            identified_on=identified,
            identified_at_place=rng.choice(PLACES_GA if node == "gabon" else PLACES_TG),
            narrative="Récit synthétique de démonstration.",
            **(_victim_context(rng) if victim else {}),
        )
        services.consent_record(
            actor=owner,
            case=case,
            purpose="data_processing",
            given=True,
            given_by_guardian=case.is_child,
            guardian_name="Tuteur provisoire" if case.is_child else "",
            childs_views="Accepte." if case.is_child else "",
            given_on=identified,
        )
        if victim:
            _victim_route(case, owner, rng, origin, family, node, togolese_abroad)
        if caseload == cl.IDENTIFIED_VICTIM:
            # A decision of a competent body, recorded as an approved trafficking status.
            _approve(
                case,
                Approval.Kind.TRAFFICKING_STATUS,
                staff,
                owner,
                trafficking_status=cl.ACTUAL,
                decision_org="NonPoliceGovernmentalOrganization",
            )
        exclude = cl.caseload(caseload).exclude_steps
        if case.is_child:
            # No return for a child referred for international protection: stop before it.
            most = CHILD_PATH.index(ChildStep.RETURN) if exclude else len(CHILD_PATH)
            _walk_child(case, rng.randint(0, most), staff, rng)
        else:
            paths = [p for p in ADULT_PATHS if not set(p) & exclude]
            _walk_adult(case, rng.choice(paths), staff, rng)
        created += 1
    return {"cases": created}


# Smugglers of the demo network (``corridor.intel.demo``): the migrants name them and give the
# numbers they called, which the intelligence already holds, so the facts join the network.
DEMO_SMUGGLERS = {
    "t1": "Lomé → Cotonou → Lagos → Libreville",
    "t2": "Cotonou → Lagos → Libreville",
    "t4": "Lagos → Owendo (pirogue)",
    "b1": "Lomé → Libreville (avion)",
}


def _demo_smugglers() -> list[tuple[str, str, str]]:
    """(name, phone in E.164, route) of the demo network's transporters and broker."""
    from corridor.intel import keys
    from corridor.intel.demo import PEOPLE

    return [
        (name, keys.phone_e164(phone, region=country), DEMO_SMUGGLERS[ref])
        for ref, name, country, _role, _place, phone in PEOPLE
        if ref in DEMO_SMUGGLERS
    ]


@transaction.atomic
def seed_smuggling() -> dict[str, int]:
    """The smuggling facts of the demo's smuggled migrants (run after the intelligence seeder)."""
    node = settings.NODE_NAME
    rng = random.Random(f"corridor-smuggling-{node}")
    cases = Case.objects.filter(caseload=cl.SMUGGLED_MIGRANT, smuggling__isnull=True).order_by("id")
    smugglers = _demo_smugglers()
    recorded = 0
    for case in cases.select_related("owner", "agency"):
        name, phone, route = rng.choice(smugglers)
        pirogue = "pirogue" in route
        services.smuggling_facts_record(
            actor=case.owner,
            case=case,
            intermediary=name,
            intermediary_phone=phone if rng.random() < 0.7 else "",
            amount_paid=rng.choice([75_000, 150_000, 250_000, 400_000]),
            currency="XOF",
            paid_to=rng.choice([name, "un intermédiaire à la gare routière (DEMO)"]),
            route=route,
            transport_means=["boat", "truck"] if pirogue else rng.choice([["bus"], ["car", "bus"]]),
            documents=rng.choice([["none"], ["own_genuine"], ["fraudulent"], ["confiscated"]]),
            endangered_life=pirogue or rng.random() < 0.15,
            inhuman_treatment=rng.random() < 0.2,
            circumstances="Récit synthétique de démonstration.",
            protection_given=rng.choice(
                [
                    ["medical_care", "food_water_shelter"],
                    ["consular_information", "legal_information"],
                    ["food_water_shelter", "assisted_return"],
                ]
            ),
        )
        recorded += 1
    return {gettext_noop("smuggling facts"): recorded}


# Requests waiting for each supervisor (and the coordinator): (kind, child step or "", the
# caseworker's justification). One determination is asked before any assessment was approved,
# so the approval page shows its warning.
PENDING_REQUESTS = [
    (
        Approval.Kind.BIA,
        ChildStep.STUDY,
        "Étude de situation terminée\u00a0; la tante propose de l'accueillir. Évaluation à valider.",
    ),
    (
        Approval.Kind.BID,
        ChildStep.TRACING,
        "Famille retrouvée à l'origine\u00a0; la mère accepte le retour. Détermination demandée.",
    ),
    (
        Approval.Kind.CASE_PLAN,
        "",
        "Plan\u00a0: hébergement 3 mois, soutien psychosocial, formation en couture.",
    ),
    (
        Approval.Kind.CLOSURE,
        "",
        "Objectifs du plan atteints\u00a0; la personne ne souhaite plus d'accompagnement.",
    ),
]


@transaction.atomic
def seed_approvals() -> dict[str, int]:
    """Approvals waiting for a decision at the supervisor's agency (the coordinator sees them
    too), each with its justification; idempotent (nothing is added while any waits)."""
    staff = _staff(settings.NODE_NAME)
    supervisor = staff.get("supervisor")
    if supervisor is None:
        return {gettext_noop("approvals"): 0}
    cases = Case.objects.filter(agency_id=supervisor.agency_id).exclude(
        status__in=["Closed", "ClosedReferred"]
    )
    if Approval.objects.filter(case__in=cases, decision=Approval.Decision.PENDING).exists():
        return {"approvals": 0}
    made = 0
    used: set[int] = set()
    for kind, step, why in PENDING_REQUESTS:
        candidates = cases.exclude(pk__in=used).exclude(
            approvals__kind=kind, approvals__decision=Approval.Decision.PENDING
        )
        candidates = (
            candidates.filter(is_child=True, child_step=step)
            if step
            else candidates.filter(is_child=False)
        )
        for case in candidates.order_by("id")[:2]:
            services.approval_request(actor=case.owner, case=case, kind=kind, comment=why)
            used.add(case.pk)
            made += 1
    return {"approvals": made}
