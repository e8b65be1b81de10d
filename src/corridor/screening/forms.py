"""The screening form: the person (chosen or new), one yes / no / not-known question per
indicator, and whether to open a case. Built from the questionnaire's YAML."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.core.countries import country_picker_choices
from corridor.core.forms import EARLIEST_DATE, LATEST_DATE, DateField
from corridor.core.vocab import choices, vocabulary
from corridor.people.models import Person
from corridor.screening.questionnaires import Questionnaire


class ScreeningForm(forms.Form):
    screened_on = DateField(
        label=gettext_lazy("Date of the screening"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    place = forms.CharField(label=gettext_lazy("Place or border post"), required=False)
    given_names = forms.CharField(label=gettext_lazy("Given names"), required=False)
    family_name = forms.CharField(label=gettext_lazy("Family name"), required=False)
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        choices=choices("people.gender"),
        initial="NonSpecifiedUnknown",
    )
    birth_date = DateField(
        label=gettext_lazy("Birth date, if known exactly"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    birth_year = forms.IntegerField(
        label=gettext_lazy("or birth year"),
        required=False,
        min_value=EARLIEST_DATE.year,
        max_value=LATEST_DATE.year,
    )
    estimated_age = forms.IntegerField(
        label=gettext_lazy("or estimated age today"), required=False, min_value=0, max_value=120
    )
    migrant_status = forms.ChoiceField(label=gettext_lazy("Migrant status"), required=False)
    unaccompanied = forms.BooleanField(
        label=gettext_lazy("Unaccompanied or separated child"), required=False
    )
    citizenships = forms.MultipleChoiceField(
        label=gettext_lazy("Citizenships"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea)
    open_case = forms.BooleanField(label=gettext_lazy("Open a case now"), required=False)

    PERSON_FIELDS = (
        "given_names",
        "family_name",
        "gender",
        "birth_date",
        "birth_year",
        "estimated_age",
        "migrant_status",
        "unaccompanied",
        "citizenships",
    )

    def __init__(
        self,
        *args,
        questionnaire: Questionnaire,
        person: Person | None,
        can_open_case: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.person = person
        self.fields["migrant_status"].choices = [("", "—"), *choices("people.migrant_status")()]
        if "citizenships" in self.fields:
            self.fields["citizenships"].choices = country_picker_choices()
        answers = [(t.code, t.label) for t in vocabulary("screening.answers").terms]
        answer_choices = [(code, _(label)) for code, label in answers]
        for term in questionnaire.indicators:
            self.fields[f"q_{term.code}"] = forms.ChoiceField(
                label=_(term.label),
                choices=answer_choices,
                initial="unknown",
                widget=forms.RadioSelect,
            )
        if person is not None:
            for name in self.PERSON_FIELDS:
                del self.fields[name]
        if not can_open_case:
            del self.fields["open_case"]

    def person_fields(self):
        return [self[name] for name in self.PERSON_FIELDS if name in self.fields]

    def detail_fields(self):
        return [self[n] for n in ("screened_on", "place", "notes", "open_case") if n in self.fields]

    def sections(self):
        """(section label, bound fields) in the questionnaire's order, for the template."""
        label = vocabulary("screening.sections").label
        return [
            (label(section), [self[f"q_{t.code}"] for t in terms])
            for section, terms in self.questionnaire.sections()
        ]

    def clean(self):
        data = super().clean()
        if self.person is None and not (
            (data.get("given_names") or "").strip() or (data.get("family_name") or "").strip()
        ):
            self.add_error("given_names", _("Give at least one name (a nickname will do)."))
        return data

    def answers(self) -> dict[str, str]:
        return {t.code: self.cleaned_data[f"q_{t.code}"] for t in self.questionnaire.indicators}

    def new_person(self) -> dict | None:
        if self.person is not None:
            return None
        data = self.cleaned_data
        person = {name: data[name] for name in self.PERSON_FIELDS if name != "citizenships"}
        person["citizenships"] = list(data["citizenships"])
        person["migrant_status"] = data["migrant_status"] or ""
        return person


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approved", gettext_lazy("Approve")),
            ("rejected", gettext_lazy("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    trafficking_status = forms.ChoiceField(
        label=gettext_lazy("Trafficking status"), choices=choices("cases.trafficking_status")
    )
    decision_org = forms.ChoiceField(
        label=gettext_lazy("Decided by"), choices=choices("cases.decision_org")
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea)
