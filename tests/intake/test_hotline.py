"""Hotline intake: a call-taker's record, triage, dispatch, and the outcomes (case, tip, no
further action), each only for whom the workflow names."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.core.stats import stats_sections
from corridor.intake import services
from corridor.intake.models import Intake
from corridor.intake.selectors import visible_intakes
from corridor.intel.models import Report
from corridor.intel.selectors import visible_reports


def _call(people, **values) -> Intake:
    fields = {
        "concern": "Deux fillettes vendent de l'eau la nuit au marché.",
        "concern_type": "trafficking",
        "urgency": "immediate",
        "place": "Marché de Hédzranawoé",
        "children_involved": 2,
    }
    return services.intake_record(actor=people["call_taker"], **(fields | values))


def test_a_call_is_recorded_acknowledged_and_an_anonymous_reporter_leaves_nothing(people):
    intake = _call(people, anonymous=True, reporter_name="Kokou", reporter_phone="+22890000000")
    assert intake.ref.startswith("TG-HL-") and intake.ref in intake.acknowledgement
    assert intake.reporter_name == "" and intake.reporter_phone == ""
    assert intake.status == Intake.Status.RECEIVED and intake.agency == people["call_taker"].agency


def test_only_call_takers_and_coordinators_record_and_bad_values_are_refused(people):
    for role in ("caseworker", "border_officer", "investigator", "partner"):
        with pytest.raises(PermissionDenied):
            _call(people | {"call_taker": people[role]})
    with pytest.raises(ValidationError):
        _call(people, concern="  ")
    with pytest.raises(ValidationError):
        _call(people, urgency="whenever")
    assert not Intake.objects.exists()


def test_triage_dispatch_and_the_social_worker_opens_the_case(people):
    taker, worker = people["call_taker"], people["caseworker"]
    intake = _call(people)
    with pytest.raises(ValidationError):  # dispatch before triage: not in the table
        services.intake_dispatch(actor=taker, intake=intake, social_worker=worker)
    with pytest.raises(PermissionDenied):  # another hotline
        services.intake_triage(
            actor=people["other_agency.call_taker"],
            intake=intake,
            concern_type="abuse",
            urgency="day",
        )
    services.intake_triage(actor=taker, intake=intake, concern_type="labour", urgency="day")
    with pytest.raises(ValidationError):  # an investigator is not a social worker
        services.intake_dispatch(actor=taker, intake=intake, social_worker=people["investigator"])
    services.intake_dispatch(actor=taker, intake=intake, social_worker=worker)
    assert intake in visible_intakes(worker) and intake in visible_intakes(people["supervisor"])
    assert intake not in visible_intakes(people["other_agency.caseworker"])
    with pytest.raises(PermissionDenied):
        services.intake_convert_case(
            actor=people["other_agency.caseworker"], intake=intake, given_names="Ama"
        )
    with pytest.raises(ValidationError):
        services.intake_convert_case(actor=worker, intake=intake, given_names="")
    closed = services.intake_convert_case(
        actor=worker, intake=intake, given_names="Ama", family_name="Akué", estimated_age=10
    )
    assert closed.outcome == Intake.Outcome.CASE and closed.case.agency == worker.agency
    assert closed.case.person.family_name == "AKUÉ" and intake.ref in closed.case.narrative
    assert closed.case.caseload == "child_on_the_move"  # a child, no caseload chosen
    with pytest.raises(ValidationError):
        services.intake_close(actor=worker, intake=closed, note="twice")


def test_a_tip_reaches_investigators_and_the_hotline_cannot_read_it(people):
    taker = people["call_taker"]
    intake = _call(people, concern_type="smuggling", concern="Un passeur part chaque jeudi.")
    closed = services.intake_convert_tip(actor=taker, intake=intake, handling="C")
    report = Report.objects.get(pk=closed.intel_report_id)
    assert "passeur" in report.narrative and report.grading == "F6"
    assert report in visible_reports(people["investigator"])
    assert not visible_reports(taker).exists()


def test_closing_with_no_action_needs_a_reason(people):
    intake = _call(people)
    with pytest.raises(ValidationError):
        services.intake_close(actor=people["call_taker"], intake=intake, note=" ")
    services.intake_close(actor=people["call_taker"], intake=intake, note="Appel en double.")


def test_counts_by_channel_and_outcome(people):
    services.intake_close(actor=people["call_taker"], intake=_call(people), note="Doublon.")
    _call(people)
    services.intake_from_sms(sender="+22890000001", text="Enfant seul à la gare", gateway_id="1")
    figures = stats_sections(["intakes"])["intakes"]
    assert figures["by_channel"] == {"call": 2, "sms": 1}
    assert figures["by_outcome"]["no_action"] == 1 and figures["by_outcome"]["open"] == 2
    assert figures["by_channel_and_outcome"]["sms"]["open"] == 1
