"""Reads of tracing requests, candidate children, possible duplicates and the node's match
model, scoped (fail closed)."""

from __future__ import annotations

import math

from django.db.models import Count, Max, Q, QuerySet

from corridor.accounts.models import Role, Scope
from corridor.cases.models import Case, Status
from corridor.cases.selectors import visible_cases
from corridor.intel.models import Decision, MatchJudgement
from corridor.matching.model import Model, default_model
from corridor.people.keys import KEY_LENGTH, birth_date_keys, mother_index_keys
from corridor.people.models import Person, PersonKey
from corridor.people.selectors import visible_persons
from corridor.tracing.models import (
    DuplicateCandidate,
    MatchModel,
    PersonMerge,
    RequestStatus,
    TracingRequest,
)

TRACING_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR)
MERGE_ROLES = (Role.SUPERVISOR, Role.COORDINATOR)
MODEL_ROLES = (Role.SUPERVISOR, Role.COORDINATOR)
"""Who sees the versions of the node's match model and retrains it (a new version is not in
force until a coordinator says so)."""
ACTIVATE_ROLES = (Role.COORDINATOR,)
"""Who puts a version in force: it changes how every agency of the node sees its candidates, a
national decision."""
ENGINE_LABELS = {Decision.POSITIVE: "match", Decision.NEGATIVE: "no_match"}
"""The judgement log's decisions in the engine's words; "unsure" teaches nothing and is left out."""


def visible_tracing_requests(user) -> QuerySet[TracingRequest]:
    """National scope sees the node's requests, agency scope its agency's, own scope the requests
    the user filed. Roles outside case work and anyone not home staff see none."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*TRACING_ROLES):
        return TracingRequest.objects.none()
    requests = TracingRequest.objects.select_related("agency", "filed_by", "matched_case")
    if user.scope == Scope.NATIONAL:
        return requests
    if user.scope == Scope.AGENCY:
        return requests.filter(agency_id=user.agency_id)
    return requests.filter(filed_by=user)


def candidate_children(user) -> QuerySet[Person]:
    """Children a request may be matched against: people of the child cases the user can see,
    not merged away. The same scope as the cases themselves, so tracing shows no one the user
    could not already open."""
    cases = visible_cases(user).filter(is_child=True).exclude(status=Status.CLOSED)
    # No join, so no duplicate to remove (a DISTINCT over every column cost more than the rest of
    # a request page at 200,000 children).
    return visible_persons(user).filter(pk__in=cases.values("person_id"))


def child_case(user, person: Person) -> Case | None:
    """The child's most recent open child case the user can see."""
    return (
        visible_cases(user)
        .filter(person=person, is_child=True)
        .exclude(status=Status.CLOSED)
        .order_by("-identified_on", "-id")
        .first()
    )


def open_requests_context() -> QuerySet[TracingRequest]:
    """Every open request of the node, for name statistics only (never shown)."""
    return TracingRequest.objects.filter(status=RequestStatus.OPEN)


