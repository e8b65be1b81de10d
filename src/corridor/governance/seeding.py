"""Demo data for governance (idempotent): the Togo–Gabon agreement in force and its expired
predecessor for intelligence exchange (a send for that purpose is refused), retention rules,
the register of processing activities and one breach."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

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
        "purpose": "Identifier, protéger et assister les victimes\u00a0; orienter vers les services.",
        "legal_basis": "Loi relative à la lutte contre la traite des personnes\u00a0; intérêt vital",
        "data_subjects": "Victimes présumées, enfants en mobilité, tuteurs",
        "data_categories": "Identité, âge, nationalités, récit, santé, besoins de protection",
        "recipients": "Services sociaux, ONG d'accueil agréées",
        "transfers": "Gabon, au titre de l'accord TG-GA-2026 (orientation, retour)",
        "retention": "5 ans après la clôture (enfants\u00a0: après la majorité), puis anonymisation",
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
        "retention": "Entretiens\u00a0: 12 mois, puis agrégats seulement",
        "security": "Pas de nom collecté",
    },
]


def seed() -> dict:
    created = {
        gettext_noop("agreements"): 0,
        gettext_noop("retention rules"): 0,
        gettext_noop("processing activities"): 0,
        gettext_noop("breaches"): 0,
    }
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
            notes="Renouvellement en négociation\u00a0: tout envoi de renseignement est refusé.",
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
        return {gettext_noop("joint figures"): 0}
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


# --- the legal and institutional framework and the logframe (demo, items 5-7) ----------------

PLANS = {
    "TG": (
        "Plan d'action national de lutte contre la traite 2025-2027 (démo)",
        "CNLTP",
        [
            ("Coordination", "Réunir le comité national chaque trimestre", "CNLTP", -200, "done"),
            (
                "Prévention",
                "Campagne radio dans les préfectures frontalières",
                "Ministère de l'Action sociale",
                -90,
                "in_progress",
            ),
            (
                "Protection",
                "Ouvrir deux centres d'accueil transitoire agréés",
                "Ministère de l'Action sociale",
                -30,
                "planned",
            ),
            (
                "Poursuites",
                "Former les magistrats au nouveau code pénal",
                "Ministère de la Justice",
                -10,
                "planned",
            ),
            ("Coordination", "Publier le rapport annuel du CNLTP", "CNLTP", 60, "planned"),
        ],
    ),
    "GA": (
        "Plan national de lutte contre la traite des enfants 2025-2027 (démo)",
        "Comité de suivi",
        [
            (
                "Protection",
                "Procédure de rapatriement des enfants vers le Togo",
                "Ministère des Affaires sociales",
                -60,
                "in_progress",
            ),
            (
                "Poursuites",
                "Désigner des procureurs référents dans chaque province",
                "Ministère de la Justice",
                -20,
                "planned",
            ),
            (
                "Prévention",
                "Sensibiliser les marchés de Libreville et Port-Gentil",
                "DGPS",
                45,
                "planned",
            ),
        ],
    ),
}

INSTRUMENTS = {
    "TG": [
        (
            "law",
            "Code pénal, chapitre relatif à la traite des personnes",
            "Loi n° 2015-10",
            "in_force",
            -3000,
            -2990,
            None,
        ),
        ("decree", "Décret portant organisation du CNLTP", "(démo)", "adopted", -400, None, -30),
        (
            "sop",
            "Procédure opérationnelle d'identification et d'orientation des victimes",
            "(démo)",
            "in_force",
            -300,
            -280,
            None,
        ),
        (
            "sop",
            "Procédure de retour transfrontalier Togo–Gabon",
            "(démo)",
            "draft",
            None,
            None,
            -15,
        ),
    ],
    "GA": [
        (
            "law",
            "Loi relative à la prévention et à la lutte contre la traite des personnes",
            "(démo)",
            "in_force",
            -1500,
            -1490,
            None,
        ),
        (
            "sop",
            "Procédure de prise en charge des enfants victimes",
            "(démo)",
            "draft",
            None,
            None,
            90,
        ),
    ],
}

MEETINGS = {
    "togo": (
        "1re session du comité mixte Togo–Gabon (démo)",
        "Lomé",
        -150,
        "Adoption du règlement intérieur et de la feuille de route conjointe.",
        [
            ("Désigner les points focaux de chaque pays", "CNLTP", -120, "done"),
            (
                "Valider la procédure de retour transfrontalier",
                "Ministère de l'Action sociale (Togo)",
                -40,
                "in_progress",
            ),
            ("Partager les chiffres agrégés chaque trimestre", "CNLTP", -5, "planned"),
        ],
    ),
    "gabon": (
        "2e session du comité mixte Togo–Gabon (démo)",
        "Libreville",
        -45,
        "Revue des retours d'enfants et des poursuites en cours.",
        [
            (
                "Organiser une formation conjointe des magistrats",
                "Ministère de la Justice (Gabon)",
                -3,
                "planned",
            ),
            (
                "Évaluer les centres d'accueil de Libreville",
                "Ministère des Affaires sociales (Gabon)",
                30,
                "planned",
            ),
        ],
    ),
}


def _demo_evidence() -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas

    out = BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "Enquete de satisfaction des survivants (DEMONSTRATION)")
    page.drawString(72, 740, "Donnees fictives\u00a0: 40 repondants, 27 satisfaits.")
    page.save()
    return out.getvalue()


def seed_framework() -> dict:
    """Action plans with late activities, laws and procedures, this node's committee meeting, and
    a year of logframe values (idempotent)."""
    from corridor.governance import framework, logframe
    from corridor.governance.models import (
        CommitteeMeeting,
        IndicatorValue,
        LegalInstrument,
        PlanActivity,
    )
    from corridor.reports.models import TrainingSession

    created = {
        gettext_noop("plan activities"): 0,
        gettext_noop("legal texts"): 0,
        gettext_noop("committee meetings"): 0,
        gettext_noop("values"): 0,
    }
    today = timezone.localdate()
    country = settings.NODE_COUNTRY
    if not PlanActivity.objects.exists():
        for code, (plan, _lead, rows) in PLANS.items():
            if code != country:
                continue  # each node keeps its own country's plan
            for axis, activity, lead, days, status in rows:
                framework.activity_save(
                    actor=None,
                    country=code,
                    plan=plan,
                    axis=axis,
                    activity=activity,
                    lead_institution=lead,
                    due_on=today + timedelta(days=days),
                    status=status,
                    evidence="Procès-verbal (démo)" if status == "done" else "",
                )
                created["plan activities"] += 1
    if not LegalInstrument.objects.exists():
        trainings = list(TrainingSession.objects.filter(country=country)[:2])
        for code, rows in INSTRUMENTS.items():
            if code != country:
                continue
            for kind, title, ref, status, adopted, in_force, target in rows:
                framework.instrument_save(
                    actor=None,
                    country=code,
                    kind=kind,
                    title=title,
                    reference=ref,
                    status=status,
                    adopted_on=today + timedelta(days=adopted) if adopted else None,
                    in_force_on=today + timedelta(days=in_force) if in_force else None,
                    target_on=today + timedelta(days=target) if target else None,
                    trainings=trainings if code == country and kind == "sop" else (),
                )
                created["legal texts"] += 1
    own = MEETINGS.get(settings.NODE_NAME)
    if own and not CommitteeMeeting.objects.filter(origin=settings.NODE_NAME).exists():
        title, place, days, summary, decisions = own
        framework.meeting_record(
            actor=None,
            held_on=today + timedelta(days=days),
            title=title,
            place=place,
            summary=summary,
            decisions=[
                {"text": t, "owner": o, "due_on": today + timedelta(days=d), "status": s}
                for t, o, d, s in decisions
            ],
        )
        created["committee meetings"] += 1
    coordinator = (
        User.objects.filter(role=Role.COORDINATOR, is_active=True, agency__country=country)
        .order_by("pk")
        .first()
    )
    years = [y for y in logframe.logframe()["programme"]["years"] if y <= today.year]
    if coordinator is not None and years and not IndicatorValue.objects.exists():
        created["values"] += logframe.values_compute(actor=coordinator, year=years[-1])
        logframe.value_record(
            actor=coordinator,
            code="survivors_satisfied_pct",
            country=country,
            year=years[-1],
            value=67.5,
            note="Enquête de satisfaction (démo)",
            evidence_name="enquete-satisfaction-demo.pdf",
            evidence=_demo_evidence(),
        )
        created["values"] += 1
    return created
