"""The second factor: whether this session proved one, and the limits on guessing it.

allauth asks for the TOTP code at sign-in; this module remembers, in the session, that the code
(or a recovery code) was given, or that an authenticator was just set up with a valid code. Every
page of an MFA role requires that mark (``RequireMfaMiddleware``), and so does issuing an API
token. Wrong codes count against the account in django-axes, exactly as wrong passwords do (one
lockout, whichever step failed), and against the client address in the cache.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache

SESSION_KEY = "corridor_second_factor"


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mark_second_factor(request, user) -> None:
    """This session has proved ``user``'s second factor."""
    request.session[SESSION_KEY] = str(user.pk)


def second_factor_verified(request) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return False
    return session.get(SESSION_KEY) == str(user.pk)


def _address_key(request) -> str:
    return f"corridor:second-factor-failures:{request.META.get('REMOTE_ADDR') or '-'}"


def address_blocked(request) -> bool:
    """Too many wrong codes from this address (any account) within the cool-off period."""
    return cache.get(_address_key(request), 0) >= settings.CORRIDOR_SECOND_FACTOR_ADDRESS_LIMIT


def count_address_failure(request) -> None:
    key = _address_key(request)
    cache.add(key, 0, timeout=int(settings.AXES_COOLOFF_TIME * 3600))
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=int(settings.AXES_COOLOFF_TIME * 3600))
