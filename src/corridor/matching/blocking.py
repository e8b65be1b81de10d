"""Blocking: which left records each right record is compared with.

Every record is indexed under its keys (``keys``), a large block split by more evidence, so that
a true pair meets in some block even when one piece is badly written; a look-up ranks the left
records it meets by how much rare evidence they share.
Pure Python and numpy, no Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from corridor.matching.features import Prepared
from corridor.matching.keys import (
    _FUZZY_GROUP,
    _GOLDEN,
    _GROUP_BITS,
    _GROUP_MASK,
    _NO_INITIAL,
    _NO_YEAR,
    key_hashes,
    name_table,
    prepared_initials,
    prepared_years,
)

__all__ = [
    "BlockIndex",
    "candidates",
    "rank_in_groups",
    "run_starts",
]


_YEAR_GROUPS = np.asarray([1, 5, 6], dtype=np.int64)
"""Kinds of key that hold a birth year already ("ny", "my", "yp")."""
_YEAR, _INITIALS, _PREFIXES = 0, 1, 2
_SPLITS = ((_INITIALS, _PREFIXES), (_YEAR, _INITIALS))
"""How a large block is split, level by level, for a key that holds a year (first row) and
for the others (second row). A block above the limit is split by birth year, or, for a key
that holds a year already, by the unordered pair of the initials of the family name and of the
first given name: a swapped entry reads the same sub-block, and a block of one surname born in
one year is split by given name as one of a given name is by surname. A sub-block still above
the limit (a common given name born in one year with a family name in A, at national scale)
is split again, by that pair of initials, or for a key that holds a year by the pair of both
names' first two letters. A look-up also reads the sub-blocks of an unknown year or name: a
pre-ranking that reads a small part of a large block and drops no key."""
_INITIAL_BASE = 1 << 40
_PREFIX_BASE = 1 << 41


def _refine(hashes: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Hash of (key, birth year or initial): one sub-block of a large block.

    Computed in place on one copy: at 1,000,000 records the filing refines fifteen million
    hashes, and each temporary array is another 116 MB at the index's peak."""
    mixed = years.astype(np.uint64)
    mixed += np.uint64(0x51ED27)
    mixed ^= hashes.view(np.uint64)
    mixed *= _GOLDEN
    mixed ^= mixed >> np.uint64(29)
    out = mixed.view(np.int64)
    out &= ~_GROUP_MASK
    out |= hashes & _GROUP_MASK
    return out


