"""Retention on a hand-made data set: what is anonymised or erased, what is held and why, the
tombstones, and the audit chain still verifying with the erased content gone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from corridor.audit.models import AuditEntry
from corridor.audit.services import audit_verify
from corridor.cases import services as case_services
from corridor.cases.models import Case, Status
from corridor.governance import holds
from corridor.governance.models import (
    RecordType,
    RequestKind,
    RetentionAction,
    RetentionRule,
    RetentionRun,
    SubjectRequest,
    Tombstone,
)
from corridor.governance.retention import add_months, retention_run, rule_set
from corridor.people.models import Person
from corridor.people.services import person_create
from corridor.screening.models import Screening
from corridor.screening.services import screening_record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _closed_case(worker, *, name, closed_years_ago, child, proceedings="none", **person):
    person = person_create(
        actor=worker,
        given_names=name,
        family_name="DEMO-RETENTION",
        phones=["+22890112233"],
        **person,
    )
    case = case_services.case_open(actor=worker, person=person, narrative=f"Histoire de {name}")
    case_services.note_add(actor=worker, case=case, text=f"Note sur {name}")
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED,
        is_child=child,
        closed_on=TODAY - timedelta(days=365 * closed_years_ago),
        proceedings=proceedings,
    )
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def rules(people):
    admin = people["administrator"]
    rule_set(actor=admin, record_type=RecordType.CLOSED_CHILD_CASE, months=60, action="anonymise")
    rule_set(actor=admin, record_type=RecordType.CLOSED_ADULT_CASE, months=60, action="anonymise")
    rule_set(actor=admin, record_type=RecordType.SCREENING_WITHOUT_CASE, months=6, action="erase")


@pytest.fixture
def data(people, rules):
    """Five records: three due, two held, two not yet due."""
    worker = people["caseworker"]
    grown = _closed_case(  # 18 eight years ago, closed seven years ago: due
        worker, name="Kossi", closed_years_ago=7, child=True, birth_date=date(TODAY.year - 26, 1, 1)
    )
    young = _closed_case(  # closed long ago but 18 only three years ago: not due
        worker, name="Yawa", closed_years_ago=7, child=True, birth_date=date(TODAY.year - 21, 1, 1)
    )
    adult = _closed_case(
        worker,
        name="Afi",
        closed_years_ago=6,
        child=False,
        estimated_age=30,
        age_estimated_on=TODAY,
    )
    prosecuted = _closed_case(
        worker,
        name="Komlan",
        closed_years_ago=6,
        child=False,
        proceedings="prosecution",
        estimated_age=30,
        age_estimated_on=TODAY,
    )
    asking = _closed_case(
        worker,
        name="Abla",
        closed_years_ago=6,
        child=False,
        estimated_age=30,
        age_estimated_on=TODAY,
    )
    SubjectRequest.objects.create(
        person=asking.person, kind=RequestKind.ACCESS, due_on=TODAY + timedelta(days=10)
    )
    old = screening_record(
        actor=people["border_officer"],
        questionnaire="unodc_child",
        answers={"travels_unaccompanied": "yes"},
        new_person={"given_names": "Edem", "family_name": "DEMO-SCREEN", "estimated_age": 12},
        screened_on=TODAY - timedelta(days=300),
        notes="Rencontré à la frontière",
    )
    recent = screening_record(
        actor=people["border_officer"],
        questionnaire="unodc_child",
        answers={},
        new_person={"given_names": "Mawuli", "family_name": "DEMO-SCREEN", "estimated_age": 13},
        screened_on=TODAY - timedelta(days=20),
    )
    return locals()


def test_retention_run_on_a_hand_made_data_set(data):
    grown, adult, old = data["grown"], data["adult"], data["old"]
    person_pk = grown.person.pk
    about_grown = AuditEntry.objects.filter(object_type="people.person", object_id=str(person_pk))
    assert about_grown.exists() and not any(entry.is_erased for entry in about_grown)

    dry = retention_run(dry_run=True)
    assert dry.counts["records"] == {
        "closed_adult_case:anonymise": 1,
        "closed_adult_case:held": 2,
        "closed_child_case:anonymise": 1,
        "screening_without_case:erase": 1,
    }
    assert Person.objects.get(pk=person_pk).given_names == "Kossi"
    assert not Tombstone.objects.exists()

    run = retention_run()
    assert run.counts["records"] == dry.counts["records"]
    assert set(run.counts["held"]) == {
        "criminal proceedings (Prosecution)",
        "open data-subject request",
    }
    # anonymised: the figures stay, who the person was goes
    person = Person.objects.get(pk=person_pk)
    assert (person.given_names, person.family_name, person.birth_date) == ("", "", None)
    assert person.birth_year == TODAY.year - 26 and not person.phones.exists()
    case = Case.objects.get(pk=grown.pk)
    assert case.narrative == "" and not case.notes.exists() and case.status == Status.CLOSED
    assert Case.objects.get(pk=adult.pk).person.given_names == ""
    # erased: the screening is gone, its person anonymised
    assert not Screening.objects.filter(pk=old.pk).exists()
    assert Person.objects.get(pk=old.person_id).given_names == ""
    # held and not yet due: untouched
    for key in ("young", "prosecuted", "asking"):
        assert Case.objects.get(pk=data[key].pk).narrative.startswith("Histoire de")
    assert Screening.objects.filter(pk=data["recent"].pk).exists()
    # tombstones name the records, nothing else
    assert set(Tombstone.objects.values_list("object_type", "object_id")) == {
        ("cases.case", str(grown.pk)),
        ("people.person", str(person_pk)),
        ("cases.case", str(adult.pk)),
        ("people.person", str(adult.person_id)),
        ("screening.screening", str(old.pk)),
        ("people.person", str(old.person_id)),
    }
    # the audit keeps every entry, content erased, and the chain verifies
    for erased in (person_pk, adult.person_id, old.person_id):
        entries = AuditEntry.objects.filter(object_type="people.person", object_id=str(erased))
        assert entries.exists() and all(entry.is_erased for entry in entries)
    held = AuditEntry.objects.filter(
        object_type="people.person", object_id=str(data["prosecuted"].person_id)
    )
    assert held.exists() and not any(entry.is_erased for entry in held)
    report = audit_verify()
    assert report.ok, report.problem

    # a second run finds nothing new
    again = retention_run()
    assert "closed_child_case:anonymise" not in again.counts["records"]


def test_emptying_an_entry_without_a_recorded_erasure_is_caught(data):
    from corridor.audit.models import ERASED_KEY, content_digest

    entry = AuditEntry.objects.filter(
        object_type="people.person", object_id=str(data["grown"].person_id)
    ).first()
    AuditEntry.objects.filter(pk=entry.pk).update(
        summary="", detail={ERASED_KEY: content_digest(entry.summary, entry.detail)}
    )
    report = audit_verify()
    assert not report.ok and report.seq == entry.seq


def test_registered_legal_hold(data, monkeypatch):
    """The justice app's hold (registered through the registry) keeps the records it names."""
    grown = data["grown"]
    monkeypatch.setattr(holds, "LEGAL_HOLDS", [])
    holds.register_legal_hold(
        lambda *, person, case: "victim in a criminal case" if person == grown.person else ""
    )
    run = retention_run()
    assert run.counts["held"]["victim in a criminal case"] == 1
    assert Person.objects.get(pk=grown.person_id).given_names == "Kossi"


