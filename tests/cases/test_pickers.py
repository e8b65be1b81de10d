"""Nationality and languages by name (issue 17, item 8): pickers list pycountry's French names,
the person keeps ISO codes, and pages show names again."""

import pytest
from django.urls import reverse

from corridor.cases.models import Case

pytestmark = pytest.mark.django_db


def test_pickers_by_name_store_codes_and_show_names(people, as_user):
    client = as_user(people["caseworker"])
    form = client.get(reverse("cases:open")).content.decode()
    assert '<option value="TG">Togo</option>' in form
    assert '<option value="ewe">Éwé</option>' in form and "ISO" not in form
    # Gabon's languages by the names people there give them, not ISO 639-3's.
    assert '<option value="fan">Fang</option>' in form
    assert '<option value="mye">Myènè</option>' in form and "Njebi" not in form
    response = client.post(
        reverse("cases:open"),
        {
            "given_names": "Kossi",
            "family_name": "AMEGAN",
            "gender": "Masculine",
            "estimated_age": "14",
            "citizenships": ["TG", "BJ"],
            "languages": ["ewe", "fra"],
            "identified_on": "2026-01-15",
            "caseload": "child_on_the_move",
        },
    )
    assert response.status_code == 302
    person = Case.objects.get().person
    assert person.citizenships == ["TG", "BJ"] and person.languages == ["ewe", "fra"]
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Togo, Bénin" in page and "Éwé, Français" in page


def test_screening_form_offers_countries_by_name(people, as_user):
    page = as_user(people["border_officer"]).get("/screening/new/?questionnaire=unodc_child")
    assert '<option value="GA">Gabon</option>' in page.content.decode()
