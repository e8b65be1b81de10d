"""List pages go through ``core.pagination.paginate``: 50 rows a page, the filters kept in the
pager's links, the same number of queries however long the list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def add_entries(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action=Action.READ, object_type="test.row", object_id=str(i))


def test_audit_list_pages_and_keeps_the_filter(people, as_user):
    client = as_user(people[Role.ADMINISTRATOR])
    add_entries(3)
    url = "/audit/?kind=test.row"
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_entries(60)
    with CaptureQueriesContext(connection) as big:
        first = client.get(url)
    assert len(big.captured_queries) == len(small.captured_queries)
    assert len(first.context["page"].object_list) == 50
    assert b"kind=test.row&amp;page=2" in first.content
    second = client.get(url + "&page=2").context["page"]
    assert (second.number, len(second.object_list)) == (2, 13)


def test_user_list_pages(people, as_user):
    client = as_user(people[Role.ADMINISTRATOR])
    for _ in range(60):
        make_user(Role.CASEWORKER, agency=people[Role.CASEWORKER].agency)
    pages = [client.get(f"/admin/users/?page={n}").context["page"] for n in (1, 2)]
    shown = [u.pk for page in pages for u in page.object_list]
    visible = pages[0].paginator.count
    assert visible > 50 and [p.number for p in pages] == [1, 2]
    assert len(pages[0].object_list) == 50 and len(shown) == len(set(shown)) == visible
