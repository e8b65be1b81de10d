"""Reads of hand-offs and hotline intakes, scoped: the one home of their access control (fails
closed: anyone not home staff, or in a role not named here, sees nothing)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from corridor.accounts.models import Role
from corridor.intake.models import DutyAgency, Handoff, Intake

RECEIVERS = (Role.CASEWORKER, Role.SUPERVISOR)
HANDOFF_READERS = (*RECEIVERS, Role.COORDINATOR, Role.BORDER_OFFICER)
DUTY_KEEPERS = (Role.COORDINATOR, Role.ADMINISTRATOR)
INTAKE_READERS = (Role.CALL_TAKER, Role.COORDINATOR, Role.CASEWORKER, Role.SUPERVISOR)
INTAKE_TAKERS = (Role.CALL_TAKER, Role.COORDINATOR)


def _home(user, *roles) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(*roles)


def visible_handoffs(user) -> QuerySet[Handoff]:
    """The coordinator sees every hand-off of the node; caseworkers and supervisors those sent to
    their agency (whatever their scope: the hand-off is addressed to the agency); a border
    officer those their post sent, to follow them."""
    if not _home(user, *HANDOFF_READERS):
        return Handoff.objects.none()
    handoffs = Handoff.objects.select_related(
        "point", "to_agency", "from_agency", "person", "case", "first_action_by"
    )
    if user.role == Role.COORDINATOR:
        return handoffs
    if user.role == Role.BORDER_OFFICER:
        return handoffs.filter(from_agency_id=user.agency_id)
    return handoffs.filter(to_agency_id=user.agency_id)


def waiting_handoffs(user) -> QuerySet[Handoff]:
    return visible_handoffs(user).filter(status=Handoff.Status.WAITING).order_by("started_at")


def is_receiver(user, handoff: Handoff) -> bool:
    """Only the staff of the agency on duty act on a hand-off: their first action stops the
    clock, so nobody else may stop it for them."""
    return _home(user, *RECEIVERS) and handoff.to_agency_id == user.agency_id


def is_sender(user, handoff: Handoff) -> bool:
    return _home(user, Role.BORDER_OFFICER) and handoff.from_agency_id == user.agency_id


def visible_duty_agencies(user) -> QuerySet[DutyAgency]:
    if not _home(user, *DUTY_KEEPERS):
        return DutyAgency.objects.none()
    return DutyAgency.objects.select_related("point", "agency")


def visible_intakes(user) -> QuerySet[Intake]:
    """Coordinators see the node's intakes; call-takers their hotline's and the SMS not yet taken
    by a hotline; a supervisor those dispatched to their agency's social workers; a caseworker
    those dispatched to them."""
    if not _home(user, *INTAKE_READERS):
        return Intake.objects.none()
    intakes = Intake.objects.select_related("agency", "received_by", "dispatched_to", "case")
    if user.role == Role.COORDINATOR:
        return intakes
    if user.role == Role.CALL_TAKER:
        return intakes.filter(Q(agency_id=user.agency_id) | Q(agency__isnull=True))
    if user.role == Role.SUPERVISOR:
        return intakes.filter(dispatched_to__agency_id=user.agency_id)
    return intakes.filter(dispatched_to=user)


def is_taker(user, intake: Intake) -> bool:
    """The hotline that holds the intake (any call-taker while an SMS is not yet taken), or a
    coordinator."""
    if _home(user, Role.COORDINATOR):
        return True
    return _home(user, Role.CALL_TAKER) and intake.agency_id in (None, user.agency_id)


def is_handler(user, intake: Intake) -> bool:
    """The social worker it was dispatched to, a supervisor of their agency, a coordinator."""
    if _home(user, Role.COORDINATOR):
        return True
    if intake.dispatched_to_id is None:
        return False
    if _home(user, Role.SUPERVISOR):
        return intake.dispatched_to.agency_id == user.agency_id
    return _home(user, Role.CASEWORKER) and intake.dispatched_to_id == user.pk
