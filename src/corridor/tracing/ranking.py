"""The bridge between the node's records and the matching engine: records in, ranked and
explained candidates out.

People and tracing requests are turned into the engine's record format; the engine's blocking,
comparison levels and model do the rest, so the web pages, the duplicate job and the benchmark
score pairs the same way. The explanation is the model's own arithmetic: each field's level and
the weight (log-odds) it adds, which is what a caseworker needs to see why a pair ranks high.
Every score uses the node's model in force (``selectors.active_model``); ``refit`` and
``evaluate`` make and judge a new version from the reviewers' decisions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext, ngettext

from corridor.matching.competition import default_competition, odds
from corridor.matching.engine import KEEP_LOG_ODDS, TWIN_LOG_ODDS, reference_statistics
from corridor.matching.engine import candidates as engine_candidates
from corridor.matching.explain import explain, field_label
from corridor.matching.features import NameFrequencies, Prepared, compare, name_statistics, prepare
from corridor.matching.model import Model, default_model, sigmoid
from corridor.matching.normalise import token_key
from corridor.matching.training import train
from corridor.people.keys import name_index_keys, token_typo_keys
from corridor.people.models import Person
from corridor.tracing.selectors import active_model

GENDER_SEX = {
    "Feminine": "F",
    "TransgenderFeminine": "F",
    "Masculine": "M",
    "TransgenderMasculine": "M",
}

SMALL_REGISTER = 2000
"""Below this many records, name frequencies come from the engine's synthetic reference register:
in a register of a few dozen, every name looks common and agreeing on it would count for little."""


def person_record(person: Person, *, parents: dict[str, str] | None = None) -> dict:
    """A registered person in the engine's record format (a found child, right side).

    An age estimated on a date becomes ``age_years`` on that date, which is what the engine reads
    as an estimate with years of error (``age_date``). The record has neither a request's nor
    an identification's date, so the engine reads no delay from a request: a child may be in
    care for years before a family files, and no date here says when she was found.
    """
    parents = parents if parents is not None else parent_names([person]).get(person.pk, {})
    event = person.age_estimated_on or person.created_at.date()
    return {
        "record_id": str(person.pk),
        "given_names": person.given_names,
        "family_name": person.family_name,
        "sex": GENDER_SEX.get(person.gender, ""),
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "birth_year": str(person.birth_year or ""),
        "age_years": "" if person.estimated_age is None else str(person.estimated_age),
        "age_date": event.isoformat(),
        "place_of_origin": person.place_of_origin,
        "origin_prefecture": person.origin_prefecture,
        "mother_name": parents.get("mother", ""),
        "father_name": parents.get("father", ""),
        "nationality": (person.citizenships or [""])[0],
    }


def parent_names(persons: Iterable[Person]) -> dict[int, dict[str, str]]:
    """Mother's and father's names per person id, in one query."""
    from corridor.people.models import Relationship

    ids = [p.pk for p in persons]
    names: dict[int, dict[str, str]] = {}
    rows = Relationship.objects.filter(person_id__in=ids, kind__in=("mother", "father"))
    for rel in rows.select_related("relative").order_by("id"):
        names.setdefault(rel.person_id, {}).setdefault(rel.kind, rel.written_name)
    return names


@dataclass
class Ranked:
    """One candidate: the record id on the right, its probability and the per-field reasons."""

    record_id: str
    probability: float
    levels: dict[str, str]
    reasons: list[dict] = field(default_factory=list)


def reasons(left: dict, right: dict, *, frequencies=None, model: Model | None = None) -> list[dict]:
    """The engine's explanation of one pair, field by field, strongest evidence first: what
    agreed or not, in a translated sentence, and the weight (log-odds) it adds or takes away
    in ``model`` (by default the node's model in force)."""
    model = model or active_model()
    return [
        {
            "field": field_label(r.field),
            "level": r.level,
            "sentence": str(r.sentence),
            "weight": r.weight,
            "direction": _direction(r.weight),
        }
        for r in explain(left, right, frequencies=frequencies, model=model)
    ]


def _direction(weight: float) -> str:
    """Whether a reason's weight speaks for the pair, against it, or hardly at all."""
    return "for" if weight > 0.05 else ("against" if weight < -0.05 else "none")


def statistics(*, left, right):
    """Name statistics of the node's register, or the reference ones while it is small."""
    if len(left) + len(right) < SMALL_REGISTER:
        return reference_statistics()
    return name_statistics(left=left, right=right)


def query_name_keys(query: Prepared) -> set[str]:
    """The name keys whose frequency can weigh on a comparison with ``query``: those of its own
    tokens and of its joined family name (``compare`` buckets the query's side of an agreement)."""
    return {token_key(t) for t in (*query.given, *query.family, query.family_joined) if t}


def token_keys(record: dict) -> tuple[list[set[str]], list[set[str]]]:
    """The person-index keys of each of a record's given names and of each of its family names
    (the family name also written joined): its name keys and typo keys."""
    query = prepare(record=record, side="left")
    given = [token_typo_keys(t) | name_index_keys([t]) for t in query.given]
    family = [
        token_typo_keys(t) | name_index_keys([t]) for t in (*query.family, query.family_joined)
    ]
    return [k for k in given if k], [k for k in family if k]


def blocking_keys(record: dict) -> tuple[set[str], set[str], set[str]]:
    """The person-index keys a request (a left record) is blocked on in the database: its name
    keys, and the keys of its given names and of its family name each (name keys and typo keys:
    a candidate shares one of each, as the engine pairs a given name with a family name)."""
    names = name_index_keys([record.get("given_names"), record.get("family_name")])
    given, family = token_keys(record)
    return names, set().union(*given), set().union(*family)


def statistics_from_counts(
    *, left: Sequence[Prepared], right_size: int, right_counts: Mapping[str, int]
) -> NameFrequencies:
    """``statistics`` when the right side stays in the database: its size, and for each name key
    a comparison may ask about (``query_name_keys``), how many right records bear it."""
    if len(left) + right_size < SMALL_REGISTER:
        return reference_statistics()
    frequencies = name_statistics(left=left, right=[])
    frequencies.total += right_size
    for key, count in right_counts.items():
        frequencies.counts[key] += count
    return frequencies


def rank(
    *,
    query: dict,
    pool: Sequence[dict],
    context: Sequence[dict] = (),
    top_k: int = 10,
    floor: float = 0.01,
    query_side: str = "left",
    model: Model | None = None,
    frequencies: NameFrequencies | None = None,
    rivals: Sequence[Prepared] | None = None,
    requests: int = 0,
) -> list[Ranked]:
    """The ``top_k`` records of ``pool`` that share a block with ``query``, best first, scored by
    ``model`` (by default the node's model in force).

    ``context`` are other records of the query's kind (the node's other tracing requests); they
    only feed the name-frequency statistics, so that agreeing on a common name counts for less.
    ``frequencies`` replaces those statistics when the caller computed them over a register
    larger than ``pool`` (``statistics_from_counts``).

    With ``rivals`` (a tracing request ranked against children: the node's other requests,
    prepared; ``requests``, how many the node holds), each probability is taken among the
    competitors, as ``corridor match`` takes it (``among_rivals``).
    """
    model = model or active_model()
    q = prepare(record=query, side=query_side)
    right = [prepare(record=r, side="right") for r in pool]
    if frequencies is None:
        left = [q, *(prepare(record=r, side="left") for r in context)]
        frequencies = statistics(left=left, right=right)
    scored: list[Ranked] = []
    blocks = engine_candidates(left=right, right=[q])
    for _j, found in blocks:
        for i in found:
            if right[i].record_id == q.record_id:
                continue
            levels = compare(q, right[i], frequencies=frequencies)
            scored.append(
                Ranked(
                    record_id=right[i].record_id,
                    probability=model.probability(levels),
                    levels=levels,
                )
            )
    out = sorted((r for r in scored if r.probability >= floor), key=lambda r: -r.probability)
    out = out[:top_k]
    by_id = {r["record_id"]: r for r in pool}
    for r in out:
        r.reasons = reasons(query, by_id[r.record_id], frequencies=frequencies, model=model)
    if rivals is not None:
        among_rivals(
            query=q,
            ranked=out,
            scored=scored,
            children={p.record_id: p for p in right},
            rivals=rivals,
            requests=requests,
            frequencies=frequencies,
            model=model,
        )
    return out


NEAR = math.log(10.0)
"""A competitor "fits nearly as well or better" when its pair odds are at least a tenth of the
pair's own (log-odds at most this much lower)."""


def among_rivals(
    *,
    query: Prepared,
    ranked: list[Ranked],
    scored: Sequence[Ranked],
    children: Mapping[str, Prepared],
    rivals: Sequence[Prepared],
    requests: int,
    frequencies: NameFrequencies,
    model: Model,
) -> None:
    """Take each ranked child's probability among its competitors, in place, best first again,
    with one more reason saying how many compete (``matching.competition``, as ``corridor
    match`` does).

    Two kinds compete: the other children that fit the request (``scored``, the request's
    blocked pool; only those a whole run would keep, above ``KEEP_LOG_ODDS``), and the other open
    requests that fit the child (``rivals``, blocked against each ranked child), the other
    parent's request for the same child excepted (``TWIN_LOG_ODDS``). In a register where thirty
    children are "Kokou Mensah, about 12", none gets a confident probability. A child the user
    may not see counts only in ``candidates_elsewhere``'s pool, not here.
    """
    competition = default_competition()
    if competition is None or not ranked:
        return
    pool_log_odds = [model.log_odds(r.levels) for r in scored]
    kept = [float(odds(log_odds)) for log_odds in pool_log_odds if log_odds >= KEEP_LOG_ODDS]
    blocks = engine_candidates(left=rivals, right=[children[r.record_id] for r in ranked])
    twin: dict[int, bool] = {}
    for (_j, found), r in zip(blocks, ranked, strict=True):
        own = model.log_odds(r.levels)
        left = sum(kept) - (float(odds(own)) if own >= KEEP_LOG_ODDS else 0.0)
        right, near_requests = 0.0, 0
        child = children[r.record_id]
        for i in found:
            other = rivals[i]
            if other.record_id == query.record_id:
                continue
            if i not in twin:  # a rival may be a candidate of several children
                twin[i] = (
                    model.log_odds(compare(query, other, frequencies=frequencies)) >= TWIN_LOG_ODDS
                )
            if twin[i]:
                continue
            log_odds = model.log_odds(compare(other, child, frequencies=frequencies))
            right += float(odds(log_odds))
            near_requests += log_odds >= own - NEAR
        left_log, right_log = _log(left), _log(right)
        final = float(
            competition.log_odds(
                log_odds=np.asarray([own]),
                right=np.asarray([right_log]),
                left=np.asarray([left_log]),
                requests=requests,
                adjust=np.asarray([competition.level_term(r.levels)]),
            )[0]
        )
        # Never above the request's share of the child's rivals' odds (``LinkJob.decide``), nor
        # above the child's share of the request's: a request seeks one child, so its
        # probabilities over the children add up to one at most.
        final = min(final, own - right_log, own - left_log)
        r.probability = sigmoid(final)
        r.reasons.append(
            _competition_reason(
                weight=final - own,
                children=sum(log_odds >= own - NEAR for log_odds in pool_log_odds) - 1,
                requests=near_requests,
            )
        )
        r.reasons.sort(key=lambda reason: -abs(reason["weight"]))
    ranked.sort(key=lambda r: -r.probability)


def _competition_reason(*, weight: float, children: int, requests: int) -> dict:
    """The explanation's line for the competitors: how many, never who (another agency's child
    or request stays there)."""
    parts = []
    if children:
        parts.append(
            ngettext(
                "%(count)d other child fits this request nearly as well or better.",
                "%(count)d other children fit this request nearly as well or better.",
                children,
            )
            % {"count": children}
        )
    if requests:
        parts.append(
            ngettext(
                "%(count)d other open request fits this child nearly as well or better.",
                "%(count)d other open requests fit this child nearly as well or better.",
                requests,
            )
            % {"count": requests}
        )
    if parts:
        parts.append(gettext("Check which one is the child's before deciding."))
    else:
        parts.append(gettext("No other child or request fits as well."))
    return {
        "field": gettext("Other possible matches"),
        "level": "competition",
        "competitors": {"children": children, "requests": requests},
        "sentence": " ".join(parts),
        "weight": round(weight, 2),
        "direction": _direction(weight),
    }


def _log(odds: float) -> float:
    return math.log(odds) if odds > 0 else -math.inf


# --- re-fitting on the reviewers' decisions ----------------------------------------------------

FOLDS = 5
"""Cross-validation folds of ``evaluate``: each re-fit keeps four fifths of the decisions."""
THRESHOLD = 0.5
"""Where a probability counts as "match" for accuracy and F1: the engine's own threshold."""


def refit(
    *, left: Sequence[dict], right: Sequence[dict], decisions: Mapping[tuple[str, str], str]
) -> Model:
    """A model re-fitted on the decisions, always from the shipped model.

    Starting from the shipped model, not from the version in force, makes each version a function
    of the decisions in force alone: a version trained on earlier decisions does not count them
    a second time through its soft labels.
    """
    frequencies = statistics(
        left=[prepare(record=r, side="left") for r in left],
        right=[prepare(record=r, side="right") for r in right],
    )
    return train(
        left=left,
        right=right,
        decisions=dict(decisions),
        base=default_model(),
        frequencies=frequencies,
    )


def scores(probabilities: Sequence[float], labels: Sequence[bool]) -> dict[str, float]:
    """Accuracy and F1 of "match" at ``THRESHOLD``, and the mean log-loss, which also counts how
    sure a wrong probability was (the number a caseworker reads on the page)."""
    eps = 1e-6
    tp = fp = fn = correct = 0
    loss = 0.0
    for p, label in zip(probabilities, labels, strict=True):
        said = p >= THRESHOLD
        correct += said == label
        tp += said and label
        fp += said and not label
        fn += label and not said
        p = min(max(p, eps), 1 - eps)
        loss -= math.log(p if label else 1 - p)
    n = len(labels)
    return {
        "accuracy": round(correct / n, 4) if n else 0.0,
        "f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 0.0,
        "log_loss": round(loss / n, 4) if n else 0.0,
    }


def folds_of(decisions: Mapping[tuple[str, str], str], folds: int) -> dict[str, int]:
    """Each reviewed request's fold. Requests with a confirmed match are dealt first, so every
    fold holds its share of matches; all decisions on one request stay in one fold."""
    requests = {left_id for left_id, _right_id in decisions}
    matched = {left_id for (left_id, _r), d in decisions.items() if d == "match"}
    order = sorted(requests, key=lambda r: (r not in matched, r))
    k = max(1, min(folds, len(order)))
    return {request: i % k for i, request in enumerate(order)}


def evaluate(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    decisions: Mapping[tuple[str, str], str],
    baseline: Model,
    folds: int = FOLDS,
) -> dict:
    """Re-fitting judged against ``baseline`` (the model in force) on the reviewed pairs.

    Grouped k-fold cross-validation: the reviewed requests are split into ``folds`` groups and,
    for each, a model is re-fitted without that group's requests (their records and decisions
    both left out) and scores the group's pairs, so no pair is scored by a model that saw it or
    its request. The pooled out-of-fold probabilities give the numbers. Pairs are compared as
    ``rank`` compares them (``statistics``), so the numbers describe the ranking people will see.
    The baseline scores the same pairs; when it was itself fitted on these decisions its numbers
    flatter it, which errs on the side of keeping it.
    """
    pairs = sorted(decisions)
    labels = [decisions[pair] == "match" for pair in pairs]
    left_prepared = {r["record_id"]: prepare(record=r, side="left") for r in left}
    right_prepared = {r["record_id"]: prepare(record=r, side="right") for r in right}
    frequencies = statistics(left=list(left_prepared.values()), right=list(right_prepared.values()))
    levels = [
        compare(left_prepared[a], right_prepared[b], frequencies=frequencies) for a, b in pairs
    ]
    fold_of = folds_of(decisions, folds)
    k = len(set(fold_of.values()))
    held_out = [0.0] * len(pairs)
    for fold in range(k):
        held = {request for request, f in fold_of.items() if f == fold}
        model = refit(
            left=[r for r in left if r["record_id"] not in held],
            right=right,
            decisions={pair: d for pair, d in decisions.items() if pair[0] not in held},
        )
        for i, (left_id, _right_id) in enumerate(pairs):
            if left_id in held:
                held_out[i] = model.probability(levels[i])
    return {
        "folds": k,
        "pairs": len(pairs),
        "new": scores(held_out, labels),
        "baseline": scores([baseline.probability(lv) for lv in levels], labels),
    }
