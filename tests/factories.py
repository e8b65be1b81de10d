"""Build agencies and staff for tests through the same services the application uses."""

from __future__ import annotations

import itertools

from corridor.accounts import services
from corridor.accounts.models import Agency, Role
from corridor.cases import services as case_services

PASSWORD = "Test-password-2026!"
_counter = itertools.count(1)


def make_agency(*, country: str = "TG", name: str | None = None, org_type: str = "NGO") -> Agency:
    return services.agency_create(
        actor=None,
        name=name or f"Agency {next(_counter)} ({country})",
        country=country,
        org_type=org_type,
    )


def make_user(
    role: str,
    *,
    agency: Agency | None = None,
    country: str = "TG",
    username: str | None = None,
    scope: str = "",
):
    agency = agency or make_agency(country=country)
    return services.user_create(
        actor=None,
        username=username or f"{role}-{next(_counter)}",
        password=PASSWORD,
        agency=agency,
        role=role,
        scope=scope,
    )


ALL_ROLES = list(Role.values)


def guardian_consent(case, worker, purpose):
    return case_services.consent_record(
        actor=worker,
        case=case,
        purpose=purpose,
        given_by_guardian=True,
        guardian_name="Afi AKUÉ",
        childs_views="Veut rentrer.",
    )


def make_agreement(*, peer: str, node: str = "", purposes=None, days_left: int = 365, **extra):
    """A data-sharing agreement in force (or lapsed, with ``days_left`` ≤ 0) between this node
    and ``peer`` for ``purposes`` (all by default), written directly: a test's standing
    agreement, not the thing under test."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from corridor.governance.models import Agreement, Purpose

    today = timezone.localdate()
    return Agreement.objects.create(
        reference=extra.pop(
            "reference", f"TEST-{node or settings.NODE_NAME}-{peer}-{next(_counter)}"
        ),
        title=extra.pop("title", "Test agreement"),
        parties=sorted({node or settings.NODE_NAME, peer}),
        purposes=list(purposes or Purpose.values),
        starts_on=extra.pop("starts_on", today - timedelta(days=400)),
        expires_on=today + timedelta(days=days_left),
        **extra,
    )


def approved_determination(case, worker, supervisor, *, decision: str = "return"):
    """A child's best-interest determination as the procedure makes it: the area of origin's
    family assessment, an approved assessment, the panel's record and its approval, all dated
    the day the child was identified."""
    from tests.childcare.conftest import approve, assessment, determination, family

    on, options = case.identified_on, ["return", "kinship", "foster"]
    family(case, worker, assessed_on=on)
    approve(
        assessment(case, worker, assessed_on=on, recommendation=decision, options=options).approval,
        supervisor,
    )
    record = determination(
        case, worker, decided_on=on, decision=decision, options_considered=options
    )
    approve(record.approval, supervisor)
    return record


def privacy_budget(coordinator, *, name: str = "test", days: int = 60, epsilon: float = 1.0):
    """A privacy budget for differentially private releases over the last ``days`` days."""
    from datetime import timedelta

    from django.utils import timezone

    from corridor.reports import services as reports

    today = timezone.localdate()
    return reports.privacy_budget_create(
        actor=coordinator,
        name=name,
        epsilon_total=epsilon,
        period_start=today - timedelta(days=days),
        period_end=today,
    )
