"""Writes of family tracing requests and of the reviewers' decisions on them.

Decisions go to the node's one append-only judgement log (``intel.MatchJudgement``): a new
decision on a pair supersedes the earlier ones and never overwrites them. A confirmed match links
the request to the child's case and starts the family assessment through the case services, so
the case's own rules (consent before family tracing) still decide whether the step may move.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record, choice_label, node_move
from corridor.cases import services as case_services
from corridor.cases.models import CHILD_FLOW, Case, ChildStep
from corridor.cases.selectors import can_manage
from corridor.core import said
from corridor.core.vocab import vocabulary
from corridor.intel.models import Decision
from corridor.intel.services import judgement_record
from corridor.people.models import Person, Relationship
from corridor.people.services import person_add_relationship
from corridor.people.validation import country_codes
from corridor.tracing.models import RequestStatus, Sex, TracingRequest
from corridor.tracing.selectors import (
    TRACING_ROLES,
    candidate_children,
    child_case,
    visible_tracing_requests,
)

REQUEST_FIELDS = (
    "report_date",
    "requester_kind",
    "requester_name",
    "requester_relationship",
    "contact",
    "consent_given",
    "consent_on",
    "given_names",
    "family_name",
    "sex",
    "birth_date",
    "birth_year",
    "age_years",
    "place_of_origin",
    "origin_prefecture",
    "nationality",
    "mother_name",
    "father_name",
    "last_seen_place",
    "last_seen_on",
    "circumstances",
)
MAX_CHILD_AGE = 25
"""A request names a child; an age above this is a typing error (an adult sought is a different
procedure)."""


def _require_tracer(actor) -> None:
    if actor is None or not actor.has_role(*TRACING_ROLES):
        raise PermissionDenied(_("Your role cannot work on family tracing."))


def _clean_request(request: TracingRequest) -> None:
    """Every rule a request must meet, reported together so the form shows them all at once."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    for name in ("given_names", "family_name", "requester_name", "mother_name", "father_name"):
        setattr(request, name, (getattr(request, name) or "").strip())
    if not (request.given_names or request.family_name):
        add("given_names", _("Give the child's given name or family name (a nickname will do)."))
    if not request.requester_name:
        add("requester_name", _("Name the person who asks for the child."))
    if request.requester_relationship not in vocabulary("people.relationship"):
        add("requester_relationship", _("Choose the requester's relationship to the child."))
    if not request.consent_given:
        add("consent_given", _("Tracing needs the requester's consent: record it first."))
    if request.consent_given and not request.consent_on:
        request.consent_on = today
    if request.sex not in Sex.values:
        add("sex", _("Sex must be female, male or not known."))
    report = request.report_date or today
    if report > today:
        add("report_date", _("The date of the request cannot be in the future."))
    if request.consent_on and request.consent_on > today:
        add("consent_on", _("The date of consent cannot be in the future."))
    if request.birth_date:
        if request.birth_date > report:
            add("birth_date", _("The birth date cannot be after the date of the request."))
        elif request.birth_date.year < report.year - MAX_CHILD_AGE:
            add(
                "birth_date",
                _("A child sought by tracing is at most %(n)s years old.") % {"n": MAX_CHILD_AGE},
            )
    if request.birth_year is not None and not (
        report.year - MAX_CHILD_AGE <= request.birth_year <= report.year
    ):
        add(
            "birth_year",
            _("The birth year must be between %(low)s and %(high)s.")
            % {"low": report.year - MAX_CHILD_AGE, "high": report.year},
        )
    if request.birth_date and request.birth_year and request.birth_date.year != request.birth_year:
        add("birth_year", _("The birth year does not agree with the birth date."))
    if request.age_years is not None and not 0 <= request.age_years <= MAX_CHILD_AGE:
        add(
            "age_years",
            _("The age must be between 0 and %(n)s years.") % {"n": MAX_CHILD_AGE},
        )
    if request.last_seen_on:
        if request.last_seen_on > today:
            add("last_seen_on", _("The child cannot have been last seen in the future."))
        elif request.birth_date and request.last_seen_on < request.birth_date:
            add("last_seen_on", _("The child cannot have been last seen before birth."))
    try:
        codes = country_codes([request.nationality]) if request.nationality else []
        request.nationality = codes[0] if codes else ""
    except ValidationError as exc:
        errors.setdefault("nationality", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    request.full_clean(exclude=["ref", "filed_by"])


@transaction.atomic
def tracing_request_create(*, actor, agency=None, **fields) -> TracingRequest:
    """File a tracing request for a missing child, with the requester's consent to tracing."""
    _require_tracer(actor)
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown tracing request fields: {sorted(unknown)}")
    request = TracingRequest(agency=agency or actor.agency, filed_by=actor, **fields)
    _clean_request(request)
    request.save()
    request.ref = f"TR-{request.agency.country}-{request.report_date.year}-{request.pk:06d}"
    request.save(update_fields=["ref"])
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=request,
        summary=request.ref,
        detail={"consent": True, "requester_kind": request.requester_kind},
    )
    return request


