"""Forms of the federation pages; each feeds one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PeerForm(forms.Form):
    identity = forms.CharField(
        label=_("The peer's exported identity (JSON)"), widget=forms.Textarea(attrs={"rows": 8})
    )


class SealedImportForm(forms.Form):
    file = forms.FileField(label=_("Sealed file or receipts file"))
