"""Forms of the tracing pages. They parse; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import DateField
from corridor.intel.models import Decision
from corridor.tracing.models import RequestStatus, TracingRequest


class DateInput(forms.DateInput):
    input_type = "date"


class TracingRequestForm(forms.ModelForm):
    class Meta:
        model = TracingRequest
        fields = [
            "requester_kind",
            "requester_name",
            "requester_relationship",
            "contact",
            "consent_given",
            "consent_on",
            "report_date",
            "given_names",
            "family_name",
            "sex",
            "birth_date",
            "birth_year",
            "age_years",
            "place_of_origin",
            "origin_prefecture",
            "nationality",
            "mother_name",
            "father_name",
            "last_seen_place",
            "last_seen_on",
            "circumstances",
        ]
        field_classes = {
            "consent_on": DateField,
            "report_date": DateField,
            "birth_date": DateField,
            "last_seen_on": DateField,
        }
        widgets = {
            "consent_on": DateInput,
            "report_date": DateInput,
            "birth_date": DateInput,
            "last_seen_on": DateInput,
            "contact": forms.Textarea(attrs={"rows": 2}),
            "circumstances": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "given_names": _("As the family says them; any spelling will do."),
            "birth_year": _("If the exact date is not known."),
            "age_years": _("If neither date nor year is known: the child's age today, roughly."),
            "nationality": _("Two letters, e.g. TG, GA, BJ."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_name"].required = False
        self.fields["requester_relationship"].required = False


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + RequestStatus.choices
    )


class DecisionForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=Decision.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class MergeForm(forms.Form):
    survivor = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)
