from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.cases.services import case_open
from corridor.people.services import person_create
from corridor.reports import indicators, services
from corridor.reports.models import Publication
from tests.factories import privacy_budget
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def make_case(
    people, *, gender="Feminine", birth=date(2012, 5, 1), forms=("ChildLabour",), **extra
):
    coordinator = people[Role.COORDINATOR]
    person = person_create(
        actor=coordinator,
        given_names="Ama",
        family_name="DEMO-TEST",
        gender=gender,
        birth_date=birth,
        citizenships=["BJ"],
    )
    return case_open(
        actor=coordinator,
        person=person,
        identified_on=timezone.localdate() - timedelta(days=10),
        exploitation_types=list(forms),
        trafficking_status="PossibleVictimOfTrafficking",
        **extra,
    )


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("/reports/", {Role.COORDINATOR, Role.SUPERVISOR}),
        ("/reports/indicators.pdf", {Role.COORDINATOR, Role.SUPERVISOR}),
        ("/reports/indicators.png", {Role.COORDINATOR, Role.SUPERVISOR}),
        ("/reports/training/", {Role.COORDINATOR, Role.ADMINISTRATOR}),
        ("/reports/publish/", {Role.COORDINATOR}),
        ("/reports/published/", {Role.PARTNER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    ],
)
def test_permission_matrix(people, url, allowed):
    assert check_matrix(url, people, allowed) == []


def test_download_matrix(people):
    pub = services.publication_ctdc_export(
        actor=people[Role.COORDINATOR], start=date(2020, 1, 1), end=timezone.localdate()
    )
    url = f"/reports/published/{pub.pk}.csv"
    assert check_matrix(url, people, {Role.PARTNER, Role.COORDINATOR, Role.ADMINISTRATOR}) == []


def test_case_indicators_and_unodc(people):
    make_case(people, cross_border=True)
    make_case(
        people, gender="Masculine", birth=date(1990, 1, 1), forms=("ForcedLabour", "Servitude")
    )
    start, end = timezone.localdate() - timedelta(days=30), timezone.localdate()
    figures = indicators.case_indicators(people[Role.COORDINATOR], start, end)
    assert (figures["identified"], figures["children"], figures["cross_border"]) == (2, 1, 1)
    # Scoped: a partner or the other country sees no case.
    assert indicators.case_indicators(people[Role.PARTNER], start, end)["identified"] == 0
    victims = indicators.victim_records(people[Role.COORDINATOR], start, end)
    table = indicators.unodc_victims_table(victims)
    assert {(r["sex"], r["age"], r["form"], r["victims"]) for r in table} == {
        ("female", "child", "ChildLabour", 1),
        ("male", "adult", "ForcedLabour", 1),
        ("male", "adult", "Servitude", 1),
    }
    sdg = indicators.sdg_16_2_2(victims, end.year, "TG")
    if start.year == end.year and sdg is not None:
        assert sdg["victims"] == 2
        assert sdg["total"] == round(
            2 * 100_000 / indicators.population()["TG"][end.year]["total"], 2
        )


def test_sdg_needs_configured_population():
    assert indicators.sdg_16_2_2([], 1999, "TG") is None


def test_dp_ledger_refuses_beyond_budget(people):
    coordinator = people[Role.COORDINATOR]
    make_case(people)
    budget = privacy_budget(coordinator)
    first = services.publication_dp_release(
        actor=coordinator, budget=budget, dimension="sex", epsilon=0.6
    )
    assert set(first.result["counts"]) == {"female", "male", "other or unknown"}
    assert all(v >= 0 for v in first.result["counts"].values())
    with pytest.raises(ValidationError) as exc:
        services.publication_dp_release(
            actor=coordinator, budget=budget, dimension="age", epsilon=0.5
        )
    assert "only 0.4 is left" in " ".join(exc.value.messages)
    services.publication_dp_release(actor=coordinator, budget=budget, dimension="age", epsilon=0.4)
    budget.refresh_from_db()
    assert budget.remaining == pytest.approx(0.0)
    assert Publication.objects.filter(kind="dp").count() == 2
    with pytest.raises(PermissionDenied):
        services.publication_dp_release(
            actor=people[Role.PARTNER], budget=budget, dimension="age", epsilon=0.1
        )


