"""Logins, logouts, failed logins (password or second factor) and a changed password go into the
audit chain; a second factor given or set up marks the session (``accounts.mfa``)."""

from __future__ import annotations

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts import mfa
from corridor.accounts.services import audit_sign_in
from corridor.audit.context import client_ip
from corridor.audit.models import Action
from corridor.audit.services import audit_record, audit_refusal, node_text


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=Action.LOGIN, target=user, summary=user.username)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=Action.LOGOUT, target=user, summary=user.username)


@receiver(account_signals.password_changed)
def _on_password_changed(sender, request, user, **kwargs):
    """A person changing their own password (an administrator's reset is audited by
    ``services.user_reset_password``)."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit_sign_in(user, user, gettext_noop("password changed"))


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    audit_refusal(
        source=client_ip.get() or "",
        actor=None,
        action=Action.LOGIN_FAILED,
        object_type="accounts.user",
        username=username,
        summary=username,
    )


@receiver(mfa_signals.authenticator_used)
def _on_second_factor(sender, request, user, **kwargs):
    if request is not None:
        mfa.mark_second_factor(request, user)


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
def _on_authenticator_change(sender, request, user, authenticator, **kwargs):
    added = kwargs["signal"] is mfa_signals.authenticator_added
    audit_record(
        actor=user,
        action=Action.CREATE if added else Action.DELETE,
        target=user,
        summary=(
            node_text(lambda: _("second factor set up") if added else _("second factor removed"))
        ),
        detail={"type": authenticator.type},
    )


@receiver(mfa_signals.authentication_failed)
def _on_second_factor_failed(sender, request, user, authenticator, **kwargs):
    """A wrong code: audited (never the code), counted by axes against the account as a failed
    sign-in, and against the address."""
    credentials = {"username": user.get_username()}
    if request is not None:
        AxesProxyHandler.user_login_failed(sender=sender, credentials=credentials, request=request)
        mfa.count_address_failure(request)
    audit_refusal(
        source=client_ip.get() or "",
        actor=None,
        action=Action.LOGIN_FAILED,
        target=user,
        username=user.get_username(),
        summary=user.get_username(),
        detail={"step": "second_factor"},
    )
