"""How django-allauth and django-axes fit a node where administrators create every account."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class CorridorAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


def axes_username(request, credentials) -> str | None:
    """allauth posts the username as ``login``; Axes must count failures against that name."""
    if credentials:
        name = credentials.get("username") or credentials.get("login")
        if name:
            return name
    if request is not None and request.method == "POST":
        return request.POST.get("login") or request.POST.get("username")
    return None
