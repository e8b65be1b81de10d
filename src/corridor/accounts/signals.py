"""Logins, logouts and failed logins go into the audit chain."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from corridor.audit.models import Action
from corridor.audit.services import audit_record


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=Action.LOGIN, target=user, summary=user.username)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=Action.LOGOUT, target=user, summary=user.username)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        object_type="accounts.user",
        username=username,
        summary=username,
    )
