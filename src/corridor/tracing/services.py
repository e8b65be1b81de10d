"""Writes of family tracing: requests, reviewers' decisions, possible duplicates, merges, and
the versions of the node's match model re-fitted on those decisions.

Decisions go to the node's one append-only judgement log (``intel.MatchJudgement``): a new
decision on a pair supersedes the earlier ones and never overwrites them. A confirmed match links
the request to the child's case and starts the family assessment through the case services, so
the case's own rules (consent before family tracing) still decide whether the step may move.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.cases import services as case_services
from corridor.cases.models import CHILD_FLOW, Case, ChildStep
from corridor.cases.selectors import can_manage
from corridor.core.vocab import vocabulary
from corridor.intel.models import Decision
from corridor.intel.services import judgement_record
from corridor.people.models import Person, PersonName, Relationship
from corridor.people.selectors import visible_persons
from corridor.people.services import person_add_relationship, reindex
from corridor.people.validation import country_codes
from corridor.tracing import ranking
from corridor.tracing.models import (
    DuplicateCandidate,
    MatchModel,
    PersonMerge,
    RequestStatus,
    Sex,
    TracingRequest,
)
from corridor.tracing.selectors import (
    ACTIVATE_ROLES,
    MERGE_ROLES,
    MODEL_ROLES,
    TRACING_ROLES,
    active_model,
    candidate_children,
    child_case,
    training_set,
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
DUPLICATE_THRESHOLD = 0.5
"""Pairs at or above this probability are stored for review: "more likely one person than not"."""
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
        summary=f"{request.ref}: {old} → {request.status}",
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
    missing = ""
    if case.child_step == ChildStep.STUDY:
        try:
            case_services.case_transition(
                actor=actor,
                case=case,
                to=ChildStep.TRACING,
                comment=_("Tracing request %(ref)s matches this child.") % {"ref": request.ref},
            )
            moved = True
        except ValidationError as exc:
            missing = " ".join(exc.messages)
    elif case.child_step not in _steps_from(ChildStep.TRACING):
        missing = _("the case is not yet at the study of the child's situation")
    if not moved and case.child_step not in _steps_from(ChildStep.TRACING):
        case_services.task_create(
            actor=actor,
            case=case,
            title=(
                _("Family assessment: tracing request %(ref)s matches this child (%(why)s)")
                % {"ref": request.ref, "why": missing}
            )[:200],
            due_on=timezone.localdate() + timedelta(days=7),
        )
    case_services.note_add(
        actor=actor,
        case=case,
        text=_(
            "Tracing request %(ref)s (filed by %(who)s, %(rel)s) was confirmed as this child by "
            "%(reviewer)s. Family assessment starts."
        )
        % {
            "ref": request.ref,
            "who": request.requester_name,
            "rel": request.get_requester_relationship_display(),
            "reviewer": actor.get_username(),
        },
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
            summary=f"{request.ref}: {RequestStatus.OPEN} → {RequestStatus.MATCHED}",
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
            summary=f"{request.ref}: {RequestStatus.MATCHED} → {RequestStatus.OPEN}",
            detail={"person": person.pk, "decision": decision},
        )
    return judgement


# --- possible duplicates of people -----------------------------------------------------------


def _pool_for(person: Person):
    """People sharing at least one name key with ``person`` (the same keys as person search)."""
    from django.db.models import Q

    from corridor.matching.normalise import name_keys

    keys = set()
    for name in (person.given_names, person.family_name, person.name_on_document):
        keys |= name_keys(name)
    if not keys:
        return Person.objects.none()
    query = Q()
    for key in keys:
        query |= Q(search_keys__contains=f" {key} ")
    return Person.objects.filter(query, merged_into__isnull=True).exclude(pk=person.pk)


def _store_pair(a: Person | int, b: Person | int, *, score: float, levels: dict):
    first, second = sorted((getattr(a, "pk", a), getattr(b, "pk", b)))
    candidate, created = DuplicateCandidate.objects.update_or_create(
        first_id=first,
        second_id=second,
        defaults={"score": round(score, 4), "levels": levels, "found_at": timezone.now()},
    )
    return candidate, created


@transaction.atomic
def duplicates_for(person: Person, *, store: bool = True) -> list[DuplicateCandidate]:
    """Possible duplicates of one person, best first, stored for review.

    The hook to call after ``people.services.person_create`` (and the person page's "check for
    duplicates"). It is the node's own housekeeping, not a user's read: it shows nothing, and the
    review page applies the reviewer's scope.
    """
    pool = list(_pool_for(person)[:2000])
    if not pool:
        return []
    parents = ranking.parent_names([person, *pool])
    ranked = ranking.rank(
        query=ranking.person_record(person, parents=parents.get(person.pk, {})),
        pool=[ranking.person_record(p, parents=parents.get(p.pk, {})) for p in pool],
        query_side="right",
        floor=DUPLICATE_THRESHOLD,
        top_k=20,
    )
    out, created = [], 0
    for r in ranked:
        if not store:
            first, second = sorted((person.pk, int(r.record_id)))
            out.append(
                DuplicateCandidate(
                    first_id=first, second_id=second, score=r.probability, levels=r.levels
                )
            )
            continue
        candidate, new = _store_pair(person, int(r.record_id), score=r.probability, levels=r.levels)
        created += new
        out.append(candidate)
    if created:
        audit_record(
            actor=None,
            action=Action.CREATE,
            target=person,
            summary=_("possible duplicates found"),
            detail={"new": created},
            username="find_duplicates",
        )
    return out


@transaction.atomic
def duplicates_find(*, actor=None, threshold: float = DUPLICATE_THRESHOLD) -> dict[str, int]:
    """The periodic job: score every pair of registered people that share a block and store the
    pairs at or above ``threshold``. Re-running refreshes scores and adds nothing twice."""
    from corridor.matching.engine import candidates
    from corridor.matching.features import compare, name_statistics, prepare

    people = list(Person.objects.filter(merged_into__isnull=True).order_by("pk"))
    parents = ranking.parent_names(people)
    prepared = [
        prepare(record=ranking.person_record(p, parents=parents.get(p.pk, {})), side="right")
        for p in people
    ]
    frequencies = name_statistics(left=prepared, right=prepared)
    model = active_model()
    scored = created = 0
    for j, found in candidates(left=prepared, right=prepared):
        for i in found:
            if i >= j:
                continue
            levels = compare(prepared[i], prepared[j], frequencies=frequencies)
            p = model.probability(levels)
            scored += 1
            if p >= threshold:
                _candidate, new = _store_pair(people[i], people[j], score=p, levels=levels)
                created += new
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="tracing.duplicatecandidate",
        summary=_("duplicate search"),
        detail={"people": len(people), "pairs_scored": scored, "new": created},
        username="find_duplicates",
    )
    return {"people": len(people), "pairs_scored": scored, "new_candidates": created}


@transaction.atomic
def duplicate_decide(*, actor, candidate: DuplicateCandidate, decision: str, comment: str = ""):
    """A reviewer's decision on a possible duplicate pair, to the judgement log."""
    _require_tracer(actor)
    people = visible_persons(actor)
    if people.filter(pk__in=(candidate.first_id, candidate.second_id)).count() != 2:
        raise PermissionDenied(_("You cannot see both people."))
    return judgement_record(
        actor=actor,
        left=candidate.first,
        right=candidate.second,
        decision=decision,
        comment=comment,
    )


def _require_merger(actor) -> None:
    if actor is None or not actor.has_role(*MERGE_ROLES):
        raise PermissionDenied(_("Only a supervisor or a national coordinator can merge people."))


@transaction.atomic
def person_merge(*, actor, survivor: Person, duplicate: Person, comment: str = "") -> PersonMerge:
    """Merge ``duplicate`` into ``survivor``: its cases, relationships, other names and matched
    tracing requests move to the survivor, it points to the survivor, and the merge records
    exactly what moved so that ``person_unmerge`` can put it back."""
    from corridor.tracing.models import TracingRequest as Request

    _require_merger(actor)
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged into themselves."))
    visible = visible_persons(actor).select_for_update(of=("self",))
    locked = {p.pk: p for p in visible.filter(pk__in=(survivor.pk, duplicate.pk))}
    if len(locked) != 2:
        raise PermissionDenied(_("You cannot see both people (or one is already merged)."))
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    moved = {
        "cases": list(Case.objects.filter(person=duplicate).values_list("pk", flat=True)),
        "relationships": list(
            Relationship.objects.filter(person=duplicate)
            .exclude(relative=survivor)
            .values_list("pk", flat=True)
        ),
        "relatives_of": list(
            Relationship.objects.filter(relative=duplicate)
            .exclude(person=survivor)
            .values_list("pk", flat=True)
        ),
        "other_names": list(
            PersonName.objects.filter(person=duplicate).values_list("pk", flat=True)
        ),
        "tracing_requests": list(
            Request.objects.filter(matched_person=duplicate).values_list("pk", flat=True)
        ),
    }
    Case.objects.filter(pk__in=moved["cases"]).update(person=survivor)
    Relationship.objects.filter(pk__in=moved["relationships"]).update(person=survivor)
    Relationship.objects.filter(pk__in=moved["relatives_of"]).update(relative=survivor)
    PersonName.objects.filter(pk__in=moved["other_names"]).update(person=survivor)
    Request.objects.filter(pk__in=moved["tracing_requests"]).update(matched_person=survivor)
    added = []
    if duplicate.display_name != survivor.display_name:
        alias = PersonName.objects.create(
            person=survivor,
            kind=PersonName.Kind.ALIAS,
            name=f"{duplicate.given_names} {duplicate.family_name}".strip(),
        )
        added.append(alias.pk)
    moved["added_names"] = added
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    reindex(survivor)
    survivor.save(update_fields=["search_keys"])
    merge = PersonMerge(
        survivor=survivor, duplicate=duplicate, moved=moved, merged_by=actor, comment=comment
    )
    merge.full_clean()
    merge.save()
    judgement_record(
        actor=actor, left=survivor, right=duplicate, decision=Decision.POSITIVE, comment=comment
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=duplicate,
        summary=_("merged into person %(pk)s") % {"pk": survivor.pk},
        detail={"merge": merge.pk, "survivor": survivor.pk, "moved": moved},
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor, merge: PersonMerge, comment: str = "") -> PersonMerge:
    """Undo a merge exactly: move back what the merge moved, drop the alias it added, and record
    that the two are not the same person (a new judgement supersedes the merge's)."""
    from corridor.tracing.models import TracingRequest as Request

    _require_merger(actor)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    if not visible_persons(actor).filter(pk=merge.survivor_id).exists():
        raise PermissionDenied(_("You cannot see this person."))
    survivor, duplicate = merge.survivor, merge.duplicate
    moved = merge.moved
    Case.objects.filter(pk__in=moved.get("cases", []), person=survivor).update(person=duplicate)
    Relationship.objects.filter(pk__in=moved.get("relationships", []), person=survivor).update(
        person=duplicate
    )
    Relationship.objects.filter(pk__in=moved.get("relatives_of", []), relative=survivor).update(
        relative=duplicate
    )
    PersonName.objects.filter(pk__in=moved.get("other_names", []), person=survivor).update(
        person=duplicate
    )
    Request.objects.filter(
        pk__in=moved.get("tracing_requests", []), matched_person=survivor
    ).update(matched_person=duplicate)
    PersonName.objects.filter(pk__in=moved.get("added_names", []), person=survivor).delete()
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    for person in (survivor, duplicate):
        reindex(person)
        person.save(update_fields=["search_keys"])
    merge.undone_by = actor
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    judgement_record(
        actor=actor, left=survivor, right=duplicate, decision=Decision.NEGATIVE, comment=comment
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=duplicate,
        summary=_("unmerged from person %(pk)s") % {"pk": survivor.pk},
        detail={"merge": merge.pk, "survivor": survivor.pk},
    )
    return merge


# --- the node's match model ----------------------------------------------------------------

MIN_DECISIONS = 10
"""Retraining needs at least this many "match" and this many "no match" decisions in force.

With five folds each re-fit still learns from eight of each kind and each fold is judged on two
of each; below that one pair moves accuracy by more than five points, so the evaluation could not
tell a better model from a lucky split, and one reviewer's slip (a reviewed pair weighs five
unreviewed ones in ``train``) would move the weights on its own."""


def _require_retrainer(actor) -> None:
    """``actor`` None is the node's own command-line job (``corridor tracing_retrain``)."""
    if actor is not None and not actor.has_role(*MODEL_ROLES):
        raise PermissionDenied(
            _("Only a supervisor or a national coordinator can retrain the match model.")
        )


def _require_activator(actor) -> None:
    if actor is None or not actor.has_role(*ACTIVATE_ROLES):
        raise PermissionDenied(_("Only a national coordinator can put a match model in force."))


@transaction.atomic
def match_model_retrain(*, actor) -> MatchModel:
    """Re-fit the match model on the reviewers' decisions in force and store it as a new version,
    with its cross-validated numbers next to those of the model in force on the same pairs.

    The version is not put in force: people decide, looking at the numbers
    (``match_model_activate``). Refused, changing nothing, below ``MIN_DECISIONS`` matches or
    non-matches.
    """
    _require_retrainer(actor)
    left, right, decisions = training_set()
    matches = sum(d == "match" for d in decisions.values())
    non_matches = len(decisions) - matches
    if matches < MIN_DECISIONS or non_matches < MIN_DECISIONS:
        raise ValidationError(
            _(
                "Retraining needs at least %(n)s “match” and %(n)s “no match” decisions; "
                "reviewers have recorded %(matches)s and %(non_matches)s so far."
            )
            % {"n": MIN_DECISIONS, "matches": matches, "non_matches": non_matches},
            code="too_few_decisions",
        )
    in_force = MatchModel.objects.filter(is_active=True).first()
    evaluation = ranking.evaluate(
        left=left, right=right, decisions=decisions, baseline=active_model()
    )
    model = ranking.refit(left=left, right=right, decisions=decisions)
    new, old = evaluation["new"], evaluation["baseline"]
    version = MatchModel(
        parameters=json.loads(model.to_json()),
        created_by=actor,
        matches=matches,
        non_matches=non_matches,
        folds=evaluation["folds"],
        accuracy=new["accuracy"],
        f1=new["f1"],
        log_loss=new["log_loss"],
        baseline=in_force,
        baseline_accuracy=old["accuracy"],
        baseline_f1=old["f1"],
        baseline_log_loss=old["log_loss"],
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=version,
        summary=_("match model retrained"),
        detail={
            "matches": matches,
            "non_matches": non_matches,
            "folds": evaluation["folds"],
            "new": new,
            "in_force": {"version": in_force.pk if in_force else None, **old},
        },
        username="tracing_retrain",
    )
    return version


@transaction.atomic
def match_model_activate(*, actor, version: MatchModel | None) -> MatchModel | None:
    """Put ``version`` in force for the whole node (``None``: go back to the shipped model).

    The version in force is the one ranking and duplicate detection use from the next request
    on; scores stored for possible duplicates are refreshed by the next ``find_duplicates``.
    """
    _require_activator(actor)
    previous = MatchModel.objects.select_for_update().filter(is_active=True).first()
    if version is not None:
        version = MatchModel.objects.select_for_update().get(pk=version.pk)
    if previous == version:
        raise ValidationError(_("This model is already in force."), code="in_force")
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    if version is not None:
        version.is_active = True
        version.activated_at = timezone.now()
        version.activated_by = actor
        version.save(update_fields=["is_active", "activated_at", "activated_by"])
    audit_record(
        actor=actor,
        action=Action.TRANSITION,
        object_type=MatchModel._meta.label_lower,
        object_id=str(version.pk) if version else "",
        summary=(
            _("match model version %(n)s put in force") % {"n": version.pk}
            if version
            else _("shipped match model put back in force")
        ),
        detail={"from": previous.pk if previous else None, "to": version.pk if version else None},
    )
    return version
