"""Alternative care: placements, one at a time, within the provider's capacity."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import node_about
from corridor.cases.models import Case
from corridor.childcare.models import (
    Placement,
    PlacementType,
)
from corridor.childcare.services.common import (
    SHELTER_SERVICE,
    _audit,
    _check_choice,
    _check_day,
    _check_version,
    _require_child_case,
    _required,
)


def occupancy(provider) -> int:
    today = timezone.localdate()
    return (
        Placement.objects.filter(provider=provider, start_on__lte=today)
        .exclude(end_on__lt=today)
        .count()
    )


def _check_dates_list(values, field: str) -> list[str]:
    out = []
    for value in values or []:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise ValidationError({field: _("Dates are written YYYY-MM-DD.")}) from None
        out.append(value.isoformat())
    return sorted(set(out))


@transaction.atomic
def placement_start(
    *,
    actor,
    case: Case,
    kind: str,
    start_on: date,
    provider=None,
    review_dates: list | None = None,
    caregiver: str = "",
) -> Placement:
    """Place a child in alternative care: one placement at a time, with a provider of this
    country's service directory (a shelter offers shelter and has a free place)."""
    _require_child_case(actor, case)
    _check_day(case, start_on, "start_on")
    _check_choice(kind, PlacementType, "kind")
    if case.placements.filter(end_on__isnull=True).exists():
        raise ValidationError(_("The child is still in a placement: end it first."))
    if kind == PlacementType.SHELTER and provider is None:
        raise ValidationError({"provider": _("Choose the provider from the service directory.")})
    if provider is not None:
        from corridor.referrals.models import ServiceProvider

        provider = ServiceProvider.objects.select_for_update().get(pk=provider.pk)
        if provider.country != settings.NODE_COUNTRY:
            raise ValidationError({"provider": _("Choose a provider of this country.")})
        if kind == PlacementType.SHELTER:
            if SHELTER_SERVICE not in (provider.services or []):
                raise ValidationError({"provider": _("This provider offers no shelter.")})
            if provider.capacity is not None and occupancy(provider) >= provider.capacity:
                raise ValidationError(
                    {
                        "provider": _("%(p)s is full (%(n)s places).")
                        % {"p": provider.name, "n": provider.capacity}
                    }
                )
    reviews = _check_dates_list(review_dates, "review_dates")
    if any(r < start_on.isoformat() for r in reviews):
        raise ValidationError(
            {"review_dates": _("A review cannot come before the placement starts.")}
        )
    caregivers = (
        [{"name": caregiver.strip()[:150], "from": start_on.isoformat(), "to": None}]
        if caregiver.strip()
        else []
    )
    placement = Placement.objects.create(
        case=case,
        kind=kind,
        provider=provider,
        start_on=start_on,
        review_dates=reviews,
        caregivers=caregivers,
        recorded_by=actor,
    )
    _audit(
        actor,
        Action.CREATE,
        placement,
        node_about(case.ref, placement.get_kind_display),
        provider=provider.pk if provider else None,
    )
    return placement


@transaction.atomic
def placement_update(
    *,
    actor,
    placement: Placement,
    expected_version: int | None,
    end_on: date | None = None,
    end_reason: str = "",
    review_on: date | None = None,
    caregiver: str = "",
    caregiver_from: date | None = None,
) -> Placement:
    """Add a review date, record a change of caregiver (the previous one's stay ends the day
    before), or end the placement."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    case = _require_child_case(actor, placement.case)
    _check_version(placement, expected_version)
    if placement.end_on is not None:
        raise ValidationError(_("This placement has ended."))
    if review_on is not None:
        if review_on < placement.start_on:
            raise ValidationError(
                {"review_on": _("A review cannot come before the placement starts.")}
            )
        placement.review_dates = sorted({*placement.review_dates, review_on.isoformat()})
    if caregiver.strip():
        since = caregiver_from or timezone.localdate()
        _check_day(case, since, "caregiver_from")
        if since < placement.start_on:
            raise ValidationError(
                {"caregiver_from": _("This date is before the placement started.")}
            )
        history = [dict(c) for c in placement.caregivers]
        for entry in history:
            if entry.get("to") is None:
                entry["to"] = since.isoformat()
        history.append({"name": caregiver.strip()[:150], "from": since.isoformat(), "to": None})
        placement.caregivers = history
    if end_on is not None:
        _check_day(case, end_on, "end_on")
        if end_on < placement.start_on:
            raise ValidationError({"end_on": _("A placement cannot end before it starts.")})
        _required({"end_reason": end_reason})
        placement.end_on, placement.end_reason = end_on, end_reason.strip()[:200]
        for entry in placement.caregivers:
            if entry.get("to") is None:
                entry["to"] = end_on.isoformat()
    placement.version += 1
    placement.save()
    _audit(actor, Action.UPDATE, placement, case.ref, version=placement.version)
    return placement
