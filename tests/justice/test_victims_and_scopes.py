"""Victims linked by reference and only with consent or a legal ground; who reads what; the
caseworker's panel (dates only) and the hearing reminder."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.cases.models import Task
from corridor.justice import services
from corridor.justice.models import SupportMeasure, VictimLink
from corridor.justice.selectors import jurisdiction_of, visible_criminal_cases
from tests.factories import make_user
from tests.justice.conftest import walk_to_trial


@pytest.mark.django_db
def test_a_victim_without_consent_or_legal_ground_is_not_linked(
    criminal_case, prosecutor, case_without_consent
):
    with pytest.raises(ValidationError, match="not consented"):
        services.victim_link(
            actor=prosecutor, criminal_case=criminal_case, case_ref=case_without_consent.ref
        )
    assert not VictimLink.objects.exists()
    link = services.victim_link(
        actor=prosecutor,
        criminal_case=criminal_case,
        case_ref=case_without_consent.ref,
        legal_ground="legal_obligation",
    )
    assert link.legal_ground == "legal_obligation"


@pytest.mark.django_db
def test_consent_to_proceedings_links_the_victim_once(criminal_case, prosecutor, victim_case):
    services.victim_link(actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref)
    with pytest.raises(ValidationError, match="already linked"):
        services.victim_link(
            actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref
        )
    with pytest.raises(ValidationError, match="No protection case"):
        services.victim_link(actor=prosecutor, criminal_case=criminal_case, case_ref="TG-1999-0")
    assert VictimLink.objects.count() == 1


@pytest.mark.django_db
def test_a_withdrawn_consent_no_longer_allows_the_link(
    criminal_case, prosecutor, victim_case, people
):
    consent = victim_case.consents.get(purpose="proceedings")
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    with pytest.raises(ValidationError, match="not consented"):
        services.victim_link(
            actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref
        )


@pytest.mark.django_db
def test_scopes_jurisdiction_national_and_everyone_else(criminal_case, people):
    assert jurisdiction_of(people["prosecutor"].agency) == "tg_lome"
    assert jurisdiction_of(people["other_agency.prosecutor"].agency) == "tg_kara"
    sees = {
        key: visible_criminal_cases(user).filter(pk=criminal_case.pk).exists()
        for key, user in people.items()
    }
    allowed = {"prosecutor", "judicial_police"}
    assert {k for k, v in sees.items() if v} == allowed
    national = make_user(
        "prosecutor", agency=people["other_agency.prosecutor"].agency, scope="national"
    )
    assert visible_criminal_cases(national).filter(pk=criminal_case.pk).exists()


@pytest.mark.django_db
def test_a_prosecutor_of_another_jurisdiction_cannot_write(criminal_case, accused, people):
    with pytest.raises(PermissionDenied):
        services.event_record(
            actor=people["other_agency.prosecutor"],
            accused=accused,
            kind="arrest",
            date=date(2026, 1, 9),
        )
    with pytest.raises(PermissionDenied):
        services.accused_add(
            actor=people["caseworker"],
            criminal_case=criminal_case,
            name="X Y",
            complaint_on=date(2026, 1, 9),
            offences=["smuggling"],
        )


@pytest.mark.django_db
def test_a_hearing_reminds_the_caseworker_and_the_panel_shows_dates_only(
    criminal_case, accused, police, prosecutor, victim_case, people, as_user
):
    services.victim_link(actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref)
    accused = walk_to_trial(accused, police, prosecutor)
    hearing = timezone.localdate() + timedelta(days=30)
    services.event_record(actor=prosecutor, accused=accused, kind="hearing", date=hearing)
    task = Task.objects.get(case=victim_case)
    assert task.assigned_to == people["caseworker"]
    assert task.due_on == hearing - timedelta(days=7)
    assert "TSOGBE" not in task.title and hearing.isoformat() in task.title
    page = as_user(people["caseworker"]).get(f"/cases/{victim_case.pk}/")
    body = page.content.decode()
    assert criminal_case.ref in body and hearing.strftime("%d/%m/%Y") in body
    assert "TSOGBE" not in body, body[body.find("TSOGBE") - 300 : body.find("TSOGBE") + 50]
    assert "faits confidentiels" not in body
    # the file itself stays closed to the caseworker
    assert as_user(people["caseworker"]).get(f"/justice/{criminal_case.pk}/").status_code == 403


@pytest.mark.django_db
def test_support_measures_follow_their_table(criminal_case, prosecutor, police, victim_case):
    link = services.victim_link(
        actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref
    )
    screen = services.measure_request(
        actor=police, victim=link, measure="screen", requested_on=date(2026, 2, 1)
    )
    with pytest.raises(PermissionDenied):
        services.measure_decide(
            actor=police, measure=screen, status="granted", decided_on=date(2026, 2, 2)
        )
    services.measure_decide(
        actor=prosecutor, measure=screen, status="granted", decided_on=date(2026, 2, 2)
    )
    with pytest.raises(ValidationError, match="Only compensation"):
        services.measure_decide(
            actor=prosecutor, measure=screen, status="paid", decided_on=date(2026, 2, 3)
        )
    money = services.measure_request(
        actor=prosecutor, victim=link, measure="compensation", requested_on=date(2026, 2, 1)
    )
    services.measure_decide(
        actor=prosecutor,
        measure=money,
        status="granted",
        decided_on=date(2026, 2, 3),
        amount=500000,
    )
    services.measure_decide(
        actor=prosecutor, measure=money, status="paid", decided_on=date(2026, 2, 4)
    )
    with pytest.raises(ValidationError, match="cannot go from"):
        services.measure_decide(
            actor=prosecutor, measure=money, status="refused", decided_on=date(2026, 2, 5)
        )
    assert SupportMeasure.objects.get(pk=money.pk).status == "paid"
