"""Blocking: which left records each right record is compared with.

Every record is indexed under keys that each join two independent pieces of evidence (names,
birth year, parents, prefecture), so that a true pair meets in some block even when one piece is
badly written; a look-up ranks the left records it meets by how much rare evidence they share.
Pure Python and numpy, no Django.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Sequence

import numpy as np

from corridor.matching.features import Prepared
from corridor.matching.normalise import phonetic_key, token_key

__all__ = [
    "BlockIndex",
    "birth_years",
    "candidates",
    "key_hashes",
    "initial_of",
    "prepared_initials",
    "prepared_years",
    "rank_in_groups",
    "run_starts",
]


def _years(prepared: Prepared, *, widen: int) -> range:
    birth = prepared.birth
    if birth is None:
        return range(0)
    slack = widen if birth.kind == "age" else min(widen, 1)
    return range(math.floor(birth.low) - slack, math.floor(birth.high) + slack + 1)


@functools.lru_cache(maxsize=500_000)
def _fuzzy(token: str) -> np.ndarray:
    """Hashes of a token's key and of its one-deletion neighbourhood on the phonetic key.

    Two spellings one typo apart ("Agbemadon"/"Agbemaodn", "Alassani"/"Aassani") share a
    deletion (SymSpell style), so the pair meets in some block even when both names carry a
    typo.
    """
    key = phonetic_key(token)
    keys = {token_key(token), key}
    if len(key) >= 4:
        keys.update(key[:i] + key[i + 1 :] for i in range(len(key)))
    return np.asarray([hash(("d2", k)) for k in keys], dtype=np.int64).view(np.uint64)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def key_hashes(*, prepared: Prepared, query: bool) -> np.ndarray:
    """64-bit hashes of the keys under which a record is indexed or looked up (``query``).

    Every key joins two independent pieces of evidence (given and family name in either order,
    each up to one typo; a name and a birth year; a name and the mother's; a name and the
    prefecture; the mother and a birth year), so a true pair survives when any one piece is
    badly written. Looking up widens birth years for estimated ages, whose error is in years.

    Python salts string hashes per process: an index and the look-ups into it are hashed in
    one process or in processes forked from it (as ``link``'s workers are).
    """
    names = [k for k in prepared.name_keys if k]
    keys: set[tuple] = set()
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            keys.add(("n2", a, b) if a <= b else ("n2", b, a))
    years = _years(prepared, widen=4 if query else 0)
    mothers = {token_key(t) for t in prepared.mother}
    fathers = {token_key(t) for t in prepared.father[:1]}
    prefecture = prepared.place.prefecture if prepared.place else None
    for a in names:
        for year in years:
            keys.add(("ny", a, year))
        for m in mothers:
            keys.add(("nm", a, m))
        for f in fathers:
            keys.add(("nf", a, f))
        if prefecture:
            keys.add(("np", a, prefecture))
    for m in mothers:
        for year in years:
            keys.add(("my", m, year))
    if prefecture:
        for year in years:
            keys.add(("yp", prepared.sex, year, prefecture))
    hashes = np.fromiter(
        ((hash(key) & ~_GROUP_MASK) | _GROUPS[key[0]] for key in keys),
        dtype=np.int64,
        count=len(keys),
    )
    if prepared.given and prepared.family_joined:
        # Given and family name in either order: a symmetric mix of the two keys' hashes
        # (uint64 arithmetic wraps, as a hash should).
        pairs = np.add.outer(_fuzzy(prepared.given[0]), _fuzzy(prepared.family_joined)) * _GOLDEN
        pairs = (pairs.ravel().view(np.int64) & ~_GROUP_MASK) | _FUZZY_GROUP
        hashes = np.unique(np.concatenate((hashes, pairs)))
    return hashes


_GROUP_BITS = 3
_GROUP_MASK = (1 << _GROUP_BITS) - 1
_GROUPS = {"n2": 0, "ny": 1, "nm": 2, "nf": 3, "np": 4, "my": 5, "yp": 6}
_FUZZY_GROUP = 7
"""The kind of evidence a key joins, in the low bits of its hash: a look-up counts each kind
once (its most specific key), so that an exactly written common name, which shares every one of
its typo keys, does not outweigh a rarer mother's name or birth year."""


_NO_YEAR = -1
_INITIAL_GROUPS = np.asarray([1, 5, 6], dtype=np.int64)
"""Kinds of key that hold a birth year already ("ny", "my", "yp"): a large block of one of
these (a common given name born in one year, at national scale) is split by the initial of
the family name's phonetic key rather than by year, and a look-up reads the sub-blocks of its
own readings' initials (family name, and first given name for a swapped entry) and the
unknown one: a cheap pre-ranking that reads a tenth of the block."""
_NO_INITIAL = -1
_INITIAL_BASE = 1 << 20


def birth_years(*, low: np.ndarray, high: np.ndarray, age: np.ndarray, query: bool):
    """First and last birth year of each record (-1, -2 when unknown: an empty range).

    A look-up (``query``) widens the years as ``key_hashes`` does: four years for an estimated
    age, one for a written date or year.
    """
    known = np.isfinite(low) & np.isfinite(high)
    first = np.where(known, np.floor(np.nan_to_num(low)), 0).astype(np.int64)
    last = np.where(known, np.floor(np.nan_to_num(high)), 0).astype(np.int64)
    if query:
        slack = np.where(age, 4, 1)
        first, last = first - slack, last + slack
    return np.where(known, first, _NO_YEAR), np.where(known, last, _NO_YEAR - 1)


def _refine(hashes: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Hash of (key, birth year): the sub-block of a large block holding one birth year."""
    mixed = (hashes.view(np.uint64) ^ (years.astype(np.uint64) + np.uint64(0x51ED27))) * _GOLDEN
    mixed = (mixed ^ (mixed >> np.uint64(29))).view(np.int64)
    return (mixed & ~_GROUP_MASK) | (hashes & _GROUP_MASK)


class BlockIndex:
    """Left records' blocking keys: sorted distinct key hashes, each with its block of owners.

    No key is dropped for its size. A block above ``max_block`` records (a common surname with
    a common given name, at national scale) is split by birth year: each owner is filed under
    (key, year) for every year of its birth range, or (key, unknown year); a look-up into a
    split key reads the sub-blocks of the years its own birth range allows (widened as for
    the "name and year" keys) and the unknown-year one. Numpy arrays are a tenth of the memory
    of a dict of lists at a million records, and a whole batch of look-ups runs as one
    ``searchsorted``.
    """

    def __init__(
        self,
        *,
        hashes: np.ndarray,
        owners: np.ndarray,
        size: int,
        max_block: int,
        first_year: np.ndarray | None = None,
        last_year: np.ndarray | None = None,
        initials: np.ndarray | None = None,
    ):
        order = np.argsort(hashes, kind="stable")
        hashes, owners = hashes[order], owners[order]
        del order
        first = run_starts(hashes)
        sizes = np.diff(np.concatenate((first, [len(hashes)])))
        large = np.repeat(sizes > max_block, sizes)
        self.split = hashes[first][sizes > max_block]
        if first_year is None or last_year is None:
            first_year = np.full(size, _NO_YEAR, dtype=np.int64)
            last_year = first_year - 1
        if large.any():
            big_hashes, big_owners = hashes[large], owners[large]
            hashes, owners = hashes[~large], owners[~large]
            lo, hi = first_year[big_owners], last_year[big_owners]
            span = np.maximum(hi - lo + 1, 0)
            count = np.maximum(span, 1)  # unknown year: one sub-block of its own
            by_initial = np.isin(big_hashes & _GROUP_MASK, _INITIAL_GROUPS)
            count[by_initial] = 1
            refined_years = np.repeat(lo, count) + _ranges(np.zeros(len(count), np.int64), count)
            refined_years[np.repeat(span == 0, count)] = _NO_YEAR
            if initials is None:
                initials = np.full((size, 1), _NO_INITIAL, dtype=np.int64)
            # Keys that hold a year already are split by the initial of the family name.
            refined_years[np.repeat(by_initial, count)] = (
                _INITIAL_BASE + initials[big_owners[by_initial], 0]
            )
            refined = _refine(np.repeat(big_hashes, count), refined_years)
            hashes = np.concatenate((hashes, refined))
            owners = np.concatenate((owners, np.repeat(big_owners, count)))
            del big_hashes, big_owners, refined, refined_years
            order = np.argsort(hashes, kind="stable")
            hashes, owners = hashes[order], owners[order]
            del order
            first = run_starts(hashes)
            sizes = np.diff(np.concatenate((first, [len(hashes)])))
        self.keys, self.sizes = hashes[first], sizes
        self.starts = first.astype(np.int64)
        self.owners = owners
        self.size = size
        self.owner_bits = max(1, int(size).bit_length())

    @classmethod
    def of(cls, *, left: Sequence[Prepared], max_block: int) -> BlockIndex:
        hashes = [key_hashes(prepared=prepared, query=False) for prepared in left]
        counts = [len(h) for h in hashes]
        first_year, last_year = prepared_years(left, query=False)
        return cls(
            hashes=np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64),
            owners=np.repeat(np.arange(len(left), dtype=np.int32), counts),
            size=len(left),
            max_block=max_block,
            first_year=first_year,
            last_year=last_year,
            initials=prepared_initials(left, query=False),
        )

    def expand(
        self,
        *,
        hashes: np.ndarray,
        askers: np.ndarray,
        first_year: np.ndarray,
        last_year: np.ndarray,
        initials: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Look-up hashes with every split key replaced by its sub-blocks' hashes.

        ``first_year``/``last_year`` are indexed by asker (the widened birth years of each),
        ``initials`` too (see ``name_initials``).
        """
        if not len(self.split) or not len(hashes):
            return hashes, askers
        at = np.minimum(np.searchsorted(self.split, hashes), len(self.split) - 1)
        is_split = self.split[at] == hashes
        if not is_split.any():
            return hashes, askers
        big, big_askers = hashes[is_split], askers[is_split]
        lo, hi = first_year[big_askers], last_year[big_askers]
        span = np.maximum(hi - lo + 1, 0)
        count = span + 1  # the years, then the unknown-year sub-block
        by_initial = np.isin(big & _GROUP_MASK, _INITIAL_GROUPS)
        if initials is None:
            initials = np.full((len(first_year), 1), _NO_INITIAL, dtype=np.int64)
        width = initials.shape[1]
        count[by_initial] = width + 1  # each reading's initial, then the unknown one
        years = np.repeat(lo, count) + _ranges(np.zeros(len(count), np.int64), count)
        last = np.cumsum(count) - 1
        years[last] = _NO_YEAR
        if by_initial.any():
            rows = initials[big_askers[by_initial]]
            starts = (last - count + 1)[by_initial]
            for column in range(width):
                years[starts + column] = _INITIAL_BASE + rows[:, column]
            years[last[by_initial]] = _INITIAL_BASE + _NO_INITIAL
        refined = _refine(np.repeat(big, count), years)
        return (
            np.concatenate((hashes[~is_split], refined)),
            np.concatenate((askers[~is_split], np.repeat(big_askers, count))),
        )

    def lookup(
        self,
        *,
        hashes: np.ndarray,
        askers: np.ndarray,
        max_candidates: int,
        first_year: np.ndarray | None = None,
        last_year: np.ndarray | None = None,
        initials: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Candidates of a batch of queries: (asker, left index) arrays, each asker's best first.

        ``askers`` (small integers, one per query hash) say whose key each hash is. A candidate's
        support is the sum of the specificities of the keys it shares with the asker (log of
        register size over block size, as in TF-IDF, in eighths so that one integer sort
        groups and ranks): a true pair agrees on many pieces of rare evidence at once, a chance
        pair on one or two common ones. Each asker keeps its ``max_candidates`` best supported.
        ``first_year``/``last_year`` (per asker, see ``birth_years``) choose the sub-blocks of
        split keys; without them an asker reads only their unknown-year sub-blocks.
        """
        if first_year is None or last_year is None:
            first_year = np.full(int(askers.max()) + 1 if len(askers) else 0, _NO_YEAR)
            last_year = first_year - 1
        hashes, askers = self.expand(
            hashes=hashes,
            askers=askers,
            first_year=first_year,
            last_year=last_year,
            initials=initials,
        )
        if not len(self.keys) or not len(hashes):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        order = np.argsort(hashes)  # sorted look-ups walk the index in order: 7x faster
        hashes, askers = hashes[order], askers[order]
        at = np.minimum(np.searchsorted(self.keys, hashes), len(self.keys) - 1)
        hit = self.keys[at] == hashes
        at, askers = at[hit], askers[hit]
        if not len(at):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        sizes = self.sizes[at]
        lefts = self.owners[_ranges(self.starts[at], sizes)].astype(np.int64)
        weight = np.minimum(np.rint(8.0 * np.log((self.size + 1.0) / sizes)), 255).astype(np.int64)
        group = self.keys[at] & _GROUP_MASK
        bits = self.owner_bits
        shift = 8 + _GROUP_BITS
        code = (np.repeat(askers.astype(np.int64), sizes) << (bits + shift)) | (lefts << shift)
        code |= np.repeat((group << 8) | weight, sizes)
        del lefts
        code.sort()
        # Each kind of evidence counts once, by its most specific key (the last of its run).
        kind = code >> 8
        last = np.flatnonzero(np.concatenate((kind[1:] != kind[:-1], [True])))
        code = code[last]
        pair = code >> shift
        first = run_starts(pair)
        support = np.minimum(np.add.reduceat(code & 255, first), 65_535)
        pair = pair[first]
        del code, kind
        asker = pair >> bits
        # Rank within each asker: best support first, ties by left index (one integer sort).
        rank_code = (
            (asker << (16 + bits)) | ((65_535 - support) << bits) | (pair & ((1 << bits) - 1))
        )
        rank_code.sort()
        asker = rank_code >> (16 + bits)
        left = rank_code & ((1 << bits) - 1)
        keep = rank_in_groups(asker) < max_candidates
        return asker[keep], left[keep]


def run_starts(values: np.ndarray) -> np.ndarray:
    """Indices where a run of equal values begins in a sorted array (none when empty)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))


def rank_in_groups(groups: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values (``groups`` sorted)."""
    starts = run_starts(groups)
    run_lengths = np.diff(np.concatenate((starts, [len(groups)])))
    return np.arange(len(groups)) - np.repeat(starts, run_lengths)


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Concatenated ``range(start, start + size)`` for every pair, as one array."""
    total = int(sizes.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return offsets + np.arange(total)


def initial_of(key: str) -> int:
    """The initial of a phonetic key as an integer (``_NO_INITIAL`` when empty)."""
    return ord(key[0]) if key else _NO_INITIAL


def prepared_initials(records: Sequence[Prepared], *, query: bool) -> np.ndarray:
    """Initials of the family name's phonetic key (an owner's), and of the first given name
    (a look-up's second reading, for a swapped entry): one row per record."""
    rows = []
    for r in records:
        family = initial_of(phonetic_key(r.family_joined or ""))
        if query:
            given = initial_of(phonetic_key(r.given[0])) if r.given else _NO_INITIAL
            rows.append((family, given))
        else:
            rows.append((family,))
    return np.asarray(rows, dtype=np.int64).reshape(len(records), 2 if query else 1)


def prepared_years(records: Sequence[Prepared], *, query: bool) -> tuple[np.ndarray, np.ndarray]:
    """``birth_years`` of prepared records."""
    low = np.asarray([r.birth.low if r.birth else np.nan for r in records], dtype=np.float64)
    high = np.asarray([r.birth.high if r.birth else np.nan for r in records], dtype=np.float64)
    age = np.asarray([bool(r.birth and r.birth.kind == "age") for r in records], dtype=bool)
    return birth_years(low=low, high=high, age=age, query=query)


def candidates(
    *,
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    max_block: int = 200,
    max_candidates: int = 100,
    batch: int = 5_000,
    index: BlockIndex | None = None,
) -> Iterator[tuple[int, list[int]]]:
    """Yield (right index, left indices) for every right record, best-supported first.

    The candidates ``link`` scores, for callers holding prepared records (the web app's
    ranking and duplicate detection, training). See ``BlockIndex.lookup``.
    """
    index = index or BlockIndex.of(left=left, max_block=max_block)
    for start in range(0, len(right), batch):
        stop = min(start + batch, len(right))
        hashes = [key_hashes(prepared=right[j], query=True) for j in range(start, stop)]
        first_year, last_year = prepared_years(right[start:stop], query=True)
        asker, lefts = index.lookup(
            hashes=np.concatenate(hashes),
            askers=np.repeat(np.arange(stop - start, dtype=np.int64), [len(h) for h in hashes]),
            max_candidates=max_candidates,
            first_year=first_year,
            last_year=last_year,
            initials=prepared_initials(right[start:stop], query=True),
        )
        bounds = np.searchsorted(asker, np.arange(stop - start + 1))
        lefts_list = lefts.tolist()
        for j in range(start, stop):
            yield j, lefts_list[bounds[j - start] : bounds[j - start + 1]]
