"""Scoring and one-to-one assignment over the candidates of ``blocking``: the linking engine.

``link`` takes two lists of records (dicts in the corridor CSV format) and returns scored
candidate links with a match decision. Pure Python, no Django: the web app, the command line
and the benchmarks call the same code.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from corridor.matching.assignment import (
    LOWEST_CUT,
    assign,
    best_f1_cut,
    pairs_within_runs,
    twin_requests,
)
from corridor.matching.blocking import MAX_BLOCK, BlockIndex, candidates
from corridor.matching.columns import Columns, Labels, Vocabulary, flatten
from corridor.matching.competition import Competition, default_competition, log_competitors
from corridor.matching.features import (
    NameFrequencies,
    compare,
    name_statistics,
    prepare,
)
from corridor.matching.keys import _NO_INITIAL, birth_years, initial_of, key_hashes
from corridor.matching.model import Model, default_model
from corridor.matching.results import Link, LinkResult
from corridor.matching.runs import rank_in_groups
from corridor.matching.scoring import (
    Frequencies,
    Weights,
    _Comparer,
    pair_codes,
    probabilities,
    score_pairs,
)

__all__ = [
    "Link",
    "LinkJob",
    "LinkResult",
    "link",
    "link_columns",
    "run_job",
    "score_pair",
    "candidates",  # from ``blocking``; tracing/ranking.py and tracing/services.py import it here
    "assign",
    "DEFAULT_THRESHOLD",
    "default_candidates",
    "MOST_CANDIDATES",
    "FEWEST_CANDIDATES",
    "reference_statistics",
]

DEFAULT_THRESHOLD = None
"""Decision threshold on the calibrated probability: None for the cut that maximises the
expected F1 (``assignment.best_f1_cut``), 0.5 for "more likely the same child than not"."""

KEEP_LOG_ODDS = -4.0
"""Pairs below this pair log-odds (beyond a record's top k) cannot reach the threshold."""
_TWIN_RANKS = 3
TWIN_LOG_ODDS = 3.0
"""Two requests among a child's best candidates scoring this well together are twins."""

Progress = Callable[[int, int], None]

_ONE_CHILD_FLOOR = 0.05
"""Requests below this probability lift no other (``LinkJob._one_child``)."""

MOST_CANDIDATES = 500
FEWEST_CANDIDATES = 20
_FULL_UP_TO = 160_000


def default_candidates(found: int) -> int:
    """Candidates scored per found child by default: 500 up to 160,000 found children, which at
    208,000 requests hold 0.9954 of the true pairs (250: 0.9934) and put 0.9722 of them among
    each child's ten best (250: 0.9710); above, fewer, in inverse proportion to the square of
    the found children, never fewer than 20 (from 800,000).

    A larger register costs twice: more children to look up, and larger blocks for each
    look-up to read. At 1,000,000 a child's look-up takes longer than scoring 30 candidates
    (docs/benchmarks.md), and 20 there decide no worse than 30 did (F1 0.7090 against
    0.7079), so the pairs scored give back what the look-ups take."""
    scale = (_FULL_UP_TO / max(found, 1)) ** 2
    return int(min(MOST_CANDIDATES, max(FEWEST_CANDIDATES, MOST_CANDIDATES * scale)))


_WORK: dict = {}
_DEFAULT = object()


def _prepare_chunk(task: tuple[str, int, int]) -> tuple[Columns, np.ndarray, np.ndarray]:
    """Prepare records ``start:stop`` of one side (in a worker): partial columns, key hashes."""
    side, start, stop = task
    part = Columns()
    hashes: list[np.ndarray] = []
    for record in _WORK[side][start:stop]:
        prepared = prepare(record=record, side=side)
        part.add(flatten(prepared))
        # The left side's full-name keys are filed once per distinct name (see ``name_table``).
        hashes.append(key_hashes(prepared=prepared, query=side == "right", fuzzy=side == "right"))
    counts = np.asarray([len(h) for h in hashes], dtype=np.int64)
    return part, np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64), counts


