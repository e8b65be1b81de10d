"""Writes of users and agencies. Each one is audited in its own transaction."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.adapter import normalise_username
from corridor.accounts.models import DEFAULT_SCOPE, Agency, Role, User
from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text

USER_FIELDS = ("first_name", "last_name", "email", "agency", "role", "scope", "is_active")
AGENCY_FIELDS = ("name", "short_name", "country", "org_type", "city", "is_active")


def _require_administrator(actor) -> None:
    """Staff management is the administrators' job; ``actor=None`` is the node itself (seeding,
    management commands run by the operator)."""
    if actor is not None and not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only an administrator can manage users and agencies."))


def _changes(instance, fields, values) -> dict:
    changed = {}
    for field in fields:
        if field in values and getattr(instance, field) != values[field]:
            old = getattr(instance, field)
            changed[field] = [str(old) if old is not None else None, str(values[field])]
            setattr(instance, field, values[field])
    return changed


@transaction.atomic
def agency_create(
    *,
    actor,
    name: str,
    country: str,
    org_type: str,
    short_name: str = "",
    city: str = "",
) -> Agency:
    _require_administrator(actor)
    agency = Agency(name=name, short_name=short_name, country=country, org_type=org_type, city=city)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, action=Action.CREATE, target=agency, summary=agency.name)
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, **values) -> Agency:
    _require_administrator(actor)
    changed = _changes(agency, AGENCY_FIELDS, values)
    if changed:
        agency.full_clean()
        agency.save()
        audit_record(
            actor=actor, action=Action.UPDATE, target=agency, summary=agency.name, detail=changed
        )
    return agency


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    agency: Agency,
    role: str,
    scope: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a staff account. The scope defaults to the role's usual one."""
    _require_administrator(actor)
    user = User(
        username=username,
        agency=agency,
        role=role,
        scope=scope or DEFAULT_SCOPE[Role(role)],
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = actor is not None
    user.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=user,
        summary=username,
        detail={"role": role, "agency": agency.pk, "scope": user.scope},
    )
    return user


@transaction.atomic
def user_update(*, actor, user: User, **values) -> User:
    _require_administrator(actor)
    if actor is not None and user.pk == actor.pk and values.get("is_active") is False:
        raise ValidationError(_("You cannot deactivate your own account."))
    changed = _changes(user, USER_FIELDS, values)
    if changed:
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(
            actor=actor, action=Action.UPDATE, target=user, summary=user.username, detail=changed
        )
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    if actor is not None and actor.pk != user.pk:
        _require_administrator(actor)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = actor is not None and actor.pk != user.pk
    user.save(update_fields=["password", "must_change_password"])
    audit_sign_in(actor, user, gettext_noop("password changed"))
    return user


def audit_sign_in(actor, user: User, message: str, **detail) -> None:
    """A change to how ``user`` signs in (``message`` marked with ``gettext_noop``)."""
    audit_record(
        actor=actor, action=Action.UPDATE, target=user, summary=node_text(message), detail=detail
    )


def _recover_other(actor, user: User) -> None:
    """Account recovery is another administrator's job: an administrator who lost a factor
    asks a colleague, so that no one account can reopen itself."""
    _require_administrator(actor)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Ask another administrator to do this for your own account."))


@transaction.atomic
def user_reset_password(*, actor, user: User, password: str) -> User:
    """An administrator sets a new password for someone who forgot theirs (the node sends no
    e-mail); it is said beside the field when it is too weak."""
    _recover_other(actor, user)
    try:
        return user_set_password(actor=actor, user=user, password=password)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


@transaction.atomic
def user_reset_second_factor(*, actor, user: User) -> int:
    """Remove the person's authenticator app and recovery codes (a lost or changed phone); the
    next sign-in asks them to set up a new one. Returns how many were removed."""
    _recover_other(actor, user)
    removed, _kinds = Authenticator.objects.filter(user=user).delete()
    audit_sign_in(actor, user, gettext_noop("second factor reset"), removed=removed)
    return removed


@transaction.atomic
def user_unlock(*, actor, user: User) -> int:
    """Clear the failed sign-ins counted against the account (it is locked at
    ``AXES_FAILURE_LIMIT``). Returns how many records were cleared."""
    _recover_other(actor, user)
    cleared = axes_reset(username=normalise_username(user.username))
    audit_sign_in(actor, user, gettext_noop("account unlocked"), cleared=cleared)
    return cleared
