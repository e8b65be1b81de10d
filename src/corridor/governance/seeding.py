"""Demo data for governance (idempotent): the Togo–Gabon agreement in force and its expired
predecessor for intelligence exchange (a send for that purpose is refused), retention rules,
the register of processing activities and one breach."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from corridor.accounts.models import Role, User
from corridor.governance import agreements, joint, register, retention
from corridor.governance.models import (
    Agreement,
    Breach,
    JointFigures,
    ProcessingActivity,
    Purpose,
    RecordType,
    RetentionRule,
)

DEMO_FIELD_SETS = {
    Purpose.CROSS_BORDER_REFERRAL: [
        "given_names",
        "family_name",
        "gender",
        "birth_date",
        "citizenships",
        "place_of_origin",
    ],
    Purpose.FAMILY_TRACING: ["bloom_filter_encoding"],
}

ACTIVITIES = [
    {
        "name": "Gestion des cas de victimes de la traite",
        "purpose": "Identifier, protéger et assister les victimes; orienter vers les services.",
        "legal_basis": "Loi relative à la lutte contre la traite des personnes; intérêt vital",
        "data_subjects": "Victimes présumées, enfants en mobilité, tuteurs",
        "data_categories": "Identité, âge, nationalités, récit, santé, besoins de protection",
        "recipients": "Services sociaux, ONG d'accueil agréées",
        "transfers": "Gabon, au titre de l'accord TG-GA-2026 (orientation, retour)",
        "retention": "5 ans après la clôture (enfants : après la majorité), puis anonymisation",
        "security": "Chiffrement des champs sensibles, journal d'audit chaîné, double facteur",
    },
    {
        "name": "Suivi des flux aux points frontaliers",
        "purpose": "Compter et décrire les flux de migration pour la planification.",
        "legal_basis": "Mission de service public",
        "data_subjects": "Voyageurs interrogés (avec consentement)",
        "data_categories": "Sexe, tranche d'âge, nationalité, motif du voyage",
        "recipients": "Partenaires (agrégats k-anonymes seulement)",
        "transfers": "Agrégats seulement",
        "retention": "Entretiens : 12 mois, puis agrégats seulement",
        "security": "Pas de nom collecté",
    },
]


def seed() -> dict:
    created = {"agreements": 0, "retention rules": 0, "processing activities": 0, "breaches": 0}
    today = timezone.localdate()
    if not Agreement.objects.exists():
        agreements.agreement_create(
            actor=None,
            reference="TG-GA-2026",
            title="Accord de coopération Togo–Gabon contre la traite des personnes",
            parties=["togo", "gabon"],
            purposes=[
                Purpose.CROSS_BORDER_REFERRAL,
                Purpose.FAMILY_TRACING,
                Purpose.MUTUAL_LEGAL_ASSISTANCE,
                Purpose.JOINT_MONITORING,
            ],
            field_sets=DEMO_FIELD_SETS,
            starts_on=date(today.year - 1, 1, 1),
            expires_on=date(today.year + 4, 12, 31),
        )
        agreements.agreement_create(
            actor=None,
            reference="TG-GA-RENS-2021",
            title="Protocole d'échange de renseignements criminels (expiré)",
            parties=["togo", "gabon"],
            purposes=[Purpose.INTELLIGENCE],
            starts_on=date(today.year - 5, 1, 1),
            expires_on=today - timedelta(days=45),
            notes="Renouvellement en négociation : tout envoi de renseignement est refusé.",
        )
        created["agreements"] += 2
    for record_type, months, action in (
        (RecordType.CLOSED_CHILD_CASE, 60, "anonymise"),
        (RecordType.CLOSED_ADULT_CASE, 60, "anonymise"),
        (RecordType.SCREENING_WITHOUT_CASE, 12, "erase"),
        (RecordType.FLOW_SURVEY, 12, "erase"),
    ):
        if not RetentionRule.objects.filter(record_type=record_type).exists():
            retention.rule_set(actor=None, record_type=record_type, months=months, action=action)
            created["retention rules"] += 1
    for activity in ACTIVITIES:
        if not ProcessingActivity.objects.filter(name=activity["name"]).exists():
            register.activity_save(actor=None, **activity)
            created["processing activities"] += 1
    if not Breach.objects.exists():
        register.breach_record(
            actor=None,
            detected_at=timezone.now() - timedelta(hours=30),
            description="Ordinateur portable d'un bureau de terrain volé (disque chiffré).",
            data_affected="Copie locale de 12 fiches de dépistage",
            persons_affected=12,
            measures="Comptes du poste révoqués, clés de session renouvelées.",
        )
        created["breaches"] += 1
    return created


def seed_joint() -> dict:
    """This node's figures for the joint picture, once every capability has seeded (the peer is
    registered after seeding: a coordinator sends them from the page)."""
    if JointFigures.objects.exists():
        return {"joint figures": 0}
    coordinator = (
        User.objects.filter(
            role=Role.COORDINATOR, is_active=True, agency__country=settings.NODE_COUNTRY
        )
        .order_by("pk")
        .first()
    )
    if coordinator is None or not coordinator.has_role(Role.COORDINATOR):
        return {"joint figures": 0}
    joint.figures_share(actor=coordinator, peers=[])
    return {"joint figures": 1}
