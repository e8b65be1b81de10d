"""A conflict's stored values as the conflicts page shows them, whatever was stored."""

from django import forms
from django.utils import translation

from corridor.fieldwork.services import value_shown


def test_a_stored_value_reads_as_the_form_shows_it_and_bad_json_as_stored():
    outcome = forms.ChoiceField(choices=[("dead_end", "Impasse"), ("lead", "Piste")])
    with translation.override("fr"):
        assert value_shown(outcome, '"dead_end"') == "Impasse"
        assert value_shown(outcome, '"gone"') == "gone"  # a choice since removed
        assert value_shown(forms.DateField(), '"2026-12-07"') == "07/12/2026"
        assert value_shown(forms.DateField(), '"7 déc."') == "7 déc."
        assert value_shown(forms.BooleanField(), "true") == "oui"
        assert value_shown(None, "null") == value_shown(None, "") == "—"
        assert value_shown(None, "{not json") == "{not json"
        assert value_shown(None, "3") == "3"
