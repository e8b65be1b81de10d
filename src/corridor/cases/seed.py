"""Demo cases: at least 150 synthetic cases per node, at every stage, including Togolese children
identified in Gabon. Everything goes through the services, so the audit chain is real too."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from corridor.accounts.demo_data import PREFIX
from corridor.accounts.models import User
from corridor.cases import services
from corridor.cases.models import Approval, Case, ChildStep, Stage
from corridor.people.services import person_add_relationship, person_create

CASES_PER_NODE = 160

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


def _approve(case: Case, kind: str, staff: dict, on_behalf) -> None:
    approval = services.approval_request(actor=on_behalf, case=case, kind=kind, comment="")
    approver = (
        staff["supervisor"]
        if staff["supervisor"].agency_id == case.agency_id
        else staff["coordinator"]
    )
    services.approval_decide(
        actor=approver, approval=approval, decision=Approval.Decision.APPROVED, comment="Conforme."
    )


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
        if step == ChildStep.RETURN:
            _approve(case, Approval.Kind.BID, staff, actor)
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
                outcome="Visite effectuée : enfant en famille, scolarisé.",
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
        return {"cases": 0}
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
            unaccompanied=child and rng.random() < 0.5,
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
        case = services.case_open(
            actor=owner,
            person=person,
            identified_on=identified,
            identified_at_place=rng.choice(PLACES_GA if node == "gabon" else PLACES_TG),
            exploitation_types=rng.choice(EXPLOITATION),
            industries=rng.choice(INDUSTRY),
            methods_of_control=rng.choice(CONTROL),
            recruitment_method=rng.choice(
                [
                    "ThroughFamilyOrFamilyEvents",
                    "ThroughFriendsOrSocialEvents",
                    "AtAPlaceOfBusiness",
                ]
            ),
            relationship_to_trafficker=rng.choice(["Familial", "Acquainted", "Unaquainted"]),
            narrative="Récit synthétique de démonstration.",
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
        if case.is_child:
            _walk_child(case, rng.randint(0, len(CHILD_PATH)), staff, rng)
        else:
            _walk_adult(case, rng.choice(ADULT_PATHS), staff, rng)
        created += 1
    return {"cases": created}
