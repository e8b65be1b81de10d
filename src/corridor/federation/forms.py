"""Forms of the federation pages; each feeds one service."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Agency
from corridor.federation.fields import PURPOSES
from corridor.federation.models import RECEIVER_DECISIONS, REFERRAL_FLOW, ReferralStatus
from corridor.federation.selectors import active_peers
from corridor.federation.services import UPDATE_KINDS


class ReferForm(forms.Form):
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


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s, ReferralStatus(s).label)
            for s in (
                ReferralStatus.ACCEPTED,
                ReferralStatus.INFO_REQUESTED,
                ReferralStatus.DECLINED,
            )
        ],
    )
    agency = forms.ModelChoiceField(label=_("Agency in charge"), queryset=None, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            country=settings.NODE_COUNTRY, is_active=True
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New shared status"), choices=[])
    comment = forms.CharField(label=_("Comment"), required=False)

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, ReferralStatus(s).label)
            for s in REFERRAL_FLOW.get(current, ())
            if s not in RECEIVER_DECISIONS
        ]


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Update"), choices=[])
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from corridor.federation.models import ReferralEvent

        labels = dict(ReferralEvent.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in UPDATE_KINDS]


class PeerForm(forms.Form):
    identity = forms.CharField(
        label=_("The peer's exported identity (JSON)"), widget=forms.Textarea(attrs={"rows": 8})
    )


class SealedImportForm(forms.Form):
    file = forms.FileField(label=_("Sealed file or receipts file"))
