"""Referral pages that do not grow with the caseload: the queries a page runs, and the cases it
loads, are measured with few rows, rows are added, and measured again (tests/cases/test_pages.py
shape). Plus the old cross-border addresses, which redirect."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.cases.models import Case
from corridor.cases.services import case_open
from corridor.people.services import person_create
from corridor.referrals.cross_border import referral_send
from corridor.referrals.services import referral_create
from tests.factories import guardian_consent, make_agency, make_user
from tests.referrals.test_cross_border import _case

pytestmark = pytest.mark.django_db


def measure(client, url) -> tuple[int, int]:
    """(queries run, Case rows loaded) while ``client`` gets ``url``."""
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(count, sender=Case)
    try:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    finally:
        post_init.disconnect(count, sender=Case)
    return len(queries), len(built)


def more_cases(worker, n: int) -> None:
    for i in range(n):
        case_open(actor=worker, person=person_create(actor=worker, given_names=f"Kossi {i}"))


@pytest.fixture
def shelter(db):
    return make_user("caseworker", agency=make_agency(name="Refuge pages (TG)"), username="s1")


def _refer(worker, case, shelter):
    guardian_consent(case, worker, "referral")
    return referral_create(actor=worker, case=case, to_agency=shelter.agency, reason="Other")


def test_referral_page_asks_for_its_one_case_not_the_caseload(people, child_case, shelter, as_user):
    worker = people[Role.CASEWORKER]
    referral = _refer(worker, child_case, shelter)
    url = reverse("referrals:detail", args=[referral.pk])
    client = as_user(people[Role.COORDINATOR])  # sees the whole country's cases
    few = measure(client, url)
    more_cases(worker, 15)
    assert measure(client, url) == few
    assert few[1] <= 2  # the referral's case, not the 16 cases the coordinator can see
    assert b"Open the case" in client.get(url).content or b"Ouvrir" in client.get(url).content


def test_referral_lists_do_not_grow_with_rows(people, shelter, as_user):
    worker = people[Role.CASEWORKER]
    client = as_user(worker)
    for _ in range(2):
        _refer(worker, _case(worker), shelter)
    few = measure(client, reverse("referrals:list"))[0]
    for _ in range(8):
        _refer(worker, _case(worker), shelter)
    assert measure(client, reverse("referrals:list"))[0] == few


def test_cross_border_pages_do_not_grow_with_rows(people, remote, as_user):
    worker = people[Role.CASEWORKER]
    client = as_user(worker)
    first = referral_send(
        actor=worker, case=_case(worker), peer=remote.peer, purpose="return", reason="R"
    )
    pages = [
        reverse("referrals:cross_border_list"),
        reverse("referrals:cross_border_detail", args=[first.pk]),
        reverse("referrals:cross_border_refer", args=[first.case_id]),
        reverse("home"),
    ]
    few = [measure(client, url)[0] for url in pages]
    for _ in range(6):
        referral_send(
            actor=worker, case=_case(worker), peer=remote.peer, purpose="return", reason="R"
        )
    assert [measure(client, url)[0] for url in pages] == few


def test_lists_are_paged(people, shelter, as_user):
    worker = people[Role.CASEWORKER]
    case = _case(worker)
    guardian_consent(case, worker, "referral")
    for _ in range(55):
        referral_create(actor=worker, case=case, to_agency=shelter.agency, reason="Other")
    client = as_user(worker)
    first = client.get(reverse("referrals:list"))
    assert len(first.context["outgoing"].object_list) == 50
    assert "sent_page=2" in first.content.decode()
    second = client.get(reverse("referrals:list"), {"sent_page": 2})
    assert len(second.context["outgoing"].object_list) == 5


def test_each_referral_is_listed_where_the_reader_stands(people, shelter, as_user):
    """Sent means sent by the reader's agency: a coordinator of a third agency sees the same
    referral apart, between other agencies of their scope."""
    worker = people[Role.CASEWORKER]
    referral = _refer(worker, _case(worker), shelter)

    def sections(user) -> dict[str, list[int]]:
        context = as_user(user).get(reverse("referrals:list")).context
        return {name: [r.pk for r in context[name]] for name in ("incoming", "outgoing", "others")}

    assert sections(worker) == {"incoming": [], "outgoing": [referral.pk], "others": []}
    assert sections(shelter) == {"incoming": [referral.pk], "outgoing": [], "others": []}
    coordinator = people["other_agency." + Role.COORDINATOR]
    assert sections(coordinator) == {"incoming": [], "outgoing": [], "others": [referral.pk]}
    assert (
        "Entre d'autres structures"
        in as_user(coordinator).get(reverse("referrals:list")).content.decode()
    )
    home_coordinator = people[Role.COORDINATOR]
    page = as_user(home_coordinator).get(reverse("referrals:list")).content.decode()
    assert sections(home_coordinator)["outgoing"] == [referral.pk]
    assert "Envoyés par ma structure" in page
    assert "Entre d'autres structures" not in page and "Reçus par" not in page  # no empty list
    nobody = as_user(people["other_agency." + Role.CASEWORKER]).get(reverse("referrals:list"))
    assert "Aucun référencement pour l'instant" in nobody.content.decode()


def test_old_cross_border_addresses_redirect(people, remote, as_user):
    worker = people[Role.CASEWORKER]
    referral = referral_send(
        actor=worker, case=_case(worker), peer=remote.peer, purpose="return", reason="R"
    )
    client = as_user(worker)
    for old, new in (
        ("/federation/referrals/?direction=out", "/referrals/cross-border/?direction=out"),
        (f"/federation/referrals/{referral.pk}/", f"/referrals/cross-border/{referral.pk}/"),
        (
            f"/federation/refer/{referral.case_id}/",
            f"/referrals/cross-border/refer/{referral.case_id}/",
        ),
    ):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new
        assert client.get(new).status_code == 200
