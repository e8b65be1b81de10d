"""Forms of the flow pages: parse and validate input; the services do the writing."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import DateField, name_grid_cells
from corridor.flows.models import NATIONALITY_CHOICES
from corridor.flows.vocab import AgeGroup, Direction, Reason, Sex, Transport, Vulnerability

LINES = 8


class SheetForm(forms.Form):
    """One daily count sheet: up to eight category lines plus the vulnerability counts."""

    point = forms.ModelChoiceField(queryset=None, label=_("Point"))
    day = DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        if points.count() == 1:
            self.fields["point"].initial = points.first()
        self.fields["day"].initial = timezone.localdate()
        for i in range(LINES):
            self.fields[f"l{i}_direction"] = forms.ChoiceField(
                choices=Direction.choices, label=_("Direction"), required=False
            )
            self.fields[f"l{i}_sex"] = forms.ChoiceField(
                choices=Sex.choices, label=_("Sex"), required=False
            )
            self.fields[f"l{i}_age_group"] = forms.ChoiceField(
                choices=AgeGroup.choices, label=_("Age group"), required=False
            )
            self.fields[f"l{i}_nationality"] = forms.ChoiceField(
                choices=NATIONALITY_CHOICES, label=_("Nationality"), required=False
            )
            self.fields[f"l{i}_transport"] = forms.ChoiceField(
                choices=Transport.choices, label=_("Transport"), required=False
            )
            self.fields[f"l{i}_reason"] = forms.ChoiceField(
                choices=Reason.choices, label=_("Reason for travel"), required=False
            )
            self.fields[f"l{i}_count"] = forms.IntegerField(
                min_value=0, max_value=100_000, label=_("Travellers"), required=False
            )
        for direction, direction_label in Direction.choices:
            for vulnerability in Vulnerability.values:
                self.fields[f"v_{direction}_{vulnerability}"] = forms.IntegerField(
                    min_value=0, max_value=100_000, required=False, label=direction_label
                )
        name_grid_cells(self.line_rows())
        name_grid_cells(dict(self.vulnerability_rows()))

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Counts cannot be entered for a day in the future."))
        if day < timezone.localdate() - timedelta(days=366):
            raise forms.ValidationError(_("This day is more than a year ago: ask a coordinator."))
        return day

    def line_rows(self) -> list[list]:
        """The bound fields of each line, for the template."""
        names = ("direction", "sex", "age_group", "nationality", "transport", "reason", "count")
        return [[self[f"l{i}_{n}"] for n in names] for i in range(LINES)]

    def vulnerability_rows(self) -> list[tuple]:
        return [
            (label, [self[f"v_{d}_{v}"] for d in Direction.values])
            for v, label in Vulnerability.choices
        ]

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        out = []
        for i in range(LINES):
            count = data.get(f"l{i}_count")
            if count:
                out.append(
                    {
                        f: data[f"l{i}_{f}"]
                        for f in (
                            "direction",
                            "sex",
                            "age_group",
                            "nationality",
                            "transport",
                            "reason",
                        )
                    }
                    | {"count": count}
                )
        return out

    def vulnerabilities(self) -> dict:
        data = self.cleaned_data
        return {
            (d, v): data.get(f"v_{d}_{v}") or 0
            for d in Direction.values
            for v in Vulnerability.values
        }


class SurveyForm(forms.Form):
    point = forms.ModelChoiceField(queryset=None, label=_("Point"))
    day = DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    consent = forms.BooleanField(
        label=_("The traveller agreed to answer (consent read out and given)"), required=False
    )
    direction = forms.ChoiceField(choices=Direction.choices, label=_("Direction"), required=False)
    sex = forms.ChoiceField(choices=[("", "—"), *Sex.choices], label=_("Sex"), required=False)
    age_group = forms.ChoiceField(
        choices=[("", "—"), *AgeGroup.choices], label=_("Age group"), required=False
    )
    nationality = forms.ChoiceField(
        choices=[("", "—"), *NATIONALITY_CHOICES], label=_("Nationality"), required=False
    )
    origin_country = forms.ChoiceField(
        choices=[("", "—"), *NATIONALITY_CHOICES], label=_("Country of departure"), required=False
    )
    destination_country = forms.ChoiceField(
        choices=[("", "—"), *NATIONALITY_CHOICES],
        label=_("Country of destination"),
        required=False,
    )
    transport = forms.ChoiceField(
        choices=[("", "—"), *Transport.choices], label=_("Transport"), required=False
    )
    reason = forms.ChoiceField(
        choices=[("", "—"), *Reason.choices], label=_("Reason for travel"), required=False
    )
    vulnerabilities = forms.MultipleChoiceField(
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Vulnerabilities"),
        required=False,
    )

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        self.fields["day"].initial = timezone.localdate()


class DashboardFilterForm(forms.Form):
    start = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    point = forms.ModelChoiceField(queryset=None, label=_("Point"), required=False)
    route = forms.ChoiceField(label=_("Route"), required=False)

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        from corridor.flows.vocab import ROUTE_LABELS

        # Only the routes of this node's points (Gabon's routes are not Togo's filter).
        routes = set(points.values_list("route", flat=True))
        self.fields["route"].choices = [
            ("", _("All routes")),
            *[(code, label) for code, label in ROUTE_LABELS.items() if code in routes],
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Export file (CSV or JSON from ODK Central or KoboToolbox)"))
    form_id = forms.CharField(
        label=_("Form id (when the file does not say)"), required=False, max_length=60
    )
