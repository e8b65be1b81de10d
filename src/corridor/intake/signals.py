"""The two doors of the hand-off queue, hooked on the records that open them so that neither the
screening nor the flows app has to know about intake: a border officer's screening, and an ODK
screening left waiting for the case-management hand-off. Both run inside the transaction that
records the screening: when the hand-off is refused (no agency on duty, or one that left the
directory), the screening is not recorded either."""

from __future__ import annotations


def on_screening_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        from corridor.intake.services import handoff_from_screening

        handoff_from_screening(actor=instance.screened_by, screening=instance)


def on_submission_saved(sender, instance, created, raw=False, **kwargs) -> None:
    from corridor.flows.models import SubmissionStatus

    if created and not raw and instance.status == SubmissionStatus.PENDING_HANDOFF:
        from corridor.intake.services import handoff_from_submission

        handoff_from_submission(actor=instance.imported_by, submission=instance)
