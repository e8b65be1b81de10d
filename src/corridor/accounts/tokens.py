"""API tokens: issued to a user (by themself on the "My account" pages, after their second
factor if their role needs one, or by the operator with ``corridor api_token``), listed and
revoked by their owner, every step audited (by prefix, never the key)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import ApiToken, User
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text

LAST_USED_RESOLUTION = 300  # seconds: "last used" is kept to five minutes, not one write a call


def visible_api_tokens(user) -> QuerySet[ApiToken]:
    """A user sees their own tokens only; nobody else's (administrators included)."""
    if not getattr(user, "is_authenticated", False) or not user.is_home_staff:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


@transaction.atomic
def api_token_issue(*, actor, user: User, label: str = "", second_factor: bool = False) -> str:
    """Issue a token for ``user`` and return its key (shown once). ``actor`` is the user
    themself, whose session must have passed the second factor if their role needs one
    (``second_factor``), or ``None`` for the node's operator (``corridor api_token``), which
    replaces the user's earlier tokens and is audited as the operator's."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You can only issue a token for yourself."))
    if not user.is_home_staff:
        raise ValidationError(_("Only active staff of this node can have an API token."))
    if actor is not None and user.mfa_required and not second_factor:
        raise PermissionDenied(
            _("Your role needs the two-factor code: sign in with it before creating a token.")
        )
    label = label.strip()
    if len(label) > 100:
        raise ValidationError({"label": _("A label has at most 100 characters.")})
    operator = actor is None
    if operator:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token, key = ApiToken.objects.mint(
        user=user, label=label, second_factor=second_factor, operator=operator
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=user,
        summary=node_text(gettext_noop("API token issued")),
        detail={
            "token": str(token),
            "expires": token.expires_at.date().isoformat(),
            "by": "operator" if operator else "self",
        },
        username="operator" if operator else "",
    )
    return key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one of ``actor``'s own tokens (at once: the next call with it is refused)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if actor is not None and token.user_id != actor.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=token.user,
            summary=node_text(gettext_noop("API token revoked")),
            detail={"token": str(token)},
            username="" if actor else "operator",
        )
    return token


def api_token_user(key: str) -> tuple[User, ApiToken] | None:
    """The user a key signs in, or None: the token must be live, its user active and, for a role
    that needs the second factor, the token issued after it. (What the user may then see is the
    selectors' business: they fail closed for anyone but this node's staff.)"""
    token = ApiToken.objects.find(key)
    if token is None:
        return None
    user = token.user
    if not user.is_active or (user.mfa_required and not token.second_factor):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
        LAST_USED_RESOLUTION
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user, token