@transaction.atomic
def tracing_request_close(*, actor, request: TracingRequest, reason: str) -> TracingRequest:
    _require_tracer(actor)
    request = _visible_request(actor, request)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is closed.")})
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(_("This request is already closed."))
    old = request.status
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        target=request,
        summary=node_move(
            request.ref,
            choice_label(RequestStatus, old),
            choice_label(RequestStatus, request.status),
        ),
        detail={"from": old, "to": request.status, "reason": reason.strip()[:200]},
    )
    return request


def _visible_request(actor, request: TracingRequest) -> TracingRequest:
    found = visible_tracing_requests(actor).select_for_update(of=("self",)).filter(pk=request.pk)
    found = found.first()
    if found is None:
        raise PermissionDenied(_("You cannot see this tracing request."))
    return found


def _start_family_assessment(*, actor, request: TracingRequest, person: Person, case: Case):
    """What a confirmed match sets in motion on the child's side.

    The parents named on the request become the child's mother/father relationships when the
    child has none yet; the case moves to family tracing when it is at the step before and the
    case's preconditions hold (consent), otherwise a task tells the caseworker what is missing.
    """
    have = set(
        Relationship.objects.filter(person=person, kind__in=("mother", "father")).values_list(
            "kind", flat=True
        )
    )
    created = []
    for kind, name in (("mother", request.mother_name), ("father", request.father_name)):
        if kind in have or not name.strip():
            continue
        person_add_relationship(
            actor=actor,
            person=person,
            kind=kind,
            relative_name=name,
            contact=request.contact if request.requester_relationship == kind else "",
            whereabouts=request.place_of_origin or request.origin_prefecture,
        )
        created.append(kind)
    moved = False
    missing = _(said.NOT_AT_STUDY)
    if case.child_step == ChildStep.STUDY:
        try:
            case_services.case_transition(
                actor=actor,
                case=case,
                to=ChildStep.TRACING,
                comment=said.say(said.TRACING_MATCH, ref=request.ref),
            )
            moved = True
        except ValidationError as exc:
            missing = (
                " ".join(exc.messages)
                if case_services.has_consent(case, "family_tracing")
                else _(said.NO_TRACING_CONSENT)
            )
    if not moved and case.child_step not in _steps_from(ChildStep.TRACING):
        case_services.task_create(
            actor=actor,
            case=case,
            title=said.say(said.FAMILY_ASSESSMENT_TASK, ref=request.ref, why=missing)[:200],
            due_on=timezone.localdate() + timedelta(days=7),
        )
    case_services.note_add(
        actor=actor,
        case=case,
        text=said.say(
            said.TRACING_CONFIRMED,
            ref=request.ref,
            who=request.requester_name,
            rel=request.get_requester_relationship_display(),
            reviewer=actor.get_username(),
        ),
    )
    return {"relationships": created, "moved": moved}


def _steps_from(step: str) -> set[str]:
    """The step and every step reachable after it in the child flow."""
    seen, todo = set(), [step]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(CHILD_FLOW.get(current, ()))
    return seen


@transaction.atomic
def tracing_decide(
    *, actor, request: TracingRequest, person: Person, decision: str, comment: str = ""
):
    """Record a reviewer's match / no match / unsure on a request and a child.

    A match links the request to the child's case and starts the family assessment; a later
    "no match" or "unsure" on the matched child unlinks it again (what the match created stays,
    with its history).
    """
    _require_tracer(actor)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Unknown decision.")})
    request = _visible_request(actor, request)
    if not candidate_children(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You cannot see this child."))
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(_("This request is closed."))
    case = child_case(actor, person)
    if decision == Decision.POSITIVE:
        if request.matched_person_id and request.matched_person_id != person.pk:
            raise ValidationError(
                _(
                    "This request is already matched to another child: record “no match” there first."
                )
            )
        if case is None or not can_manage(actor, case):
            raise PermissionDenied(
                _("Only someone who manages the child's case can confirm a match.")
            )
    judgement = judgement_record(
        actor=actor, left=request, right=person, decision=decision, comment=comment
    )
    if decision == Decision.POSITIVE and request.matched_person_id != person.pk:
        request.status = RequestStatus.MATCHED
        request.matched_person = person
        request.matched_case = case
        request.save(update_fields=["status", "matched_person", "matched_case", "updated_at"])
        started = _start_family_assessment(actor=actor, request=request, person=person, case=case)
        audit_record(
            actor=actor,
            action=Action.TRANSITION,
            target=request,
            summary=node_move(request.ref, RequestStatus.OPEN.label, RequestStatus.MATCHED.label),
            detail={"case": case.ref, "person": person.pk, **started},
        )
    elif decision != Decision.POSITIVE and request.matched_person_id == person.pk:
        request.status = RequestStatus.OPEN
        request.matched_person = None
        request.matched_case = None
        request.save(update_fields=["status", "matched_person", "matched_case", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.TRANSITION,
            target=request,
            summary=node_move(request.ref, RequestStatus.MATCHED.label, RequestStatus.OPEN.label),
            detail={"person": person.pk, "decision": decision},
        )
    return judgement
