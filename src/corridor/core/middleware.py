"""The client's address behind a proxy, security headers and the "your session expired" notice."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SEEN_COOKIE = "corridor_signed_in"
FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """The real client behind the reverse proxy, believed only from the proxy itself.

    From an address in ``CORRIDOR_TRUSTED_PROXIES`` the client is the right-most address of
    X-Forwarded-For that is not itself a trusted proxy, and becomes ``REMOTE_ADDR``: the audit,
    axes and allauth all read that one field. From anyone else the forwarded headers are
    dropped, so nobody can pose as another address or as HTTPS by sending them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        networks = _networks(tuple(settings.CORRIDOR_TRUSTED_PROXIES))

        def trusted(address) -> bool:
            return address is not None and any(address in n for n in networks)

        if trusted(_address(meta.get("REMOTE_ADDR", ""))):
            client = None
            for text in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
                address = _address(text)
                if address is None:
                    break
                client = address
                if not trusted(address):
                    break
            if client is not None:
                meta["REMOTE_ADDR"] = str(client)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over ``CORRIDOR_MAX_REQUEST_BYTES`` before any of
    it is read (413): the ceiling over every upload, whatever the form's own, smaller, limit.
    Django itself limits only the non-file part of a body (``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.CORRIDOR_MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                _("The request is larger than %(size)s MB.") % {"size": f"{limit / 2**20:g}"},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Strict CSP: every asset is vendored and served by the node itself, no inline script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class SessionExpiryNoticeMiddleware:
    """Tell a user whose session timed out why they are back at the login page.

    A marker cookie outlives the session; finding it on an anonymous request means the session
    expired (a deliberate logout deletes the marker).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        expired = (
            not request.user.is_authenticated
            and request.COOKIES.get(SEEN_COOKIE)
            and not request.path.startswith("/static/")
        )
        if expired:
            minutes = settings.SESSION_COOKIE_AGE // 60
            messages.warning(
                request,
                _(
                    "Your session expired after %(minutes)s minutes of inactivity. Please sign in again."
                )
                % {"minutes": minutes},
            )
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/accounts/logout"):
            response.set_cookie(
                SEEN_COOKIE,
                "1",
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif expired or request.path.startswith("/accounts/logout"):
            response.delete_cookie(SEEN_COOKIE)
        return response


class FrenchFirstLocaleMiddleware:
    """French unless the user chose otherwise with the switch (the cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; field offices share
    machines and browsers set up in English, and the programme works in French first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
