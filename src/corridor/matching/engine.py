"""Blocking, scoring and one-to-one assignment: the linking engine.

``link`` takes two lists of records (dicts in the corridor CSV format) and returns scored
candidate links with a match decision. Pure Python, no Django: the web app, the command line
and the benchmarks call the same code.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from corridor.matching.features import (
    NameFrequencies,
    Prepared,
    compare,
    name_statistics,
    prepare,
)
from corridor.matching.model import Model, default_model
from corridor.matching.normalise import phonetic_key, token_key

__all__ = [
    "Link",
    "link",
    "score_pair",
    "blocking_keys",
    "candidates",
    "assign",
    "DEFAULT_THRESHOLD",
    "reference_statistics",
]

DEFAULT_THRESHOLD = 0.5
"""Decision threshold on the calibrated probability: "more likely the same child than not"."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Link:
    """A scored candidate pair; ``match`` is the decision after one-to-one assignment."""

    left_id: str
    right_id: str
    score: float
    match: bool


def _years(prepared: Prepared, *, widen: int) -> range:
    birth = prepared.birth
    if birth is None:
        return range(0)
    slack = widen if birth.kind == "age" else min(widen, 1)
    return range(math.floor(birth.low) - slack, math.floor(birth.high) + slack + 1)


def _fuzzy(token: str) -> set[str]:
    """A token's key and its one-deletion neighbourhood on the phonetic key (SymSpell style).

    Two spellings one typo apart ("Agbemadon"/"Agbemaodn", "Alassani"/"Aassani") share a
    deletion, so the pair meets in some block even when both names carry a typo.
    """
    key = phonetic_key(token)
    keys = {token_key(token), key}
    if len(key) >= 4:
        keys.update(key[:i] + key[i + 1 :] for i in range(len(key)))
    return keys


def blocking_keys(*, prepared: Prepared, query: bool) -> set[str]:
    """Keys under which a record is indexed (``query=False``) or looked up (``query=True``).

    Every key joins two independent pieces of evidence (given and family name in either order,
    each up to one typo; a name and a birth year; a name and the mother's; a name and the
    prefecture; the mother and a birth year), so a true pair survives when any one piece is
    badly written. Looking up widens birth years for estimated ages, whose error is in years.
    """
    names = [k for k in prepared.name_keys if k]
    keys: set[str] = set()
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            keys.add("n2|" + "|".join(sorted((a, b))))
    if prepared.given and prepared.family_joined:
        given_keys = _fuzzy(prepared.given[0])
        for f in _fuzzy(prepared.family_joined):
            for g in given_keys:
                keys.add("d2|" + "|".join(sorted((g, f))))
    years = _years(prepared, widen=4 if query else 0)
    mothers = {token_key(t) for t in prepared.mother}
    fathers = {token_key(t) for t in prepared.father[:1]}
    prefecture = prepared.place.prefecture if prepared.place else None
    for a in names:
        for year in years:
            keys.add(f"ny|{a}|{year}")
        for m in mothers:
            keys.add(f"nm|{a}|{m}")
        for f in fathers:
            keys.add(f"nf|{a}|{f}")
        if prefecture:
            keys.add(f"np|{a}|{prefecture}")
    for m in mothers:
        for year in years:
            keys.add(f"my|{m}|{year}")
    if prefecture:
        for year in years:
            keys.add(f"yp|{prepared.sex}|{year}|{prefecture}")
    return keys


class _Index:
    """Left records' blocking keys as a sorted array of 64-bit key hashes.

    A sorted numpy array is a tenth of the memory of a dict of lists at a million records, and
    lets a whole batch of look-ups run as one ``searchsorted``.
    """

    def __init__(self, *, left: Sequence[Prepared], chunk: int = 50_000) -> None:
        hashes: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        for start in range(0, len(left), chunk):
            keys: list[int] = []
            who: list[int] = []
            for i in range(start, min(start + chunk, len(left))):
                record_keys = [hash(k) for k in blocking_keys(prepared=left[i], query=False)]
                keys.extend(record_keys)
                who.extend([i] * len(record_keys))
            hashes.append(np.asarray(keys, dtype=np.int64))
            owners.append(np.asarray(who, dtype=np.int32))
        all_hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64)
        all_owners = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int32)
        order = np.argsort(all_hashes, kind="stable")
        self.hashes = all_hashes[order]
        self.owners = all_owners[order]
        self.size = len(left)


