"""Writes of the intake app, by subject: ``handoffs`` (the border hand-off) and ``hotline``
(calls and SMS). The names below are the app's service interface."""

from corridor.intake.services.handoffs import (
    border_post,
    duty_agency_for,
    duty_agency_remove,
    duty_agency_set,
    handoff_accept,
    handoff_from_screening,
    handoff_from_submission,
    handoff_open_case,
    interception_report,
)
from corridor.intake.services.hotline import (
    acknowledgement,
    dispatchable_workers,
    intake_close,
    intake_convert_case,
    intake_convert_tip,
    intake_dispatch,
    intake_from_sms,
    intake_record,
    intake_triage,
)

__all__ = [
    "acknowledgement",
    "border_post",
    "dispatchable_workers",
    "duty_agency_for",
    "duty_agency_remove",
    "duty_agency_set",
    "handoff_accept",
    "handoff_from_screening",
    "handoff_from_submission",
    "handoff_open_case",
    "intake_close",
    "intake_convert_case",
    "intake_convert_tip",
    "intake_dispatch",
    "intake_from_sms",
    "intake_record",
    "intake_triage",
    "interception_report",
]
