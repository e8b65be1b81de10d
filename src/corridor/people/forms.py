"""Forms of the person page; each feeds one service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import DateField
from corridor.core.vocab import choices
from corridor.people.models import PersonName


class NameForm(forms.Form):
    name = forms.CharField(label=_("Other name, nickname or spelling"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=PersonName.Kind.choices)


class PhoneForm(forms.Form):
    number = forms.CharField(label=_("Phone number"), max_length=40)
    label = forms.CharField(label=_("Label"), max_length=60, required=False)


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=choices("people.document_type"))
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    issuing_country = forms.CharField(
        label=_("Issuing country (ISO code)"), max_length=2, required=False
    )
    expires_on = DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG or PNG, 2 MB at most)"))
