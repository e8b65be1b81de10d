"""The child's file and shelter occupancy: the permission matrix of every page and action, and
a refused form shown again as typed with its errors beside the fields."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from corridor.accounts.models import Role
from corridor.childcare import services
from corridor.childcare.models import TracingAction
from corridor.childcare.views import ACTIONS
from corridor.referrals.models import ServiceProvider
from tests.childcare.conftest import TODAY, day
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR}


def test_child_file_matrix(people, child):
    url = reverse("childcare:file", args=[child.pk])
    # As the case page: another agency's caseworker and supervisor do not see it; a coordinator
    # sees the nation's cases.
    assert check_matrix(url, people, CASE_WORK, other_agency_allowed={Role.COORDINATOR}) == []


def test_child_file_of_an_adult_is_not_found(people, adult_case, as_user):
    url = reverse("childcare:file", args=[adult_case.pk])
    assert as_user(people["caseworker"]).get(url).status_code == 404


def test_every_action_matrix(people, child):
    data = {
        "tracing-date": TODAY.isoformat(),
        "tracing-action": "Appel",
        "tracing-who": "AS",
        "tracing-outcome": "lead",
    }
    url = reverse("childcare:action", args=[child.pk, "tracing"])
    allowed = check_matrix(
        url,
        people,
        CASE_WORK,
        method="post",
        data=data,
        other_agency_allowed={Role.COORDINATOR},
    )
    assert allowed == []
    # home caseworker, supervisor, coordinator and the other agency's coordinator wrote
    assert TracingAction.objects.filter(case=child).count() == 4
    # Every other action: an empty form reaches the form (400, errors shown) for those who may
    # write, and nobody else gets further than 403/404.
    for action in ACTIONS:
        url = reverse("childcare:action", args=[child.pk, action])
        assert Client().post(url).status_code == 302
        for name, user in people.items():
            client = Client()
            client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
            status = client.post(url, {}).status_code
            home = not name.startswith(("other_agency.", "other_country."))
            may = user.role in CASE_WORK and (home or user.role == Role.COORDINATOR)
            may = may and not name.startswith("other_country.")
            assert status == (400 if may else status), (name, action, status)
            assert may or status in (403, 404), (name, action, status)
    url = reverse("childcare:action", args=[child.pk, "no_such_action"])
    assert check_matrix(url, people, set(), method="post", other_agency_allowed=set()) == []


def test_occupancy_matrix_and_counts(people, child, as_user):
    shelter = ServiceProvider.objects.create(
        name="Foyer test", country="TG", services=["Shelter"], capacity=3
    )
    ServiceProvider.objects.create(name="Foyer du Gabon", country="GA", services=["Shelter"])
    services.placement_start(
        actor=people["caseworker"], case=child, kind="shelter", provider=shelter, start_on=day(1)
    )
    url = reverse("childcare:occupancy")
    coordinators = {Role.COORDINATOR, Role.SUPERVISOR}
    assert check_matrix(url, people, coordinators) == []
    page = as_user(people["coordinator"]).get(url).content.decode()
    assert "Foyer test" in page and "Foyer du Gabon" not in page
    row = re.search(r"<tr>(?:(?!</tr>).)*Foyer test.*?</tr>", page, re.DOTALL).group(0)
    assert re.findall(r"<td[^>]*>(\d+)</td>", row) == ["1", "3", "2"]  # placed, capacity, free
    assert child.person.family_name not in page


def test_a_refused_form_keeps_what_was_typed_and_shows_the_error_beside_the_field(
    people, child, as_user
):
    client = as_user(people["caseworker"])
    url = reverse("childcare:action", args=[child.pk, "visit"])
    response = client.post(
        url,
        {
            "visit-month": "3",
            "visit-visited_on": day(10).isoformat(),
            "visit-living_with": "parents",
            "visit-schooling": "school",
            "visit-safety": "safe",
            "visit-childs_account": "Je vais bien, merci.",
            **{
                f"visit-{item}": "4"
                for item in (
                    "econ_needs",
                    "econ_learning",
                    "soc_housing",
                    "soc_services",
                    "psy_wellbeing",
                    "psy_belonging",
                )
            },
            "visit-psy_safety": "9",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Je vais bien, merci." in page
    assert f'value="{day(10).isoformat()}"' in page
    form = response.context["forms"]["visit"]
    assert "psy_safety" in form.errors
    # the service's own refusal (no return nor placement yet) is shown on the form too
    response = client.post(
        url,
        {
            **{k: v for k, v in response.wsgi_request.POST.items()},
            "visit-psy_safety": "4",
        },
    )
    assert response.status_code == 400
    refusal = response.context["forms"]["visit"].non_field_errors()
    assert "ni l'un ni l'autre n'est enregistré" in " ".join(refusal)  # French, by default
    assert not child.follow_ups.exists()


def test_the_case_page_shows_the_childs_file_panel(people, child, as_user):
    services.tracing_action_record(
        actor=people["caseworker"],
        case=child,
        date=day(3),
        action="Appel au chef de village",
        who="AS",
        outcome="lead",
    )
    page = as_user(people["supervisor"]).get(reverse("cases:detail", args=[child.pk]))
    text = page.content.decode()
    assert reverse("childcare:file", args=[child.pk]) in text
    assert "Appel au chef de village" in text  # in the timeline


def test_a_family_assessment_from_the_peer_names_its_country(people, child, as_user):
    from tests.childcare.conftest import family

    family(child, people["caseworker"], source="peer", received_from="gabon")
    client = as_user(people["supervisor"])
    for url in (
        reverse("cases:detail", args=[child.pk]),
        reverse("childcare:file", args=[child.pk]),
    ):
        text = client.get(url).content.decode()
        assert "reçue du nœud Gabon" in text, url
        assert "de gabon" not in text


def test_a_stale_placement_edit_is_shown_as_a_conflict_beside_its_placement(people, child, as_user):
    placement = services.placement_start(
        actor=people["caseworker"], case=child, kind="kinship", start_on=day(5)
    )
    services.placement_update(
        actor=people["supervisor"], placement=placement, expected_version=1, review_on=day(30)
    )
    client = as_user(people["caseworker"])
    response = client.post(
        reverse("childcare:action", args=[child.pk, "placement_update"]),
        {
            "placement_update-placement": placement.pk,
            "placement_update-version": 1,
            "placement_update-caregiver": "Grand-mère DEMO",
            "placement_update-caregiver_from": day(40).isoformat(),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Grand-mère DEMO"' in page
    conflict = response.context["forms"]["placement_update"].non_field_errors()
    assert "Conflit" in " ".join(conflict)
    placement.refresh_from_db()
    assert placement.caregivers == [] and placement.version == 2
    # the page, read again, offers the current version
    fresh = client.get(reverse("childcare:file", args=[child.pk])).content.decode()
    assert 'name="placement_update-version" value="2"' in fresh


def test_the_childs_file_page_queries_do_not_grow_with_its_records(people, child, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    worker = people["caseworker"]
    client = as_user(worker)
    url = reverse("childcare:file", args=[child.pk])

    def add(n: int) -> None:
        for i in range(n):
            services.tracing_action_record(
                actor=worker,
                case=child,
                date=day(i),
                action=f"Action {i}",
                who="AS",
                outcome="lead",
            )
        services.placement_start(actor=worker, case=child, kind="kinship", start_on=day(n))

    add(1)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    placement = child.placements.get()
    services.placement_update(
        actor=worker, placement=placement, expected_version=1, end_on=day(2), end_reason="fin"
    )
    add(5)
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second.captured_queries) == len(first.captured_queries)


def test_a_placements_dates_are_written_as_the_reader_writes_dates(people, child, as_user):
    placement = services.placement_start(
        actor=people["caseworker"],
        case=child,
        kind="kinship",
        start_on=day(5),
        review_dates=[day(30)],
    )
    services.placement_update(
        actor=people["caseworker"],
        placement=placement,
        expected_version=1,
        caregiver="Tante DEMO",
        caregiver_from=day(10),
    )
    page = as_user(people["caseworker"]).get(reverse("childcare:file", args=[child.pk]))
    text = page.content.decode()
    assert f"Tante DEMO ({day(10):%d/%m/%Y} → …)" in text
    assert f"{day(30):%d/%m/%Y}" in text and day(10).isoformat() not in text
