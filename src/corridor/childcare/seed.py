"""The demo's children carry the records of their steps (synthetic, deterministic per node):
tracing actions and a family assessment once tracing began, an approved best-interest
assessment and determination at the determination, an emergency shelter or other placement, the
hand-over signed on both sides at the return, and the follow-up visits with their scores."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.demo_data import PREFIX
from corridor.accounts.models import User
from corridor.cases.models import FOLLOW_UP_MONTHS, Approval, Case, ChildStep, Task
from corridor.cases.services import approval_decide
from corridor.childcare import scoring, services
from corridor.childcare.models import (
    FamilyAssessment,
    FollowUpVisit,
    Option,
    Placement,
    PlacementType,
    TracingAction,
)

ORDER = [
    ChildStep.IDENTIFICATION,
    ChildStep.EMERGENCY,
    ChildStep.STUDY,
    ChildStep.TRACING,
    ChildStep.BID,
    ChildStep.RETURN,
    ChildStep.REINTEGRATION,
    ChildStep.FOLLOW_UP,
    ChildStep.CLOSED,
]


def _reached(case: Case, step: str) -> bool:
    return case.child_step in ORDER and ORDER.index(case.child_step) >= ORDER.index(step)


def _step_day(case: Case, step: str) -> date | None:
    change = case.stage_changes.filter(field="child_step", to_value=step).first()
    return timezone.localdate(change.at) if change else None


def _clip(case: Case, day: date) -> date:
    return max(case.identified_on, min(day, timezone.localdate()))


def _approver(case: Case, staff: dict) -> User:
    supervisor = staff.get("supervisor")
    if supervisor and supervisor.agency_id == case.agency_id:
        return supervisor
    return staff["coordinator"]


def _approve(approval: Approval, case: Case, staff: dict) -> None:
    approval_decide(
        actor=_approver(case, staff),
        approval=approval,
        decision=Approval.Decision.APPROVED,
        comment="Conforme à l'intérêt supérieur de l'enfant.",
    )


def _shelter(case: Case, rng: random.Random):
    from corridor.referrals.models import ServiceProvider

    shelters = [
        p
        for p in ServiceProvider.objects.filter(country=settings.NODE_COUNTRY).order_by("name")
        if "Shelter" in (p.services or [])
        and (p.max_age is None or p.max_age < 18)
        and p.sexes in ("all", "")
    ]
    return rng.choice(shelters) if shelters else None


def _place(case: Case, actor, day: date, rng: random.Random, kind=None):
    provider = _shelter(case, rng)
    try:
        if kind is None and provider is not None:
            return services.placement_start(
                actor=actor,
                case=case,
                kind=PlacementType.SHELTER,
                provider=provider,
                start_on=day,
                review_dates=[_clip(case, day + timedelta(days=30)).isoformat()],
                caregiver="Éducatrice référente du centre",
            )
    except ValidationError:
        pass  # the shelter is full: kinship care instead, as in real life
    return services.placement_start(
        actor=actor,
        case=case,
        kind=kind or PlacementType.KINSHIP,
        start_on=day,
        caregiver="Tante paternelle"
        if (kind or PlacementType.KINSHIP) == PlacementType.KINSHIP
        else "Famille d'accueil Agbodjan",
    )


def _ratings(rng: random.Random, fragile: bool) -> dict[str, int]:
    low, high = (1, 3) if fragile else (3, 5)
    return {item: rng.randint(low, high) for item in scoring.ITEMS}


def _determine(case: Case, staff: dict, rng: random.Random, *, decided_on: date, returned: bool):
    """The family assessment of the area of origin, the approved best-interest assessment and
    the panel's approved determination (deciding return when the child goes home)."""
    actor = case.owner
    bid_day = _step_day(case, ChildStep.BID) or decided_on
    origin = case.person.place_of_origin or "Kpalimé"
    mother = case.person.relationships.filter(kind="mother").first()
    services.family_assessment_record(
        actor=actor,
        case=case,
        assessed_on=_clip(case, bid_day - timedelta(days=2)),
        place=origin,
        assessor="Service social de la zone d'origine",
        household="Mère, deux frères cadets, grand-mère.",
        caregiver_name=mother.name if mother else "",
        caregiver_willing=True,
        caregiver_able=True,
        living_conditions="Maison en banco, deux pièces, accès à l'eau au puits.",
        risks="Dettes auprès de l'intermédiaire qui a recruté l'enfant.",
        support_needed="Appui scolaire et activité génératrice de revenus.",
        recommendation=FamilyAssessment.Recommendation.RETURN_WITH_SUPPORT,
    )
    assessed_on = _clip(case, bid_day - timedelta(days=1))
    assessment = services.assessment_record(
        actor=actor,
        case=case,
        assessed_on=assessed_on,
        childs_views="Veut retrouver sa mère et retourner à l'école.",
        safety_risks="Le recruteur connaît la famille\u00a0; vigilance au village.",
        retrafficking_risk=rng.choice(["low", "medium"]),
        family_situation="Mère seule, revenus agricoles irréguliers.",
        health="Bonne santé après soins.",
        education="Déscolarisé depuis un an.",
        options=[Option.RETURN, Option.KINSHIP, Option.FOSTER],
        recommendation=Option.RETURN if returned else rng.choice([Option.RETURN, Option.FOSTER]),
    )
    _approve(assessment.approval, case, staff)
    decision = assessment.recommendation
    determination = services.determination_record(
        actor=actor,
        case=case,
        decided_on=_clip(case, decided_on),
        panel=[
            {"name": "Chef du service de protection de l'enfance", "role": "présidence"},
            {"name": "Assistante sociale référente", "role": "rapporteure"},
            {"name": "Représentant du juge des enfants", "role": "membre"},
        ],
        options_considered=[Option.RETURN, Option.KINSHIP, Option.FOSTER],
        child_heard=True,
        heard_how="in_person",
        decision=decision,
        reasons="La famille est disposée et capable\u00a0; un appui est prévu.",
    )
    _approve(determination.approval, case, staff)
    return determination


