"""Flow monitoring points: the node's points from ``vocab/points.yaml``, who staffs each, and the
check every count or survey write makes (the writer staffs the point, the day is possible)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Agency, Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.flows import vocab
from corridor.flows.models import FlowPoint
from corridor.flows.selectors import writable_points

EARLIEST_DAY = date(2000, 1, 1)


def check_entry(actor, point: FlowPoint, day: date) -> None:
    """Counts and surveys are entered by staff of the point (``actor=None`` is the node itself:
    imports by the operator, seeding), for a day that is neither in the future nor before
    2000."""
    if actor is not None and not writable_points(actor).filter(pk=point.pk).exists():
        raise PermissionDenied(_("You cannot enter counts for this point."))
    if not isinstance(day, date):
        raise ValidationError(_("The day is not a valid date."))
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            _("Counts cannot be entered for a day in the future (%(day)s).") % {"day": day}
        )
    if day < EARLIEST_DAY:
        raise ValidationError(_("The day %(day)s is too far in the past.") % {"day": day})


@transaction.atomic
def point_sync(*, actor, agency: Agency | None = None) -> dict:
    """Create or update this node's flow monitoring points from ``vocab/points.yaml``
    (idempotent); new points are staffed by ``agency``."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR, Role.COORDINATOR):
        raise PermissionDenied(_("Only a coordinator or an administrator can manage points."))
    created = updated = 0
    for spec in vocab.points(settings.NODE_COUNTRY):
        fields = {k: spec[k] for k in ("name", "country", "region", "kind", "route")}
        point = FlowPoint.objects.filter(code=spec["code"]).first()
        if point is None:
            point = FlowPoint(code=spec["code"], agency=agency, **fields)
            point.full_clean()
            point.save()
            created += 1
            audit_record(actor=actor, action=Action.CREATE, target=point, summary=point.name)
        elif any(getattr(point, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(point, k, v)
            point.full_clean()
            point.save()
            updated += 1
            audit_record(actor=actor, action=Action.UPDATE, target=point, summary=point.name)
    return {gettext_noop("points created"): created, gettext_noop("points updated"): updated}


@transaction.atomic
def point_set_agency(*, actor, point: FlowPoint, agency: Agency | None) -> FlowPoint:
    """Say which agency staffs a point (its officers enter the counts there)."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR, Role.COORDINATOR):
        raise PermissionDenied(_("Only a coordinator or an administrator can manage points."))
    if agency is not None and agency.country != point.country:
        raise ValidationError(_("A point is staffed by an agency of its own country."))
    if point.agency_id != (agency.pk if agency else None):
        old = str(point.agency) if point.agency_id else None
        point.agency = agency
        point.full_clean()
        point.save(update_fields=["agency"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=point,
            summary=point.name,
            detail={"agency": [old, str(agency) if agency else None]},
        )
    return point
