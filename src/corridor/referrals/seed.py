"""The demo's service directory (synthetic providers of both countries)."""

from __future__ import annotations

from importlib import resources

import yaml
from django.utils.translation import gettext_noop

from corridor.accounts.demo_data import demo_user
from corridor.accounts.models import Agency
from corridor.referrals.models import ServiceProvider
from corridor.referrals.services import provider_save


def seed_providers() -> dict[str, int]:
    entries = yaml.safe_load(
        resources.files("corridor.referrals").joinpath("data/providers.yaml").read_text("utf-8")
    )
    created = 0
    for entry in entries:
        if ServiceProvider.objects.filter(name=entry["name"]).exists():
            continue
        agency_name = entry.pop("agency", None)
        agency = Agency.objects.filter(short_name=agency_name).first() if agency_name else None
        provider_save(actor=None, agency=agency, **entry)
        created += 1
    return {gettext_noop("providers"): created}


# (service, reason, what happens next, why). The demo's caseworker refers her cases to the
# shelter of her own country, through the same services as the page.
REFERRALS = [
    ("Shelter", "AdditionalServicesRequired", "sent", ""),
    ("Psychosocial", "AdditionalServicesRequired", "accepted", ""),
    ("Education", "MigrationOrChangeOfLocation", "completed", ""),
    ("Shelter", "AdditionalServicesRequired", "declined", "Plus de place disponible ce mois-ci."),
]


def _with_consent(worker, case, purpose: str) -> None:
    """Consent to share, as the caseworker records it: a parent's for a child, with the
    child's views; the person's own for an adult."""
    from corridor.cases import services as case_services

    if case_services.has_consent(case, purpose):
        return
    if case.is_child:
        case_services.consent_record(
            actor=worker,
            case=case,
            purpose=purpose,
            given_by_guardian=True,
            guardian_name="Parent (DEMO)",
            childs_views="Je suis d'accord.",
        )
    else:
        case_services.consent_record(actor=worker, case=case, purpose=purpose)


def seed_referrals() -> dict[str, int]:
    """Referrals between the demo's agencies in every state: sent and waiting, accepted,
    completed and declined with its reason (idempotent: none when the node has any)."""
    from corridor.cases.models import Case, Status
    from corridor.referrals.models import Referral
    from corridor.referrals.services import referral_close, referral_create, referral_decide

    worker, shelter = demo_user("caseworker"), demo_user("shelter")
    if worker is None or shelter is None or Referral.objects.exists():
        return {gettext_noop("referrals"): 0}
    cases = list(
        Case.objects.filter(owner=worker, agency=worker.agency)
        .exclude(status__in=[Status.CLOSED, Status.CLOSED_REFERRED])
        .order_by("pk")[: len(REFERRALS)]
    )
    for case, (service, reason, state, why) in zip(cases, REFERRALS, strict=False):
        _with_consent(worker, case, "referral")
        referral = referral_create(
            actor=worker,
            case=case,
            to_agency=shelter.agency,
            reason=reason,
            service_type=service,
            details="Demande d'accueil et de suivi (DEMO).",
        )
        if state in ("accepted", "completed"):
            referral = referral_decide(actor=shelter, referral=referral, accept=True)
        if state == "completed":
            referral_close(actor=shelter, referral=referral, to=Referral.Status.COMPLETED)
        if state == "declined":
            referral_decide(actor=shelter, referral=referral, accept=False, reason=why)
    return {"referrals": len(cases)}


def seed_cross_border() -> dict[str, int]:
    """Once the nodes are federated: Gabon's caseworker refers a Togolese child found in
    Libreville to Togo for return, through a signed and encrypted message that the outbox
    delivers when both nodes serve, so that Togo's coordinator finds it waiting for a
    decision. Togo sends nothing; nothing is sent twice."""
    from django.conf import settings

    from corridor.cases.models import Case, Status
    from corridor.federation.models import Peer
    from corridor.referrals.cross_border import referral_send
    from corridor.referrals.models import CrossBorderReferral

    peer = Peer.objects.filter(country="TG", is_active=True).first()
    worker = demo_user("caseworker")
    if (
        settings.NODE_COUNTRY != "GA"
        or peer is None
        or worker is None
        or CrossBorderReferral.objects.filter(
            direction=CrossBorderReferral.Direction.OUTGOING
        ).exists()
    ):
        return {gettext_noop("cross-border referrals"): 0}
    children = (
        Case.objects.filter(owner=worker, is_child=True)
        .exclude(status__in=[Status.CLOSED, Status.CLOSED_REFERRED])
        .select_related("person")
        .order_by("pk")
    )
    case = next((c for c in children if "TG" in (c.person.citizenships or [])), None)
    if case is None:
        return {"cross-border referrals": 0}
    _with_consent(worker, case, "cross_border")
    referral_send(
        actor=worker,
        case=case,
        peer=peer,
        purpose="return",
        reason=(
            "Enfant de nationalité togolaise, pris en charge à Libreville\u00a0; sa famille est à "
            "rechercher au Togo (DEMO)."
        ),
    )
    return {"cross-border referrals": 1}
