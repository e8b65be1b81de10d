"""The coordinator's page of the look-ups the peer node sends: what was asked, what was answered
or refused, and the switch that pauses a peer's look-ups."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.core.pagination import paginate
from corridor.tracing import lookup
from corridor.tracing.models import InboundLookup, LookupControl


@role_required(*lookup.LOOKUP_MANAGERS)
def lookups(request):
    peer = lookup.federation_peer()
    control = LookupControl.objects.filter(peer=peer.name).first() if peer else None
    page = paginate(InboundLookup.objects.all(), request.GET.get("page"), per_page=50)
    return render(
        request,
        "tracing/lookups.html",
        {
            "page": page,
            "peer": peer,
            "paused": bool(control and control.paused),
            "per_day": settings.CORRIDOR_LOOKUPS_PER_DAY,
        },
    )


@require_POST
@role_required(*lookup.LOOKUP_MANAGERS)
def lookups_pause(request):
    peer = lookup.federation_peer()
    if peer is None:
        messages.error(request, _("No peer node is registered yet."))
        return redirect("tracing:lookups")
    paused = request.POST.get("paused") == "1"
    try:
        lookup.lookup_pause(actor=request.user, peer=peer.name, paused=paused)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Look-ups paused.") if paused else _("Look-ups are answered again.")
        )
    return redirect("tracing:lookups")
