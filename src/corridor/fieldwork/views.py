"""Pages and endpoints of field work without network. Every one is for case workers (and their
supervisors and coordinators for conflicts); the pack and the sync speak JSON to the device."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read_many
from corridor.cases.selectors import CASE_ROLES
from corridor.core.forms import error_text
from corridor.fieldwork import services

MAX_BODY = 2 * 2**20


@role_required(*CASE_ROLES)
def app(request: HttpRequest) -> HttpResponse:
    """The application shell: cached by the service worker, it works without network."""
    return render(request, "fieldwork/app.html")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /fieldwork/ so that its scope is the application."""
    shell = [reverse("fieldwork:app"), static("fieldwork/app.js"), static("corridor/corridor.css")]
    body = f"const SHELL = {json.dumps(shell)};\n" + _worker_source()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _worker_source() -> str:
    from pathlib import Path

    return (Path(__file__).parent / "static_worker.js").read_text(encoding="utf-8")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": _("Corridor field work"),
            "short_name": "Corridor",
            "start_url": reverse("fieldwork:app"),
            "scope": reverse("fieldwork:app"),
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d4e89",
            "icons": [
                {"src": static("corridor/icon.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        },
        content_type="application/manifest+json",
    )


@never_cache
@require_GET
@role_required(*CASE_ROLES)
def pack(request: HttpRequest) -> JsonResponse:
    return JsonResponse(services.pack(request))


@never_cache
@require_POST
@role_required(*CASE_ROLES)
def sync(request: HttpRequest) -> JsonResponse:
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": _("Too much at once: send fewer records.")}, status=413)
    try:
        body = json.loads(request.body)
        answers = services.sync(actor=request.user, operations=body.get("operations"))
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, RecursionError):
        return JsonResponse({"error": _("The device sent something unreadable.")}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": error_text(exc)}, status=400)
    return JsonResponse({"answers": answers})


@role_required(*CASE_ROLES)
def conflicts(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        conflict = get_object_or_404(
            services.visible_conflicts(request.user), uid=request.POST.get("conflict")
        )
        try:
            services.conflict_resolve(
                actor=request.user, conflict=conflict, keep=request.POST.get("keep", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _("Nothing was saved: %(p)s") % {"p": error_text(exc)})
        else:
            messages.success(request, _("Saved."))
        return redirect("fieldwork:conflicts")
    open_conflicts = list(services.visible_conflicts(request.user)[:100])
    refused = list(services.visible_refused(request.user)[:100])
    audit_read_many(
        actor=request.user,
        records=[c.operation for c in open_conflicts] + refused,
        kind="fieldwork.operation",
    )
    return render(
        request, "fieldwork/conflicts.html", {"conflicts": open_conflicts, "refused": refused}
    )