def visible_duplicates(user) -> QuerySet[DuplicateCandidate]:
    """Candidate pairs whose two people the user can both see, neither merged away."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*TRACING_ROLES):
        return DuplicateCandidate.objects.none()
    people = visible_persons(user)
    return DuplicateCandidate.objects.filter(first__in=people, second__in=people).select_related(
        "first", "second"
    )


def person_duplicate_pairs(user, person: Person, *, limit: int = 20) -> list[DuplicateCandidate]:
    """The possible duplicates of one person, for the person page: pairs the user may see."""
    pairs = visible_duplicates(user).filter(Q(first=person) | Q(second=person))
    return list(pairs[:limit])


def visible_merges(user) -> QuerySet[PersonMerge]:
    if not getattr(user, "is_authenticated", False) or not user.has_role(*TRACING_ROLES):
        return PersonMerge.objects.none()
    people = visible_persons(user)
    return PersonMerge.objects.filter(survivor__in=people).select_related(
        "survivor", "duplicate", "merged_by", "undone_by"
    )


def tracing_counts(user) -> dict:
    requests = visible_tracing_requests(user)
    return {
        "open": requests.filter(status=RequestStatus.OPEN).count(),
        "matched": requests.filter(status=RequestStatus.MATCHED).count(),
        "duplicates": visible_duplicates(user).count(),
    }


def judgements_about(record) -> QuerySet:
    """Every judgement on pairs that involve ``record``, newest first (the full history: a newer
    decision supersedes an older one, both stay)."""
    from corridor.audit.services import describe
    from corridor.intel.models import MatchJudgement

    kind, ident = describe(record)
    return (
        MatchJudgement.objects.filter(
            Q(left_type=kind, left_id=ident) | Q(right_type=kind, right_id=ident)
        )
        .select_related("user")
        .order_by("-at", "-id")
    )


def current_decisions_about(record) -> dict[tuple[str, str], object]:
    """The decision in force per other record (type, id) judged against ``record``."""
    from corridor.audit.services import describe

    me = describe(record)
    current: dict[tuple[str, str], object] = {}
    for j in judgements_about(record).order_by("at", "id"):
        other = (
            (j.right_type, j.right_id)
            if (j.left_type, j.left_id) == me
            else (j.left_type, j.left_id)
        )
        current[other] = j
    return current


BIRTH_WINDOW = 6
"""Years either side of a request's birth years within which a child is a candidate. Beyond a
gap of five years the engine's comparison says "far", its evidence against; the sixth year
absorbs the rounding of dates and estimated ages to whole years."""


NEAR_WINDOW = 1
"""Years either side within which a child sharing only one name with the request (a given name
changed, a family name written another way) is still a candidate."""


RANKED_POOL = 300
"""Candidates a request page (or a new person's duplicate check) scores at most: the best
supported of its block, by the number of the record's name keys they bear, then by the gap
between birth years. A common name with a birth year holds up to about 2,300 children in a
register of 200,000; the true child bears as many keys as any namesake, so the cap drops only
namesakes that agree less (docs/tracing.md)."""


def blocked_children(user, request: TracingRequest, *, children=None) -> QuerySet[Person]:
    """The candidate children who may be the one a request seeks (``blocked_people`` over the
    children the user may see)."""
    children = candidate_children(user) if children is None else children
    return blocked_people(request.as_record(), side="left", people=children, limit=RANKED_POOL)


def blocked_people(
    record: dict, *, side: str, people: QuerySet[Person], limit: int | None = None
) -> QuerySet[Person]:
    """The people who may be the one an engine record describes, blocked in the database with
    the person index (``PersonKey``), as the engine's blocking pairs records: their names share
    a key (a name key, or a typo key for a name written with a typo) with the record's given
    names and another with its family name, and their birth year, when known, lies within
    ``BIRTH_WINDOW`` years of the record's; or they share one name and were born within
    ``NEAR_WINDOW`` years. When the record names a mother, a child whose mother bears a key of
    her name is a candidate too if she shares one of the record's names and was born within the
    window, or was born within ``NEAR_WINDOW`` years (the engine's name-and-mother and
    mother-and-year keys: a nickname, or both names garbled). A child born on the birth date the
    record writes is a candidate whatever her names (the engine's date key). No block is too
    large to be read, and none is read whole: a request page (or a new person's duplicate
    check) reads the namesakes of one person whatever the size of the register.

    The index files each key with the person's birth year, so the rules are one aggregate over
    the rows of the record's keys within the window (an index-only read), not a scan of the
    people; the people ``people`` holds (the caller's scope) are then read among those kept,
    by id, best supported first, until ``limit`` are found. Support: each of the record's names
    borne counts once (written alike or with a typo), then the birth gap, then the number of
    keys, since a namesake spelt exactly like the request bears more typo keys than the child
    written with a typo, not more of the request's names."""
    from corridor.matching.records import birth_range
    from corridor.tracing.ranking import blocking_keys, token_keys

    names, given, family = blocking_keys(record)
    # The mother's names that are not the record's own ("Afi" of "Afi Mensah" for a Mensah
    # child): her family name is most often the child's, and would say it twice.
    mothers = mother_index_keys([record.get("mother_name")], besides=names)
    if not names:
        return people.none()

    def bearing(keys):
        return Count("key", filter=Q(key__in=keys))

    # One name, or the mother, born within NEAR_WINDOW years.
    shares = {"near": bearing(names | mothers)}
    if given and family:
        shares |= {"given": bearing(given), "family": bearing(family)}
        both = Q(given__gt=0, family__gt=0)
    else:
        shares |= {"names": bearing(names)}
        both = Q(names__gt=0)
    if mothers:
        shares |= {"mothers": bearing(mothers), "any_name": bearing(names | given | family)}
        # A name and the mother: the mother's key with any of the record's name or typo keys.
        both |= Q(mothers__gt=0, any_name__gt=0)
    born = birth_range(record=record, side=side)
    # A written birth date: a child born that very day is a candidate whatever her names (the
    # engine's date key; a child renamed, or written from her papers).
    dated = birth_date_keys(born.exact if born else None)
    if dated:
        shares |= {"dated": bearing(dated)}
        both |= Q(dated__gt=0)
    rows = PersonKey.objects.filter(key__in=names | given | family | mothers | dated)
    if born is None:
        low = high = None
        kept = both
    else:
        low, high = math.floor(born.low), math.floor(born.high)
        rows = rows.filter(
            Q(born__isnull=True) | Q(born__gte=low - BIRTH_WINDOW, born__lte=high + BIRTH_WINDOW)
        )
        kept = both | Q(near__gt=0, year__gte=low - NEAR_WINDOW, year__lte=high + NEAR_WINDOW)
    tokens = [keys for side in token_keys(record) for keys in side]
    tokens += [keys for keys in (mothers, dated) if keys]
    counts = {f"t{i}": bearing(keys) for i, keys in enumerate(tokens)}
    found = (
        rows.order_by()
        .values("person_id")
        .annotate(year=Max("born"), n=Count("key"), **shares, **counts)
        .filter(kept)
    )
    support = {
        row["person_id"]: (
            sum(row[f"t{i}"] > 0 for i in range(len(tokens))),
            row["year"],
            row["n"],
        )
        for row in found
    }

    def rank(pk):
        borne, year, keys = support[pk]
        gap = BIRTH_WINDOW + 1 if year is None or low is None else max(low - year, year - high, 0)
        return -borne, gap, -keys, pk

    # The people the caller may see, read by id in the order of support until ``limit`` are
    # found: one short read for a national scope, a few more for a narrow one.
    ranked = sorted(support, key=rank)
    wanted = len(ranked) if limit is None else limit
    visible: list[int] = []
    start, step = 0, min(max(wanted, 1), _READ_BY_ID)
    while start < len(ranked) and len(visible) < wanted:
        chunk = ranked[start : start + step]
        allowed = set(people.filter(pk__in=chunk).values_list("pk", flat=True))
        visible += [pk for pk in chunk if pk in allowed]
        start, step = start + len(chunk), min(2 * step, _READ_BY_ID)
    return people.filter(pk__in=visible[:wanted])


_READ_BY_ID = 5000
"""Ids asked for in one query (SQLite bounds the parameters of a statement)."""


def duplicate_decisions(pairs) -> dict[int, MatchJudgement]:
    """The decision in force on each pair of possible duplicates (by pair id), in one query: the
    latest judgement on the two people supersedes the earlier ones."""
    pairs = list(pairs)
    if not pairs:
        return {}
    person = Person._meta.label_lower
    ids = {str(p.first_id) for p in pairs} | {str(p.second_id) for p in pairs}
    judgements = MatchJudgement.objects.filter(
        left_type=person, right_type=person, left_id__in=ids, right_id__in=ids
    ).select_related("user")
    latest: dict[tuple[int, ...], MatchJudgement] = {}
    for judgement in judgements.order_by("at", "id"):
        latest[tuple(sorted((int(judgement.left_id), int(judgement.right_id))))] = judgement
    return {
        p.pk: found
        for p in pairs
        if (found := latest.get(tuple(sorted((p.first_id, p.second_id))))) is not None
    }


def register_name_counts(keys, *, left: int = 0) -> tuple[int, dict[str, int]]:
    """The node's register of people as the population of names: its size, and for each of
    ``keys`` how many people bear it (index-only reads of the person index, a few milliseconds
    at 200,000 people). Below ``ranking.SMALL_REGISTER`` records in all (with ``left`` records
    on the other side) no count is read: the engine's reference register stands in. Statistics
    only: they show no one."""
    from corridor.tracing.ranking import SMALL_REGISTER

    size = Person.objects.filter(merged_into__isnull=True).count()
    if left + size < SMALL_REGISTER:
        return size, {}
    wanted = {key: key[:KEY_LENGTH] for key in keys}
    rows = (
        PersonKey.objects.filter(key__in=set(wanted.values()))
        .values("key")
        .annotate(n=Count("person_id"))
    )
    found = {row["key"]: row["n"] for row in rows}
    return size, {key: found.get(cut, 0) for key, cut in wanted.items()}


def register_frequencies(left: list):
    """Name frequencies for ranking ``left[0]`` (the query) against children kept in the
    database: the left records themselves, and the register's counts of the query's names."""
    from corridor.tracing import ranking

    size, counts = register_name_counts(ranking.query_name_keys(left[0]), left=len(left))
    return ranking.statistics_from_counts(left=left, right_size=size, right_counts=counts)


def ranked_candidates(user, request: TracingRequest, *, top_k: int = 10) -> list[dict]:
    """The children the user may see, ranked for one request, each with the probability, the
    per-field explanation, the child's case and the decision in force on the pair.

    The children are blocked in the database (``blocked_children``, the best supported
    ``RANKED_POOL`` of them); name frequencies count the node's whole register of people
    (``register_name_counts``), so a name is as common for every user whatever their scope."""
    from corridor.matching.features import prepare
    from corridor.tracing import ranking

    children = candidate_children(user)
    pool = list(blocked_children(user, request, children=children))
    if not pool:
        return []
    parents = ranking.parent_names(pool)
    query = request.as_record()
    context = [r.as_record() for r in open_requests_context().exclude(pk=request.pk)[:5000]]
    left = [prepare(record=query, side="left")]
    left += [prepare(record=r, side="left") for r in context]
    ranked = ranking.rank(
        query=query,
        pool=[ranking.person_record(p, parents=parents.get(p.pk, {})) for p in pool],
        top_k=top_k,
        frequencies=register_frequencies(left),
        rivals=left[1:],
        requests=len(left),
    )
    by_pk = {p.pk: p for p in pool}
    wanted_ids = [int(r.record_id) for r in ranked]
    cases: dict[int, Case] = {}
    for case in (
        visible_cases(user)
        .filter(person_id__in=wanted_ids, is_child=True)
        .exclude(status=Status.CLOSED)
        .order_by("identified_on", "id")
    ):
        cases[case.person_id] = case
    decisions = current_decisions_about(request)
    return [
        {
            "person": by_pk[int(r.record_id)],
            "case": cases.get(int(r.record_id)),
            "probability": r.probability,
            "percent": round(100 * r.probability),
            "reasons": r.reasons,
            "decision": decisions.get(("people.person", r.record_id)),
        }
        for r in ranked
    ]


def candidates_elsewhere(user, request: TracingRequest, *, top_k: int = 5) -> list[dict]:
    """Likely children of this node's open child cases that the user may not see, ranked against
    the request like the others, shown without any name: the agency that holds the case and
    whom to ask there (its supervisor), with the probability. So a caseworker whose scope is
    their own cases learns that a child may be at another agency, and asks; nothing of the
    child leaves its agency. The read is node-wide by design and names no one."""
    from corridor.accounts.models import User
    from corridor.matching.features import prepare
    from corridor.tracing import ranking

    if not getattr(user, "is_authenticated", False):
        return []
    seen = candidate_children(user).values("pk")
    open_child_cases = Case.objects.filter(is_child=True).exclude(status=Status.CLOSED)
    others = Person.objects.filter(
        merged_into__isnull=True, pk__in=open_child_cases.values("person_id")
    ).exclude(pk__in=seen)
    pool = list(blocked_children(user, request, children=others))
    if not pool:
        return []
    query = request.as_record()
    ranked = ranking.rank(
        query=query,
        pool=[ranking.person_record(p, parents={}) for p in pool],
        top_k=top_k,
        floor=0.2,
        frequencies=register_frequencies([prepare(record=query, side="left")]),
        rivals=(),
    )
    ids = [int(r.record_id) for r in ranked]
    # The agency of the child's latest open case (a later row replaces an earlier one).
    holder = {
        person_id: (agency_id, name)
        for person_id, agency_id, name in open_child_cases.filter(person_id__in=ids)
        .order_by("person_id", "identified_on", "pk")
        .values_list("person_id", "agency_id", "agency__name")
    }
    supervisors = {}
    for staff in User.objects.filter(
        agency_id__in={agency_id for agency_id, _name in holder.values()},
        role=Role.SUPERVISOR,
        is_active=True,
    ).order_by("pk"):
        supervisors.setdefault(staff.agency_id, staff.get_full_name() or staff.username)
    shown = []
    for r in ranked:
        agency_id, name = holder.get(int(r.record_id), (None, ""))
        shown.append(
            {
                "percent": round(100 * r.probability),
                "agency": name,
                "own_agency": agency_id == user.agency_id,
                "contact": supervisors.get(agency_id),
            }
        )
    return shown


def active_model() -> Model:
    """The node's match model: the version a coordinator put in force, else the one shipped with
    the engine. One function, so that ranking, duplicate detection and the explanations agree."""
    version = MatchModel.objects.filter(is_active=True).only("parameters").first()
    return version.as_model() if version else default_model()


def visible_match_models(user) -> QuerySet[MatchModel]:
    """The versions of the match model, for supervisors and coordinators of the node. They hold
    weights and counts only, never a record."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(*MODEL_ROLES):
        return MatchModel.objects.none()
    return MatchModel.objects.select_related("created_by", "activated_by")


def current_tracing_decisions() -> dict[tuple[int, int], str]:
    """The decision in force per (tracing request id, person id) pair a reviewer judged: the
    latest judgement on a pair supersedes the earlier ones, which stay in the log."""
    from corridor.intel.selectors import current_decisions

    person, request = Person._meta.label_lower, TracingRequest._meta.label_lower
    judgements = MatchJudgement.objects.filter(
        Q(left_type=person, right_type=request) | Q(left_type=request, right_type=person)
    )
    out: dict[tuple[int, int], str] = {}
    for (left_type, left_id, _rt, right_id), judgement in current_decisions(judgements).items():
        request_id, person_id = (right_id, left_id) if left_type == person else (left_id, right_id)
        out[(int(request_id), int(person_id))] = judgement.decision
    return out


def training_set() -> tuple[list[dict], list[dict], dict[tuple[str, str], str]]:
    """Everything the match model is re-fitted on: every tracing request of the node (left),
    every child of a child case plus every person a reviewer judged (right), as engine records,
    and the decision in force on each reviewed pair that is not "unsure".

    The node's own housekeeping, like the duplicate search: it reads the whole register because
    the model is the node's, and nothing read here is shown; only weights and counts come out.
    """
    from corridor.tracing import ranking

    decided = {
        pair: ENGINE_LABELS[decision]
        for pair, decision in current_tracing_decisions().items()
        if decision in ENGINE_LABELS
    }
    children = Case.objects.filter(is_child=True).values("person_id")
    people = list(
        Person.objects.filter(
            Q(pk__in=children, merged_into__isnull=True) | Q(pk__in={p for _r, p in decided})
        ).order_by("pk")
    )
    parents = ranking.parent_names(people)
    left_ids = {r.pk: r.as_record() for r in TracingRequest.objects.order_by("pk")}
    right_ids = {p.pk: ranking.person_record(p, parents=parents.get(p.pk, {})) for p in people}
    decisions = {
        (left_ids[r]["record_id"], right_ids[p]["record_id"]): label
        for (r, p), label in decided.items()
        if r in left_ids and p in right_ids
    }
    return list(left_ids.values()), list(right_ids.values()), decisions


def decision_counts() -> dict[str, int]:
    """How many reviewed (request, child) pairs stand at "match" and at "no match" now."""
    counts = {"match": 0, "no_match": 0}
    for decision in current_tracing_decisions().values():
        if decision in ENGINE_LABELS:
            counts[ENGINE_LABELS[decision]] += 1
    return counts