class LinkJob:
    """One linking run, built once: both sides as columns, the index, the model as arrays.

    ``score(bounds)`` scores one slice of the right records against their candidates and needs
    nothing but this object, so slices can run in forked workers or on a Spark cluster (the job
    pickles; see ``corridor.matching.spark``); ``decide`` assigns on the collected scores.
    """

    def __init__(
        self,
        *,
        left: Sequence[dict],
        right: Sequence[dict],
        model: Model | None = None,
        threshold: float | None = DEFAULT_THRESHOLD,
        top_k: int = 10,
        max_block: int = MAX_BLOCK,
        max_candidates: int | None = None,
        workers: int = 1,
        competition: Competition | None | object = _DEFAULT,
    ) -> None:
        if max_candidates is None:
            max_candidates = default_candidates(len(right))
        self.threshold, self.top_k, self.max_candidates = threshold, top_k, max_candidates
        self.cut = threshold  # the threshold decided on (``decide`` sets it when None)
        self.timings: dict[str, float] = {}
        clock = time.perf_counter()
        vocabulary, labels = Vocabulary(), Labels()
        self.left, left_hashes, left_counts = _collect(
            _map_chunks(side="left", records=left, workers=workers),
            Columns(vocabulary=vocabulary, labels=labels),
        )
        # The workers go on to the right side while this process files the left one.
        right_parts = _map_chunks(side="right", records=right, workers=workers)
        first = next(right_parts, None)
        index_clock = time.perf_counter()
        self.index = _index(
            left=self.left, hashes=left_hashes, counts=left_counts, max_block=max_block
        )
        del left_hashes, left_counts
        self.timings["index"] = time.perf_counter() - index_clock
        self.right, self.query_hashes, query_counts = _collect(
            itertools.chain([first] if first is not None else [], right_parts),
            Columns(vocabulary=vocabulary, labels=labels),
        )
        self.query_offsets = np.concatenate(([0], np.cumsum(query_counts))).astype(np.int64)
        self.query_years = _years(self.right, query=True)
        self.query_initials = _initials(self.right)
        self.frequencies = Frequencies(left=self.left, right=self.right)
        self.weights = Weights(model or default_model())
        self.comparer = _Comparer(self.left.vocabulary, memo_bits=21)
        self.competition = default_competition() if competition is _DEFAULT else competition
        self.level_terms = (
            self.competition.level_terms()
            if self.competition is not None and self.competition.levels
            else None
        )
        # Preparing both sides, the left side's index filed meanwhile (``index``).
        self.timings["prepare"] = time.perf_counter() - clock - self.timings["index"]

    def batches(self, size: int = 1_000) -> list[tuple[int, int]]:
        # A thousand right records per slice: the look-up's sorts stay in cache (at 1,000,000
        # x 1,000,000 a slice of 1,000 scores a quarter faster per record than one of 5,000).
        total = len(self.right)
        return [(start, min(start + size, total)) for start in range(0, total, size)]

    def candidates(self, bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """(right index, left index) of the candidates of the right records in bounds."""
        start, stop = bounds
        first, last = self.query_offsets[start], self.query_offsets[stop]
        askers = np.repeat(
            np.arange(stop - start, dtype=np.int64), np.diff(self.query_offsets[start : stop + 1])
        )
        asker, lefts = self.index.lookup(
            hashes=self.query_hashes[first:last],
            askers=askers,
            max_candidates=self.max_candidates,
            first_year=self.query_years[0][start:stop],
            last_year=self.query_years[1][start:stop],
            initials=self.query_initials[start:stop],
        )
        return asker + start, lefts

    def score(self, bounds: tuple[int, int]) -> tuple[np.ndarray, ...]:
        """Pair log-odds, competitors' log-sum, left and right index of the kept candidates,
        and their level term in the competition (``Competition.levels``, zeros without).

        Every candidate of a right record is scored, so that the competition among them (see
        ``competition``) is counted over all of them; each right record then keeps its
        ``top_k`` best and any other that could still reach the threshold.
        """
        rights, lefts = self.candidates(bounds)
        log_odds, codes = [np.zeros(0)], []
        for part in range(0, len(rights), 200_000):
            chunk = slice(part, part + 200_000)
            chunk_codes = pair_codes(
                left=self.left,
                right=self.right,
                i=lefts[chunk],
                j=rights[chunk],
                frequencies=self.frequencies,
                comparer=self.comparer,
            )
            log_odds.append(self.weights.total(chunk_codes))
            if self.level_terms is not None:
                codes.append(chunk_codes)
        log_odds = np.concatenate(log_odds)
        order = np.lexsort((-log_odds, rights))
        log_odds, lefts, rights = log_odds[order], lefts[order], rights[order]
        rank = rank_in_groups(rights)
        twins = self._twin_odds(log_odds=log_odds, lefts=lefts, rank=rank)
        rivals = log_competitors(log_odds=log_odds, groups=rights, exclude=twins)
        keep = (rank < self.top_k) | (log_odds >= KEEP_LOG_ODDS)
        adjust = np.zeros(int(keep.sum()))
        if codes:
            kept = order[keep]
            adjust += self.level_terms.total(
                {name: np.concatenate([c[name] for c in codes])[kept] for name in codes[0]}
            )
        return (
            log_odds[keep],
            rivals[keep],
            lefts[keep].astype(np.int32),
            rights[keep].astype(np.int32),
            adjust,
        )

    def _twin_odds(self, *, log_odds: np.ndarray, lefts: np.ndarray, rank: np.ndarray):
        """Per pair, the summed odds of the other top candidates that are its twin requests.

        The mother's and the father's requests for one child both fit the child and are no
        competition for each other: among a right record's ``_TWIN_RANKS`` best candidates,
        two requests the pair model itself would link are twins.
        """
        twins = np.zeros(len(log_odds))
        # Pairs (p, q), p ranked before q, of positions among the same right record's top ranks.
        first = np.flatnonzero(rank == 0)
        sizes = np.diff(np.concatenate((first, [len(rank)])))
        p_list, q_list = [], []
        for a in range(_TWIN_RANKS):
            for b in range(a + 1, _TWIN_RANKS):
                ok = sizes > b
                p_list.append(first[ok] + a)
                q_list.append(first[ok] + b)
        p, q = np.concatenate(p_list), np.concatenate(q_list)
        # Only requests above the keep floor are compared: below it a request's odds are too
        # small to matter in another's sum of rivals, and its own probability is negligible
        # whatever its rivals. That leaves out four pairs in ten at 1,000,000.
        worth = (log_odds[p] >= KEEP_LOG_ODDS) & (log_odds[q] >= KEEP_LOG_ODDS)
        p, q = p[worth], q[worth]
        if not len(p):
            return twins
        # Being twins is mutual: each pair is compared once, the lower request index first (as
        # ``twin_requests`` does), and counts for both.
        between = score_pairs(
            left=self.left,
            right=self.left,
            i=np.minimum(lefts[p], lefts[q]),
            j=np.maximum(lefts[p], lefts[q]),
            weights=self.weights,
            frequencies=self.frequencies,
            comparer=self.comparer,
        )
        is_twin = between >= TWIN_LOG_ODDS
        p, q = p[is_twin], q[is_twin]
        np.add.at(twins, p, np.exp(np.clip(log_odds[q], -25.0, 18.0)))
        np.add.at(twins, q, np.exp(np.clip(log_odds[p], -25.0, 18.0)))
        return twins

    def same_child(self, a: np.ndarray, b: np.ndarray, *, sure: bool = False) -> np.ndarray:
        """``assignment.twin_requests`` of requests ``a[k]`` and ``b[k]`` of this job."""
        return twin_requests(
            requests=self.left,
            frequencies=self.frequencies,
            comparer=self.comparer,
            a=a,
            b=b,
            sure=sure,
        )

    def _twins_among(self, lefts: np.ndarray, rights: np.ndarray) -> set[tuple[int, int]]:
        """Of the requests above the threshold for the same child (``rights`` sorted), the
        pairs (lower index first) that are twins (``twin_requests``), compared all at once."""
        p, q = pairs_within_runs(rights)
        a = np.minimum(lefts[p], lefts[q])
        b = np.maximum(lefts[p], lefts[q])
        yes = self.same_child(a, b)
        return set(zip(a[yes].tolist(), b[yes].tolist(), strict=True))

    def _one_child(self, *, probability: np.ndarray, lefts: np.ndarray, rights: np.ndarray):
        """Probabilities where a request gets at least ``share`` times that of the other
        parent's request for the same child (``twin_requests``, sure): if the mother's request
        is this child's, so is the father's, whatever his own request says (``share``, fitted,
        is how often two such requests are one child's).
        """
        share = self.competition.meta.get("one_child_share", 0.0) if self.competition else 0.0
        if not share:
            return probability
        # Sorted best first within each child: p is the likelier request of a pair.
        p, q = pairs_within_runs(rights, first=probability >= _ONE_CHILD_FLOOR)
        lift = np.flatnonzero(share * probability[p] > probability[q])
        p, q = p[lift], q[lift]
        sure = self.same_child(lefts[p], lefts[q], sure=True)
        p, q = p[sure], q[sure]
        out = probability.copy()
        np.maximum.at(out, q, share * probability[p])
        return out

    def decide(self, parts: Iterable[tuple[np.ndarray, ...]]) -> LinkResult:
        """Probabilities among competitors, then one-to-one assignment, on all scored links."""
        parts = list(parts)
        if parts:
            log_odds, rivals, lefts, rights, adjust = (
                np.concatenate([p[k] for p in parts]) for k in range(5)
            )
        else:
            log_odds, rivals, adjust = np.zeros(0), np.zeros(0), np.zeros(0)
            lefts = rights = np.zeros(0, dtype=np.int32)
        if self.competition is not None:
            left_rivals = log_competitors(log_odds=log_odds, groups=lefts)
            final = self.competition.log_odds(
                log_odds=log_odds,
                right=rivals,
                left=left_rivals,
                requests=len(self.left),
                adjust=adjust,
            )
        else:
            final = log_odds
        if self.competition is not None:
            # A request's odds' share among the child's rivals bounds it (Bayes, with no chance
            # left for the child having no request at all).
            final = np.minimum(final, log_odds - rivals)
        probability = probabilities(final)
        order = np.lexsort((-probability, rights))
        probability, lefts, rights = probability[order], lefts[order], rights[order]
        # The other parent's request is lifted before each child keeps its best: lifted, it
        # may rank among them.
        probability = self._one_child(probability=probability, lefts=lefts, rights=rights)
        order = np.lexsort((-probability, rights))
        probability, lefts, rights = probability[order], lefts[order], rights[order]
        floor = LOWEST_CUT if self.threshold is None else self.threshold
        keep = (rank_in_groups(rights) < self.top_k) | (probability >= floor)
        probability, lefts, rights = probability[keep], lefts[keep], rights[keep]
        above = np.flatnonzero(probability >= floor)
        twins = self._twins_among(lefts[above], rights[above])
        pairs = list(zip(lefts[above].tolist(), rights[above].tolist(), strict=True))
        scored = dict(zip(pairs, probability[above].tolist(), strict=True))
        chosen = assign(
            scored=((p, i, j) for (i, j), p in scored.items()),
            twins=lambda i, k: (min(i, k), max(i, k)) in twins,
            threshold=floor,
        )
        if self.threshold is None:
            # Greedy assignment takes pairs best first: a higher cut keeps a prefix of it.
            self.cut = best_f1_cut(
                np.asarray([scored[pair] for pair in chosen]), expected=float(probability.sum())
            )
            chosen = {pair for pair in chosen if scored[pair] >= self.cut}
        match = np.zeros(len(probability), dtype=bool)
        if chosen:
            # Where each chosen pair is (a pair is scored once: its right record's candidates
            # are distinct).
            position = dict(zip(pairs, above.tolist(), strict=True))
            match[[position[pair] for pair in chosen]] = True
        return LinkResult(
            left_ids=self.left.record_ids,
            right_ids=self.right.record_ids,
            probability=probability,
            left=lefts,
            right=rights,
            match=match,
            cut=self.cut,
        )


def _collect(parts, columns: Columns) -> tuple[Columns, np.ndarray, np.ndarray]:
    """One side's prepared chunks as frozen columns, key hashes and hashes per record."""
    hashes, counts = [], []
    for part, part_hashes, part_counts in parts:
        columns.extend(part)
        hashes.append(part_hashes)
        counts.append(part_counts)
    columns.freeze()
    return (
        columns,
        np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64),
        np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64),
    )


