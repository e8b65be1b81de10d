"""The child-case forms a social worker fills without network: follow-up visits, tracing actions
(correctable offline) and family assessments, each through the childcare app's own service."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.fieldwork.services import OfflineForm, register_offline_form

TRACING_FIELDS = ("date", "action", "place", "who", "outcome", "notes")


def _family_form(data=None, case=None):
    from corridor.childcare.forms import FamilyAssessmentForm

    form = FamilyAssessmentForm(data=data)
    for name in ("source", "received_from"):  # made here, by the worker: never a peer's copy
        form.fields.pop(name)
    return form


def _tracing_form(data=None, case=None):
    from corridor.childcare.forms import TracingActionForm

    return TracingActionForm(data=data)


def _visit_form(data=None, case=None):
    from corridor.childcare.forms import VisitForm

    return VisitForm(data=data, case=case)


def _tracing_fields(record) -> dict:
    values = {name: getattr(record, name) for name in TRACING_FIELDS}
    values["date"] = values["date"].isoformat()
    return values


def register() -> None:
    from corridor.childcare import services

    register_offline_form(
        OfflineForm(
            name="visit",
            label=_("Follow-up visit"),
            form=_visit_form,
            create=lambda actor, case, d: services.visit_record(actor=actor, case=case, **d),
        )
    )
    register_offline_form(
        OfflineForm(
            name="tracing",
            label=_("Tracing action"),
            form=_tracing_form,
            create=lambda actor, case, d: services.tracing_action_record(
                actor=actor, case=case, **d
            ),
            update=lambda actor, record, version, **fields: services.tracing_action_update(
                actor=actor, record=record, expected_version=version, **fields
            ),
            records=lambda case: list(case.tracing_actions.all()),
            fields_of=_tracing_fields,
        )
    )
    register_offline_form(
        OfflineForm(
            name="family",
            label=_("Family assessment"),
            form=_family_form,
            create=lambda actor, case, d: services.family_assessment_record(
                actor=actor, case=case, **d
            ),
        )
    )
