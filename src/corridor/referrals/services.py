"""Writes of in-country referrals. A referral needs consent for referral (or a legal ground)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.accounts.selectors import case_holding_agencies
from corridor.audit.models import Action
from corridor.audit.services import audit_record, choice_label, node_about
from corridor.cases import services as case_services
from corridor.cases.selectors import can_manage
from corridor.core import said
from corridor.core.vocab import vocabulary
from corridor.referrals.models import Referral, ServiceProvider
from corridor.referrals.selectors import is_receiver


@transaction.atomic
def referral_create(
    *,
    actor,
    case,
    to_agency,
    reason: str,
    service_type: str = "",
    details: str = "",
    provider: ServiceProvider | None = None,
) -> Referral:
    if not can_manage(actor, case):
        raise PermissionDenied(_("You cannot refer this case."))
    if not case_services.has_consent(case, "referral"):
        raise ValidationError(
            _(
                "Refused: there is no consent (or legal ground) to share this case with a service provider. Record it on the case first."
            )
        )
    if to_agency.pk == case.agency_id:
        raise ValidationError({"to_agency": _("Choose another agency than the case's own.")})
    if to_agency.country != actor.country:
        raise ValidationError(
            {"to_agency": _("To refer to the other country, use the cross-border referral.")}
        )
    if not case_holding_agencies().filter(pk=to_agency.pk).exists():
        raise ValidationError(
            {"to_agency": _("Nobody at this agency can take a referral: it has no caseworker.")}
        )
    if reason not in vocabulary("cases.referral_reason"):
        raise ValidationError({"reason": _("Unknown referral reason.")})
    if service_type and service_type not in vocabulary("cases.support_type"):
        raise ValidationError({"service_type": _("Unknown service.")})
    referral = Referral(
        case=case,
        from_agency=case.agency,
        to_agency=to_agency,
        provider=provider,
        service_type=service_type,
        reason=reason,
        details=details,
        sent_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_record(
        actor=actor,
        action=Action.SEND,
        target=referral,
        summary=f"{case.ref} → {to_agency}",
        detail={"service": service_type, "reason": reason},
    )
    return referral


@transaction.atomic
def referral_decide(*, actor, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The receiving agency accepts, or declines with a reason."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not is_receiver(actor, referral):
        raise PermissionDenied(_("Only the receiving agency can answer this referral."))
    target = Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED
    if target not in Referral.FLOW[referral.status]:
        raise ValidationError(_("This referral was already answered."))
    if not accept and not reason.strip():
        raise ValidationError({"decision_reason": _("Say why the referral is declined.")})
    referral.status, referral.decision_reason = target, reason
    referral.decided_by, referral.decided_at = actor, timezone.now()
    referral.save()
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=referral,
        summary=node_about(referral.case.ref, choice_label(Referral.Status, target)),
        detail={"reason": reason[:200]},
    )
    return referral


@transaction.atomic
def referral_close(*, actor, referral: Referral, to: str, reason: str = "") -> Referral:
    """Complete (receiver) or withdraw (sender) a referral."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if to == Referral.Status.COMPLETED and not is_receiver(actor, referral):
        raise PermissionDenied(_("Only the receiving agency can complete this referral."))
    if (
        to == Referral.Status.WITHDRAWN
        and actor is not None
        and not can_manage(actor, referral.case)
    ):
        raise PermissionDenied(_("Only the referring agency can withdraw this referral."))
    if to not in Referral.FLOW[referral.status]:
        raise ValidationError(
            _("This referral cannot become “%(s)s” now.") % {"s": choice_label(Referral.Status, to)}
        )
    referral.status, referral.decision_reason = to, reason or referral.decision_reason
    referral.save(update_fields=["status", "decision_reason"])
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=referral,
        summary=node_about(referral.case.ref, choice_label(Referral.Status, to)),
        detail={"reason": reason[:200]},
    )
    return referral


ANSWERS = ("accept", "decline", "complete", "withdraw")


def referral_answer(*, actor, referral: Referral, decision: str, reason: str = "") -> Referral:
    """The one entry the page and the API share for answering a referral: the receiver accepts,
    declines (with a reason) or completes it; the sender withdraws it."""
    if decision in ("accept", "decline"):
        return referral_decide(
            actor=actor, referral=referral, accept=decision == "accept", reason=reason
        )
    if decision == "complete":
        return referral_close(
            actor=actor, referral=referral, to=Referral.Status.COMPLETED, reason=reason
        )
    if decision == "withdraw":
        return referral_close(
            actor=actor, referral=referral, to=Referral.Status.WITHDRAWN, reason=reason
        )
    raise ValidationError({"decision": _("Choose accept, decline, complete or withdraw.")})


def withdraw_on_consent_withdrawal(*, actor, consent) -> None:
    """Withdrawn consent to share stops open referrals of that case."""
    if consent.purpose != "referral":
        return
    for referral in Referral.objects.filter(
        case=consent.case, status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED]
    ):
        referral_close(
            actor=actor,
            referral=referral,
            to=Referral.Status.WITHDRAWN,
            reason=said.say(said.CONSENT_WITHDRAWN),
        )


@transaction.atomic
def provider_save(
    *, actor, name: str, country: str, services: list[str], **fields
) -> ServiceProvider:
    """Add or update a directory entry (by name); coordinators and administrators keep it."""
    if actor is not None and not actor.has_role("coordinator", "administrator"):
        raise PermissionDenied(_("Only coordinators and administrators keep the directory."))
    bad = [s for s in services if s not in vocabulary("cases.support_type")]
    if bad:
        raise ValidationError(
            {
                "services": ngettext("Unknown service: %(s)s", "Unknown services: %(s)s", len(bad))
                % {"s": ", ".join(bad)}
            }
        )
    provider, created = ServiceProvider.objects.get_or_create(
        name=name, defaults={"country": country, "services": services, **fields}
    )
    if not created:
        for key, value in {"country": country, "services": services, **fields}.items():
            setattr(provider, key, value)
    provider.full_clean()
    provider.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=provider,
        summary=name,
    )
    return provider