def _index(*, left: Columns, hashes: np.ndarray, counts: np.ndarray, max_block: int) -> BlockIndex:
    """The left side's blocking index, from its columns and key hashes."""
    return BlockIndex.filed(
        hashes=hashes,
        counts=counts,
        years=_years(left, query=False),
        initials=_initials(left),
        full_names=_full_names(left),
        max_block=max_block,
    )


def _years(columns: Columns, *, query: bool) -> tuple[np.ndarray, np.ndarray]:
    return birth_years(
        low=columns.birth_low, high=columns.birth_high, age=columns.birth_age, query=query
    )


def _full_names(columns: Columns) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Each record's given names, each with its family name, as ``keys.name_table`` takes
    them: every given name, as ``keys.filed_given`` reads a request."""
    given, family = columns.given, columns.family_joined
    records, position = np.nonzero((given >= 0) & (family >= 0)[:, None])
    pairs = np.column_stack((given[records, position], family[records]))
    return records, pairs, columns.vocabulary.strings


def _initials(columns: Columns) -> np.ndarray:
    """``blocking.prepared_initials`` from columns."""
    vocabulary = columns.vocabulary
    phonetic = vocabulary.arrays()["phonetic"]
    initial = np.asarray(
        [initial_of(key) for key in vocabulary.phonetic_strings] or [0], dtype=np.int64
    )

    def of(ids: np.ndarray) -> np.ndarray:
        known = ids >= 0
        return np.where(known, initial[phonetic[np.where(known, ids, 0)]], _NO_INITIAL)

    return np.column_stack((of(columns.family_joined), of(columns.given[:, 0])))


def _map_chunks(*, side: str, records: Sequence[dict], workers: int):
    """Prepare one side in chunks, in forked workers when there are several."""
    chunk = 20_000
    tasks = [
        (side, start, min(start + chunk, len(records))) for start in range(0, len(records), chunk)
    ]
    _WORK[side] = records
    try:
        if workers > 1 and len(tasks) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                yield from pool.imap(_prepare_chunk, tasks)
        else:
            for task in tasks:
                yield _prepare_chunk(task)
    finally:
        _WORK.pop(side, None)


def _score_slice(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _WORK["job"].score(bounds)


def run_job(*, job: LinkJob, workers: int = 1, progress: Progress | None = None) -> LinkResult:
    """Score every slice of the job (in forked workers when several) and decide."""
    batches = job.batches()
    total = len(job.right)
    clock = time.perf_counter()
    parts = []
    _WORK["job"] = job
    try:
        if workers > 1 and len(batches) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for part, (_, stop) in zip(pool.imap(_score_slice, batches), batches, strict=True):
                    parts.append(part)
                    if progress is not None:
                        progress(stop, total)
        else:
            for bounds in batches:
                parts.append(job.score(bounds))
                if progress is not None:
                    progress(bounds[1], total)
    finally:
        _WORK.pop("job", None)
    if progress is not None and not batches:
        progress(0, 0)
    job.timings["score"] = time.perf_counter() - clock
    clock = time.perf_counter()
    result = job.decide(parts)
    job.timings["decide"] = time.perf_counter() - clock
    return result


def link_columns(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    model: Model | None = None,
    threshold: float | None = DEFAULT_THRESHOLD,
    top_k: int = 10,
    max_block: int = MAX_BLOCK,
    max_candidates: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    competition: Competition | None | object = _DEFAULT,
) -> LinkResult:
    """``link`` returning columns, for registers where a million Link objects would not fit.

    ``competition``: the shipped competition stage by default, None for the pair model alone.
    """
    job = LinkJob(
        left=left,
        right=right,
        model=model,
        threshold=threshold,
        top_k=top_k,
        max_block=max_block,
        max_candidates=max_candidates,
        workers=workers,
        competition=competition,
    )
    return run_job(job=job, workers=workers, progress=progress)


def link(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    model: Model | None = None,
    threshold: float | None = DEFAULT_THRESHOLD,
    top_k: int = 10,
    max_block: int = MAX_BLOCK,
    max_candidates: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[Link]:
    """Link tracing requests (left) to found children (right).

    Returns, for each right record, its ``top_k`` best-scored candidates plus any other above
    the threshold, with the one-to-one decision. Scores are calibrated probabilities.
    ``workers`` > 1 prepares and scores in forked processes (POSIX only).
    ``max_candidates`` (scored per right record, the best supported by the blocking) defaults
    to ``default_candidates``: 500 up to 160,000 found children, 20 at a million.
    """
    result = link_columns(
        left=left,
        right=right,
        model=model,
        threshold=threshold,
        top_k=top_k,
        max_block=max_block,
        max_candidates=max_candidates,
        workers=workers,
        progress=progress,
    )
    return list(result.links())


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
