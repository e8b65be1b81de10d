"""Administrators and investigators work only after a second factor, on every page and endpoint.

Only what must answer without a session is left alone: the federation's machine endpoints (the
inbox and ``hello``), the health check, static files, the language switch, and the sign-in,
second-factor set-up and sign-out pages. A member of an MFA role without an authenticator is sent
to set one up; one whose session has not proved it (it cannot happen through the sign-in pages,
which ask for the code) is signed out.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from corridor.accounts.mfa import has_authenticator, second_factor_verified

OPEN_PATHS = (
    "/static/",
    "/i18n/",
    "/healthz",
    "/federation/inbox/",
    "/federation/hello/",
    "/accounts/login/",
    "/accounts/logout/",
)
# Where a member of an MFA role without an authenticator sets one up (allauth asks for the
# password again before activating it).
ENROLMENT_PATHS = (
    "/accounts/2fa/totp/activate/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/reauthenticate/",
)


CHANGE_PATH = "/accounts/password/change/"


def _concerned(request, attribute: str, open_paths: tuple[str, ...]):
    """The signed-in user whose ``attribute`` holds, outside ``open_paths``; else None."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not getattr(user, attribute, False)
        or request.path.startswith(open_paths)
    ):
        return None
    return user


def _turn_away(request, message: str, to: str, *, sign_out: bool = False):
    """The API answers 403 with ``message``; a page shows it where the person is sent."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    if sign_out:
        logout(request)
    messages.warning(request, message)
    return redirect(to)


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = _concerned(request, "mfa_required", OPEN_PATHS)
        if user is None:
            return self.get_response(request)
        if not has_authenticator(user):
            if request.path.startswith(ENROLMENT_PATHS):
                return self.get_response(request)
            message = _(
                "Your role requires two-factor authentication. Set up an authenticator app to continue."
            )
            return _turn_away(request, message, "mfa_activate_totp")
        if second_factor_verified(request):
            return self.get_response(request)
        message = _("Sign in again with your two-factor code to continue.")
        return _turn_away(request, message, "account_login", sign_out=True)


class RequirePasswordChangeMiddleware:
    """After a password an administrator chose (a new account, a forgotten password), every page
    sends the person to choose their own; signing out and the second factor's set-up still work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        open_paths = (*OPEN_PATHS, *ENROLMENT_PATHS, CHANGE_PATH)
        if _concerned(request, "must_change_password", open_paths) is None:
            return self.get_response(request)
        message = _("An administrator chose your password: choose your own to continue.")
        return _turn_away(request, message, CHANGE_PATH)
