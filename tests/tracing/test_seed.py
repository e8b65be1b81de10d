"""The demo seeder: forty requests, some for seeded children, and nothing more on a re-run."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from corridor.tracing.models import TracingRequest
from corridor.tracing.seed import seed_tracing
from corridor.tracing.selectors import ranked_candidates
from tests.tracing.conftest import make_child

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_some_requests_find_their_child(people, caseworker):
    child, _case = make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    make_child(caseworker, given="Ama", family="Mensah", birth_year=2011)
    first = seed_tracing()
    assert first["tracing requests"] == 40
    assert seed_tracing()["tracing requests"] == 0
    assert TracingRequest.objects.count() == 40
    sought = TracingRequest.objects.get(family_name="AGBEKO", given_names="Kwasi")
    assert ranked_candidates(people["coordinator"], sought)[0]["person"] == child


def test_person_page_duplicates_panel_is_scoped(people, caseworker, as_user):
    """Tracing adds its panel to the person page through the people registry."""
    from django.urls import reverse

    from corridor.people.registry import person_panels
    from corridor.tracing.models import DuplicateCandidate

    a, case_a = make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    b, _case_b = make_child(caseworker, given="Kwasi", family="Agbeko", gender="Masculine")
    DuplicateCandidate.objects.create(first=a, second=b, score=0.9, levels={})

    def pairs_shown(user):
        request = RequestFactory().get("/")
        request.user = user
        panel = next(
            p for p in person_panels(request, a) if p["template"] == "tracing/_duplicates.html"
        )
        return [(pair.first, pair.second) for pair in panel["pairs"]]

    assert pairs_shown(people["supervisor"]) == [(a, b)]
    assert pairs_shown(people["other_agency.supervisor"]) == []
    page = as_user(people["supervisor"]).get(reverse("people:detail", args=[a.pk]))
    html = page.content.decode()
    assert b.display_name in html and f"?person={a.pk}" in html
    # The panels come in their order: possible duplicates, then the cases.
    case_link = reverse("cases:detail", args=[case_a.pk])
    assert html.index(f'id="duplicates-{a.pk}"') < html.index(case_link)
