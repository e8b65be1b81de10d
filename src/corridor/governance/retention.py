"""Retention: rules per record type (data, in ``RetentionRule``) and the run that applies them.

A run looks at each record type whose rule is applied, finds the records whose time is up, and
for each one, in its own transaction: re-checks it, skips it if a legal hold applies
(``holds.holds_on``), anonymises or erases it, leaves a ``Tombstone``, erases the content of
the audit entries about it (the chain keeps their place and digest) and audits what it did. A
run can therefore be stopped at any record (Ctrl-C) and simply run again.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_erase_content, audit_record, node_text
from corridor.governance.holds import holds_on
from corridor.governance.models import (
    LEGAL_MINIMUM_MONTHS,
    RecordType,
    RetentionAction,
    RetentionRule,
    RetentionRun,
    Tombstone,
)

RULE_MANAGERS = (Role.ADMINISTRATOR,)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def adult_on(person) -> date | None:
    """The 18th birthday, as late as the information allows (a year only: the year's end)."""
    if person.birth_date:
        return add_months(person.birth_date, 18 * 12)
    if person.birth_year:
        return date(person.birth_year + 18, 12, 31)
    if person.estimated_age is not None and person.age_estimated_on:
        return add_months(person.age_estimated_on, (18 - person.estimated_age + 1) * 12)
    return None


@transaction.atomic
def rule_set(*, actor, record_type: str, months: int, action: str, active: bool = True):
    """Create or change the rule of a record type; shorter than its legal minimum is refused."""
    if actor is not None and not actor.has_role(*RULE_MANAGERS):
        raise PermissionDenied
    if record_type not in RecordType.values:
        raise ValidationError({"record_type": _("Unknown record type.")})
    if action not in RetentionAction.values:
        raise ValidationError({"action": _("Choose anonymise or erase.")})
    minimum = LEGAL_MINIMUM_MONTHS[record_type]
    if months < minimum:
        raise ValidationError(
            {
                "months": _(
                    "%(type)s must be kept at least %(min)s months by law; %(n)s is too short."
                )
                % {"type": RecordType(record_type).label, "min": minimum, "n": months}
            }
        )
    rule, created = RetentionRule.objects.select_for_update().get_or_create(
        record_type=record_type, defaults={"months": months, "action": action, "active": active}
    )
    before = {"months": rule.months, "action": rule.action, "active": rule.active}
    rule.months, rule.action, rule.active = months, action, active
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=rule,
        summary=str(RecordType(record_type).label),
        detail={"months": months, "action": action, "active": active}
        | ({} if created else {"before": before}),
    )
    return rule


# --- what each record type means -------------------------------------------------------------


@dataclass
class Due:
    """One record whose time is up."""

    record_type: str
    obj: object
    person: object
    case: object


def _tombstoned(label: str) -> set[int]:
    return {
        int(i)
        for i in Tombstone.objects.filter(object_type=label).values_list("object_id", flat=True)
    }


def _due_cases(rule: RetentionRule, today: date) -> Iterator[Due]:
    from corridor.cases.models import Case, Status

    child = rule.record_type == RecordType.CLOSED_CHILD_CASE
    cutoff = add_months(today, -rule.months)
    done = _tombstoned("cases.case")
    cases = (
        Case.objects.filter(
            status__in=[Status.CLOSED, Status.CLOSED_REFERRED],
            is_child=child,
            closed_on__isnull=False,
            closed_on__lte=cutoff,
        )
        .select_related("person")
        .order_by("pk")
    )
    for case in cases.iterator(chunk_size=200):
        if case.pk in done:
            continue
        if child:
            adult = adult_on(case.person)
            if adult is None or add_months(max(adult, case.closed_on), rule.months) > today:
                continue
        yield Due(rule.record_type, case, case.person, case)


def _due_screenings(rule: RetentionRule, today: date) -> Iterator[Due]:
    from corridor.screening.models import Screening

    done = _tombstoned("screening.screening")
    cutoff = add_months(today, -rule.months)
    query = Screening.objects.filter(case__isnull=True, screened_on__lte=cutoff)
    for screening in query.select_related("person").order_by("pk").iterator(chunk_size=200):
        if screening.pk not in done:
            yield Due(rule.record_type, screening, screening.person, None)


def _due_surveys(rule: RetentionRule, today: date) -> Iterator[Due]:
    from corridor.flows.models import FlowSurvey

    cutoff = add_months(today, -rule.months)
    for survey in (
        FlowSurvey.objects.filter(day__lte=cutoff).order_by("pk").iterator(chunk_size=500)
    ):
        yield Due(rule.record_type, survey, None, None)


FINDERS: dict[str, Callable[[RetentionRule, date], Iterator[Due]]] = {
    RecordType.CLOSED_CHILD_CASE: _due_cases,
    RecordType.CLOSED_ADULT_CASE: _due_cases,
    RecordType.SCREENING_WITHOUT_CASE: _due_screenings,
    RecordType.FLOW_SURVEY: _due_surveys,
}


def _person_still_needed(person, but_case=None, but_screening=None) -> bool:
    """Another record about the person that this run has not (yet) dealt with keeps them."""
    tomb_cases = _tombstoned("cases.case")
    other_cases = person.cases.exclude(pk=getattr(but_case, "pk", None))
    if any(pk not in tomb_cases for pk in other_cases.values_list("pk", flat=True)):
        return True
    tomb_screenings = _tombstoned("screening.screening")
    other = person.screenings.filter(case__isnull=True).exclude(
        pk=getattr(but_screening, "pk", None)
    )
    return any(pk not in tomb_screenings for pk in other.values_list("pk", flat=True))


