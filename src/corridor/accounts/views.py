"""Administrator pages (staff accounts and agencies) and each user's own API tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from corridor.accounts import services, tokens
from corridor.accounts.forms import (
    AgencyForm,
    ApiTokenForm,
    NewPasswordForm,
    SecondFactorResetForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from corridor.accounts.mfa import second_factor_verified
from corridor.accounts.models import Role
from corridor.accounts.permissions import role_required
from corridor.accounts.selectors import (
    locked_users,
    sign_in_state,
    visible_agencies,
    visible_users,
)
from corridor.core.forms import PageAction, errors_to_form, page_action, page_forms
from corridor.core.pagination import paginate


def forgotten_password(request):
    """In place of allauth's reset by e-mail: the node sends no e-mail (a mail server is not
    part of it), so the page says who helps."""
    return render(request, "accounts/forgotten_password.html")


def not_here(request, *args, **kwargs):
    """A page of allauth's that this node never leads to (no mail is ever sent)."""
    raise Http404


@role_required(*Role.values)
@require_GET
def own_email(request):
    """In place of allauth's address management, which mails a confirmation: the address (used
    for hand-off notices) is recorded by an administrator on the account's page."""
    return render(request, "accounts/own_email.html")


@role_required(Role.ADMINISTRATOR)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    users = visible_users(request.user).order_by("agency__name", "username")
    if form.is_valid():
        if q := form.cleaned_data["q"]:
            users = users.filter(
                Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
            )
        if role := form.cleaned_data["role"]:
            users = users.filter(role=role)
        if agency := form.cleaned_data["agency"]:
            users = users.filter(agency=agency)
    page = paginate(users, request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "locked": locked_users(page)},
    )


@role_required(Role.ADMINISTRATOR)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                agency=data["agency"],
                role=data["role"],
                scope=data["scope"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except ValidationError as error:
            errors_to_form(form, error, default_field="password")
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(Role.ADMINISTRATOR)
def user_edit(request, pk: int):
    target = get_object_or_404(visible_users(request.user), pk=pk)
    form = UserEditForm(request.POST or None, instance=target)
    if request.method == "POST":
        # ModelForm validation mutates the instance; work on a fresh copy through the service.
        fresh = get_object_or_404(visible_users(request.user), pk=pk)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=fresh, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error, default_field="password")
            else:
                messages.success(request, _("Account %(name)s saved.") % {"name": fresh.username})
                return redirect("accounts:user_list")
    recovery = {action: spec.form(prefix=action) for action, spec in RECOVERY.items()}
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "recovery": page_forms(request, recovery, actions=RECOVERY, target=target),
            "sign_in": sign_in_state(target),
        },
    )


# Helping someone who cannot sign in (the node sends no e-mail: an administrator does it).
RECOVERY = {
    "password": PageAction(
        NewPasswordForm,
        lambda actor, user, data: services.user_reset_password(
            actor=actor, user=user, password=data["password"]
        ),
    ),
    "unlock": PageAction(
        forms.Form, lambda actor, user, data: services.user_unlock(actor=actor, user=user)
    ),
    "second_factor": PageAction(
        SecondFactorResetForm,
        lambda actor, user, data: services.user_reset_second_factor(actor=actor, user=user),
    ),
}


@role_required(Role.ADMINISTRATOR)
@require_POST
def user_recover(request, pk: int, action: str):
    target = get_object_or_404(visible_users(request.user), pk=pk)
    return page_action(
        request,
        target=target,
        action=action,
        actions=RECOVERY,
        redirect_to=reverse("accounts:user_edit", args=[target.pk]),
    )


@role_required(Role.ADMINISTRATOR)
def agency_list(request):
    agencies = visible_agencies(request.user).order_by("country", "name")
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


@role_required(Role.ADMINISTRATOR)
def agency_edit(request, pk: int | None = None):
    agency = get_object_or_404(visible_agencies(request.user), pk=pk) if pk else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            if agency is None:
                data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
                agency = services.agency_create(actor=request.user, **data)
            else:
                fresh = get_object_or_404(visible_agencies(request.user), pk=pk)
                services.agency_update(actor=request.user, agency=fresh, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error, default_field="password")
        else:
            messages.success(request, _("Agency saved."))
            return redirect("accounts:agency_list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})


@role_required(*Role.values)
def token_list(request):
    """My API tokens: what exists (prefix, dates), a new one (its key shown this once), revoke."""
    form = ApiTokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            key = tokens.api_token_issue(
                actor=request.user,
                user=request.user,
                label=form.cleaned_data["label"],
                second_factor=second_factor_verified(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", None) or str(error))
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/token_list.html",
        {
            "form": form,
            "key": key,
            "tokens": tokens.visible_api_tokens(request.user),
            "days": settings.CORRIDOR_API_TOKEN_DAYS,
        },
    )


@role_required(*Role.values)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(tokens.visible_api_tokens(request.user), pk=pk)
    tokens.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(token)s revoked.") % {"token": token})
    return redirect("account:tokens")
