"""Writes of screenings. A screening creates or reuses a person, scores the answers and, when a
caseworker opens a case from it, asks a supervisor to decide the proposed trafficking status."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.cases.models import Case, Status
from corridor.cases.selectors import can_manage
from corridor.cases.services import (
    case_open,
    case_propose_trafficking_status,
    caseload_proposed,
)
from corridor.core import said
from corridor.people.models import Person
from corridor.people.selectors import visible_persons
from corridor.people.services import person_create
from corridor.screening.models import Screening
from corridor.screening.questionnaires import ANSWERS, get_questionnaire, score
from corridor.screening.selectors import CASE_OPENERS, SCREENERS, visible_screenings

SEPARATED_STATUSES = ("UnaccompaniedChild", "SeparatedChild")


def _clean_answers(questionnaire, answers: dict) -> dict[str, str]:
    codes = {t.code for t in questionnaire.indicators}
    unknown = sorted(set(answers) - codes)
    if unknown:
        raise ValidationError(
            {
                "answers": ngettext(
                    "Unknown indicator: %(codes)s", "Unknown indicators: %(codes)s", len(unknown)
                )
                % {"codes": ", ".join(unknown)}
            }
        )
    bad = sorted(code for code, value in answers.items() if value not in ANSWERS)
    if bad:
        raise ValidationError(
            {"answers": _("Answer yes, no or not known for: %(codes)s") % {"codes": ", ".join(bad)}}
        )
    return {code: answers.get(code, "unknown") for code in codes}


def child_flags(person: Person) -> dict[str, bool]:
    """A person of uncertain age is a child; a child travelling alone or apart from their usual
    carers is flagged, and so is anyone whose migrant status calls for international protection."""
    child = person.is_child
    return {
        "child": child,
        "unaccompanied": child
        and (person.unaccompanied or person.migrant_status in SEPARATED_STATUSES),
        "refer_to_asylum": person.needs_international_protection,
    }


@transaction.atomic
def screening_record(
    *,
    actor,
    questionnaire: str,
    answers: dict[str, str],
    person: Person | None = None,
    new_person: dict | None = None,
    screened_on: date | None = None,
    place: str = "",
    notes: str = "",
    open_case: bool = False,
) -> Screening:
    """Record a screening of ``person``, or of a person registered now from ``new_person`` (the
    keyword arguments of ``people.services.person_create``). Border officers screen without a
    case; caseworkers, supervisors and coordinators may open one at once (``open_case``)."""
    if not actor.has_role(*SCREENERS):
        raise PermissionDenied(_("Your role cannot screen people."))
    if open_case and not actor.has_role(*CASE_OPENERS):
        raise PermissionDenied(_("Your role cannot open cases."))
    try:
        form = get_questionnaire(questionnaire)
    except KeyError:
        raise ValidationError(
            {"questionnaire": _("Unknown questionnaire “%(q)s”.") % {"q": questionnaire}}
        ) from None
    answers = _clean_answers(form, answers or {})
    screened_on = screened_on or timezone.localdate()
    if screened_on > timezone.localdate():
        raise ValidationError({"screened_on": _("The screening date cannot be in the future.")})
    if person is None:
        if not new_person:
            raise ValidationError({"person": _("Choose a person or register a new one.")})
        person = person_create(actor=actor, **new_person)
    elif not visible_persons(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You cannot see this person."))
    flags = child_flags(person)
    result = score(form, answers, child=flags["child"])
    screening = Screening(
        person=person,
        questionnaire=form.code,
        answers=answers,
        section_scores=result.section_scores,
        score=result.score,
        proposed_status=result.proposed_status,
        vulnerability_level=result.vulnerability_level,
        screened_by=actor,
        agency=actor.agency,
        screened_on=screened_on,
        place=place.strip(),
        notes=notes,
        **flags,
    )
    screening.full_clean()
    screening.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=screening,
        summary=node_text(
            gettext_noop("%(form)s, score %(score)s"),
            form=lambda: _(form.label),
            score=result.score,
        ),
        detail={
            "person": str(person.uid),
            "score": result.score,
            "proposed": result.proposed_status,
            **flags,
        },
    )
    existing = open_case_of(person)
    if existing is not None:
        # The person already has an open case: the screening joins it, never opens a second.
        _link(actor=actor, screening=screening, case=existing)
    elif open_case:
        screening_open_case(actor=actor, screening=screening)
    screening.refresh_from_db()
    return screening


def open_case_of(person: Person) -> Case | None:
    """The person's open case (the latest when, by history, there are several)."""
    return (
        Case.objects.filter(person=person)
        .exclude(status__in=[Status.CLOSED, Status.CLOSED_REFERRED])
        .order_by("-identified_on", "-id")
        .first()
    )


def _link(*, actor, screening: Screening, case: Case) -> None:
    """Attach the screening to ``case``; its proposed status becomes a request for a decision
    on the case when the screener may work on the case (otherwise the case's caseworker asks
    from the case page)."""
    screening.case = case
    screening.save(update_fields=["case"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=screening,
        summary=node_text(gettext_noop("linked to case %(ref)s"), ref=case.ref),
        detail={"case": case.ref},
    )
    if screening.proposed_status and can_manage(actor, case):
        screening_propose_status(actor=actor, screening=screening)


@transaction.atomic
def screening_propose_status(*, actor, screening: Screening):
    """The status a screening proposes becomes a request, on its case, for a supervisor's
    decision (``cases.services.case_propose_trafficking_status``)."""
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if screening.case_id is None:
        raise ValidationError(_("This screening is not linked to a case."))
    if not screening.proposed_status:
        raise ValidationError(_("This screening proposes no trafficking status."))
    approval = case_propose_trafficking_status(
        actor=actor,
        case=screening.case,
        status=screening.proposed_status,
        justification=_justification(screening),
    )
    screening.approval = approval
    screening.save(update_fields=["approval"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=screening,
        summary=node_text(gettext_noop("status proposed on case %(ref)s"), ref=screening.case.ref),
        detail={"case": screening.case.ref, "approval": approval.pk},
    )
    return approval


def _justification(screening: Screening) -> str:
    return said.say(
        said.SCREENING_PROPOSES,
        q=screening.get_questionnaire_display(),
        s=screening.score,
        p=screening.get_proposed_status_display(),
    )


@transaction.atomic
def screening_open_case(*, actor, screening: Screening) -> Case:
    """Open a case from a screening. When the screening proposes a trafficking status, the case
    carries it as proposed and a ``trafficking_status`` approval waits for a supervisor or an
    authorised body: the screener never decides it."""
    if not actor.has_role(*CASE_OPENERS):
        raise PermissionDenied(_("Your role cannot open cases."))
    if not visible_screenings(actor).filter(pk=screening.pk).exists():
        raise PermissionDenied(_("You cannot see this screening."))
    screening = Screening.objects.select_for_update().get(pk=screening.pk)
    if screening.case_id:
        raise ValidationError(_("A case is already open for this screening."))
    existing = open_case_of(screening.person)
    if existing is not None:
        _link(actor=actor, screening=screening, case=existing)
        return existing
    case = case_open(
        actor=actor,
        person=screening.person,
        identified_on=screening.screened_on,
        identified_at_place=screening.place,
        trafficking_status_proposed=screening.proposed_status,
        caseload=caseload_proposed(screening),
    )
    screening.case = case
    screening.save(update_fields=["case"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=screening,
        summary=node_text(gettext_noop("case opened: %(ref)s"), ref=case.ref),
        detail={"case": case.ref},
    )
    if screening.proposed_status:
        screening_propose_status(actor=actor, screening=screening)
    return case
