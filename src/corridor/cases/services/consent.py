"""Consent: recorded with the child's views, withdrawn with the hooks other apps register."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_about, node_text
from corridor.cases.models import (
    Case,
    Consent,
)
from corridor.cases.services.common import (
    _require_manager,
)
from corridor.core.vocab import vocabulary


@transaction.atomic
def consent_record(
    *,
    actor,
    case: Case,
    purpose: str,
    given: bool = True,
    legal_ground: str = "",
    given_by_guardian: bool = False,
    guardian_name: str = "",
    childs_views: str = "",
    given_on: date | None = None,
) -> Consent:
    """Consent for a child is given by a parent or guardian and records the child's own views."""
    _require_manager(actor, case)
    if purpose not in vocabulary("cases.consent_purpose"):
        raise ValidationError({"purpose": _("Unknown purpose “%(p)s”.") % {"p": purpose}})
    if legal_ground and legal_ground not in vocabulary("cases.legal_ground"):
        raise ValidationError({"legal_ground": _("Unknown legal ground.")})
    if case.is_child and given and not legal_ground:
        errors = {}
        if not given_by_guardian or not guardian_name.strip():
            errors["guardian_name"] = _(
                "A child's consent is given by a parent or guardian: name them."
            )
        if not childs_views.strip():
            errors["childs_views"] = _("Record the child's own views.")
        if errors:
            raise ValidationError(errors)
    consent = Consent(
        case=case,
        purpose=purpose,
        given=given,
        legal_ground=legal_ground,
        given_by_guardian=given_by_guardian,
        guardian_name=guardian_name,
        childs_views=childs_views,
        recorded_by=actor,
        given_on=given_on or timezone.localdate(),
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=consent,
        summary=node_about(case.ref, consent.get_purpose_display),
        detail={"given": given, "legal_ground": legal_ground},
    )
    return consent


CONSENT_WITHDRAWN_HOOKS: list = []


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, comment: str = "") -> Consent:
    """Withdrawal stops further sharing for that purpose; hooks (in-country referrals, the
    federation) are told in the same transaction so they stop and propagate it."""
    _require_manager(actor, consent.case)
    if consent.withdrawn_on:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.withdrawn_on = timezone.localdate()
    consent.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=consent,
        summary=node_text(gettext_noop("consent withdrawn")),
        detail={"purpose": consent.purpose, "comment": comment[:200]},
    )
    for hook in CONSENT_WITHDRAWN_HOOKS:
        hook(actor=actor, consent=consent)
    return consent
