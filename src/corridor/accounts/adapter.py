"""How django-allauth and django-axes fit a node where administrators create every account."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from corridor.core import crypto


class CorridorAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


def normalise_username(name: str) -> str:
    """The form in which failures are counted: login matches usernames whatever their case, so
    ``Kossi.Worker`` and ``kossi.worker`` are one account and one count."""
    return name.strip().lower()


def axes_username(request, credentials) -> str | None:
    """allauth posts the username as ``login``; Axes must count failures against that name."""
    name = None
    if credentials:
        name = credentials.get("username") or credentials.get("login")
    if not name and request is not None and request.method == "POST":
        name = request.POST.get("login") or request.POST.get("username")
    return normalise_username(name) if name else None


class CorridorMfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """A role that works only with a second factor may replace its authenticator (an
        administrator resets a lost one) but never remove it: a session taken over could
        otherwise strip the account of it."""
        return not authenticator.user.mfa_required

    def encrypt(self, text: str) -> str:
        """Authenticator secrets and recovery-code seeds are kept under the node's field keys,
        like the other secrets of a record (``core.crypto``; ``corridor crypto rotate`` re-encrypts
        them too): a copy of the database alone gives no codes."""
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
