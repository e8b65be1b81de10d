from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Country
from corridor.core.forms import DateField, DateTimeField
from corridor.governance.models import (
    ActivityStatus,
    InstrumentKind,
    InstrumentStatus,
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
    starts_on = DateField(label=_("In force from"), widget=DATE)
    expires_on = DateField(label=_("Expires on"), widget=DATE)
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
    detected_at = DateTimeField(label=_("Discovered at"), widget=DATETIME)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    data_affected = forms.CharField(label=_("Data and persons affected"))
    persons_affected = forms.IntegerField(label=_("Number of persons (estimate)"), min_value=0)
    measures = forms.CharField(label=_("Measures taken"), required=False)


class NotifiedForm(forms.Form):
    breach = forms.IntegerField(widget=forms.HiddenInput)
    notified_at = DateTimeField(label=_("Authority notified at"), widget=DATETIME)
    persons_notified = forms.BooleanField(label=_("Persons notified"), required=False)


class RequestForm(forms.Form):
    person = forms.IntegerField(label=_("Person (number)"), min_value=1)
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    received_on = DateField(label=_("Received on"), widget=DATE)
    details = forms.CharField(label=_("What is asked"), required=False, widget=forms.Textarea)


class CloseRequestForm(forms.Form):
    request = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(RequestStatus.DONE, _("Done")), (RequestStatus.REFUSED, _("Refused"))],
    )
    outcome = forms.CharField(label=_("What was done, or why it was refused"))


class IndicatorValueForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=())
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    evidence = forms.FileField(
        label=_("Evidence file (PDF, JPEG, PNG or XLSX, at most 10 MB)"), required=True
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators


class PlanActivityForm(forms.Form):
    plan = forms.CharField(label=_("Action plan"), max_length=200)
    axis = forms.CharField(label=_("Axis"), max_length=120, required=False)
    activity = forms.CharField(label=_("Activity"), max_length=300)
    lead_institution = forms.CharField(label=_("Lead institution"), max_length=120)
    due_on = DateField(label=_("Deadline"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    evidence = forms.CharField(label=_("Evidence"), max_length=300, required=False)


class ActivityUpdateForm(forms.Form):
    activity = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    evidence = forms.CharField(label=_("Evidence"), max_length=300, required=False)


class MeetingForm(forms.Form):
    """A meeting and up to five decisions (text, owning institution, due date): a decision row
    left entirely empty is ignored; a partly filled one is refused by the service."""

    ROWS = 5
    held_on = DateField(label=_("Held on"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.ROWS + 1):
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Decision %(n)s") % {"n": i}, max_length=500, required=False
            )
            self.fields[f"owner_{i}"] = forms.CharField(
                label=_("Owner (institution)"), max_length=120, required=False
            )
            self.fields[f"due_{i}"] = DateField(label=_("Due on"), required=False, widget=DATE)

    def decisions(self) -> list[dict]:
        data = self.cleaned_data
        out = []
        for i in range(1, self.ROWS + 1):
            row = {
                "text": data.get(f"text_{i}") or "",
                "owner": data.get(f"owner_{i}") or "",
                "due_on": data.get(f"due_{i}"),
            }
            if row["text"].strip() or row["owner"].strip() or row["due_on"]:
                out.append(row)
        return out


class DecisionUpdateForm(forms.Form):
    decision = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)


class InstrumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InstrumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=InstrumentStatus.choices)
    adopted_on = DateField(label=_("Adopted on"), required=False, widget=DATE)
    in_force_on = DateField(label=_("In force on"), required=False, widget=DATE)
    target_on = DateField(label=_("Expected by"), required=False, widget=DATE)
    trainings = forms.ModelMultipleChoiceField(
        label=_("Training sessions"), queryset=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainings"].queryset = _trainings()


def _trainings():
    from django.conf import settings

    from corridor.reports.models import TrainingSession

    return TrainingSession.objects.filter(country=settings.NODE_COUNTRY)


class InstrumentUpdateForm(forms.Form):
    instrument = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=InstrumentStatus.choices)
    adopted_on = DateField(label=_("Adopted on"), required=False, widget=DATE)
    in_force_on = DateField(label=_("In force on"), required=False, widget=DATE)
    trainings = forms.ModelMultipleChoiceField(
        label=_("Training sessions"), queryset=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainings"].queryset = _trainings()
