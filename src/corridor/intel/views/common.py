"""What every intelligence page shares: investigators only, and every page read audited."""

from __future__ import annotations

from corridor.accounts.models import Role
from corridor.accounts.permissions import role_required
from corridor.audit.models import Action
from corridor.audit.services import audit_record

investigator_only = role_required(Role.INVESTIGATOR)


def audit_page(request, what: str, detail: dict | None = None) -> None:
    """Record that an investigator opened an intelligence page (object type ``intel.page``)."""
    audit_record(
        actor=request.user,
        action=Action.READ,
        object_type="intel.page",
        object_id=what,
        summary=request.get_full_path()[:300],
        detail=detail or {},
    )


def grading(data: dict) -> dict:
    """The source and information grading (Admiralty code, handling) every record carries."""
    return {k: data[k] for k in ("source", "reliability", "credibility", "handling")}