def prepare_return(case: Case, staff: dict, day: date, rng: random.Random) -> None:
    """Registered in ``cases.seed.BEFORE_CHILD_STEP`` for the return: the demo's walk records
    the panel's determination before it moves a child home, as a caseworker must."""
    _determine(case, staff, rng, decided_on=day, returned=True)


def _child(case: Case, staff: dict, rng: random.Random) -> dict[str, int]:
    counts = {
        gettext_noop("tracing"): 0,
        gettext_noop("assessments"): 0,
        gettext_noop("placements"): 0,
        gettext_noop("handovers"): 0,
        gettext_noop("visits"): 0,
    }
    actor = case.owner
    emergency = _step_day(case, ChildStep.EMERGENCY)
    placement = None
    if emergency:
        placement = _place(case, actor, emergency, rng)
        counts["placements"] += 1
    tracing = _step_day(case, ChildStep.TRACING)
    origin = case.person.place_of_origin or "Kpalimé"
    if tracing:
        steps = [
            ("Appel au chef de village", TracingAction.Outcome.LEAD),
            ("Visite au domicile signalé", TracingAction.Outcome.FAMILY_FOUND),
            ("Entretien avec la mère", TracingAction.Outcome.FAMILY_CONTACTED),
        ]
        for n, (what, outcome) in enumerate(steps[: rng.randint(1, 3)]):
            services.tracing_action_record(
                actor=actor,
                case=case,
                date=_clip(case, tracing + timedelta(days=2 * n)),
                action=what,
                place=origin,
                who="Assistante sociale de la préfecture",
                outcome=outcome,
            )
            counts["tracing"] += 1
    bid_day = _step_day(case, ChildStep.BID)
    returned = _reached(case, ChildStep.RETURN)
    if bid_day:
        counts["assessments"] += 1
    if bid_day and not case.bids.exists():  # a child walked home has hers from the walk
        determination = _determine(case, staff, rng, decided_on=bid_day, returned=returned)
        if not returned and determination.decision == Option.FOSTER and placement is not None:
            services.placement_update(
                actor=actor,
                placement=placement,
                expected_version=None,
                end_on=determination.decided_on,
                end_reason="Orientation vers une famille d'accueil",
            )
            placement = _place(
                case, actor, determination.decided_on, rng, kind=PlacementType.FOSTER
            )
            counts["placements"] += 1
    if _reached(case, ChildStep.REINTEGRATION) and case.returned_on:
        if placement is not None and placement.end_on is None:
            services.placement_update(
                actor=actor,
                placement=placement,
                expected_version=None,
                end_on=case.returned_on,
                end_reason="Retour en famille",
            )
        handover = services.handover_sign(
            actor=actor,
            case=case,
            date=case.returned_on,
            place=f"Préfecture de {origin}",
            escort="Assistante sociale et agent de la police des mineurs",
            receiving_agency="Direction préfectorale de l'action sociale",
            documents=["Laissez-passer", "Rapport social", "Carnet de santé"],
        )
        services.handover_countersign(actor=_approver(case, staff), handover=handover)
        counts["handovers"] += 1
        done = list(
            case.tasks.filter(kind=Task.Kind.FOLLOW_UP, done_on__isnull=False).order_by("due_on")
        )
        for month, task in zip(FOLLOW_UP_MONTHS, done, strict=False):
            fragile = rng.random() < 0.2
            services.visit_record(
                actor=actor,
                case=case,
                month=month,
                visited_on=max(task.done_on, case.returned_on),
                living_with="left" if fragile and rng.random() < 0.3 else "parents",
                schooling="none" if fragile else rng.choice(["school", "apprenticeship"]),
                safety="concerns" if fragile else "safe",
                wellbeing="Sourit, participe aux tâches familiales."
                if not fragile
                else "Renfermé.",
                childs_account="Je vais à l'école et je joue avec mes frères."
                if not fragile
                else "Je m'ennuie ici.",
                ratings=_ratings(rng, fragile),
            )
            counts["visits"] += 1
    return counts


@transaction.atomic
def seed() -> dict[str, int]:
    node = settings.NODE_NAME
    prefix = PREFIX[node]
    staff = {
        u.username.split(".", 1)[1]: u
        for u in User.objects.filter(username__startswith=f"{prefix}.")
    }
    # The walk of the cases seeder already recorded the determinations of children sent home, so
    # placements and visits (this seeder's own) say whether it ran.
    if not staff or Placement.objects.exists() or FollowUpVisit.objects.exists():
        return {gettext_noop("children"): 0}
    rng = random.Random(f"corridor-childcare-{node}")
    totals = {"children": 0}
    cases = Case.objects.filter(is_child=True, owner__in=staff.values()).select_related("person")
    for case in cases.order_by("pk"):
        for key, value in _child(case, staff, rng).items():
            totals[key] = totals.get(key, 0) + value
        totals["children"] += 1
    return totals
