"""The border hand-off: from a web screening and from an ODK screening, the clock, the duty
agency's first action, the interception report, and the refusals that leave nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from corridor.accounts.services import agency_update
from corridor.cases import caseloads as cl
from corridor.cases.models import Approval, Case
from corridor.cases.services import caseload_proposed
from corridor.core.stats import stats_sections
from corridor.flows.models import Submission, SubmissionStatus
from corridor.intake import services
from corridor.intake.models import Handoff, HandoffReason
from corridor.intake.selectors import visible_handoffs
from corridor.intel.models import Entity, Report
from corridor.intel.selectors import visible_reports
from corridor.people.models import Person
from corridor.screening.models import Screening
from corridor.screening.services import screening_record
from tests.intake.conftest import GIRL


def test_a_border_screening_of_an_unaccompanied_girl_is_handed_to_the_agency_on_duty(
    people, duty, django_capture_on_commit_callbacks
):
    duty_worker = people["other_agency.caseworker"]
    duty_worker.email = "duty@example.org"
    duty_worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        screening = screening_record(
            actor=people["border_officer"],
            questionnaire="unodc_child",
            answers={"travels_unaccompanied": "yes"},
            new_person=GIRL,
            place="kodjoviakope",  # accents and case do not matter
        )
    handoff = screening.handoff
    assert handoff.to_agency == duty["agency"] and handoff.point == duty["kod"]
    assert handoff.status == Handoff.Status.WAITING and handoff.first_action_at is None
    assert HandoffReason.CHILD in handoff.reasons and HandoffReason.UNACCOMPANIED in handoff.reasons
    assert handoff.source == Handoff.Source.WEB and handoff.person == screening.person
    # The agency on duty is told by e-mail, without the child's name.
    assert [m.to for m in mail.outbox] == [["duty@example.org"]]
    assert "Kodjoviakopé" in mail.outbox[0].subject
    assert "Afi" not in mail.outbox[0].body and "KOUDAWO" not in mail.outbox[0].body
    # …and sees it in its queue; the border post follows it; another agency does not see it.
    assert handoff in visible_handoffs(duty_worker)
    assert handoff in visible_handoffs(people["border_officer"])
    assert handoff in visible_handoffs(people["coordinator"])
    assert handoff not in visible_handoffs(people["caseworker"])
    assert handoff not in visible_handoffs(people["other_country.coordinator"])


def test_an_adult_with_low_vulnerability_is_not_handed_off(people, duty):
    screening = screening_record(
        actor=people["border_officer"],
        questionnaire="iom_dmv",
        answers={},
        new_person={"given_names": "Kodjo", "family_name": "SEWA", "estimated_age": 35},
        place="Kodjoviakopé",
    )
    assert not Handoff.objects.filter(screening=screening).exists()


def test_the_clock_stops_at_the_duty_agencys_first_action(people, handoff):
    Handoff.objects.filter(pk=handoff.pk).update(started_at=timezone.now() - timedelta(hours=30))
    handoff.refresh_from_db()
    assert handoff.overdue
    assert stats_sections(["handoffs"])["handoffs"]["past_24h_waiting"] == 1
    with pytest.raises(PermissionDenied):
        services.handoff_accept(actor=people["coordinator"], handoff=handoff)
    with pytest.raises(PermissionDenied):
        services.handoff_accept(actor=people["caseworker"], handoff=handoff)
    accepted = services.handoff_accept(actor=people["other_agency.caseworker"], handoff=handoff)
    assert accepted.status == Handoff.Status.ACCEPTED
    stopped = accepted.first_action_at
    assert 29.9 < accepted.hours < 30.1 and not accepted.overdue
    # Opening the case later does not restart or move the clock.
    case = services.handoff_open_case(actor=people["other_agency.supervisor"], handoff=accepted)
    accepted.refresh_from_db()
    assert accepted.first_action_at == stopped and accepted.case == case
    figures = stats_sections(["handoffs"])["handoffs"]
    assert figures["waiting"] == 0 and figures["past_24h_answered"] == 1
    assert 29.9 < figures["median_hours"] < 30.2


def test_opening_the_case_puts_it_in_the_duty_agency_and_asks_for_the_status_decision(
    people, handoff
):
    worker = people["other_agency.caseworker"]
    case = services.handoff_open_case(actor=worker, handoff=handoff)
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.CASE_OPENED and handoff.first_action_by == worker
    assert case.agency == worker.agency and case.is_child and case.person == handoff.person
    screening = Screening.objects.get(pk=handoff.screening_id)
    assert screening.case == case
    assert screening.approval.kind == Approval.Kind.TRAFFICKING_STATUS
    assert case.caseload == caseload_proposed(screening) == cl.PRESUMED_VICTIM
    with pytest.raises(ValidationError):
        services.handoff_open_case(actor=worker, handoff=handoff)


def test_a_duty_agency_that_left_the_directory_refuses_the_screening_and_writes_nothing(
    people, duty
):
    agency_update(actor=None, agency=duty["agency"], is_active=False)
    before = (Person.objects.count(), Screening.objects.count(), Handoff.objects.count())
    with pytest.raises(ValidationError) as refused:
        screening_record(
            actor=people["border_officer"],
            questionnaire="unodc_child",
            answers={"travels_unaccompanied": "yes"},
            new_person=GIRL,
            place="Kodjoviakopé",
        )
    assert "has left the service directory" in " ".join(refused.value.messages)
    after = (Person.objects.count(), Screening.objects.count(), Handoff.objects.count())
    assert after == before


def test_no_agency_on_duty_is_refused_with_what_to_do(people, duty):
    from corridor.intake.models import DutyAgency

    DutyAgency.objects.all().delete()
    with pytest.raises(ValidationError) as refused:
        screening_record(
            actor=people["border_officer"],
            questionnaire="unodc_child",
            answers={},
            new_person=GIRL,
            place="Kodjoviakopé",
        )
    assert "No social-service agency is on duty" in " ".join(refused.value.messages)
    assert not Screening.objects.exists()


def test_only_a_coordinator_or_administrator_names_the_duty_agency_and_only_a_listed_one(
    people, duty
):
    with pytest.raises(PermissionDenied):
        services.duty_agency_set(
            actor=people["supervisor"], agency=duty["agency"], point=duty["kod"]
        )
    with pytest.raises(ValidationError):  # the home agency is not in the directory
        services.duty_agency_set(
            actor=people["administrator"], agency=people["caseworker"].agency, point=duty["kod"]
        )
    services.duty_agency_set(
        actor=people["administrator"], agency=duty["agency"], point=duty["kod"]
    )


def test_the_interception_report_reaches_investigators_not_the_border_officer(people, handoff):
    officer = people["border_officer"]
    with pytest.raises(PermissionDenied):
        services.interception_report(
            actor=people["other_agency.border_officer"], handoff=handoff, route="x"
        )
    with pytest.raises(ValidationError):
        services.interception_report(actor=officer, handoff=handoff)
    services.interception_report(
        actor=officer,
        handoff=handoff,
        adults="Un homme se disant l'oncle",
        vehicle_plate="TG-4821-AB",
        phones=["+228 90 11 22 33"],
        route="Accra – Lomé",
        documents="Aucun",
        handling="P",
    )
    handoff.refresh_from_db()
    report = Report.objects.get(pk=handoff.intel_report_id)
    assert report.handling == "P" and "TG-4821-AB" in report.narrative
    assert Entity.objects.filter(kind="vehicle", report=report).exists()
    assert Entity.objects.filter(kind="phone", report=report).exists()
    assert report in visible_reports(people["investigator"])
    assert not visible_reports(officer).exists()
    with pytest.raises(ValidationError):
        services.interception_report(actor=officer, handoff=handoff, route="again")


def _odk_submission(people, **data) -> Submission:
    base = {
        "point": "TG-KOD",
        "con_Consent": "TRUE",
        "prs_First_Name": "Ayaba",
        "prs_Second_Name": "Kpeto",
        "prs_Gender": "Feminine",
        "prs_EstimatedAge": 12,
        "unaccompanied": "yes",
        "screening_date": timezone.localdate().isoformat(),
    }
    return Submission.objects.create(
        instance_id=f"uuid:{Submission.objects.count() + 1}",
        root_id="r",
        form_id="htcds_screening",
        form_version="1",
        source="odk",
        status=SubmissionStatus.PENDING_HANDOFF,
        data=base | data,
        imported_by=None,
    )


def test_an_odk_screening_waiting_for_the_hand_off_joins_the_same_queue(people, duty):
    submission = _odk_submission(people)
    handoff = submission.handoff
    assert handoff.source == Handoff.Source.ODK and handoff.to_agency == duty["agency"]
    assert handoff.from_agency == duty["kod"].agency
    assert handoff in visible_handoffs(people["other_agency.supervisor"])
    case = services.handoff_open_case(actor=people["other_agency.caseworker"], handoff=handoff)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IMPORTED and submission.target_id == str(case.pk)
    assert not any(k.startswith("prs_") for k in submission.data)
    assert case.person.given_names == "Ayaba" and case.agency == duty["agency"]
    assert case.caseload in (cl.CHILD_ON_THE_MOVE, cl.PRESUMED_VICTIM)


def test_an_odk_screening_without_consent_is_accepted_but_the_case_waits_for_a_name(people, duty):
    submission = _odk_submission(people, con_Consent="FALSE", prs_First_Name="", prs_Second_Name="")
    worker = people["other_agency.caseworker"]
    with pytest.raises(ValidationError):
        services.handoff_open_case(actor=worker, handoff=submission.handoff)
    assert not Case.objects.exists()
    handoff = Handoff.objects.get(pk=submission.handoff.pk)
    assert handoff.status == Handoff.Status.WAITING and handoff.first_action_at is None
    services.handoff_accept(actor=worker, handoff=handoff)


def test_an_adult_odk_screening_is_not_handed_off(people, duty):
    submission = _odk_submission(people, prs_EstimatedAge=34, unaccompanied="no")
    assert not Handoff.objects.filter(submission=submission).exists()


def test_an_odk_screening_with_no_agency_on_duty_is_refused_and_not_kept(people, duty):
    from corridor.intake.models import DutyAgency

    DutyAgency.objects.all().delete()
    with pytest.raises(ValidationError), transaction.atomic():
        _odk_submission(people)
    assert not Submission.objects.exists() and not Handoff.objects.exists()
