"""Federation pages (referral form, coordinator inbox, referral detail, peers, outbox and sealed
files) and the two machine endpoints: the signed inbox and the public ``hello``."""

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
from corridor.audit.services import audit_read
from corridor.cases.selectors import CASE_ROLES, can_manage, visible_cases
from corridor.federation import forms, identity, services
from corridor.federation.envelope import Rejected
from corridor.federation.fields import PURPOSES
from corridor.federation.models import (
    RECEIVER_DECISIONS,
    REFERRAL_FLOW,
    KeyStatus,
    NodeKey,
    OutboundMessage,
    Peer,
    Referral,
)
from corridor.federation.selectors import (
    OPERATOR_ROLES,
    REFERRAL_ROLES,
    visible_outbox,
    visible_referrals,
)

MAX_MESSAGE_BYTES = 2 * 1024 * 1024


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do this.")


@csrf_exempt
@require_POST
def receive(request):
    """The peer's delivery endpoint: no session, no cookie; the message authenticates itself."""
    if len(request.body) > MAX_MESSAGE_BYTES:
        return JsonResponse({"error": "too_large"}, status=413)
    try:
        result, receipt = services.inbox_accept(token=request.body.decode(errors="replace"))
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


@role_required(*CASE_ROLES)
def refer(request, case_id: int):
    """Refer a case to the other country's node (linked from the case page)."""
    case = get_object_or_404(visible_cases(request.user), pk=case_id)
    if not can_manage(request.user, case):
        raise PermissionDenied
    form = forms.ReferForm(request.POST or None)
    basis = services.legal_basis(case)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(actor=request.user, case=case, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The referral is on its way to the other node."))
            return redirect("federation:referral", pk=referral.pk)
    sent = Referral.objects.filter(case=case, direction=Referral.Direction.OUTGOING)
    return render(
        request,
        "federation/refer.html",
        {
            "case": case,
            "form": form,
            "basis": basis,
            "purposes": PURPOSES,
            "sent": sent,
            "no_peer": not form.fields["peer"].queryset.exists(),
        },
    )


@role_required(*REFERRAL_ROLES)
def inbox(request):
    """The coordinator's inbox of referrals from the other node, and every referral the user may
    see, incoming and outgoing."""
    referrals = visible_referrals(request.user)
    direction = request.GET.get("direction", "")
    if direction in Referral.Direction.values:
        referrals = referrals.filter(direction=direction)
    return render(
        request,
        "federation/inbox.html",
        {
            "waiting": referrals.filter(
                direction=Referral.Direction.INCOMING, status__in=["received", "info_requested"]
            ),
            "referrals": referrals[:200],
            "direction": direction,
        },
    )


@role_required(*REFERRAL_ROLES)
def referral_detail(request, pk: int):
    referral = get_object_or_404(visible_referrals(request.user), pk=pk)
    audit_read(actor=request.user, target=referral)
    user = request.user
    can_work = services.can_work_on(user, referral) and not referral.sharing_stopped
    can_decide = (
        user.has_role(Role.COORDINATOR)
        and referral.direction == Referral.Direction.INCOMING
        and not referral.sharing_stopped
        and any(s in RECEIVER_DECISIONS for s in REFERRAL_FLOW.get(referral.status, ()))
    )
    status_form = forms.StatusForm(current=referral.status)
    return render(
        request,
        "federation/referral_detail.html",
        {
            "referral": referral,
            "shared": json.loads(referral.shared_data or "{}"),
            "events": referral.events.all(),
            "can_work": can_work,
            "can_decide": can_decide,
            "decide_form": forms.DecideForm(),
            "status_form": status_form if status_form.fields["status"].choices else None,
            "update_form": forms.UpdateForm(),
            "outbound": referral.outbound.defer("payload").order_by("created_at"),
        },
    )


@role_required(*REFERRAL_ROLES)
@require_POST
def referral_action(request, pk: int, action: str):
    referral = get_object_or_404(visible_referrals(request.user), pk=pk)
    form_class = {
        "decide": forms.DecideForm,
        "status": forms.StatusForm,
        "update": forms.UpdateForm,
    }.get(action)
    if form_class is None:
        raise PermissionDenied
    kwargs = {"current": referral.status} if action == "status" else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("federation:referral", pk=pk)
    data = form.cleaned_data
    try:
        if action == "decide":
            services.referral_decide(actor=request.user, referral=referral, **data)
        elif action == "status":
            services.referral_set_status(actor=request.user, referral=referral, **data)
        else:
            services.referral_add_update(actor=request.user, referral=referral, **data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Saved and shared with the other node."))
    return redirect("federation:referral", pk=pk)


@role_required(Role.ADMINISTRATOR)
def peers(request):
    """Administrators register peers from their exported identity and compare fingerprints."""
    form = forms.PeerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            peer = services.peer_register(actor=request.user, data=form.cleaned_data["identity"])
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
    services.identity_rotate(actor=request.user)
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
            result = services.sealed_import(
                actor=request.user, data=form.cleaned_data["file"].read()
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            if "receipts" in result:
                request.session["federation_receipts"] = result["receipts"]
    return render(
        request,
        "federation/outbox.html",
        {
            "form": form,
            "result": result,
            "peers": Peer.objects.filter(is_active=True),
            "messages_out": visible_outbox(request.user).order_by("-created_at")[:100],
            "pending": visible_outbox(request.user)
            .filter(state=OutboundMessage.State.PENDING)
            .count(),
        },
    )


def _download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*OPERATOR_ROLES)
@require_POST
def sealed_export(request, peer_id: int):
    peer = get_object_or_404(Peer, pk=peer_id, is_active=True)
    try:
        data = services.sealed_export(actor=request.user, peer=peer)
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
