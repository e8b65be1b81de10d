"""Forms of the intelligence pages: parse and check input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import DateField, DateTimeField
from corridor.intel.models import (
    Credibility,
    Decision,
    EntityKind,
    EventKind,
    Handling,
    ImportKind,
    LinkKind,
    PersonRole,
    Reliability,
)

MAX_UPLOAD = 10 * 1024 * 1024
COUNTRIES = [
    ("", "—"),
    ("TG", _("Togo")),
    ("GA", _("Gabon")),
    ("BJ", _("Benin")),
    ("NG", _("Nigeria")),
    ("GH", _("Ghana")),
    ("CM", _("Cameroon")),
]


class GradingForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=200)
    reliability = forms.ChoiceField(label=_("Source reliability"), choices=Reliability.choices)
    credibility = forms.ChoiceField(label=_("Information credibility"), choices=Credibility.choices)
    handling = forms.ChoiceField(
        label=_("Handling code"), choices=Handling.choices, initial=Handling.CONDITIONS
    )


class ReportForm(GradingForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    received_on = DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea, required=False)
    field_order = [
        "title",
        "received_on",
        "source",
        "reliability",
        "credibility",
        "handling",
        "narrative",
    ]


class EntityForm(GradingForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EntityKind.choices)
    name = forms.CharField(
        label=_("Name, number or reference"),
        max_length=200,
        help_text=_("A victim is recorded only by the reference of their case, never by name."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Role in the process (HTCDS)"),
        choices=PersonRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    aliases = forms.CharField(label=_("Aliases (comma-separated)"), max_length=500, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    report = forms.ModelChoiceField(label=_("From report"), queryset=None, required=False)
    field_order = [
        "kind",
        "name",
        "country",
        "roles",
        "aliases",
        "notes",
        "report",
        "source",
        "reliability",
        "credibility",
        "handling",
    ]

    def __init__(self, *args, reports=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = reports

    def clean_aliases(self):
        return [a.strip() for a in self.cleaned_data["aliases"].split(",") if a.strip()]


class EntityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class LinkForm(GradingForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=LinkKind.choices)
    source_entity = EntityChoice(label=_("From"), queryset=None)
    target_entity = EntityChoice(label=_("To"), queryset=None)
    start = DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    field_order = ["kind", "source_entity", "target_entity", "start", "end", "description"]

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_entity"].queryset = entities
        self.fields["target_entity"].queryset = entities

    def clean(self):
        data = super().clean()
        if data.get("source_entity") and data.get("source_entity") == data.get("target_entity"):
            raise forms.ValidationError(_("A link needs two different entities."))
        return data


class EventForm(GradingForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    at = DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    participants = forms.ModelMultipleChoiceField(label=_("Participants"), queryset=None)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    field_order = ["kind", "at", "participants", "place", "description", "amount", "currency"]

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = entities


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("File type"), choices=ImportKind.choices)
    file = forms.FileField(label=_("CSV file"))
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Operator and requisition, e.g. “Moov Africa, réquisition 2025/114”"),
    )
    reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=Reliability.choices, initial=Reliability.B
    )
    credibility = forms.ChoiceField(
        label=_("Information credibility"),
        choices=Credibility.choices,
        initial=Credibility.PROBABLE,
    )
    skip_bad = forms.BooleanField(
        label=_("Import the valid rows and report the others"),
        required=False,
        help_text=_("Unticked, a file with any bad row imports nothing."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it."))
        return upload


class NetworkForm(forms.Form):
    anchor = forms.IntegerField(
        label=_("Network of entity"), required=False, min_value=1, widget=forms.HiddenInput
    )
    start = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    k = forms.IntegerField(
        label=_("Key players"), required=False, min_value=1, max_value=10, initial=3
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the window is before its start."))
        return data


class PathForm(forms.Form):
    source = EntityChoice(label=_("From"), queryset=None)
    target = EntityChoice(label=_("To"), queryset=None)

    def __init__(self, *args, entities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = entities
        self.fields["target"].queryset = entities

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise forms.ValidationError(_("Choose two different entities."))
        return data


class JudgementForm(forms.Form):
    left = forms.IntegerField(widget=forms.HiddenInput)
    right = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class UnmergeForm(forms.Form):
    comment = forms.CharField(label=_("Why"), max_length=500, required=False)


class IntelRequestForm(forms.Form):
    peer = forms.ModelChoiceField(label=_("Other node"), queryset=None)
    identifiers = forms.CharField(
        label=_("Identifiers, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("kind: value, for example “phone: +241 77 01 10 32” or “vehicle: TG 4821 AB”"),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=500, min_length=5)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        min_length=3,
        help_text=_("Mutual legal assistance agreement, prosecutor's request …"),
    )

    def __init__(self, *args, peers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = peers

    def clean_identifiers(self):
        from django.core.exceptions import ValidationError

        from corridor.intel.exchange import parse_identifiers

        try:
            return parse_identifiers(self.cleaned_data["identifiers"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
