from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from corridor.audit.models import Action, record_kind
from corridor.core.forms import DateField


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False, choices=[("", "—")])
    number = forms.CharField(
        label=pgettext_lazy("a record's identifier", "Number"),
        required=False,
        max_length=64,
        help_text=_("The record's number, as the log shows it after its kind."),
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *Action.choices]
    )
    since = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kinds=(), **kwargs):
        """``kinds``: the ``object_type`` values the reader's log holds, offered by their names
        in the reader's language."""
        super().__init__(*args, **kwargs)
        named = [(kind, capfirst(record_kind(kind))) for kind in kinds]
        named.sort(key=lambda choice: choice[1].lower())
        self.fields["kind"].choices = [("", "—"), *named]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
