from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from corridor.audit.models import Action


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False)
    record = forms.CharField(
        label=pgettext_lazy("noun: a stored record", "Record"),
        required=False,
        help_text=_("type, or type:id, e.g. accounts.user:3"),
        widget=forms.TextInput(attrs={"placeholder": "cases.case:12"}),
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *Action.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
