"""What the case page shows of referrals: every referral of the case, in-country and across the
border (sent or received), with its status and its shared updates, in a panel and in the
case's timeline (registered in ``cases.registry`` from ``ReferralsConfig.ready``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.cases.selectors import can_manage
from corridor.referrals.models import CrossBorderReferral, Referral
from corridor.referrals.selectors import visible_cross_border_referrals


def _cross_border(request, case):
    return (
        visible_cross_border_referrals(request.user)
        .filter(case=case)
        .prefetch_related("events")
        .order_by("created_at")
    )


def referrals_panel(request, case) -> dict:
    """The case is already visible to this user (the case page checked it); its in-country
    referrals follow the case, its cross-border ones their own selector."""
    cross_border = list(_cross_border(request, case))
    for referral in cross_border:
        events = list(referral.events.all())
        referral.last_event = events[-1] if events else None
    return {
        "referrals": Referral.objects.filter(case=case).select_related("to_agency", "provider"),
        "cross_border": cross_border,
        "can_manage": can_manage(request.user, case),
        "case": case,
    }


def referral_timeline(request, case) -> list[dict]:
    items = []
    for referral in Referral.objects.filter(case=case).select_related("to_agency"):
        items.append(
            {
                "date": timezone.localdate(referral.sent_at),
                "kind": "referral",
                "text": _("Referred to %(agency)s") % {"agency": referral.to_agency},
            }
        )
        if referral.decided_at:
            items.append(
                {
                    "date": timezone.localdate(referral.decided_at),
                    "kind": "referral",
                    "text": _("Referral to %(agency)s: %(status)s")
                    % {"agency": referral.to_agency, "status": referral.get_status_display()},
                }
            )
    for referral in _cross_border(request, case):
        sent = referral.direction == CrossBorderReferral.Direction.OUTGOING
        items.append(
            {
                "date": timezone.localdate(referral.created_at),
                "kind": "cross_border",
                "text": (
                    _("Referred to %(country)s")
                    if sent
                    else _("Referral received from %(country)s")
                )
                % {"country": referral.peer.label},
            }
        )
        for event in referral.events.all():
            if event.kind == "status" and event.status in ("sent", "received"):
                continue
            what = event.status_label if event.kind == "status" else event.get_kind_display()
            items.append(
                {
                    "date": event.date or timezone.localdate(event.at),
                    "kind": "cross_border",
                    "text": _("Cross-border referral (%(country)s): %(what)s")
                    % {"country": referral.peer.label, "what": what},
                }
            )
    return items
