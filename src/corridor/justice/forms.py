"""Forms of the justice pages. Each action form feeds exactly one service function."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import DateField
from corridor.core.numbers import labelled
from corridor.core.vocab import choices
from corridor.justice.models import Accused, EventKind, Outcome, Stage, SupportMeasure

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(name):
    return lambda: [("", "—"), *choices(name)()]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or title"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage of an accused"), required=False, choices=[("", "—"), *Stage.choices]
    )


class CriminalCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"), choices=choices("justice.jurisdiction")
    )
    opened_on = DateField(label=_("Opened on"), widget=DATE, initial=timezone.localdate)
    summary = forms.CharField(
        label=_("Summary of the facts"), required=False, widget=forms.Textarea
    )
    evidence = forms.CharField(label=_("Evidence list"), required=False, widget=forms.Textarea)


class FileForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the facts"), required=False, widget=forms.Textarea
    )
    evidence = forms.CharField(label=_("Evidence list"), required=False, widget=forms.Textarea)


class AccusedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Accused.Sex.choices)
    is_child = forms.BooleanField(label=_("Under 18 at the time of the offence"), required=False)
    citizenship = forms.CharField(
        label=_("Citizenship (ISO 3166, e.g. TG)"), max_length=2, required=False
    )
    offences = forms.MultipleChoiceField(
        label=_("Offences"), choices=choices("justice.offence"), widget=forms.CheckboxSelectMultiple
    )
    exploitation = forms.ChoiceField(
        label=_("Form of exploitation (trafficking)"),
        required=False,
        choices=_blank("cases.exploitation"),
    )
    complaint_on = DateField(label=_("Complaint or report on"), widget=DATE)
    intel_entity = forms.IntegerField(
        label=_("Intelligence person number (optional)"), required=False, min_value=1
    )


class EventForm(forms.Form):
    accused = forms.TypedChoiceField(label=_("Accused"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Step"), choices=EventKind.choices)
    date = DateField(label=_("Date"), widget=DATE)
    charge = forms.TypedChoiceField(
        label=_("Charge (judgment)"), coerce=int, required=False, empty_value=None, choices=()
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (judgment)"),
        required=False,
        choices=[("", "—")] + [c for c in Outcome.choices if c[0] != Outcome.PENDING],
    )
    sentence_months = forms.IntegerField(label=_("Prison (months)"), required=False, min_value=0)
    fine = forms.IntegerField(label=_("Fine (XOF/XAF)"), required=False, min_value=0)
    amount = forms.IntegerField(label=_("Assets (value)"), required=False, min_value=0)
    court = forms.CharField(label=_("Court or office"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criminal_case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if criminal_case is not None:
            accused = list(criminal_case.accused.prefetch_related("charges"))
            self.fields["accused"].choices = [(a.pk, a.name) for a in accused]
            self.fields["charge"].choices = [("", "—")] + [
                (c.pk, labelled(a.name, c.get_offence_display()))
                for a in accused
                for c in a.charges.all()
            ]


class ChargeForm(forms.Form):
    accused = forms.TypedChoiceField(label=_("Accused"), coerce=int, choices=())
    offence = forms.ChoiceField(label=_("Offence"), choices=choices("justice.offence"))
    exploitation = forms.ChoiceField(
        label=_("Form of exploitation (trafficking)"),
        required=False,
        choices=_blank("cases.exploitation"),
    )

    def __init__(self, *args, criminal_case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if criminal_case is not None:
            self.fields["accused"].choices = [(a.pk, a.name) for a in criminal_case.accused.all()]


class VictimForm(forms.Form):
    case_ref = forms.CharField(label=_("Protection case reference"), max_length=30)
    legal_ground = forms.ChoiceField(
        label=_("Legal ground (when the victim has not consented)"),
        required=False,
        choices=_blank("cases.legal_ground"),
    )


class _VictimChoice(forms.Form):
    victim = forms.TypedChoiceField(label=_("Victim"), coerce=int, choices=())

    def __init__(self, *args, criminal_case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if criminal_case is not None:
            self.fields["victim"].choices = [
                (v.pk, v.case.ref) for v in criminal_case.victims.select_related("case")
            ]


class NamingForm(_VictimChoice):
    ground = forms.ChoiceField(
        label=_("Legal ground to name the victim in the court file"),
        required=False,
        choices=_blank("cases.legal_ground"),
    )


class MeasureForm(_VictimChoice):
    measure = forms.ChoiceField(label=_("Measure"), choices=choices("justice.support"))
    requested_on = DateField(label=_("Requested on"), widget=DATE)
    amount = forms.IntegerField(label=_("Amount (compensation)"), required=False, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class MeasureDecideForm(forms.Form):
    measure = forms.TypedChoiceField(label=_("Measure"), coerce=int, choices=())
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            c for c in SupportMeasure.Status.choices if c[0] != SupportMeasure.Status.REQUESTED
        ],
    )
    decided_on = DateField(label=_("Decided on"), widget=DATE)
    amount = forms.IntegerField(label=_("Amount"), required=False, min_value=0)

    def __init__(self, *args, criminal_case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if criminal_case is not None:
            self.fields["measure"].choices = [
                (
                    m.pk,
                    labelled(
                        m.victim.case.ref, f"{m.get_measure_display()} ({m.get_status_display()})"
                    ),
                )
                for m in SupportMeasure.objects.filter(
                    victim__criminal_case=criminal_case
                ).select_related("victim__case")
            ]


class MlaDraftForm(forms.Form):
    """A cross-border request drafted on a criminal case (``mla.mla_draft``)."""

    peer = forms.ModelChoiceField(label=_("Other country's node"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of request"), choices=choices("justice.mla_kind"))
    jurisdiction = forms.ChoiceField(
        label=_("Addressed to (court, if known)"),
        required=False,
        choices=_blank("justice.jurisdiction"),
    )
    subject = forms.CharField(label=_("Facts and what is asked"), widget=forms.Textarea)
    suspect_name = forms.CharField(label=_("Suspect's name"), required=False, max_length=200)
    suspect_identifiers = forms.CharField(
        label=_("Suspect's identifiers needed (phone, account, document; one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    victim_ground = forms.ChoiceField(
        label=_("Legal ground to share a victim's details"),
        required=False,
        choices=_blank("cases.legal_ground"),
    )
    victim_details = forms.CharField(
        label=_("Victim's details needed (only with a legal ground)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deadline = DateField(label=_("Answer wanted by"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        from corridor.federation.models import Peer

        self.fields["peer"].queryset = Peer.objects.filter(is_active=True).exclude(
            country=settings.NODE_COUNTRY
        )


class MlaAnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea)
    complete = forms.BooleanField(label=_("This answer is complete"), required=False)


class MlaWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class MlaApproveForm(forms.Form):
    pass
