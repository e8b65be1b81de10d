"""Demo data for reports: two training sessions, a privacy budget and what a partner reads, a
differentially private release and a k-anonymous export of the year's victims (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from corridor.accounts.models import Agency, Role, User
from corridor.reports import anonymise, services
from corridor.reports.models import PrivacyBudget, Publication, TrainingSession


def seed() -> dict:
    created = {
        gettext_noop("training sessions"): 0,
        gettext_noop("privacy budgets"): 0,
        gettext_noop("publications"): 0,
    }
    agencies = list(Agency.objects.filter(country=settings.NODE_COUNTRY, is_active=True)[:4])
    today = timezone.localdate()
    if agencies and not TrainingSession.objects.exists():
        for offset, title in (
            (90, "Identification des victimes aux frontières"),
            (30, "Entretien adapté à l'enfant"),
        ):
            services.training_session_create(
                actor=None,
                title=title,
                held_on=today - timedelta(days=offset),
                organiser=agencies[0],
                attendance=[(a, s, 3 + i) for i, a in enumerate(agencies) for s in ("f", "m")],
            )
            created["training sessions"] += 1
    if not PrivacyBudget.objects.exists():
        services.privacy_budget_create(
            actor=None,
            name=f"{today.year}",
            epsilon_total=2.0,
            period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=12, day=31),
        )
        created["privacy budgets"] += 1
    coordinator = (
        User.objects.filter(
            role=Role.COORDINATOR, agency__country=settings.NODE_COUNTRY, is_active=True
        )
        .order_by("pk")
        .first()
    )
    budget = PrivacyBudget.objects.order_by("pk").first()
    if coordinator and budget and not Publication.objects.exists():
        services.publication_dp_release(
            actor=coordinator, budget=budget, dimension="sex", epsilon=0.5
        )
        services.publication_ctdc_export(
            actor=coordinator, start=budget.period_start, end=today, k=anonymise.K
        )
        created["publications"] += 2
    return created
