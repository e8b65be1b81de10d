from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Agency
from corridor.core.countries import region_name
from corridor.core.forms import PhoneInput
from corridor.core.vocab import choices
from corridor.flows.models import FlowPoint
from corridor.intake.models import Channel, Concern, Urgency
from corridor.intel.models import Handling
from corridor.people.models import Person


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    anonymous = forms.BooleanField(label=_("The reporter stays anonymous"), required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=150, required=False)
    reporter_phone = forms.CharField(
        label=_("Reporter's phone"), max_length=40, required=False, widget=PhoneInput
    )
    place = forms.CharField(label=_("Place"), max_length=150, required=False)
    concern_type = forms.ChoiceField(label=_("Concern"), choices=Concern.choices)
    concern = forms.CharField(
        label=_("What was reported"), widget=forms.Textarea(attrs={"rows": 5})
    )
    children_involved = forms.IntegerField(
        label=_("Children involved"), min_value=0, max_value=500, required=False
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.DAY)


class TriageForm(forms.Form):
    concern_type = forms.ChoiceField(label=_("Concern"), choices=Concern.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    children_involved = forms.IntegerField(
        label=_("Children involved"), min_value=0, max_value=500, required=False
    )
    place = forms.CharField(label=_("Place"), max_length=150, required=False)
    note = forms.CharField(
        label=_("Triage note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DispatchForm(forms.Form):
    social_worker = forms.ModelChoiceField(label=_("Social worker"), queryset=None)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["social_worker"].queryset = workers
        self.fields["social_worker"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} · {u.agency}"
        )


class ConvertCaseForm(forms.Form):
    caseload = forms.ChoiceField(label=_("Caseload"), choices=[("", "—")])
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Person._meta.get_field("gender").choices,
        initial="NonSpecifiedUnknown",
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age"), min_value=0, max_value=120, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseload"].choices = [("", "—"), *choices("cases.caseload")()]


class TipForm(forms.Form):
    handling = forms.ChoiceField(label=_("Handling code"), choices=Handling.choices, initial="C")
    note = forms.CharField(label=_("Note for investigators"), required=False, max_length=500)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Why no further action"), max_length=500)


class InterceptionForm(forms.Form):
    adults = forms.CharField(
        label=_("Accompanying adults"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names given, relationship claimed, description."),
    )
    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=20, required=False)
    phones = forms.CharField(
        label=_("Phones"), max_length=300, required=False, help_text=_("Separated by commas.")
    )
    route = forms.CharField(label=_("Route"), max_length=300, required=False)
    documents = forms.CharField(label=_("Documents shown"), max_length=300, required=False)
    handling = forms.ChoiceField(label=_("Handling code"), choices=Handling.choices, initial="C")


class DutyForm(forms.Form):
    point = forms.ModelChoiceField(label=_("Monitoring point"), queryset=None, required=False)
    region = forms.ChoiceField(label=_("or region"), required=False)
    agency = forms.ModelChoiceField(label=_("Agency on duty"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        points = FlowPoint.objects.filter(country=settings.NODE_COUNTRY, is_active=True)
        self.fields["point"].queryset = points
        regions = sorted(set(points.values_list("region", flat=True)))
        self.fields["region"].choices = [("", "—"), *[(r, region_name(r)) for r in regions]]
        self.fields["agency"].queryset = Agency.objects.filter(
            country=settings.NODE_COUNTRY, is_active=True, providers__isnull=False
        ).distinct()
