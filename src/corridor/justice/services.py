"""Writes of the justice chain. ``event_record`` is the single mover of an accused: it checks the
transition table (``models.EVENT_FLOW``), the actor's role, the date order and the charges before
anything changes; every service audits inside its own transaction, so a refusal leaves nothing.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role, Scope
from corridor.audit.models import Action
from corridor.audit.services import audit_record, choice_label, node_about, node_move
from corridor.core import said
from corridor.core.vocab import vocabulary
from corridor.justice.models import (
    EVENT_FLOW,
    MEASURE_FLOW,
    Accused,
    Charge,
    CriminalCase,
    EventKind,
    Outcome,
    ProceedingEvent,
    Stage,
    SupportMeasure,
    VictimLink,
)
from corridor.justice.selectors import (
    JUSTICE_ROLES,
    can_record,
    jurisdiction_of,
    jurisdictions_of_country,
    visible_criminal_cases,
)

HEARING_REMINDER_DAYS = 7
"""A victim's caseworker is asked to prepare the victim this many days before a hearing."""


def name_key(name: str) -> str:
    """Accents, case and word order folded: "SEWA Kodjo" and "Kodjo Séwa" are one name."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).casefold()
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    return " ".join(sorted(words))


def _require_case(actor, criminal_case: CriminalCase) -> CriminalCase:
    """The case locked for the write, when the actor may see it; a refusal otherwise."""
    if not visible_criminal_cases(actor).filter(pk=criminal_case.pk).exists():
        raise PermissionDenied(_("You cannot change this criminal case."))
    return CriminalCase.objects.select_for_update().get(pk=criminal_case.pk)


def _check_offence(offence: str, field: str = "offence") -> None:
    if offence not in vocabulary("justice.offence"):
        raise ValidationError({field: _("Unknown offence: %(value)s") % {"value": offence}})


def _check_exploitation(code: str) -> None:
    if code and code not in vocabulary("cases.exploitation"):
        raise ValidationError(
            {"exploitation": _("Unknown form of exploitation: %(value)s") % {"value": code}}
        )


def _not_future(day: date, field: str = "date") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


@transaction.atomic
def criminal_case_open(
    *,
    actor,
    title: str,
    jurisdiction: str,
    opened_on: date | None = None,
    summary: str = "",
    evidence: str = "",
) -> CriminalCase:
    """Open a criminal case at a court of the actor's reach: their own jurisdiction, or any of
    their country's with a national scope."""
    if not actor.has_role(*JUSTICE_ROLES):
        raise PermissionDenied(
            _("Only judicial police officers and prosecutors open criminal cases.")
        )
    if jurisdiction not in vocabulary("justice.jurisdiction"):
        raise ValidationError({"jurisdiction": _("Unknown jurisdiction.")})
    if actor.scope == Scope.NATIONAL:
        reach = jurisdictions_of_country(actor.country)
    else:
        reach = [jurisdiction_of(actor.agency)]
    if jurisdiction not in reach:
        raise ValidationError(
            {"jurisdiction": _("This jurisdiction is not yours: you cannot open a case there.")}
        )
    if not title.strip():
        raise ValidationError({"title": _("Give the case a title.")})
    opened_on = opened_on or timezone.localdate()
    _not_future(opened_on, "opened_on")
    case = CriminalCase(
        title=title.strip(),
        jurisdiction=jurisdiction,
        agency=actor.agency,
        opened_by=actor,
        opened_on=opened_on,
        summary=summary,
        evidence=evidence,
    )
    case.full_clean(exclude=["ref"])
    case.save()
    case.ref = f"PJ-{actor.country}-{opened_on.year}-{case.pk:05d}"
    case.save(update_fields=["ref"])
    audit_record(actor=actor, action=Action.CREATE, target=case, summary=case.ref)
    return case


