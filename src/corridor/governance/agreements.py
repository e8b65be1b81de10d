"""Data-sharing agreements: the register, and the check that binds every message to one.

Every message a node sends to a peer serves a purpose (its type's prefix, ``purpose_of``). It
leaves only if an agreement in force today has both nodes among its parties and that purpose
among its purposes; otherwise ``message_send`` refuses it, naming the peer, the purpose and the
agreement that lapsed, if any.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.governance.models import TRANSPORT_PREFIX, Agreement, Purpose, purpose_of

AGREEMENT_MANAGERS = (Role.ADMINISTRATOR, Role.COORDINATOR)


def agreements_between(node: str, peer: str):
    """Agreements (any date) with both nodes among their parties."""
    return [a for a in Agreement.objects.all() if node in a.parties and peer in a.parties]


def agreement_covering(
    *, peer: str, purpose: str, on: date | None = None, node: str | None = None
) -> Agreement | None:
    node = node or settings.NODE_NAME
    on = on or timezone.localdate()
    for agreement in agreements_between(node, peer):
        if agreement.in_force(on) and purpose in agreement.purposes:
            return agreement
    return None


def check_send(*, peer, type: str, payload: dict) -> None:
    """The federation's send check (registered from ``GovernanceConfig.ready``)."""
    if type.startswith(TRANSPORT_PREFIX):
        return
    purpose = purpose_of(type)
    if purpose is None:
        raise ValidationError(
            _(
                "The message type «%(type)s» serves no purpose of a data-sharing agreement: it "
                "may not be sent."
            )
            % {"type": type}
        )
    if agreement_covering(peer=peer.name, purpose=purpose) is not None:
        return
    label = Purpose(purpose).label
    today = timezone.localdate()
    lapsed = [
        a
        for a in agreements_between(settings.NODE_NAME, peer.name)
        if purpose in a.purposes and not a.in_force(today)
    ]
    if lapsed:
        latest = max(lapsed, key=lambda a: a.expires_on)
        if latest.starts_on > today:
            why = _("agreement %(ref)s only comes into force on %(day)s") % {
                "ref": latest.reference,
                "day": latest.starts_on.isoformat(),
            }
        else:
            why = _("agreement %(ref)s expired on %(day)s") % {
                "ref": latest.reference,
                "day": latest.expires_on.isoformat(),
            }
    else:
        why = _("no agreement with this node lists that purpose")
    raise ValidationError(
        _(
            "Not sent: no data-sharing agreement in force with %(peer)s covers the purpose "
            "«%(purpose)s» (message %(type)s): %(why)s."
        )
        % {"peer": peer.name, "purpose": label, "type": type, "why": why}
    )


def _clean_lists(parties, purposes, field_sets) -> tuple[list, list, dict]:
    parties = sorted({str(p).strip().lower() for p in parties if str(p).strip()})
    purposes = list(dict.fromkeys(purposes))
    errors = {}
    if len(parties) < 2:
        errors["parties"] = _("An agreement needs at least two parties (node names).")
    unknown = [p for p in purposes if p not in Purpose.values]
    if not purposes or unknown:
        errors["purposes"] = _("Choose at least one purpose among the known ones.")
    field_sets = field_sets or {}
    if not isinstance(field_sets, dict) or any(
        k not in purposes or not isinstance(v, list) or not all(isinstance(f, str) for f in v)
        for k, v in field_sets.items()
    ):
        errors["field_sets"] = _(
            "Field sets are a list of field names for each purpose of the agreement."
        )
    if errors:
        raise ValidationError(errors)
    return parties, purposes, field_sets


@transaction.atomic
def agreement_create(
    *,
    actor,
    reference: str,
    title: str,
    parties: list[str],
    purposes: list[str],
    starts_on: date,
    expires_on: date,
    field_sets: dict | None = None,
    notes: str = "",
) -> Agreement:
    """Record a signed agreement. One that expires on or before the day it starts is refused."""
    if actor is not None and not actor.has_role(*AGREEMENT_MANAGERS):
        raise PermissionDenied
    parties, purposes, field_sets = _clean_lists(parties, purposes, field_sets)
    if starts_on and expires_on and expires_on <= starts_on:
        raise ValidationError(
            {"expires_on": _("The agreement expires on or before the day it comes into force.")}
        )
    agreement = Agreement(
        reference=reference.strip(),
        title=title.strip(),
        parties=parties,
        purposes=purposes,
        field_sets=field_sets,
        starts_on=starts_on,
        expires_on=expires_on,
        notes=notes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    agreement.full_clean()
    agreement.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=agreement,
        summary=agreement.reference,
        detail={
            "parties": parties,
            "purposes": purposes,
            "starts_on": starts_on.isoformat(),
            "expires_on": expires_on.isoformat(),
        },
    )
    return agreement


def bindings(peers, types) -> list[dict]:
    """For each active peer and each registered message type: the agreement in force that binds
    it, or none (such a message would be refused)."""
    today = timezone.localdate()
    rows = []
    for peer in peers:
        for type in sorted(types):
            if type.startswith(TRANSPORT_PREFIX):
                continue
            purpose = purpose_of(type)
            agreement = (
                agreement_covering(peer=peer.name, purpose=purpose, on=today) if purpose else None
            )
            rows.append(
                {
                    "peer": peer.name,
                    "type": type,
                    "purpose": Purpose(purpose).label if purpose else "",
                    "agreement": agreement,
                }
            )
    return rows