def anonymise_person(person) -> None:
    """Keep what the figures need (gender, birth year, citizenships, prefecture of origin); erase
    who the person is: names, document names, notes, photo, phones, documents, name keys, and
    the names and contacts of relatives; the mother keys her children bear of her names too."""
    from corridor.people.models import BirthPrecision
    from corridor.people.services import children_reindex

    person.given_names = person.family_name = person.name_on_document = ""
    person.notes = person.photo = person.photo_type = person.place_of_origin = ""
    if person.birth_date:
        person.birth_year, person.birth_date = person.birth_date.year, None
        person.birth_precision = BirthPrecision.YEAR
    person.save()
    person.keys.all().delete()
    person.other_names.all().delete()
    person.phones.all().delete()
    person.documents.all().delete()
    person.relationships.update(relative_name="", contact="", whereabouts="")
    children_reindex(mother=person)


CASE_ANONYMISERS: list[Callable] = []


def register_case_anonymiser(anonymiser: Callable) -> None:
    """Apps holding narratives about a case (the child's file…) erase them with the case's:
    ``anonymiser(case)`` runs inside the retention run's transaction."""
    if anonymiser not in CASE_ANONYMISERS:
        CASE_ANONYMISERS.append(anonymiser)


def anonymise_case(case) -> None:
    """Erase the case's narratives and names; keep its dates, stages, statuses and codes."""
    for anonymiser in CASE_ANONYMISERS:
        anonymiser(case)
    case.narrative = ""
    case.closure_reason = ""
    case.save(update_fields=["narrative", "closure_reason", "updated_at"])
    case.consents.update(guardian_name="", childs_views="")
    case.events.update(description="")
    case.support_plans.update(objectives="", action_plan="")
    case.services.update(outcome="")
    case.tasks.update(outcome="")
    case.stage_changes.update(comment="")
    case.notes.all().delete()
    from corridor.screening.models import Screening

    Screening.objects.filter(case=case).update(notes="", answers={})


def _erase_audit(actor, label: str, pk) -> int:
    return audit_erase_content(
        actor=actor, object_type=label, object_ids=[pk], reason=_("retention rule applied")
    )


def _apply(due: Due, rule: RetentionRule, run: RetentionRun, actor) -> list[tuple[str, int]]:
    """Anonymise or erase one record; returns the (label, pk) now tombstoned."""
    obj = due.obj
    label = obj._meta.label_lower
    gone: list[tuple[str, int]] = [(label, obj.pk)]
    if due.record_type in (RecordType.CLOSED_CHILD_CASE, RecordType.CLOSED_ADULT_CASE):
        anonymise_case(obj)
        if not _person_still_needed(due.person, but_case=obj):
            anonymise_person(due.person)
            gone.append(("people.person", due.person.pk))
    elif due.record_type == RecordType.SCREENING_WITHOUT_CASE:
        person = due.person
        if rule.action == RetentionAction.ERASE:
            obj.delete()
        else:
            type(obj).objects.filter(pk=obj.pk).update(notes="", answers={})
        if not _person_still_needed(person, but_screening=obj):
            anonymise_person(person)
            gone.append(("people.person", person.pk))
    else:  # flow survey: the aggregates (FlowCount) stay, the interview goes
        obj.delete()
    for object_type, pk in gone:
        Tombstone.objects.get_or_create(
            object_type=object_type,
            object_id=str(pk),
            defaults={"record_type": due.record_type, "action": rule.action, "run": run},
        )
        _erase_audit(actor, object_type, pk)
    audit_record(
        actor=actor,
        action=Action.DELETE,
        object_type=label,
        object_id=str(gone[0][1]),
        summary=node_text(
            lambda: _("retention: %(action)s") % {"action": rule.get_action_display()}
        ),
        detail={"record_type": due.record_type, "rule_months": rule.months, "run": run.pk},
        username="retention",
    )
    return gone


def _recheck(due: Due) -> Due | None:
    """Lock the record again inside its transaction (it may have changed since it was listed)."""
    model = type(due.obj)
    obj = model.objects.select_for_update().filter(pk=due.obj.pk).first()
    if obj is None:
        return None
    person = getattr(obj, "person", None)
    case = obj if due.case is not None else None
    return Due(due.record_type, obj, person, case)


def retention_run(
    *,
    actor=None,
    dry_run: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> RetentionRun:
    """Apply every active rule. Each record has its own transaction; Ctrl-C stops after the
    record in hand, and the run is recorded as interrupted (run it again to finish)."""
    today = today or timezone.localdate()
    run = RetentionRun.objects.create(
        dry_run=dry_run, run_by=actor.get_username() if actor else "retention"
    )
    counts: Counter = Counter()
    held: Counter = Counter()
    seen = 0
    try:
        for rule in RetentionRule.objects.filter(active=True).order_by("record_type"):
            for due in FINDERS[rule.record_type](rule, today):
                seen += 1
                if progress and seen % 100 == 0:
                    progress(
                        ngettext("%(n)s record examined…", "%(n)s records examined…", seen)
                        % {"n": seen}
                    )
                with transaction.atomic():
                    due = _recheck(due)
                    if due is None:
                        continue
                    reasons = holds_on(person=due.person, case=due.case)
                    if reasons:
                        counts[f"{rule.record_type}:held"] += 1
                        held.update(reasons)
                        continue
                    counts[f"{rule.record_type}:{rule.action}"] += 1
                    if not dry_run:
                        _apply(due, rule, run, actor)
    except KeyboardInterrupt:
        run.interrupted = True
    run.counts = {"records": dict(counts), "held": dict(held), "examined": seen}
    run.finished_at = timezone.now()
    run.save()
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=run,
            summary=node_text(
                lambda: _("retention run (dry run)") if dry_run else _("retention run")
            ),
            detail=run.counts | {"interrupted": run.interrupted},
            username="retention",
        )
    return run