@transaction.atomic
def criminal_case_update(
    *, actor, criminal_case: CriminalCase, summary: str, evidence: str
) -> CriminalCase:
    case = _require_case(actor, criminal_case)
    case.summary = summary
    case.evidence = evidence
    case.save(update_fields=["summary", "evidence", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=case, summary=case.ref)
    return case


@transaction.atomic
def accused_add(
    *,
    actor,
    criminal_case: CriminalCase,
    name: str,
    complaint_on: date,
    offences: list[str],
    exploitation: str = "",
    sex: str = Accused.Sex.UNKNOWN,
    is_child: bool = False,
    citizenship: str = "",
    intel_entity=None,
) -> Accused:
    """Add a suspect with their charges and the complaint or report that starts their chain.
    The same person (by name, or by intelligence person) is never linked to a case twice."""
    case = _require_case(actor, criminal_case)
    if not can_record(actor, EventKind.COMPLAINT):
        raise PermissionDenied(_("You cannot record this step."))
    key = name_key(name)
    if not key:
        raise ValidationError({"name": _("Give the suspect's name.")})
    if not offences:
        raise ValidationError({"offences": _("Name at least one offence.")})
    for offence in offences:
        _check_offence(offence, "offences")
    _check_exploitation(exploitation)
    _not_future(complaint_on, "complaint_on")
    if intel_entity is not None:
        from corridor.intel.models import EntityKind

        if intel_entity.kind != EntityKind.PERSON:
            raise ValidationError({"intel_entity": _("Only a person can be an accused.")})
        if case.accused.filter(intel_entity=intel_entity).exists():
            raise ValidationError(
                {"intel_entity": _("This person is already an accused of this case.")}
            )
    if case.accused.filter(name_key=key).exists():
        raise ValidationError({"name": _("This person is already an accused of this case.")})
    accused = Accused(
        criminal_case=case,
        name=name.strip(),
        name_key=key,
        sex=sex,
        is_child=is_child,
        citizenship=citizenship.upper(),
        intel_entity=intel_entity,
        stage=Stage.REPORTED,
    )
    accused.full_clean(validate_constraints=False)
    accused.save()
    for offence in dict.fromkeys(offences):
        Charge.objects.create(
            accused=accused,
            offence=offence,
            exploitation=exploitation if _category(offence) == "trafficking" else "",
        )
    ProceedingEvent.objects.create(
        accused=accused,
        kind=EventKind.COMPLAINT,
        date=complaint_on,
        stage_after=Stage.REPORTED,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=accused,
        summary=node_about(case.ref, gettext_noop("accused person added")),
        detail={"offences": list(offences), "entity": getattr(intel_entity, "pk", None)},
    )
    return accused


def _category(offence: str) -> str:
    for term in vocabulary("justice.offence").terms:
        if term.code == offence:
            return term.extra.get("category", "related")
    return "related"


@transaction.atomic
def charge_add(*, actor, accused: Accused, offence: str, exploitation: str = "") -> Charge:
    """A further charge, before the trial starts (the court judges what it was seized of)."""
    _require_case(actor, accused.criminal_case)
    if not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(_("Only a prosecutor adds a charge."))
    accused = Accused.objects.select_for_update().get(pk=accused.pk)
    _check_offence(offence)
    _check_exploitation(exploitation)
    if accused.stage not in (
        Stage.REPORTED,
        Stage.ARRESTED,
        Stage.CUSTODY,
        Stage.REFERRED,
        Stage.INVESTIGATION,
        Stage.INDICTED,
    ):
        raise ValidationError(_("Charges cannot be added once the trial has started."))
    if accused.charges.filter(offence=offence).exists():
        raise ValidationError({"offence": _("This charge is already held against the accused.")})
    charge = Charge.objects.create(accused=accused, offence=offence, exploitation=exploitation)
    audit_record(actor=actor, action=Action.CREATE, target=charge, summary=offence)
    return charge


def allowed_events(accused: Accused) -> list[str]:
    return list(EVENT_FLOW.get(accused.stage, {}))


def _judged_since_appeal(accused: Accused) -> set[int]:
    """Charges judged in the current instance: since the last appeal, or ever when none."""
    events = accused.events.all()
    last_appeal = events.filter(kind=EventKind.APPEAL).order_by("-date", "-id").first()
    judgments = events.filter(kind=EventKind.JUDGMENT)
    if last_appeal is not None:
        judgments = judgments.filter(id__gt=last_appeal.id)
    return set(judgments.values_list("charge_id", flat=True))


def _check_date_order(accused: Accused, kind: str, day: date) -> None:
    """No step may be dated before a step already on the chain (a hearing set for a later day
    is a plan, not a step yet, and frozen assets can come at any time)."""
    today = timezone.localdate()
    if kind != EventKind.HEARING:
        _not_future(day)
    later = (
        accused.events.filter(date__gt=day)
        .exclude(kind=EventKind.HEARING, date__gt=today)
        .exclude(kind=EventKind.ASSETS_FROZEN)
        .order_by("date", "id")
        .first()
    )
    if later is not None and kind != EventKind.ASSETS_FROZEN:
        raise ValidationError(
            {
                "date": _(
                    "This step (%(kind)s) cannot be dated before the %(previous)s of %(date)s."
                )
                % {
                    "kind": EventKind(kind).label.lower(),
                    "previous": EventKind(later.kind).label.lower(),
                    "date": later.date.isoformat(),
                }
            }
        )


@transaction.atomic
def event_record(
    *,
    actor,
    accused: Accused,
    kind: str,
    date: date,
    charge: Charge | None = None,
    outcome: str = "",
    sentence_months: int | None = None,
    fine: int | None = None,
    amount: int | None = None,
    court: str = "",
    note: str = "",
) -> ProceedingEvent:
    """Record one step of an accused's chain: the table must allow it from the current stage,
    the actor's role must cover it, its date must not precede the steps already recorded, a
    judgment names a charge and its outcome, a sentence or a confiscation needs a conviction."""
    _require_case(actor, accused.criminal_case)
    accused = Accused.objects.select_for_update().get(pk=accused.pk)
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Unknown step.")})
    if not can_record(actor, kind):
        raise PermissionDenied(_("You cannot record this step."))
    flow = EVENT_FLOW.get(accused.stage, {})
    if kind not in flow:
        raise ValidationError(
            {
                "kind": _("“%(kind)s” cannot follow the stage “%(stage)s”.")
                % {"kind": EventKind(kind).label, "stage": Stage(accused.stage).label}
            }
        )
    _check_date_order(accused, kind, date)
    convicted = accused.charges.filter(outcome=Outcome.CONVICTED).exists()
    to = flow[kind] or accused.stage
    if kind == EventKind.JUDGMENT:
        if charge is None or charge.accused_id != accused.pk:
            raise ValidationError({"charge": _("Name the charge this judgment decides.")})
        if outcome not in (Outcome.CONVICTED, Outcome.ACQUITTED, Outcome.DISMISSED):
            raise ValidationError({"outcome": _("Give the judgment's outcome.")})
        judged = _judged_since_appeal(accused)
        if charge.pk in judged:
            raise ValidationError({"charge": _("This charge is already judged at this instance.")})
        charge.outcome = outcome
        charge.decided_on = date
        charge.save(update_fields=["outcome", "decided_on"])
        remaining = set(accused.charges.values_list("id", flat=True)) - judged - {charge.pk}
        if remaining:
            to = accused.stage
    elif charge is not None or outcome:
        raise ValidationError({"charge": _("Only a judgment names a charge and an outcome.")})
    if kind == EventKind.SENTENCE:
        if not convicted:
            raise ValidationError(
                {"kind": _("A sentence needs a conviction on at least one charge.")}
            )
        if not (sentence_months or fine):
            raise ValidationError({"sentence_months": _("Give the prison term or the fine.")})
    elif sentence_months or fine:
        raise ValidationError({"sentence_months": _("Only a sentence has a term or a fine.")})
    if kind == EventKind.ASSETS_CONFISCATED and not convicted:
        raise ValidationError({"kind": _("Assets are confiscated only after a conviction.")})
    if kind == EventKind.DISMISSAL:
        accused.charges.filter(outcome=Outcome.PENDING).update(
            outcome=Outcome.DISMISSED, decided_on=date
        )
    event = ProceedingEvent(
        accused=accused,
        kind=kind,
        date=date,
        charge=charge,
        outcome=outcome,
        sentence_months=sentence_months,
        fine=fine,
        amount=amount,
        court=court,
        note=note,
        stage_after=to,
        recorded_by=actor,
    )
    event.full_clean()
    event.save()
    before = accused.stage
    if to != before:
        accused.stage = to
        accused.save(update_fields=["stage"])
    if kind == EventKind.HEARING and date >= timezone.localdate():
        _remind_caseworkers(actor, accused.criminal_case, date)
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=accused,
        summary=node_about(
            accused.criminal_case.ref,
            gettext_noop("%(event)s: %(from)s → %(to)s"),
            event=choice_label(EventKind, kind),
            **{"from": choice_label(Stage, before), "to": choice_label(Stage, to)},
        ),
        detail={"date": date.isoformat(), "outcome": outcome},
    )
    return event