def test_an_interrupted_run_leaves_every_record_whole(data, monkeypatch):
    calls = {"n": 0}

    def interrupt_on_second(*, person, case):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return ""

    monkeypatch.setattr(holds, "LEGAL_HOLDS", [interrupt_on_second])
    run = retention_run()
    assert run.interrupted
    assert Tombstone.objects.filter(object_type="cases.case").count() == 1
    assert audit_verify().ok
    monkeypatch.setattr(holds, "LEGAL_HOLDS", [])
    retention_run()
    assert Tombstone.objects.filter(object_type="cases.case").count() == 2


def test_command_dry_run_and_run(data, capsys):
    call_command("retention", "run", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run" in out and "5 records examined." in out
    assert "Closed child case (from the 18th birthday) · Anonymise (keep the figures" in out
    assert "closed_child_case" not in out  # the rules' names, not their codes
    assert not Tombstone.objects.exists()
    call_command("retention", "run")
    assert Tombstone.objects.exists()
    assert RetentionRun.objects.filter(dry_run=False, interrupted=False).count() == 1
    capsys.readouterr()
    call_command("retention", "run")
    out = capsys.readouterr().out  # what is held stays held, and nothing more is due
    assert "2 records examined." in out and "Anonymise" not in out and "held: 2" in out


def test_a_rule_shorter_than_the_legal_minimum_is_refused(people):
    admin = people["administrator"]
    with pytest.raises(ValidationError) as refused:
        rule_set(
            actor=admin,
            record_type=RecordType.CLOSED_CHILD_CASE,
            months=12,
            action=RetentionAction.ANONYMISE,
        )
    assert "at least 60 months" in refused.value.message_dict["months"][0]
    assert not RetentionRule.objects.exists()


def test_add_months_keeps_the_end_of_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 15), -15) == date(2022, 12, 15)
