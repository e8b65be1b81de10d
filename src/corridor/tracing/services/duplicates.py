"""Writes about people registered twice: possible duplicates found by the matching engine,
reviewers' decisions on them, and merges that can be undone exactly.

Every name a merge moves is re-indexed (``people.services.person_reindex``), so that person
search finds the survivor under the names it took over, and each person again under their own
after an unmerge.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.cases.models import Case
from corridor.intel.models import Decision
from corridor.intel.services import judgement_record
from corridor.people.models import Person, PersonName, Relationship
from corridor.people.selectors import visible_persons
from corridor.people.services import person_reindex
from corridor.tracing import ranking
from corridor.tracing.models import DuplicateCandidate, PersonMerge, TracingRequest
from corridor.tracing.selectors import (
    MERGE_ROLES,
    RANKED_POOL,
    active_model,
    blocked_people,
)
from corridor.tracing.services.requests import _require_tracer

DUPLICATE_THRESHOLD = 0.5
"""Pairs at or above this probability are stored for review: "more likely one person than not"."""


def _pool_for(person: Person):
    """The people who may be ``person`` registered again: the candidate rules of a tracing
    request's ranking, in the database (``selectors.blocked_people``: the person index and a
    birth interval, the best supported ``RANKED_POOL``), so no block is dropped for its size
    and none is loaded whole."""
    others = Person.objects.filter(merged_into__isnull=True).exclude(pk=person.pk)
    return blocked_people(
        ranking.person_record(person), side="right", people=others, limit=RANKED_POOL
    )


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

    Registered as a person-created hook (``TracingConfig.ready``), so it runs once each new
    person is committed. It is the node's own housekeeping, not a user's read: it shows nothing, and the
    review page applies the reviewer's scope.
    """
    pool = list(_pool_for(person))
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
            summary=node_text(gettext_noop("possible duplicates found")),
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
        summary=node_text(gettext_noop("duplicate search")),
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
            TracingRequest.objects.filter(matched_person=duplicate).values_list("pk", flat=True)
        ),
    }
    Case.objects.filter(pk__in=moved["cases"]).update(person=survivor)
    Relationship.objects.filter(pk__in=moved["relationships"]).update(person=survivor)
    Relationship.objects.filter(pk__in=moved["relatives_of"]).update(relative=survivor)
    PersonName.objects.filter(pk__in=moved["other_names"]).update(person=survivor)
    TracingRequest.objects.filter(pk__in=moved["tracing_requests"]).update(matched_person=survivor)
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
    person_reindex(person=survivor)
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
        summary=node_text(gettext_noop("merged into person %(pk)s"), pk=survivor.pk),
        detail={"merge": merge.pk, "survivor": survivor.pk, "moved": moved},
    )
    return merge


@transaction.atomic
def person_unmerge(*, actor, merge: PersonMerge, comment: str = "") -> PersonMerge:
    """Undo a merge exactly: move back what the merge moved, drop the alias it added, and record
    that the two are not the same person (a new judgement supersedes the merge's)."""
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
    TracingRequest.objects.filter(
        pk__in=moved.get("tracing_requests", []), matched_person=survivor
    ).update(matched_person=duplicate)
    PersonName.objects.filter(pk__in=moved.get("added_names", []), person=survivor).delete()
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    for person in (survivor, duplicate):
        person_reindex(person=person)
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
        summary=node_text(gettext_noop("unmerged from person %(pk)s"), pk=survivor.pk),
        detail={"merge": merge.pk, "survivor": survivor.pk},
    )
    return merge
