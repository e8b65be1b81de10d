from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Agency
from corridor.core.vocab import choices


class ReferralForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Refer to"), queryset=Agency.objects.none())
    service_type = forms.ChoiceField(
        label=_("Service (leave empty to refer the whole case)"),
        required=False,
        choices=[("", "—")],
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=choices("cases.referral_reason"))
    details = forms.CharField(
        label=_("What the receiving agency needs to know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", "—"), *choices("cases.support_type")()]
        if case is not None:
            self.fields["to_agency"].queryset = Agency.objects.filter(
                country=case.agency.country, is_active=True
            ).exclude(pk=case.agency_id)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("decline", _("Decline")),
            ("complete", _("Completed")),
            ("withdraw", _("Withdraw")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DirectoryFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False, choices=[("", "—")])
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", "—"), ("TG", _("Togo")), ("GA", _("Gabon"))],
    )
    age = forms.IntegerField(
        label=_("Age of the person"), required=False, min_value=0, max_value=120
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "—"), *choices("cases.support_type")()]