def test_ctdc_export_refuses_small_k_and_is_k_anonymous(people):
    coordinator = people[Role.COORDINATOR]
    for _ in range(3):
        make_case(people)
    with pytest.raises(ValidationError):
        services.publication_ctdc_export(
            actor=coordinator, start=date(2020, 1, 1), end=timezone.localdate(), k=5
        )
    pub = services.publication_ctdc_export(
        actor=coordinator, start=date(2020, 1, 1), end=timezone.localdate()
    )
    assert pub.records == 0 and pub.result["suppressed"] == 3  # 3 < 11: nobody may be published
    assert pub.content.startswith("yearOfRegistration,Datasource,gender,ageBroad")


def test_partner_sees_only_published_aggregates(people, as_user):
    from django.test import RequestFactory

    from corridor.core.navigation import menu_for

    labels = [str(i["label"]) for i in menu_for(people[Role.PARTNER])]
    for forbidden in ("Flows", "Indicators", "Publish", "Trainings", "Field submissions"):
        assert forbidden not in labels
    assert "Published statistics" in labels
    services.publication_ctdc_export(
        actor=people[Role.COORDINATOR], start=date(2020, 1, 1), end=timezone.localdate()
    )
    page = as_user(people[Role.PARTNER]).get("/reports/published/").content.decode()
    assert "k = 11" in page and "DEMO-TEST" not in page
    del RequestFactory


def test_training_by_agency_country_and_sex(people, home_agency):
    coordinator = people[Role.COORDINATOR]
    foreign = people["other_country.caseworker"].agency
    services.training_session_create(
        actor=coordinator,
        title="Frontières",
        held_on=timezone.localdate() - timedelta(days=3),
        organiser=home_agency,
        attendance=[(home_agency, "f", 4), (home_agency, "m", 2), (foreign, "f", 3)],
    )
    t = indicators.training_indicators(
        timezone.localdate() - timedelta(days=30), timezone.localdate()
    )
    assert (t["sessions"], t["trained"]) == (1, 9)
    assert t["by_sex"] == {"f": 7, "m": 2}
    assert t["by_country"] == {"TG": 6, "GA": 3}
    with pytest.raises(ValidationError):
        services.training_session_create(
            actor=coordinator,
            title="Futur",
            held_on=timezone.localdate() + timedelta(days=3),
            organiser=home_agency,
            attendance=[(home_agency, "f", 1)],
        )
    with pytest.raises(PermissionDenied):
        services.training_session_create(
            actor=people[Role.PARTNER],
            title="x",
            held_on=timezone.localdate(),
            organiser=home_agency,
            attendance=[(home_agency, "f", 1)],
        )


def test_training_page_records_a_session(people, home_agency, as_user):
    client = as_user(people[Role.COORDINATOR])
    response = client.post(
        "/reports/training/",
        {
            "title": "Atelier",
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "organiser": home_agency.pk,
            "a0_agency": home_agency.pk,
            "a0_f": "5",
            "a0_m": "",
        },
    )
    assert response.status_code == 302
    page = client.get("/reports/").content.decode()
    assert 'id="kpi-trained">5<' in page


def test_the_period_fields_show_the_period_the_page_reports(people, as_user):
    """Without a chosen period the page reports the last twelve months: its date fields say so,
    rather than standing empty above figures of a period the reader cannot see."""
    from corridor.reports.indicators import default_period

    start, end = default_period()
    page = as_user(people[Role.COORDINATOR]).get("/reports/").content.decode()
    assert f'name="start" value="{start.isoformat()}"' in page
    assert f'name="end" value="{end.isoformat()}"' in page
