"""Home, language switch, health check, CSRF failure."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.core.navigation import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_home_staff:
        return render(request, "core/no_role.html", status=403)
    return render(request, "core/home.html", {"panels": panels_for(request)})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; an unknown code is refused and nothing changes."""
    code = request.POST.get("language", "")
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code not in dict(settings.LANGUAGES):
        messages.error(
            request,
            _("Unknown language “%(code)s”. Choose French or English.") % {"code": code[:20]},
        )
        return response
    activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"node": settings.NODE_NAME, "country": settings.NODE_COUNTRY, "ok": True})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.html", status=403)


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "core/error.html", {"title": _("Page not found")}, status=404)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("Access denied"),
            "text": _("Your role or scope does not give access to this page."),
        },
        status=403,
    )


def error_500(request: HttpRequest) -> HttpResponse:
    """The server-error page, in the user's language, rendered without the request's context
    (the error may come from the database or a context processor)."""
    from django.template import loader

    body = loader.get_template("core/error_500.html").render(
        {"lang": translation.get_language() or settings.LANGUAGE_CODE}
    )
    return HttpResponse(body, status=500)
