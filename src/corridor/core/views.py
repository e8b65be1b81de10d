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


def _plain_error(title: str, text: str, status: int) -> HttpResponse:
    """An error page in the reader's language, rendered without the request's context (the error
    may come from the database, a context processor or the request itself)."""
    from django.template import loader

    body = loader.get_template("core/error_plain.html").render(
        {"lang": translation.get_language() or settings.LANGUAGE_CODE, "title": title, "text": text}
    )
    return HttpResponse(body, status=status)


def error_400(request: HttpRequest, exception=None) -> HttpResponse:
    """A request the node will not read: too large, with too many fields, or for a host name
    that is not this node's."""
    return _plain_error(
        _("Request refused"),
        _(
            "This node could not accept the request: it was too large, malformed, or addressed "
            "to another host name. Nothing was saved. Go back and try again with less (a smaller "
            "file, fewer rows); if it happens again, tell your administrator."
        ),
        400,
    )


def error_500(request: HttpRequest) -> HttpResponse:
    return _plain_error(
        _("Server error"),
        _(
            "Something went wrong on this node; nothing you entered was half-saved. Try again in a "
            "moment; if it happens again, tell your administrator the time it happened."
        ),
        500,
    )