def _sub_blocks(
    hashes: np.ndarray,
    who: np.ndarray,
    *,
    level: int,
    years: tuple[np.ndarray, np.ndarray],
    initials: np.ndarray,
    query: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The sub-block hashes of split keys at one level, and whose each is (an index into
    ``hashes``).

    An owner is filed under each year of its birth range (or the unknown year), or under the
    pair of its names' initials (or first two letters); a look-up (``query``) reads each of
    its widened years and the unknown year, or its pair, each of its names with an unknown
    one, and the unknown pair.
    """
    kind = np.where(
        np.isin(hashes & _GROUP_MASK, _YEAR_GROUPS), _SPLITS[0][level], _SPLITS[1][level]
    )
    by_year = kind == _YEAR
    lo, hi = years[0][who], years[1][who]
    span = np.maximum(hi - lo + 1, 0)
    if query:
        count = np.where(by_year, span + 1, len(_PAIR_READINGS))
    else:
        count = np.where(by_year, np.maximum(span, 1), 1)
    values = _ranges(np.zeros(len(count), np.int64), count)
    values += np.repeat(lo, count)
    starts = np.cumsum(count) - count
    if query:
        values[(starts + count - 1)[by_year]] = _NO_YEAR
    else:
        values[starts[by_year & (span == 0)]] = _NO_YEAR
    del lo, hi, span, by_year
    for name_kind, shift, base in _NAME_SPLITS:
        these = kind == name_kind
        if not these.any():
            continue
        rows = initials[who[these]]
        family, given = np.where(rows >= 0, (rows >> shift) + 1, 0).T
        codes = (family, given, np.zeros_like(family))
        readings = _PAIR_READINGS if query else _PAIR_READINGS[:1]
        for column, (one, other) in enumerate(readings):
            values[starts[these] + column] = base + _pair(codes[one], codes[other])
    del kind, starts
    rows_of = np.repeat(np.arange(len(hashes)), count)
    del count
    return _refine(hashes[rows_of], values), rows_of


def _descend(
    hashes: np.ndarray,
    who: np.ndarray,
    *,
    large_of,
    years: tuple[np.ndarray, np.ndarray],
    initials: np.ndarray,
    query: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Every hash of a split key (``large_of`` says which) replaced by its sub-blocks', level
    by level (see ``_SPLITS``), for owners filed or askers looking up (``query``)."""
    done_hashes, done_who = [], []
    for level in range(len(_SPLITS[0])):
        large = large_of(hashes)
        done_hashes.append(hashes[~large])
        done_who.append(who[~large])
        if not large.any():
            hashes, who = hashes[:0], who[:0]
            break
        big = who[large]
        hashes, rows = _sub_blocks(
            hashes[large], big, level=level, years=years, initials=initials, query=query
        )
        who = big[rows]
    return np.concatenate((*done_hashes, hashes)), np.concatenate((*done_who, who))


def _file_blocks(
    hashes: np.ndarray,
    owners: np.ndarray,
    *,
    max_block: int,
    years: tuple[np.ndarray, np.ndarray],
    initials: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Owners' hashes sorted, every block above ``max_block`` replaced by its sub-blocks level
    by level (see ``_SPLITS``), with their owners; and the sorted hashes of the split keys.

    ``_descend`` for filing: one sort finds the large blocks and orders the rest, and only
    the sub-blocks are sorted again and merged in (at 1,000,000 records this took a third of
    the time of finding the large blocks with ``np.unique`` and sorting all at the end).
    Owners within a block are in no particular order.
    """
    order = np.argsort(hashes, kind="stable")  # measured: a third faster than quicksort here
    hashes, owners = hashes[order], owners[order]
    del order
    done, splits = [], []
    for level in range(len(_SPLITS[0])):
        first = run_starts(hashes)
        sizes = np.diff(np.concatenate((first, [len(hashes)])))
        large_block = sizes > max_block
        if not large_block.any():
            break
        large = np.repeat(large_block, sizes)
        splits.append(hashes[first[large_block]])
        done.append((hashes[~large], owners[~large]))
        # Only the large blocks are kept while their sub-blocks are built (the peak).
        hashes, big = hashes[large], owners[large]
        del owners, large, first, sizes
        hashes, rows = _sub_blocks(
            hashes, big, level=level, years=years, initials=initials, query=False
        )
        order = np.argsort(hashes, kind="stable")
        hashes, owners = hashes[order], big[rows[order]]
        del order, rows, big
    for done_hashes, done_owners in reversed(done):
        hashes, owners = _merge_sorted((done_hashes, done_owners), (hashes, owners))
    split = np.sort(np.concatenate(splits)) if splits else np.zeros(0, np.int64)
    return hashes, owners, split


def _merge_sorted(
    one: tuple[np.ndarray, np.ndarray], other: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Two sorted hash arrays, each with its owners, merged into one."""
    total = len(one[0]) + len(other[0])
    at = np.searchsorted(one[0], other[0], side="right") + np.arange(len(other[0]))
    rest = np.ones(total, dtype=bool)
    rest[at] = False
    merged = []
    for first, second in zip(one, other, strict=True):
        out = np.empty(total, dtype=np.result_type(first, second))
        out[at], out[rest] = second, first
        merged.append(out)
    return merged[0], merged[1]


_PAIR_READINGS = ((0, 1), (0, 2), (1, 2), (2, 2))
"""The pairs an owner is filed under (the first) and a look-up reads (all), as indices into
(the family name's code, the first given name's, unknown)."""
_NAME_SPLITS = ((_INITIALS, 8, _INITIAL_BASE), (_PREFIXES, 0, _PREFIX_BASE))
"""Each split by names: its kind, the shift from a two-letter code to what it compares, and the
base that keeps its sub-blocks apart from the others'."""


def _pair(one: np.ndarray, other: np.ndarray) -> np.ndarray:
    """An unordered pair of two name codes (0 for unknown, below 65,537) as one integer."""
    return np.minimum(one, other) * 65_537 + np.maximum(one, other)


class BlockIndex:
    """Left records' blocking keys: sorted distinct key hashes, each with its block of owners.

    No key is dropped for its size. A block above ``max_block`` records (a common surname with
    a common given name, at national scale) is split by more evidence, in two levels (see
    ``_SPLITS``); a look-up into a split key reads the sub-blocks its own record allows and the
    unknown one. Numpy arrays are a tenth of the memory of a dict of lists at a million
    records, and a whole batch of look-ups runs as one ``searchsorted``.

    The given-and-family-name keys with their typo neighbourhoods (a hundred per record) may
    be given per distinct full name (``names``, ``fuzzy``: see ``name_table``) rather than in
    ``hashes``: a block then lists names, and a look-up reads each name it meets once, then
    that name's owners, instead of reading every namesake once per shared key (at 1,000,000
    records, 190 entries per look-up instead of 2,200). Where no block is above ``max_block``
    the candidates are the same as with every key filed per record (a test holds them equal).
    Such blocks are not split: a name's owners are read whole, unless the name alone is borne
    by more than ``max_block`` owners, of whom a look-up reads those of its own birth years
    and of an unknown one.
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
        names: np.ndarray | None = None,
        fuzzy: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        if first_year is None or last_year is None:
            first_year = np.full(size, _NO_YEAR, dtype=np.int64)
            last_year = first_year - 1
        if initials is None:
            initials = np.full((size, 2), _NO_INITIAL, dtype=np.int64)
        if names is None or fuzzy is None:
            names, fuzzy = np.full(size, -1, dtype=np.int64), (hashes[:0], hashes[:0])
        self._file_names(names=names, fuzzy=fuzzy, years=(first_year, last_year))
        self.large_name = self.name_sizes > max_block
        hashes, owners, splits = _file_blocks(
            hashes,
            owners,
            max_block=max_block,
            years=(first_year, last_year),
            initials=initials,
        )
        first = run_starts(hashes)
        self.split = splits
        self.split_bits = np.zeros(_SPLIT_BITS_MASK + 1, dtype=bool)
        self.split_bits[(self.split >> _GROUP_BITS) & _SPLIT_BITS_MASK] = True
        self.keys = hashes[first]
        self.sizes = np.diff(np.concatenate((first, [len(hashes)])))
        self.starts = first.astype(np.int64)
        self.owners = owners
        self.size = size
        self.owner_bits = max(1, int(size).bit_length())

    def _file_names(
        self,
        *,
        names: np.ndarray,
        fuzzy: tuple[np.ndarray, np.ndarray],
        years: tuple[np.ndarray, np.ndarray],
    ) -> None:
        """The owners of each full name, by birth year, and the fuzzy keys' blocks of names."""
        named = np.flatnonzero(names >= 0)
        count = int(names.max()) + 1 if len(named) else 0
        self.name_sizes = np.bincount(names[named], minlength=count)
        lo, hi = years[0][named], years[1][named]
        span = np.maximum(hi - lo + 1, 0)
        per = np.maximum(span, 1)  # unknown year: filed once, as year 0
        year = np.repeat(lo, per) + _ranges(np.zeros(len(per), np.int64), per)
        year = np.where(np.repeat(span == 0, per), 0, _year_code(year))
        codes = np.repeat(names[named], per) * _NAME_YEARS + year
        order = np.argsort(codes, kind="stable")
        self.name_codes = codes[order]
        self.name_owners = np.repeat(named, per)[order].astype(np.int32)
        keys, key_names = fuzzy
        order = np.argsort(keys, kind="stable")
        keys, key_names = keys[order], key_names[order]
        first = run_starts(keys)
        self.name_keys = keys[first]
        self.name_key_starts = first.astype(np.int64)
        self.name_key_sizes = np.diff(np.concatenate((first, [len(keys)])))
        self.name_key_owners = (
            np.add.reduceat(self.name_sizes[key_names], first) if len(first) else first
        )
        self.names = key_names

    def _name_ranges(
        self,
        hashes: np.ndarray,
        askers: np.ndarray,
        *,
        years: tuple[np.ndarray, np.ndarray],
    ) -> tuple[np.ndarray, ...]:
        """``lookup``'s ranges (asker, start, size, kind and weight) of ``name_owners`` read by
        the fuzzy keys, filed by name, grouped by asker: each name an asker meets once, by its
        most specific key, then its owners (of a name borne by more than ``max_block`` owners,
        those of the asker's birth years and of an unknown year)."""
        at, hit = _find(self.name_keys, hashes)
        at, askers = at[hit], askers[hit]
        if not len(at):
            return (np.zeros(0, dtype=np.int64),) * 4
        sizes = self.name_key_sizes[at]
        names = self.names[_ranges(self.name_key_starts[at], sizes)]
        weight = _specificity(size=self.size, block=self.name_key_owners[at])
        name_bits = max(1, len(self.name_sizes).bit_length())
        code = (np.repeat(askers.astype(np.int64), sizes) << (name_bits + 8)) | (names << 8)
        code |= np.repeat(weight, sizes)
        code.sort()
        code = _best_of_runs(code)
        askers = code >> (name_bits + 8)
        names, weight = (code >> 8) & ((1 << name_bits) - 1), code & 255
        # Two ranges of (name, year) codes each: a whole name, or its unknown year and the
        # asker's years.
        base = names * _NAME_YEARS
        large = self.large_name[names]
        hi = np.where(large, base + 1, base + _NAME_YEARS)
        known = large & (years[0][askers] <= years[1][askers])
        lo2 = np.where(known, base + _year_code(years[0][askers]), base)
        hi2 = np.where(known, base + _year_code(years[1][askers]) + 1, base)
        bounds = np.searchsorted(self.name_codes, np.stack((base, hi, lo2, hi2)))
        # Each name's two ranges side by side, so that they stay grouped by asker.
        starts = np.stack((bounds[0], bounds[2]), axis=1).ravel()
        counts = np.stack((bounds[1] - bounds[0], bounds[3] - bounds[2]), axis=1).ravel()
        return np.repeat(askers, 2), starts, counts, np.repeat((_FUZZY_GROUP << 8) | weight, 2)

    @classmethod
    def of(cls, *, left: Sequence[Prepared], max_block: int) -> BlockIndex:
        hashes = [key_hashes(prepared=prepared, query=False, fuzzy=False) for prepared in left]
        return cls.filed(
            hashes=np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64),
            counts=np.asarray([len(h) for h in hashes], dtype=np.int64),
            years=prepared_years(left, query=False),
            initials=prepared_initials(left),
            full_names=[
                (p.given[0], p.family_joined) if p.given and p.family_joined else None for p in left
            ],
            max_block=max_block,
        )

    @classmethod
    def filed(
        cls,
        *,
        hashes: np.ndarray,
        counts: np.ndarray,
        years: tuple[np.ndarray, np.ndarray],
        initials: np.ndarray,
        full_names: Sequence[tuple[str, str] | None],
        max_block: int,
    ) -> BlockIndex:
        """The index of records given as their key hashes (``counts`` per record, in order),
        birth years, initials and full names (see ``keys``)."""
        names, *fuzzy = name_table(full_names)
        return cls(
            hashes=hashes,
            owners=np.repeat(np.arange(len(counts), dtype=np.int32), counts),
            size=len(counts),
            max_block=max_block,
            first_year=years[0],
            last_year=years[1],
            initials=initials,
            names=names,
            fuzzy=tuple(fuzzy),
        )

    def _is_split(self, hashes: np.ndarray) -> np.ndarray:
        """Whether each hash is a split key: a bitmap of the split keys' hashes rules most out
        at once, a search settles the rest."""
        maybe = np.flatnonzero(self.split_bits[(hashes >> _GROUP_BITS) & _SPLIT_BITS_MASK])
        split = np.zeros(len(hashes), dtype=bool)
        split[maybe] = _find(self.split, hashes[maybe])[1]
        return split

    def expand(
        self,
        *,
        hashes: np.ndarray,
        askers: np.ndarray,
        first_year: np.ndarray,
        last_year: np.ndarray,
        initials: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Look-up hashes with every split key replaced by its sub-blocks' hashes, level by
        level.

        ``first_year``/``last_year`` are indexed by asker (the widened birth years of each),
        ``initials`` too (see ``prepared_initials``).
        """
        if not len(self.split) or not len(hashes):
            return hashes, askers
        if initials is None:
            initials = np.full((len(first_year), 2), _NO_INITIAL, dtype=np.int64)
        # A sub-block read twice (a family and a given name of the same initial, nearly always
        # an empty one) adds the same codes twice, which the look-up's sort folds into one.
        return _descend(
            hashes,
            askers,
            large_of=self._is_split,
            years=(first_year, last_year),
            initials=initials,
            query=True,
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
        order = np.argsort(hashes)  # sorted look-ups walk the index in order: 7x faster
        hashes, askers = hashes[order], askers[order]
        # The typo keys go straight to the names they are filed under (when they are).
        named = (hashes & _GROUP_MASK) == _FUZZY_GROUP
        named &= len(self.name_keys) > 0
        name_ranges = self._name_ranges(hashes[named], askers[named], years=(first_year, last_year))
        hashes, askers = hashes[~named], askers[~named]
        at, hit = _find(self.keys, hashes)
        at, askers = at[hit], askers[hit]
        # Grouped by asker again (the codes are sorted asker by asker below).
        by_asker = _group_order(askers)
        at, askers = at[by_asker], askers[by_asker]
        sizes = self.sizes[at]
        weight = _specificity(size=self.size, block=sizes)
        group = self.keys[at] & _GROUP_MASK
        bits = self.owner_bits
        shift = 8 + _GROUP_BITS
        code = _sort_by_asker(
            (
                (self.owners, (askers, self.starts[at], sizes, (group << 8) | weight)),
                (self.name_owners, name_ranges),
            ),
            askers=len(first_year),
            shift=shift,
            asker_shift=bits + shift,
        )
        if not len(code):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # Each kind of evidence counts once, by its most specific key.
        code = _best_of_runs(code)
        pair = code >> shift
        first = run_starts(pair)
        support = np.minimum(np.add.reduceat(code & 255, first), 65_535)
        pair = pair[first]
        del code
        asker = pair >> bits
        # Only the pairs that can be among an asker's best are ranked (a tenth of them).
        likely = _among_best(asker, support, max_candidates)
        asker, support, pair = asker[likely], support[likely], pair[likely]
        # Rank within each asker: best support first, ties by left index (one integer sort).
        rank_code = (
            (asker << (16 + bits)) | ((65_535 - support) << bits) | (pair & ((1 << bits) - 1))
        )
        rank_code.sort()
        asker = rank_code >> (16 + bits)
        left = rank_code & ((1 << bits) - 1)
        keep = rank_in_groups(asker) < max_candidates
        return asker[keep], left[keep]


_SPLIT_BITS_MASK = (1 << 20) - 1
"""A million bits for the split keys' bitmap (a few ten thousand keys at national scale)."""
_NAME_YEARS = 4096
"""Birth years in a name's owner list: 1 to 4095 from the year 1800, 0 when unknown."""


def _year_code(year: np.ndarray) -> np.ndarray:
    return np.clip(year - 1800, 1, _NAME_YEARS - 1)


def _among_best(asker: np.ndarray, support: np.ndarray, count: int) -> np.ndarray:
    """Which pairs may be among their asker's ``count`` best supported: those in a band of
    support (eight points wide) at or above the band where the asker's ``count``-th best lies.

    A superset of the best, found with one count per (asker, band) instead of a sort.
    """
    if not len(asker):
        return np.zeros(0, dtype=bool)
    band = np.minimum(support >> 3, _BANDS - 1)
    askers = int(asker.max()) + 1
    above = np.bincount(asker * _BANDS + (_BANDS - 1 - band), minlength=askers * _BANDS)
    reached = np.cumsum(above.reshape(askers, _BANDS), axis=1) >= count
    lowest = np.where(reached.any(axis=1), _BANDS - 1 - reached.argmax(axis=1), 0)
    return band >= lowest[asker]


_BANDS = 256


def _group_order(askers: np.ndarray) -> np.ndarray:
    """A stable order that groups small asker numbers (a radix sort when they fit 16 bits)."""
    if len(askers) and int(askers.max()) <= np.iinfo(np.int16).max:
        return np.argsort(askers.astype(np.int16), kind="stable")
    return np.argsort(askers, kind="stable")


def _sort_by_asker(
    parts: Sequence[tuple[np.ndarray, tuple[np.ndarray, ...]]],
    *,
    askers: int,
    shift: int,
    asker_shift: int,
) -> np.ndarray:
    """A look-up's codes (asker, owner, kind, weight), sorted, from ranges of owner arrays.

    Each part is an owner array and its ranges (asker, start, size, kind and weight), grouped
    by asker; a range's codes are ``asker << asker_shift | owner << shift | kind and weight``.
    Half of a look-up's time went to sorting these codes as one array (two million per
    thousand askers at 1,000,000 records): they are built below the asker, gathered and sorted
    asker by asker, a few thousand at a time, in cache, as 32-bit numbers where they fit
    (registers of up to two million records). The same order in less than half the time.
    """
    dtype = np.uint32 if asker_shift <= 32 else np.int64
    lows, bounds = [], []
    for owners, (who, starts, sizes, tags) in parts:
        low = owners[_ranges(starts, sizes)].astype(dtype)
        low <<= dtype(shift)
        low |= np.repeat(tags.astype(dtype), sizes)
        lows.append(low)
        ends = np.concatenate(([0], np.cumsum(sizes)))
        bounds.append(ends[np.searchsorted(who, np.arange(askers + 1))].tolist())
    counts = np.sum([np.diff(bound) for bound in bounds], axis=0).astype(np.int64)
    out = np.empty(int(counts.sum()), dtype=dtype)
    at = 0
    for asker in range(askers):
        first = at
        for low, bound in zip(lows, bounds, strict=True):
            size = bound[asker + 1] - bound[asker]
            out[at : at + size] = low[bound[asker] : bound[asker + 1]]
            at += size
        out[first:at].sort()
    high = np.repeat(np.arange(askers, dtype=np.int64) << asker_shift, counts)
    return high | out


def _best_of_runs(code: np.ndarray) -> np.ndarray:
    """Of sorted codes whose low byte is a weight, the last (heaviest) of each run that agrees
    on everything above it."""
    above = code >> 8
    return code[np.flatnonzero(np.concatenate((above[1:] != above[:-1], [True])))]


def _find(keys: np.ndarray, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each hash is in sorted ``keys``, and whether it is there at all."""
    if not len(keys):
        return np.zeros(len(hashes), dtype=np.int64), np.zeros(len(hashes), dtype=bool)
    at = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
    return at, keys[at] == hashes


def _specificity(*, size: int, block: np.ndarray) -> np.ndarray:
    """A key's weight in the candidates' support: log of register size over block size, in
    eighths (as in TF-IDF: a rare key says more)."""
    return np.minimum(np.rint(8.0 * np.log((size + 1.0) / block)), 255).astype(np.int64)


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
    offsets += np.arange(total)
    return offsets


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
            initials=prepared_initials(right[start:stop]),
        )
        bounds = np.searchsorted(asker, np.arange(stop - start + 1))
        lefts_list = lefts.tolist()
        for j in range(start, stop):
            yield j, lefts_list[bounds[j - start] : bounds[j - start + 1]]
