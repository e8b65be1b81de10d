"""Federation pages (peers and keys, the outbox and sealed files) and the two machine endpoints:
the signed inbox and the public ``hello``. Cross-border referral pages live in ``referrals``."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from corridor.accounts.models import Role
from corridor.accounts.permissions import role_required
from corridor.core.pagination import paginate
from corridor.federation import forms, identity
from corridor.federation import outbox as outbox_services
from corridor.federation import peers as peer_services
from corridor.federation.envelope import Rejected
from corridor.federation.inbox import inbox_accept, inbox_admit
from corridor.federation.models import KeyStatus, NodeKey, OutboundMessage, Peer
from corridor.federation.operators import OPERATOR_ROLES
from corridor.federation.sealed import sealed_export as sealed_export_service
from corridor.federation.sealed import sealed_import
from corridor.federation.selectors import active_peers, visible_outbox

MAX_MESSAGE_BYTES = 2 * 1024 * 1024


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do this.")


@csrf_exempt
@require_POST
def receive(request):
    """The peer's delivery endpoint: no session, no cookie; the message authenticates itself."""
    if not inbox_admit(request.META.get("REMOTE_ADDR") or ""):
        return JsonResponse({"error": "rate_limited"}, status=429)
    if len(request.body) > MAX_MESSAGE_BYTES:
        return JsonResponse({"error": "too_large"}, status=413)
    try:
        result, receipt = inbox_accept(token=request.body.decode(errors="replace"))
    except Rejected as exc:
        return JsonResponse({"error": exc.code, "message": exc.message}, status=400)
    response = HttpResponse(receipt, content_type="application/jose")
    response["X-Corridor-Result"] = result
    return response


@require_GET
def hello(request):
    """Who this node is and the fingerprints of its live keys (public information)."""
    identity.ensure_identity()
    return JsonResponse(
        {
            "node": settings.NODE_NAME,
            "country": settings.NODE_COUNTRY,
            "keys": list(
                NodeKey.objects.filter(status__in=identity.LIVE).values_list("kid", flat=True)
            ),
        }
    )


@role_required(Role.ADMINISTRATOR)
def peers(request):
    """Administrators register peers from their exported identity and compare fingerprints."""
    form = forms.PeerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            peer = peer_services.peer_register(
                actor=request.user, data=form.cleaned_data["identity"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("Peer %(p)s registered: compare its fingerprints with its administrator.")
                % {"p": peer.name},
            )
            return redirect("federation:peers")
    identity.ensure_identity()
    return render(
        request,
        "federation/peers.html",
        {
            "form": form,
            "own_keys": NodeKey.objects.exclude(status=KeyStatus.RETIRED),
            "peers": Peer.objects.prefetch_related("keys"),
            "identity_json": json.dumps(
                identity.exported_identity(request.build_absolute_uri("/").rstrip("/")), indent=2
            ),
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def rotate(request):
    peer_services.identity_rotate(actor=request.user)
    messages.success(
        request,
        _("New keys are active; the old ones are retiring and the peers are being told."),
    )
    return redirect("federation:peers")


@role_required(*OPERATOR_ROLES)
def outbox(request):
    """Delivery state of the outbox, and the offline path: sealed files out and in."""
    form = forms.SealedImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = sealed_import(actor=request.user, data=form.cleaned_data["file"].read())
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            if "receipts" in result:
                request.session["federation_receipts"] = result["receipts"]
    sent = visible_outbox(request.user)
    state = request.GET.get("state", "")
    listed = sent.filter(state=state) if state in OutboundMessage.State.values else sent
    return render(
        request,
        "federation/outbox.html",
        {
            "form": form,
            "result": result,
            "peers": active_peers(),
            "page": paginate(listed.order_by("-created_at", "-id"), request.GET.get("page")),
            "states": OutboundMessage.State.choices,
            "state": state,
            "pending": sent.filter(state=OutboundMessage.State.PENDING).count(),
            "can_retry": request.user.has_role(Role.ADMINISTRATOR),
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def message_retry(request, pk: int):
    """An administrator gives a message the peer rejected one more attempt now."""
    message = get_object_or_404(visible_outbox(request.user), pk=pk)
    try:
        outbox_services.message_retry(actor=request.user, message=message)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The message will be sent again now."))
    return redirect("federation:outbox")


def _download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*OPERATOR_ROLES)
@require_POST
def sealed_export(request, peer_id: int):
    peer = get_object_or_404(active_peers(), pk=peer_id)
    try:
        data = sealed_export_service(actor=request.user, peer=peer)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect("federation:outbox")
    return _download(
        data, f"corridor-{settings.NODE_NAME}-to-{peer.name}-{data['created']}.sealed.json"
    )


@role_required(*OPERATOR_ROLES)
def receipts_download(request):
    receipts = request.session.get("federation_receipts")
    if not receipts:
        messages.error(request, _("No receipts to download: import a sealed file first."))
        return redirect("federation:outbox")
    return _download(receipts, f"corridor-{settings.NODE_NAME}-receipts.json")
