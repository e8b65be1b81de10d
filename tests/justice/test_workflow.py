"""The chain of an accused as a transition table, and the bad input it refuses (nothing changes)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from corridor.audit.models import AuditEntry
from corridor.justice import services
from corridor.justice.models import (
    EVENT_FLOW,
    Accused,
    Charge,
    EventKind,
    Outcome,
    ProceedingEvent,
    Stage,
)
from tests.justice.conftest import walk_to_trial


def _snapshot(accused):
    accused.refresh_from_db()
    return (
        accused.stage,
        ProceedingEvent.objects.count(),
        list(Charge.objects.values_list("outcome", flat=True).order_by("id")),
        AuditEntry.objects.count(),
    )


def test_every_stage_is_in_the_table_and_every_target_is_a_stage():
    assert set(EVENT_FLOW) == set(Stage.values)
    for moves in EVENT_FLOW.values():
        assert set(moves) <= set(EventKind.values)
        assert {t for t in moves.values() if t} <= set(Stage.values)


@pytest.mark.django_db
def test_the_whole_chain_from_complaint_to_appeal(accused, police, prosecutor, as_user):
    assert accused.stage == Stage.REPORTED
    accused = walk_to_trial(accused, police, prosecutor)
    assert accused.stage == Stage.TRIAL
    tip, fraud = accused.charges.order_by("offence")  # document_fraud, tip_child
    tip, fraud = (tip, fraud) if tip.offence == "tip_child" else (fraud, tip)
    services.event_record(
        actor=prosecutor,
        accused=accused,
        kind="judgment",
        date=date(2026, 3, 1),
        charge=tip,
        outcome="convicted",
    )
    accused.refresh_from_db()
    assert accused.stage == Stage.TRIAL, "one charge is still to be judged"
    services.event_record(
        actor=prosecutor,
        accused=accused,
        kind="judgment",
        date=date(2026, 3, 1),
        charge=fraud,
        outcome="acquitted",
    )
    accused.refresh_from_db()
    assert accused.stage == Stage.JUDGED
    services.event_record(
        actor=prosecutor,
        accused=accused,
        kind="sentence",
        date=date(2026, 3, 1),
        sentence_months=60,
        fine=2_000_000,
    )
    services.event_record(
        actor=prosecutor,
        accused=accused,
        kind="assets_confiscated",
        date=date(2026, 3, 2),
        amount=900000,
    )
    services.event_record(actor=prosecutor, accused=accused, kind="appeal", date=date(2026, 3, 2))
    accused.refresh_from_db()
    assert accused.stage == Stage.APPEAL
    kinds = list(accused.events.values_list("kind", flat=True))
    assert kinds[0] == "complaint" and kinds[-1] == "appeal"
    assert Charge.objects.get(pk=tip.pk).outcome == Outcome.CONVICTED
    # The case page reads the fine and the value confiscated as amounts.
    page = as_user(prosecutor).get(f"/justice/{accused.criminal_case_id}/").content.decode()
    assert "amende 2\u202f000\u202f000" in page and "900\u202f000" in page


@pytest.mark.django_db
def test_a_judgment_before_the_arrest_is_refused_and_changes_nothing(accused, police, prosecutor):
    accused = walk_to_trial(accused, police, prosecutor)
    before = _snapshot(accused)
    charge = accused.charges.first()
    with pytest.raises(ValidationError) as error:
        services.event_record(
            actor=prosecutor,
            accused=accused,
            kind="judgment",
            date=date(2026, 1, 8),
            charge=charge,
            outcome="convicted",
        )
    assert "cannot be dated before the arrest of 2026-01-10" in str(error.value)
    assert _snapshot(accused) == before


@pytest.mark.django_db
def test_a_sentence_without_a_conviction_is_refused(accused, police, prosecutor):
    accused = walk_to_trial(accused, police, prosecutor)
    for charge in accused.charges.all():
        services.event_record(
            actor=prosecutor,
            accused=accused,
            kind="judgment",
            date=date(2026, 3, 1),
            charge=charge,
            outcome="acquitted",
        )
    before = _snapshot(accused)
    with pytest.raises(ValidationError, match="needs a conviction"):
        services.event_record(
            actor=prosecutor,
            accused=accused,
            kind="sentence",
            date=date(2026, 3, 2),
            sentence_months=12,
        )
    with pytest.raises(ValidationError, match="only after a conviction"):
        services.event_record(
            actor=prosecutor, accused=accused, kind="assets_confiscated", date=date(2026, 3, 2)
        )
    assert _snapshot(accused) == before


@pytest.mark.django_db
def test_a_step_the_table_does_not_allow_is_refused(accused, prosecutor):
    before = _snapshot(accused)
    with pytest.raises(ValidationError, match="cannot follow the stage"):
        services.event_record(
            actor=prosecutor, accused=accused, kind="judgment", date=date(2026, 1, 6)
        )
    assert _snapshot(accused) == before


@pytest.mark.django_db
def test_an_accused_linked_twice_is_refused(criminal_case, accused, police):
    count = Accused.objects.count()
    with pytest.raises(ValidationError, match="already an accused"):
        services.accused_add(
            actor=police,
            criminal_case=criminal_case,
            name="tsogbé komlan",
            complaint_on=date(2026, 1, 6),
            offences=["smuggling"],
        )
    assert Accused.objects.count() == count


@pytest.mark.django_db
def test_the_same_intelligence_person_is_not_linked_twice(criminal_case, police, people):
    from corridor.intel.models import Entity, EntityKind

    entity = Entity.objects.create(
        kind=EntityKind.PERSON,
        name="Kossi AMEGAN",
        source="test",
        created_by=people["investigator"],
    )
    services.accused_add(
        actor=police,
        criminal_case=criminal_case,
        name="Kossi AMEGAN",
        complaint_on=date(2026, 1, 6),
        offences=["smuggling"],
        intel_entity=entity,
    )
    with pytest.raises(ValidationError, match="already an accused"):
        services.accused_add(
            actor=police,
            criminal_case=criminal_case,
            name="Cossi Amegan dit Le Grand",
            complaint_on=date(2026, 1, 6),
            offences=["smuggling"],
            intel_entity=entity,
        )
    assert criminal_case.accused.count() == 1


@pytest.mark.django_db
def test_the_judicial_police_record_police_steps_only(accused, police):
    services.event_record(actor=police, accused=accused, kind="arrest", date=date(2026, 1, 10))
    services.event_record(actor=police, accused=accused, kind="referral", date=date(2026, 1, 11))
    with pytest.raises(PermissionDenied):
        services.event_record(
            actor=police, accused=accused, kind="indictment", date=date(2026, 1, 12)
        )


@pytest.mark.django_db
def test_dismissal_closes_the_chain_and_dismisses_the_charges(accused, police, prosecutor):
    services.event_record(actor=police, accused=accused, kind="referral", date=date(2026, 1, 11))
    services.event_record(
        actor=prosecutor, accused=accused, kind="dismissal", date=date(2026, 1, 20)
    )
    accused.refresh_from_db()
    assert accused.stage == Stage.CLOSED
    assert set(accused.charges.values_list("outcome", flat=True)) == {Outcome.DISMISSED}


@pytest.mark.django_db
def test_a_future_step_is_refused_but_a_hearing_may_be_set(accused, police, prosecutor):
    future = timezone.localdate() + timedelta(days=20)
    with pytest.raises(ValidationError, match="future"):
        services.event_record(actor=police, accused=accused, kind="arrest", date=future)
    accused = walk_to_trial(accused, police, prosecutor)
    services.event_record(actor=prosecutor, accused=accused, kind="hearing", date=future)
    assert accused.events.filter(kind="hearing", date=future).exists()


@pytest.mark.django_db
def test_opening_outside_ones_jurisdiction_is_refused(prosecutor, people):
    with pytest.raises(ValidationError, match="not yours"):
        services.criminal_case_open(actor=prosecutor, title="x", jurisdiction="tg_kara")
    with pytest.raises(PermissionDenied):
        services.criminal_case_open(actor=people["caseworker"], title="x", jurisdiction="tg_lome")
