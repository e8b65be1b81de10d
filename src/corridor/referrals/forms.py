"""Forms of the referral pages (in-country and cross-border); each feeds one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Agency
from corridor.accounts.selectors import case_holding_agencies
from corridor.core.forms import DateField
from corridor.core.vocab import choices
from corridor.federation.selectors import active_peers
from corridor.referrals.cross_border import UPDATE_KINDS, shared_moves
from corridor.referrals.cross_border_fields import PURPOSES
from corridor.referrals.models import CrossBorderReferralEvent, CrossBorderStatus


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
            self.fields["to_agency"].queryset = case_holding_agencies().exclude(pk=case.agency_id)


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


# --- Cross-border referrals -----------------------------------------------------------------


class CrossBorderReferForm(forms.Form):
    peer = forms.ModelChoiceField(label=_("Refer to"), queryset=None, empty_label=None)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[(k, v["label"]) for k, v in PURPOSES.items()]
    )
    reason = forms.CharField(
        label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = active_peers()


class CrossBorderDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s, CrossBorderStatus(s).label)
            for s in (
                CrossBorderStatus.ACCEPTED,
                CrossBorderStatus.INFO_REQUESTED,
                CrossBorderStatus.DECLINED,
            )
        ],
    )
    agency = forms.ModelChoiceField(label=_("Agency in charge"), queryset=None, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = case_holding_agencies()


class CrossBorderStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New shared status"), choices=[])
    comment = forms.CharField(label=_("Comment"), required=False)

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, CrossBorderStatus(s).label) for s in shared_moves(current)
        ]


class CrossBorderUpdateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Update"), choices=[])
    date = DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CrossBorderReferralEvent.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in UPDATE_KINDS]
