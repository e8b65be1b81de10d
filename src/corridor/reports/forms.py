from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import DateField, name_grid_cells
from corridor.reports.models import Sex
from corridor.reports.publication_labels import DIMENSION_LABELS
from corridor.reports.services import DIMENSIONS

DATE = forms.DateInput(attrs={"type": "date"})
ATTENDANCE_LINES = 4


class PeriodForm(forms.Form):
    start = DateField(label=_("From"), required=False, widget=DATE)
    end = DateField(label=_("To"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=100, required=False)
    held_on = DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    organiser = forms.ModelChoiceField(queryset=None, label=_("Organiser"))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = agencies
        for i in range(ATTENDANCE_LINES):
            self.fields[f"a{i}_agency"] = forms.ModelChoiceField(
                queryset=agencies, label=_("Agency of the officials"), required=False
            )
            for sex, label in Sex.choices:
                self.fields[f"a{i}_{sex}"] = forms.IntegerField(
                    min_value=0, max_value=10_000, label=label, required=False
                )
        name_grid_cells(self.attendance_rows())

    def attendance_rows(self):
        return [
            [self[f"a{i}_agency"], *[self[f"a{i}_{s}"] for s in Sex.values]]
            for i in range(ATTENDANCE_LINES)
        ]

    def attendance(self) -> list:
        data, out = self.cleaned_data, []
        for i in range(ATTENDANCE_LINES):
            agency = data.get(f"a{i}_agency")
            for sex in Sex.values:
                n = data.get(f"a{i}_{sex}") or 0
                if n and agency is None:
                    raise forms.ValidationError(_("Choose the agency of the officials counted."))
                if agency is not None and n:
                    out.append((agency, sex, n))
        return out


class BudgetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    epsilon_total = forms.FloatField(label=_("Total ε"), min_value=0.01, max_value=10)
    period_start = DateField(label=_("From"), widget=DATE)
    period_end = DateField(label=_("To"), widget=DATE)


class DpReleaseForm(forms.Form):
    budget = forms.ModelChoiceField(queryset=None, label=_("Privacy budget"))
    dimension = forms.ChoiceField(
        label=_("Broken down by"), choices=[(d, DIMENSION_LABELS[d]) for d in DIMENSIONS]
    )
    epsilon = forms.FloatField(label=_("ε for this release"), min_value=0.01, max_value=10)

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets


class CtdcForm(forms.Form):
    start = DateField(label=_("From"), widget=DATE)
    end = DateField(label=_("To"), widget=DATE)
