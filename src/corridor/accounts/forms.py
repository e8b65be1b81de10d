from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", "—"), *Role.choices])
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.all()
    )


__all__ = ["AgencyForm", "UserCreateForm", "UserEditForm", "UserFilterForm", "Scope"]