def _remind_caseworkers(actor, criminal_case: CriminalCase, hearing_on: date) -> None:
    """A task on each victim's protection case, for whoever runs it: prepare and accompany the
    victim to the hearing. It names the date and the court, nothing of the file."""
    from corridor.cases.models import Task

    due = max(timezone.localdate(), hearing_on - timedelta(days=HEARING_REMINDER_DAYS))
    date, court = hearing_on.isoformat(), criminal_case.get_jurisdiction_display
    title = said.say(said.HEARING_TASK, date=date, court=court())
    # the same reminder, set by someone who works in the other language, is not doubled
    titles = said.said_in_every_language(said.HEARING_TASK, date=date, court=court)
    for link in criminal_case.victims.select_related("case"):
        case = link.case
        if case.tasks.filter(title__in=titles, done_on__isnull=True).exists():
            continue
        task = Task.objects.create(
            case=case, title=title, due_on=due, assigned_to=case.assigned_to or case.owner
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=task,
            summary=node_about(case.ref, gettext_noop("hearing reminder")),
        )


@transaction.atomic
def victim_link(
    *, actor, criminal_case: CriminalCase, case_ref: str, legal_ground: str = ""
) -> VictimLink:
    """Link a victim by their protection case's reference: only with the case's consent for
    "proceedings" or a legal ground recorded here. The prosecutor learns nothing else."""
    from corridor.cases.models import Case
    from corridor.cases.services import has_consent

    criminal = _require_case(actor, criminal_case)
    case = Case.objects.filter(ref=case_ref.strip()).first()
    if case is None:
        raise ValidationError({"case_ref": _("No protection case has this reference.")})
    if legal_ground and legal_ground not in vocabulary("cases.legal_ground"):
        raise ValidationError({"legal_ground": _("Unknown legal ground.")})
    if not legal_ground and not has_consent(case, "proceedings"):
        raise ValidationError(
            {
                "case_ref": _(
                    "The victim has not consented to take part in proceedings: record a legal "
                    "ground to link them."
                )
            }
        )
    if criminal.victims.filter(case=case).exists():
        raise ValidationError({"case_ref": _("This victim is already linked to the case.")})
    try:
        with transaction.atomic():
            link = VictimLink.objects.create(
                criminal_case=criminal, case=case, legal_ground=legal_ground, linked_by=actor
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"case_ref": _("This victim is already linked to the case.")}
        ) from exc
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=link,
        summary=f"{criminal.ref} ← {case.ref}",
        detail={"legal_ground": legal_ground or "consent"},
    )
    return link


