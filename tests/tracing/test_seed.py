"""The demo seeder: forty requests, some for seeded children, and nothing more on a re-run."""

from __future__ import annotations

import pytest
from django.template import Context, Template
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


def test_person_duplicates_tag_is_scoped(people, caseworker):
    from corridor.tracing.models import DuplicateCandidate

    a, _ = make_child(caseworker, given="Kossi", family="Agbeko", gender="Masculine")
    b, _ = make_child(caseworker, given="Kwasi", family="Agbeko", gender="Masculine")
    DuplicateCandidate.objects.create(first=a, second=b, score=0.9, levels={})
    template = Template("{% load tracing %}{% person_duplicates person %}")
    request = RequestFactory().get("/")
    request.user = people["supervisor"]
    assert b.display_name in template.render(Context({"person": a, "request": request}))
    request.user = people["other_agency.supervisor"]
    assert b.display_name not in template.render(Context({"person": a, "request": request}))
