"""Demo intake: the agency on duty for every region of the node's border posts, border
interceptions handed off in every state (fresh, overdue, accepted, case opened, one with an
interception report), and hotline calls and SMS at every step. Synthetic names, idempotent."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.demo_data import demo_user
from corridor.accounts.models import Agency, User
from corridor.flows.models import FlowPoint
from corridor.intake import services
from corridor.intake.models import Channel, DutyAgency, Handoff, Intake
from corridor.referrals.models import ServiceProvider
from corridor.referrals.services import provider_save
from corridor.screening.services import screening_record

DUTY = {
    "TG": ("MASSPF", "Permanence sociale du MASSPF (Lomé)", "Maritime", "Lomé"),
    "GA": ("DGAS", "Permanence sociale de la DGAS (Libreville)", "Estuaire", "Libreville"),
}
# Each node's own: children intercepted at its border posts, calls to its hotline, and the
# child whose call opened a case.
# (given names, family name, gender, age, migrant status, answers, hours ago, state)
INTERCEPTED = {
    "TG": [
        ("Afi", "DEMO-KOUDAWO", "Feminine", 13, "UnaccompaniedChild", 3, 2, "waiting"),
        ("Koffi", "DEMO-AMOUZOU", "Masculine", 15, "SeparatedChild", 2, 31, "waiting"),
        ("Enyonam", "DEMO-SOSSOU", "Feminine", 9, "UnaccompaniedChild", 4, 50, "accepted"),
        ("Mensah", "DEMO-AKAKPO", "Masculine", 16, "", 1, 20, "case_opened"),
        ("Dzifa", "DEMO-AHOLOU", "Feminine", 12, "SeparatedChild", 3, 72, "case_opened"),
    ],
    "GA": [
        ("Ablavi", "DEMO-GBADOE", "Feminine", 14, "UnaccompaniedChild", 3, 2, "waiting"),
        ("Chidi", "DEMO-OKAFOR", "Masculine", 15, "SeparatedChild", 2, 31, "waiting"),
        ("Akpédjé", "DEMO-HOUNSOU", "Feminine", 10, "UnaccompaniedChild", 4, 50, "accepted"),
        ("Kodjo", "DEMO-AGBEMADON", "Masculine", 16, "", 1, 20, "case_opened"),
        ("Sika", "DEMO-ATCHOLI", "Feminine", 12, "SeparatedChild", 3, 72, "case_opened"),
    ],
}
FIRST_ACTION_HOURS = {"accepted": 5.5, "case_opened": 3.0}
ASKING_THE_HOURS = (
    "call",
    "other",
    "routine",
    "Appel pour se renseigner sur les horaires du service.",
    "",
    0,
    "no_action",
)
CALLS = {
    "TG": [
        (
            "call",
            "trafficking",
            "immediate",
            "Deux fillettes vendent de l'eau au marché la nuit\u00a0; un homme récupère l'argent.",
            "Marché de Hédzranawoé",
            2,
            "case",
        ),
        (
            "call",
            "unaccompanied",
            "day",
            "Un garçon dort à la gare routière depuis trois jours.",
            "Gare routière",
            1,
            "dispatched",
        ),
        (
            "call",
            "labour",
            "routine",
            "Une voisine emploie une enfant de 10 ans comme domestique.",
            "Bè",
            1,
            "triaged",
        ),
        (
            "call",
            "smuggling",
            "day",
            "Un passeur propose des places vers Libreville par bateau, départ chaque jeudi.",
            "Port de pêche",
            0,
            "tip",
        ),
        ASKING_THE_HOURS,
        (
            "sms",
            "missing",
            "immediate",
            "Ma fille de 14 ans n'est pas rentrée depuis hier.",
            "Agoè",
            1,
            "received",
        ),
        (
            "sms",
            "abuse",
            "day",
            "Enfant battu chaque soir dans la maison d'à côté.",
            "Adidogomé",
            1,
            "dispatched",
        ),
        (
            "sms",
            "trafficking",
            "day",
            "Un camion avec beaucoup d'enfants est passé vers la frontière.",
            "Route d'Aflao",
            6,
            "tip",
        ),
    ],
    "GA": [
        (
            "call",
            "trafficking",
            "immediate",
            "Deux fillettes venues du Togo vendent de l'eau au marché la nuit\u00a0; une femme "
            "récupère l'argent.",
            "Marché de Mont-Bouët",
            2,
            "case",
        ),
        (
            "call",
            "unaccompanied",
            "day",
            "Un garçon dort à la gare routière de PK8 depuis trois jours\u00a0; il ne parle qu'éwé.",
            "PK8",
            1,
            "dispatched",
        ),
        (
            "call",
            "labour",
            "routine",
            "Une voisine emploie comme domestique une enfant de 11 ans arrivée du Bénin.",
            "Nzeng-Ayong",
            1,
            "triaged",
        ),
        (
            "call",
            "smuggling",
            "day",
            "Une pirogue partie de Cotonou doit débarquer des passagers de nuit sur la plage.",
            "Cap Estérias",
            0,
            "tip",
        ),
        ASKING_THE_HOURS,
        (
            "sms",
            "missing",
            "immediate",
            "Ma nièce de 14 ans n'est pas rentrée depuis hier.",
            "Akébé",
            1,
            "received",
        ),
        (
            "sms",
            "abuse",
            "day",
            "Enfant battu chaque soir dans la maison d'à côté.",
            "Owendo",
            1,
            "dispatched",
        ),
        (
            "sms",
            "trafficking",
            "day",
            "Un minibus plein d'enfants est arrivé par la route de la frontière camerounaise.",
            "Route de Ntoum",
            6,
            "tip",
        ),
    ],
}
CALLED_ABOUT = {"TG": ("Akouvi", "DEMO-TOGBUI"), "GA": ("Essi", "DEMO-KPADENOU")}


def _duty() -> int:
    short, name, region, city = DUTY[settings.NODE_COUNTRY]
    agency = Agency.objects.filter(short_name=short).first()
    if agency is None:
        return 0
    if not ServiceProvider.objects.filter(agency=agency).exists():
        provider_save(
            actor=None,
            name=name,
            agency=agency,
            country=settings.NODE_COUNTRY,
            region=region,
            city=city,
            services=["SocialCare", "Psychosocial"],
        )
    regions = set(
        FlowPoint.objects.filter(country=settings.NODE_COUNTRY).values_list("region", flat=True)
    )
    named = set(DutyAgency.objects.exclude(region="").values_list("region", flat=True))
    for region in sorted(regions - named):  # a region already named keeps its agency
        services.duty_agency_set(actor=None, agency=agency, region=region)
    return len(regions - named)


def _handoffs(border: User, worker: User) -> int:
    rng = random.Random(13)
    made = 0
    now = timezone.now()
    for given, family, gender, age, status, yes, hours, state in INTERCEPTED[settings.NODE_COUNTRY]:
        answers = {
            "travels_unaccompanied": "yes",
            "carries_numbers": "yes",
            "found_by_adult": "yes",
        }
        answers = dict(list(answers.items())[: max(1, min(yes, 3))])
        screening = screening_record(
            actor=border,
            questionnaire="unodc_child",
            answers=answers,
            new_person={
                "given_names": given,
                "family_name": family,
                "gender": gender,
                "estimated_age": age,
                "migrant_status": status,
                "unaccompanied": status in ("UnaccompaniedChild", "SeparatedChild"),
            },
        )
        handoff = getattr(screening, "handoff", None)
        if handoff is None:
            continue
        if state == "accepted":
            services.handoff_accept(actor=worker, handoff=handoff)
        elif state == "case_opened":
            services.handoff_open_case(actor=worker, handoff=handoff)
        if made == 1:
            services.interception_report(
                actor=border,
                handoff=handoff,
                adults="Un homme d'une trentaine d'années se disant l'oncle",
                vehicle_plate=f"TG-{rng.randint(1000, 9999)}-AB",
                phones=["+228 90 00 00 17"],
                route="Accra – Lomé – Cotonou",
                documents="Aucun document pour l'enfant",
            )
        # Synthetic history: the demo's hand-offs happened over the last days, not all now.
        started = now - timedelta(hours=hours)
        first = FIRST_ACTION_HOURS.get(state)
        Handoff.objects.filter(pk=handoff.pk).update(
            started_at=started,
            first_action_at=started + timedelta(hours=first) if first else None,
        )
        made += 1
    return made


def _intakes(taker: User, worker: User) -> int:
    made = 0
    for i, (channel, concern, urgency, text, place, children, goal) in enumerate(
        CALLS[settings.NODE_COUNTRY]
    ):
        if channel == Channel.SMS:
            intake, _new = services.intake_from_sms(
                sender=f"+228 90 00 01 {i:02d}", text=text, gateway_id=f"demo-sms-{i}"
            )
        else:
            intake = services.intake_record(
                actor=taker,
                channel=channel,
                concern=text,
                concern_type=concern,
                urgency=urgency,
                place=place,
                children_involved=children or None,
                anonymous=i % 2 == 0,
                reporter_name="" if i % 2 == 0 else "Voisin (DEMO)",
            )
        if goal == "received":
            made += 1
            continue
        if goal in ("tip", "no_action") and channel == Channel.CALL:
            if goal == "tip":
                services.intake_convert_tip(actor=taker, intake=intake)
            else:
                services.intake_close(actor=taker, intake=intake, note="Demande d'information.")
            made += 1
            continue
        intake = services.intake_triage(
            actor=taker,
            intake=intake,
            concern_type=concern,
            urgency=urgency,
            children_involved=children or None,
            place=place,
        )
        if goal == "tip":
            services.intake_convert_tip(actor=taker, intake=intake)
        elif goal in ("dispatched", "case"):
            intake = services.intake_dispatch(actor=taker, intake=intake, social_worker=worker)
            if goal == "case":
                services.intake_convert_case(
                    actor=worker,
                    intake=intake,
                    given_names=CALLED_ABOUT[settings.NODE_COUNTRY][0],
                    family_name=CALLED_ABOUT[settings.NODE_COUNTRY][1],
                    gender="Feminine",
                    estimated_age=9,
                )
        made += 1
    return made


@transaction.atomic
def seed() -> dict:
    duty = _duty()
    border, worker, taker = demo_user("border"), demo_user("caseworker"), demo_user("hotline")
    handoffs = intakes = 0
    if border is not None and worker is not None and not Handoff.objects.exists():
        handoffs = _handoffs(border, worker)
    if taker is not None and worker is not None and not Intake.objects.exists():
        intakes = _intakes(taker, worker)
    return {
        gettext_noop("duty regions"): duty,
        gettext_noop("hand-offs"): handoffs,
        gettext_noop("intakes"): intakes,
    }