def candidates(
    *,
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    max_block: int = 200,
    max_candidates: int = 40,
    batch: int = 20_000,
    index: _Index | None = None,
) -> Iterator[tuple[int, list[int]]]:
    """Yield (right index, left indices) for every right record, best-supported first.

    Blocks larger than ``max_block`` are skipped (a common day name born in a common year; a
    more specific key of the same pair nearly always catches it). Of the remaining candidates
    a right record keeps the ``max_candidates`` with the highest sum of key specificities
    (log of register size over block size, as in TF-IDF): a true pair agrees on many pieces of
    rare evidence at once, a chance pair on one or two common ones. Both caps keep the work
    linear in the size of the register.
    """
    index = index or _Index(left=left)
    for start in range(0, len(right), batch):
        stop = min(start + batch, len(right))
        query: list[int] = []
        asker: list[int] = []
        for j in range(start, stop):
            record_keys = [hash(k) for k in blocking_keys(prepared=right[j], query=True)]
            query.extend(record_keys)
            asker.extend([j] * len(record_keys))
        q = np.asarray(query, dtype=np.int64)
        who = np.asarray(asker, dtype=np.int64)
        low = np.searchsorted(index.hashes, q, side="left")
        high = np.searchsorted(index.hashes, q, side="right")
        sizes = high - low
        keep = (sizes > 0) & (sizes <= max_block)
        low, sizes, who = low[keep], sizes[keep], who[keep]
        total = int(sizes.sum())
        found: dict[int, list[int]] = {}
        if total:
            offsets = np.repeat(low - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
            positions = offsets + np.arange(total)
            pair = np.repeat(who, sizes) * index.size + index.owners[positions]
            specificity = np.repeat(np.log((index.size + 1.0) / sizes), sizes)
            codes, inverse = np.unique(pair, return_inverse=True)
            hits = np.bincount(inverse, weights=specificity)
            rights = codes // index.size
            lefts = codes % index.size
            order = np.lexsort((-hits, rights))
            rights, lefts = rights[order], lefts[order]
            group_start = np.searchsorted(rights, rights, side="left")
            rank = np.arange(len(rights)) - group_start
            chosen = rank < max_candidates
            rights, lefts = rights[chosen], lefts[chosen]
            bounds = np.flatnonzero(np.diff(rights)) + 1
            for r_group, l_group in zip(
                np.split(rights, bounds), np.split(lefts, bounds), strict=True
            ):
                found[int(r_group[0])] = l_group.tolist()
        for j in range(start, stop):
            yield j, found.get(j, [])


def _twins(a: Prepared, b: Prepared) -> bool:
    """Whether two requests plausibly describe the same child (mother's and father's filings)."""
    levels = compare(a, b)
    close_birth = levels["birth"].split("|")[0] in ("same_date", "overlap", "1y")
    given_ok = levels["given"] in ("exact", "variant", "phonetic", "similar")
    family_ok = levels["family"] in ("exact", "variant", "phonetic", "similar")
    return given_ok and family_ok and (close_birth or levels["birth"] == "missing")


def assign(
    *,
    scored: list[tuple[float, int, int]],
    left: Sequence[Prepared],
    threshold: float,
    per_right: int = 2,
) -> set[tuple[int, int]]:
    """Greedy one-to-one assignment, allowing a child (right) up to two requests (left).

    A request can designate one child only; a child can be sought by both parents, but the
    second request must describe the same child as the first, so a sibling's request does not
    ride on a strong match.
    """
    chosen: set[tuple[int, int]] = set()
    used_left: set[int] = set()
    taken: dict[int, list[int]] = defaultdict(list)
    for probability, i, j in sorted(scored, key=lambda item: -item[0]):
        if probability < threshold:
            break
        if i in used_left or len(taken[j]) >= per_right:
            continue
        if taken[j] and not all(_twins(left[i], left[k]) for k in taken[j]):
            continue
        chosen.add((i, j))
        used_left.add(i)
        taken[j].append(i)
    return chosen


_WORK: dict = {}


def _score_batch(bounds: tuple[int, int]) -> list[tuple[float, int, int]]:
    """Score the right records in ``bounds`` against their candidates (runs in a worker)."""
    left_prepared, right_prepared, model, frequencies, index, options = (
        _WORK["left"],
        _WORK["right"],
        _WORK["model"],
        _WORK["frequencies"],
        _WORK["index"],
        _WORK["options"],
    )
    start, stop = bounds
    threshold, top_k = options["threshold"], options["top_k"]
    scored: list[tuple[float, int, int]] = []
    for j, found in candidates(
        left=left_prepared,
        right=right_prepared[start:stop],
        max_block=options["max_block"],
        max_candidates=options["max_candidates"],
        index=index,
    ):
        b = right_prepared[start + j]
        row = [
            (model.probability(compare(left_prepared[i], b, frequencies=frequencies)), i, start + j)
            for i in found
        ]
        row.sort(key=lambda item: -item[0])
        scored.extend(row[:top_k])
        scored.extend(item for item in row[top_k:] if item[0] >= threshold)
    return scored


def link(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    model: Model | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    top_k: int = 10,
    max_block: int = 200,
    max_candidates: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[Link]:
    """Link tracing requests (left) to found children (right).

    Returns, for each right record, its ``top_k`` best-scored candidates plus any other above
    the threshold, with the one-to-one decision. Scores are calibrated probabilities.
    ``workers`` > 1 scores batches of right records in forked processes (POSIX only).
    ``max_candidates`` (scored per right record) defaults to 100 up to 100,000 requests and 40
    above, trading a little recall for linear time on national-scale registers.
    """
    if max_candidates is None:
        max_candidates = 100 if len(left) <= 100_000 else 40
    model = model or default_model()
    left_prepared = [prepare(record=r, side="left") for r in left]
    right_prepared = [prepare(record=r, side="right") for r in right]
    frequencies = name_statistics(left=left_prepared, right=right_prepared)
    _WORK.update(
        left=left_prepared,
        right=right_prepared,
        model=model,
        frequencies=frequencies,
        index=_Index(left=left_prepared),
        options={
            "threshold": threshold,
            "top_k": top_k,
            "max_block": max_block,
            "max_candidates": max_candidates,
        },
    )
    total = len(right_prepared)
    step = 5_000
    batches = [(start, min(start + step, total)) for start in range(0, total, step)]
    scored: list[tuple[float, int, int]] = []
    try:
        if workers > 1 and len(batches) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for part, (_, stop) in zip(pool.imap(_score_batch, batches), batches, strict=True):
                    scored.extend(part)
                    if progress is not None:
                        progress(stop, total)
        else:
            for bounds in batches:
                scored.extend(_score_batch(bounds))
                if progress is not None:
                    progress(bounds[1], total)
    finally:
        _WORK.clear()
    if progress is not None and not batches:
        progress(0, 0)
    decided = assign(scored=scored, left=left_prepared, threshold=threshold)
    return [
        Link(
            left_id=left_prepared[i].record_id,
            right_id=right_prepared[j].record_id,
            score=p,
            match=(i, j) in decided,
        )
        for p, i, j in scored
    ]


@functools.lru_cache(maxsize=1)
def reference_statistics() -> NameFrequencies:
    """Name statistics of a synthetic reference register of 3,000 requests.

    Used when a pair is scored on its own (``score_pair``, ``explain``): how much agreeing on
    "Kokou Mensah" proves depends on how many children bear the name, and without the node's
    register the corridor-wide synthetic one is the best available guess.
    """
    from corridor.matching.synth import generate

    left, right, _truth = generate(n_left=3000, seed=0)
    return name_statistics(
        left=[prepare(record=r, side="left") for r in left],
        right=[prepare(record=r, side="right") for r in right],
    )


def score_pair(
    *, a: dict, b: dict, model: Model | None = None, frequencies: NameFrequencies | None = None
) -> float:
    """Match probability of one request (``a``, left) and one found child (``b``, right)."""
    model = model or default_model()
    levels = compare(
        prepare(record=a, side="left"),
        prepare(record=b, side="right"),
        frequencies=frequencies or reference_statistics(),
    )
    return model.probability(levels)
