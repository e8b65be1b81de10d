"""Forms of the child's file page; each feeds one service of ``childcare.services``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from corridor.childcare import scoring
from corridor.childcare.models import (
    BestInterestDetermination,
    FamilyAssessment,
    FollowUpVisit,
    Level,
    Option,
    PlacementType,
    TracingAction,
)
from corridor.core.forms import DateField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 2})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AssessmentForm(forms.Form):
    assessed_on = DateField(label=_("Assessed on"), widget=DATE)
    childs_views = forms.CharField(label=_("The child's views and wishes"), widget=TEXT)
    safety_risks = forms.CharField(label=_("Safety and risks"), widget=TEXT)
    retrafficking_risk = forms.ChoiceField(label=_("Risk of re-trafficking"), choices=Level.choices)
    family_situation = forms.CharField(label=_("Family situation"), widget=TEXT, required=False)
    health = forms.CharField(label=_("Health"), widget=TEXT, required=False)
    education = forms.CharField(label=_("Schooling"), widget=TEXT, required=False)
    options = forms.MultipleChoiceField(
        label=_("Options identified"),
        choices=Option.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recommendation = forms.ChoiceField(label=_("Recommended option"), choices=Option.choices)


class DeterminationForm(forms.Form):
    decided_on = DateField(label=_("Decided on"), widget=DATE)
    panel = forms.CharField(
        label=_("Panel members, one per line: name — role"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    options_considered = forms.MultipleChoiceField(
        label=_("Options considered"), choices=Option.choices, widget=forms.CheckboxSelectMultiple
    )
    child_heard = forms.BooleanField(label=_("The child was heard"), required=False)
    heard_how = forms.ChoiceField(
        label=_("How the child was heard"), choices=BestInterestDetermination.HeardHow.choices
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=Option.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=TEXT)
    dissent = forms.CharField(label=_("Dissent (who, and why)"), widget=TEXT, required=False)

    def clean_panel(self) -> list[dict]:
        members = []
        for line in _lines(self.cleaned_data["panel"]):
            for sep in ("—", " - ", ";", ","):
                if sep in line:
                    name, role = line.split(sep, 1)
                    break
            else:
                name, role = line, ""
            members.append({"name": name.strip(), "role": role.strip()})
        return members


class FamilyAssessmentForm(forms.Form):
    assessed_on = DateField(label=_("Assessed on"), widget=DATE)
    place = forms.CharField(label=_("Place (area of origin)"), max_length=150)
    assessor = forms.CharField(label=_("Assessor"), max_length=150)
    household = forms.CharField(label=_("Household (who lives there)"), widget=TEXT)
    caregiver_name = forms.CharField(label=_("Caregiver"), max_length=200, required=False)
    caregiver_willing = forms.BooleanField(label=_("The caregiver is willing"), required=False)
    caregiver_able = forms.BooleanField(label=_("The caregiver is able"), required=False)
    living_conditions = forms.CharField(label=_("Living conditions"), widget=TEXT, required=False)
    risks = forms.CharField(label=_("Risks"), widget=TEXT, required=False)
    support_needed = forms.CharField(label=_("Support needed"), widget=TEXT, required=False)
    recommendation = forms.ChoiceField(
        label=_("Assessor's recommendation"), choices=FamilyAssessment.Recommendation.choices
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=FamilyAssessment.Source.choices,
        initial=FamilyAssessment.Source.LOCAL,
    )
    received_from = forms.CharField(label=_("Received from (node)"), max_length=40, required=False)


class FamilyShareForm(forms.Form):
    assessment = forms.IntegerField(widget=forms.HiddenInput)


class TracingActionForm(forms.Form):
    date = DateField(label=_("Date"), widget=DATE)
    action = forms.CharField(label=_("Action"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=150, required=False)
    who = forms.CharField(label=_("Who"), max_length=150)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=TracingAction.Outcome.choices)
    notes = forms.CharField(label=_("Notes"), widget=TEXT, required=False)


def _providers():
    from corridor.referrals.models import ServiceProvider

    return ServiceProvider.objects.filter(country=settings.NODE_COUNTRY).order_by("name")


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of care"), choices=PlacementType.choices)
    provider = forms.ModelChoiceField(
        label=_("Provider (service directory)"), queryset=None, required=False
    )
    start_on = DateField(label=_("Start"), widget=DATE)
    review_on = DateField(label=_("First review"), widget=DATE, required=False)
    caregiver = forms.CharField(label=_("Caregiver"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _providers()


class PlacementUpdateForm(forms.Form):
    placement = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    review_on = DateField(label=_("Add a review date"), widget=DATE, required=False)
    caregiver = forms.CharField(label=_("New caregiver"), max_length=150, required=False)
    caregiver_from = DateField(label=_("Caregiver since"), widget=DATE, required=False)
    end_on = DateField(label=_("End of the placement"), widget=DATE, required=False)
    end_reason = forms.CharField(label=_("Reason for the end"), max_length=200, required=False)


class HandOverForm(forms.Form):
    date = DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=150)
    escort = forms.CharField(label=_("Escort"), max_length=200)
    receiving_agency = forms.CharField(label=_("Receiving agency"), max_length=200)
    documents = forms.CharField(
        label=_("Documents handed over, one per line"), widget=TEXT, required=False
    )
    remarks = forms.CharField(label=_("Remarks"), widget=TEXT, required=False)

    def clean_documents(self) -> list[str]:
        return _lines(self.cleaned_data["documents"])


class CountersignForm(forms.Form):
    handover = forms.IntegerField(widget=forms.HiddenInput)
    remarks = forms.CharField(label=_("Remarks"), widget=TEXT, required=False)


RATING_LABELS = {
    "econ_needs": _("Household meets the child's basic needs"),
    "econ_learning": _("Regular school or training attendance"),
    "soc_housing": _("Adequate housing"),
    "soc_services": _("Access to health care, documents and services"),
    "psy_wellbeing": _("Emotional well-being"),
    "psy_safety": _("Feels safe at home and in the community"),
    "psy_belonging": _("Relations with family, peers and community"),
}


class VisitForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Visit"),
        coerce=int,
        choices=[(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))],
    )
    visited_on = DateField(label=_("Visited on"), widget=DATE)
    placement = forms.ModelChoiceField(
        label=_("Placement visited (if any)"), queryset=None, required=False
    )
    living_with = forms.ChoiceField(
        label=_("Living with"), choices=FollowUpVisit.LivingWith.choices
    )
    schooling = forms.ChoiceField(
        label=_("School or apprenticeship"), choices=FollowUpVisit.Schooling.choices
    )
    safety = forms.ChoiceField(label=_("Safety"), choices=FollowUpVisit.Safety.choices)
    wellbeing = forms.CharField(label=_("Well-being"), widget=TEXT, required=False)
    childs_account = forms.CharField(
        label=_("The child's own account"), widget=TEXT, required=False
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        from corridor.childcare.models import Placement

        self.fields["placement"].queryset = (
            Placement.objects.filter(case=case) if case is not None else Placement.objects.none()
        )
        for item in scoring.ITEMS:
            self.fields[item] = forms.IntegerField(
                label=RATING_LABELS[item],
                min_value=scoring.SCALE[0],
                max_value=scoring.SCALE[1],
                help_text=_("1 (worst) to 5 (best)"),
            )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["ratings"] = {item: data.pop(item) for item in scoring.ITEMS}
        return data
