from __future__ import annotations

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.accounts.mfa import address_blocked, mark_second_factor
from corridor.accounts.models import Agency, Role, Scope, User


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "country", "org_type", "city", "is_active"]


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "agency", "role", "scope", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = True
        self.fields["role"].required = True
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)


class UserCreateForm(UserEditForm):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": _("Use 3 to 150 letters, digits and @ . + - _ only.")},
    )
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)

    class Meta(UserEditForm.Meta):
        fields = ["username", *UserEditForm.Meta.fields]


class NewPasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)


class SecondFactorResetForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The person lost or changed the phone that gives the codes"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", "—"), *Role.choices])
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.all()
    )


__all__ = [
    "AgencyForm",
    "ApiTokenForm",
    "NewPasswordForm",
    "SecondFactorResetForm",
    "SecondFactorActivateForm",
    "SecondFactorForm",
    "UserCreateForm",
    "UserEditForm",
    "UserFilterForm",
    "Scope",
]


class SecondFactorForm(AuthenticateForm):
    """allauth's code form, refusing every code, the right one included, while the account is
    locked (by wrong passwords or wrong codes) or the address has failed too often."""

    def clean_code(self) -> str:
        request = context.request
        if AxesProxyHandler.is_locked(request, {"username": self.user.get_username()}):
            raise forms.ValidationError(
                _("Too many failed attempts: this account is locked for a while. Try again later.")
            )
        if address_blocked(request):
            raise forms.ValidationError(
                _("Too many wrong codes from this address. Try again later.")
            )
        return super().clean_code()


class SecondFactorActivateForm(ActivateTOTPForm):
    """Setting up an authenticator with a valid code proves the second factor for this session
    (allauth only signals the new authenticator after the commit, too late for the session)."""

    def clean_code(self) -> str:
        code = super().clean_code()
        mark_second_factor(context.request, self.user)
        return code


class ApiTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. the system that will use it."),
    )
