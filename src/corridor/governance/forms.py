from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.governance.models import (
    Purpose,
    RecordType,
    RequestKind,
    RequestStatus,
    RetentionAction,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


class AgreementForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    parties = forms.CharField(
        label=_("Parties (node names, separated by commas)"), initial="togo, gabon"
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("In force from"), widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def cleaned_parties(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["parties"].split(",") if p.strip()]


class RuleForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Record type"), choices=RecordType.choices)
    months = forms.IntegerField(label=_("Kept for (months)"), min_value=0)
    action = forms.ChoiceField(label=_("Then"), choices=RetentionAction.choices)
    active = forms.BooleanField(label=_("Applied"), required=False, initial=True)


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Processing activity"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200)
    data_subjects = forms.CharField(label=_("Data subjects"), max_length=300)
    data_categories = forms.CharField(label=_("Categories of data"), widget=forms.Textarea)
    recipients = forms.CharField(label=_("Recipients"), required=False)
    transfers = forms.CharField(label=_("Transfers abroad"), required=False, max_length=300)
    retention = forms.CharField(label=_("Retention"), max_length=300)
    security = forms.CharField(label=_("Security measures"), required=False)


class BreachForm(forms.Form):
    detected_at = forms.DateTimeField(label=_("Discovered at"), widget=DATETIME)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    data_affected = forms.CharField(label=_("Data and persons affected"))
    persons_affected = forms.IntegerField(label=_("Number of persons (estimate)"), min_value=0)
    measures = forms.CharField(label=_("Measures taken"), required=False)


class NotifiedForm(forms.Form):
    breach = forms.IntegerField(widget=forms.HiddenInput)
    notified_at = forms.DateTimeField(label=_("Authority notified at"), widget=DATETIME)
    persons_notified = forms.BooleanField(label=_("Persons notified"), required=False)


class RequestForm(forms.Form):
    person = forms.IntegerField(label=_("Person (number)"), min_value=1)
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    details = forms.CharField(label=_("What is asked"), required=False, widget=forms.Textarea)


class CloseRequestForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(RequestStatus.DONE, _("Done")), (RequestStatus.REFUSED, _("Refused"))],
    )
    outcome = forms.CharField(label=_("What was done, or why it was refused"))