@transaction.atomic
def victim_naming_ground(*, actor, victim: VictimLink, ground: str) -> VictimLink:
    """The prosecutor records the legal ground on which the court file names the victim."""
    _require_case(actor, victim.criminal_case)
    if not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(_("Only a prosecutor records this ground."))
    if ground and ground not in vocabulary("cases.legal_ground"):
        raise ValidationError({"ground": _("Unknown legal ground.")})
    victim.naming_ground = ground
    victim.save(update_fields=["naming_ground"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=victim,
        summary=victim.criminal_case.ref,
        detail={"naming_ground": ground},
    )
    return victim


@transaction.atomic
def measure_request(
    *,
    actor,
    victim: VictimLink,
    measure: str,
    requested_on: date,
    amount: int | None = None,
    note: str = "",
) -> SupportMeasure:
    """A protection measure, legal aid, accompaniment, compensation or non-punishment asked for
    the victim; decided later by ``measure_decide``."""
    _require_case(actor, victim.criminal_case)
    if measure not in vocabulary("justice.support"):
        raise ValidationError({"measure": _("Unknown measure.")})
    _not_future(requested_on, "requested_on")
    if victim.measures.filter(
        measure=measure, status__in=[SupportMeasure.Status.REQUESTED]
    ).exists():
        raise ValidationError({"measure": _("This measure is already waiting for a decision.")})
    item = SupportMeasure.objects.create(
        victim=victim,
        measure=measure,
        requested_on=requested_on,
        amount=amount,
        note=note,
        recorded_by=actor,
    )
    audit_record(actor=actor, action=Action.CREATE, target=item, summary=measure)
    return item


@transaction.atomic
def measure_decide(
    *, actor, measure: SupportMeasure, status: str, decided_on: date, amount: int | None = None
) -> SupportMeasure:
    """Grant or refuse a measure (for compensation: order it, then record it paid)."""
    _require_case(actor, measure.victim.criminal_case)
    if not actor.has_role(Role.PROSECUTOR):
        raise PermissionDenied(_("Only a prosecutor records the decision."))
    measure = SupportMeasure.objects.select_for_update().get(pk=measure.pk)
    if status not in MEASURE_FLOW.get(measure.status, ()):
        raise ValidationError(
            {
                "status": _("This measure cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": measure.get_status_display(),
                    "to": choice_label(SupportMeasure.Status, status),
                }
            }
        )
    if status == SupportMeasure.Status.PAID and measure.measure != "compensation":
        raise ValidationError({"status": _("Only compensation is paid.")})
    _not_future(decided_on, "decided_on")
    if decided_on < measure.requested_on:
        raise ValidationError({"decided_on": _("The decision cannot precede the request.")})
    before = measure.status
    measure.status = status
    measure.decided_on = decided_on
    if amount is not None:
        measure.amount = amount
    measure.save(update_fields=["status", "decided_on", "amount"])
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=measure,
        summary=node_move(
            measure.get_measure_display,
            choice_label(SupportMeasure.Status, before),
            choice_label(SupportMeasure.Status, status),
        ),
    )
    return measure
