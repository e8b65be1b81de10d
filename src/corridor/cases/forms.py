"""Forms of the case pages. Each action form feeds exactly one service function."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Agency, Role, User
from corridor.cases.models import Approval, Case, ChildStep, Stage, Status
from corridor.core.countries import country_picker_choices, language_choices
from corridor.core.forms import EARLIEST_DATE, LATEST_DATE, DateField, PhoneInput
from corridor.core.vocab import choices

DATE = forms.DateInput(attrs={"type": "date"})


def _multi(name: str, label) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices(name), widget=forms.CheckboxSelectMultiple
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or name"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", "—"), *Stage.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *Status.choices]
    )
    child = forms.ChoiceField(
        label=_("Child"),
        required=False,
        choices=[("", "—"), ("1", _("Children")), ("0", _("Adults"))],
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.none()
    )
    overdue = forms.BooleanField(label=_("Overdue tasks"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.country:
            self.fields["agency"].queryset = Agency.objects.filter(country=user.country)


class PersonForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    other_name = forms.CharField(
        label=_("Other name, nickname or spelling"), required=False, max_length=300
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=choices("people.gender"), initial="NonSpecifiedUnknown"
    )
    birth_date = DateField(label=_("Birth date (if known)"), required=False, widget=DATE)
    birth_year = forms.IntegerField(
        label=_("Birth year (if only the year is known)"),
        required=False,
        min_value=EARLIEST_DATE.year,
        max_value=LATEST_DATE.year,
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age today"), required=False, min_value=0, max_value=120
    )
    citizenships = forms.MultipleChoiceField(
        label=_("Citizenships"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    migrant_status = forms.ChoiceField(
        label=_("Migrant status"), required=False, choices=[("", "—")]
    )
    unaccompanied = forms.BooleanField(label=_("Unaccompanied or separated child"), required=False)
    place_of_origin = forms.CharField(label=_("Place of origin"), required=False, max_length=120)
    origin_prefecture = forms.CharField(
        label=_("Prefecture / province of origin"), required=False, max_length=120
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40, widget=PhoneInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["migrant_status"].choices = [("", "—"), *choices("people.migrant_status")()]
        # Pickers by name in the reader's language; the person keeps ISO codes.
        self.fields["citizenships"].choices = country_picker_choices()
        self.fields["languages"].choices = language_choices()

    def person_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "given_names": data["given_names"],
            "family_name": data["family_name"],
            "gender": data["gender"],
            "birth_date": data["birth_date"],
            "birth_year": data["birth_year"],
            "estimated_age": data["estimated_age"],
            "citizenships": data["citizenships"],
            "languages": data["languages"],
            "migrant_status": data["migrant_status"],
            "unaccompanied": data["unaccompanied"],
            "place_of_origin": data["place_of_origin"],
            "origin_prefecture": data["origin_prefecture"],
            "other_names": [("spelling", data["other_name"])] if data["other_name"] else [],
            "phones": [data["phone"]] if data["phone"] else [],
        }


class CaseOpenForm(PersonForm):
    caseload = forms.ChoiceField(
        label=_("Caseload"),
        choices=[("", "—")],
        help_text=_(
            "Who the case is for. Most people on the move are not victims of trafficking: choose "
            "a victim caseload only when there are signs of trafficking. A supervisor can change "
            "it later, with a reason."
        ),
    )
    identified_on = DateField(label=_("Identified on"), widget=DATE)
    identified_at_place = forms.CharField(
        label=_("Place of identification"), required=False, max_length=150
    )
    narrative = forms.CharField(
        label=_("What happened (kept encrypted)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseload"].choices = [("", "—"), *choices("cases.caseload")()]
        self.order_fields(["caseload"])


class CaseloadForm(forms.Form):
    caseload = forms.ChoiceField(label=_("New caseload"), choices=choices("cases.caseload"))
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SmugglingForm(forms.Form):
    intermediary = forms.CharField(
        label=_("Smuggler or intermediary (name or nickname)"), required=False, max_length=200
    )
    intermediary_phone = forms.CharField(
        label=_("Smuggler's phone"), required=False, max_length=40, widget=PhoneInput
    )
    amount_paid = forms.DecimalField(
        label=_("Amount paid"), required=False, min_value=0, decimal_places=0, max_digits=12
    )
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3, initial="XOF")
    paid_to = forms.CharField(label=_("Paid to"), required=False, max_length=200)
    route = forms.CharField(
        label=_("Route (places passed through)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    transport_means = _multi("cases.transport_means", _("Means of transport"))
    documents = _multi("cases.smuggling_documents", _("Documents"))
    endangered_life = forms.BooleanField(
        label=_("Life or safety endangered on the way"), required=False
    )
    inhuman_treatment = forms.BooleanField(
        label=_("Inhuman or degrading treatment"), required=False
    )
    circumstances = forms.CharField(
        label=_("What happened on the way (kept encrypted)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    protection_given = _multi("cases.migrant_protection", _("Protection and assistance given"))


class TransitionForm(forms.Form):
    to = forms.CharField()
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    closure_reason = forms.CharField(label=_("Reason for closure"), required=False, max_length=200)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=choices("cases.consent_purpose"))
    given = forms.BooleanField(label=_("Consent given"), required=False, initial=True)
    legal_ground = forms.ChoiceField(
        label=_("Or legal ground"), required=False, choices=[("", "—")]
    )
    given_by_guardian = forms.BooleanField(label=_("Given by a parent or guardian"), required=False)
    guardian_name = forms.CharField(label=_("Guardian's name"), required=False, max_length=200)
    childs_views = forms.CharField(
        label=_("The child's own views"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    given_on = DateField(label=_("Date"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_ground"].choices = [("", "—"), *choices("cases.legal_ground")()]


class WithdrawConsentForm(forms.Form):
    consent = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False)


class ApprovalRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Approval"), choices=Approval.Kind.choices)
    comment = forms.CharField(
        label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApprovalDecideForm(forms.Form):
    approval = forms.IntegerField(widget=forms.HiddenInput)
    # No default: the supervisor chooses, the page never pre-selects "approve".
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approved", _("Approve")), ("rejected", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trafficking_status = forms.ChoiceField(
        label=_("Trafficking status"), required=False, choices=[("", "—")]
    )
    decision_org = forms.ChoiceField(label=_("Decided by"), required=False, choices=[("", "—")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trafficking_status"].choices = [
            ("", "—"),
            *choices("cases.trafficking_status")(),
        ]
        self.fields["decision_org"].choices = [("", "—"), *choices("cases.decision_org")()]


class ServiceForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=choices("cases.support_type"))
    delivered_on = DateField(label=_("Date"), widget=DATE)
    provider_name = forms.CharField(label=_("Provider"), required=False, max_length=200)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(forms.Form):
    plan_type = forms.ChoiceField(label=_("Type of support"), choices=choices("cases.support_type"))
    objectives = forms.CharField(
        label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    action_plan = forms.CharField(
        label=_("Action plan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_end = DateField(label=_("Planned end"), required=False, widget=DATE)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = DateField(label=_("Due on"), widget=DATE)


class TaskDoneForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(label=_("Outcome"), required=False)


class EventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Type"), choices=choices("cases.event_type"))
    date = DateField(label=_("Date"), required=False, widget=DATE)
    city = forms.CharField(label=_("City or village"), required=False, max_length=120)
    state = forms.CharField(label=_("Region / prefecture"), required=False, max_length=120)
    country = forms.CharField(label=_("Country (ISO code)"), required=False, max_length=2)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RelativeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relationship"), choices=choices("people.relationship"))
    relative_name = forms.CharField(label=_("Name"), max_length=300)
    whereabouts = forms.CharField(label=_("Last known whereabouts"), required=False, max_length=200)
    contact = forms.CharField(
        label=_("Contact details (kept encrypted)"), required=False, max_length=300
    )


class CaregiverForm(forms.Form):
    caregiver = forms.IntegerField(label=_("Caregiver"))
    agreed = forms.BooleanField(label=_("The caregiver agreed"), required=False)
    able = forms.BooleanField(label=_("The caregiver was assessed as able"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["assignee"].queryset = User.objects.filter(
                agency_id=case.agency_id,
                is_active=True,
                role__in=[Role.CASEWORKER, Role.SUPERVISOR],
            )


class VictimContextForm(forms.Form):
    exploitation_types = _multi("cases.exploitation", _("Types of exploitation"))
    industries = _multi("cases.industry", _("Forced-labour industries"))
    methods_of_control = _multi("cases.methods_of_control", _("Methods of control"))
    vulnerabilities = _multi("cases.vulnerabilities", _("Vulnerabilities"))
    recruitment_method = forms.ChoiceField(
        label=_("Method of recruitment"), required=False, choices=[("", "—")]
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to trafficker"), required=False, choices=[("", "—")]
    )
    age_when_trafficked = forms.IntegerField(
        label=_("Age when trafficked"), required=False, min_value=0, max_value=100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruitment_method"].choices = [("", "—"), *choices("cases.recruitment")()]
        self.fields["relationship_to_trafficker"].choices = [
            ("", "—"),
            *choices("cases.relationship_to_trafficker")(),
        ]


__all__ = ["ChildStep"]
