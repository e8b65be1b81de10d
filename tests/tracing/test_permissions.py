"""Every tracing view against every role, another agency and the other country."""

from __future__ import annotations

import pytest
from django.urls import reverse

from corridor.tracing import services
from corridor.tracing.models import DuplicateCandidate
from tests.permissions import check_matrix
from tests.tracing.conftest import REQUEST, make_child

pytestmark = pytest.mark.django_db

TRACERS = {"caseworker", "supervisor", "coordinator"}
MERGERS = {"supervisor", "coordinator"}


NATIONAL = {"coordinator"}
"""Coordinators of another agency have national scope: they reach the home agency's records."""


def test_list_form_and_duplicates_pages(people):
    for name in ("tracing:list", "tracing:create", "tracing:duplicates"):
        assert check_matrix(reverse(name), people, TRACERS) == []


def test_request_detail(people):
    request = services.tracing_request_create(actor=people["caseworker"], **REQUEST)
    url = reverse("tracing:detail", args=[request.pk])
    problems = check_matrix(url, people, TRACERS, other_agency_allowed=NATIONAL)
    assert problems == []


@pytest.mark.parametrize(
    "name, data",
    [
        ("tracing:decide", {"decision": "bogus"}),
        ("tracing:close", {"reason": ""}),
        ("tracing:lookup", {}),
    ],
)
def test_request_actions(people, name, data):
    request = services.tracing_request_create(actor=people["caseworker"], **REQUEST)
    url = reverse(name, args=[request.pk])
    problems = check_matrix(
        url, people, TRACERS, method="post", data=data, other_agency_allowed=NATIONAL
    )
    assert problems == []


def _pair(people):
    a, _ = make_child(people["caseworker"], given="Kossi", family="Agbeko", gender="Masculine")
    b, _ = make_child(people["caseworker"], given="Kwasi", family="Agbeko", gender="Masculine")
    return DuplicateCandidate.objects.create(first=a, second=b, score=0.9, levels={})


def test_duplicate_actions(people):
    pair = _pair(people)
    url = reverse("tracing:duplicate_decide", args=[pair.pk])
    problems = check_matrix(
        url,
        people,
        TRACERS,
        method="post",
        data={"decision": "unsure"},
        other_agency_allowed=NATIONAL,
    )
    assert problems == []
    url = reverse("tracing:duplicate_merge", args=[pair.pk])
    problems = check_matrix(
        url, people, MERGERS, method="post", data={"survivor": 0}, other_agency_allowed=NATIONAL
    )
    assert problems == []


def test_merge_undo(people):
    pair = _pair(people)
    merge = services.person_merge(
        actor=people["supervisor"], survivor=pair.first, duplicate=pair.second
    )
    url = reverse("tracing:merge_undo", args=[merge.pk])
    problems = check_matrix(url, people, MERGERS, method="post", other_agency_allowed=NATIONAL)
    assert problems == []


def test_person_duplicates_panel(people):
    pair = _pair(people)
    url = reverse("tracing:person_duplicates", args=[pair.first_id])
    problems = check_matrix(url, people, TRACERS, other_agency_allowed=NATIONAL)
    assert problems == []


def test_lists_show_nothing_of_another_agency(people, as_user):
    services.tracing_request_create(actor=people["caseworker"], **REQUEST)
    _pair(people)
    client = as_user(people["other_agency.supervisor"])
    assert len(client.get(reverse("tracing:list")).context["page"]) == 0
    assert client.get(reverse("tracing:duplicates")).context["rows"] == []
    client = as_user(people["supervisor"])
    assert len(client.get(reverse("tracing:list")).context["page"]) == 1
    assert len(client.get(reverse("tracing:duplicates")).context["rows"]) == 1
