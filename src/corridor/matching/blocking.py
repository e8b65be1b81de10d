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
from corridor.matching.gather import Directory, best_supported, birth_middles, run_search
from corridor.matching.keys import (
    _FUZZY_GROUP,
    _GROUP_BITS,
    _GROUP_MASK,
    _NO_INITIAL,
    _NO_YEAR,
    filed_given,
    key_hashes,
    name_table,
    prepared_initials,
    prepared_years,
)
from corridor.matching.runs import ranges, run_starts
from corridor.matching.splits import descend, file_blocks

__all__ = ["BlockIndex", "candidates", "MAX_BLOCK"]

MAX_BLOCK = 100
"""Blocks above this many records are split by more evidence (``splits``). At 1,000,000 records
100 instead of 200 reads a quarter fewer entries per look-up (1.55 million per thousand found
children instead of 2.12) for a tenth less look-up time; dev-scale's F1 and recall@10 and the
dev-large sets' stay within 0.0005."""


class BlockIndex:
    """Left records' blocking keys: sorted distinct key hashes, each with its block of owners.

    No key is dropped for its size. A block above ``max_block`` records (a common surname with
    a common given name, at national scale) is split by more evidence, in two levels (see
    ``splits``); a look-up into a split key reads the sub-blocks its own record allows and the
    unknown one. Numpy arrays are a tenth of the memory of a dict of lists at a million
    records, and a whole batch of look-ups runs as one pass (``gather.Directory``).

    The given-and-family-name keys with their typo neighbourhoods (a hundred per record and
    given name) may be given per distinct full name (``names``: the (record, name id) of each
    record's full names; ``fuzzy``: see ``name_table``) rather than in
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
        names: tuple[np.ndarray, np.ndarray] | None = None,
        fuzzy: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        if first_year is None or last_year is None:
            first_year = np.full(size, _NO_YEAR, dtype=np.int64)
            last_year = first_year - 1
        if initials is None:
            initials = np.full((size, 2), _NO_INITIAL, dtype=np.int64)
        if names is None or fuzzy is None:
            none = np.zeros(0, dtype=np.int64)
            names, fuzzy = (none, none), (hashes[:0], hashes[:0])
        self._file_names(names=names, fuzzy=fuzzy, years=(first_year, last_year))
        self.large_name = self.name_sizes > max_block
        self.births = birth_middles(first_year, last_year)
        hashes, owners, splits = file_blocks(
            hashes,
            owners,
            max_block=max_block,
            years=(first_year, last_year),
            initials=initials,
        )
        first = run_starts(hashes)
        self.split = splits
        self.split_directory = Directory(splits)
        self.split_bits = np.zeros(_SPLIT_BITS_MASK + 1, dtype=bool)
        self.split_bits[(self.split >> _GROUP_BITS) & _SPLIT_BITS_MASK] = True
        self.keys = hashes[first]
        self.key_directory = Directory(self.keys)
        self.sizes = np.diff(np.concatenate((first, [len(hashes)])))
        self.starts = first.astype(np.int64)
        self.owners = owners
        self.size = size

    def _file_names(
        self,
        *,
        names: tuple[np.ndarray, np.ndarray],
        fuzzy: tuple[np.ndarray, np.ndarray],
        years: tuple[np.ndarray, np.ndarray],
    ) -> None:
        """The owners of each full name, by birth year, and the fuzzy keys' blocks of names."""
        named, ids = names
        count = int(ids.max()) + 1 if len(ids) else 0
        self.name_sizes = np.bincount(ids, minlength=count)
        lo, hi = years[0][named], years[1][named]
        span = np.maximum(hi - lo + 1, 0)
        per = np.maximum(span, 1)  # unknown year: filed once, as year 0
        year = np.repeat(lo, per) + ranges(np.zeros(len(per), np.int64), per)
        year = np.where(np.repeat(span == 0, per), 0, _year_code(year))
        codes = np.repeat(ids, per) * _NAME_YEARS + year
        order = np.argsort(codes, kind="stable")
        self.name_codes = codes[order]
        # Where each name's (name, year) codes begin, for ``gather.run_search``.
        self.name_starts = np.searchsorted(self.name_codes, np.arange(count + 2) * _NAME_YEARS)
        self.name_owners = np.repeat(named, per)[order].astype(np.int32)
        keys, key_names = fuzzy
        order = np.argsort(keys, kind="stable")
        keys, key_names = keys[order], key_names[order]
        first = run_starts(keys)
        self.name_keys = keys[first]
        self.name_directory = Directory(self.name_keys)
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
        at, hit = self.name_directory.find(hashes)
        at, askers = at[hit], askers[hit]
        if not len(at):
            return (np.zeros(0, dtype=np.int64),) * 4
        sizes = self.name_key_sizes[at]
        names = self.names[ranges(self.name_key_starts[at], sizes)]
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
        bounds = run_search(
            self.name_codes, self.name_starts, np.stack((base, hi, lo2, hi2)), _NAME_YEAR_BITS
        )
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
            full_names=_prepared_full_names(left),
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
        full_names: tuple[np.ndarray, np.ndarray, Sequence[str]],
        max_block: int,
    ) -> BlockIndex:
        """The index of records given as their key hashes (``counts`` per record, in order),
        birth years, initials and full names (``keys.name_table``'s arguments)."""
        records, pairs, strings = full_names
        names, *fuzzy = name_table(records=records, pairs=pairs, strings=strings)
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
        split[maybe] = self.split_directory.find(hashes[maybe])[1]
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
        return descend(
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
        register size over block size, as in TF-IDF, in eighths; each kind of evidence counted
        once, by its most specific key: ``gather``): a true pair agrees on many pieces of rare
        evidence at once, a chance pair on one or two common ones. Each asker keeps its ``max_candidates`` best supported.
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
        # The typo keys go straight to the names they are filed under (when they are).
        named = (hashes & _GROUP_MASK) == _FUZZY_GROUP
        named &= len(self.name_keys) > 0
        name_ranges = self._name_ranges(hashes[named], askers[named], years=(first_year, last_year))
        hashes, askers = hashes[~named], askers[~named]
        at, hit = self.key_directory.find(hashes)
        at, askers = at[hit], askers[hit]
        # Grouped by asker: ``best_supported`` reads each asker's ranges together.
        by_asker = _group_order(askers)
        at, askers = at[by_asker], askers[by_asker]
        sizes = self.sizes[at]
        weight = _specificity(size=self.size, block=sizes)
        group = self.keys[at] & _GROUP_MASK
        return best_supported(
            askers=len(first_year),
            max_candidates=max_candidates,
            births=(birth_middles(first_year, last_year), self.births),
            parts=(
                (self.owners, (askers, self.starts[at], sizes, (group << 8) | weight)),
                (self.name_owners, name_ranges),
            ),
        )


_SPLIT_BITS_MASK = (1 << 20) - 1
"""A million bits for the split keys' bitmap (a few ten thousand keys at national scale)."""
_NAME_YEAR_BITS = 12
_NAME_YEARS = 1 << _NAME_YEAR_BITS
"""Birth years in a name's owner list: 1 to 4095 from the year 1800, 0 when unknown."""


def _prepared_full_names(left: Sequence[Prepared]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``name_table``'s arguments from prepared records: each given name a request files
    (``filed_given``) with its family name."""
    ids: dict[str, int] = {}
    records, pairs = [], []
    for record, prepared in enumerate(left):
        if not prepared.family_joined:
            continue
        family = ids.setdefault(prepared.family_joined, len(ids))
        for given in filed_given(prepared, query=False):
            records.append(record)
            pairs.append((ids.setdefault(given, len(ids)), family))
    return np.asarray(records, dtype=np.int64), np.asarray(pairs, dtype=np.int64), list(ids)


def _year_code(year: np.ndarray) -> np.ndarray:
    return np.clip(year - 1800, 1, _NAME_YEARS - 1)


def _group_order(askers: np.ndarray) -> np.ndarray:
    """A stable order that groups small asker numbers (a radix sort when they fit 16 bits)."""
    if len(askers) and int(askers.max()) <= np.iinfo(np.int16).max:
        return np.argsort(askers.astype(np.int16), kind="stable")
    return np.argsort(askers, kind="stable")


def _best_of_runs(code: np.ndarray) -> np.ndarray:
    """Of sorted codes whose low byte is a weight, the last (heaviest) of each run that agrees
    on everything above it."""
    above = code >> 8
    return code[np.flatnonzero(np.concatenate((above[1:] != above[:-1], [True])))]


def _specificity(*, size: int, block: np.ndarray) -> np.ndarray:
    """A key's weight in the candidates' support: log of register size over block size, in
    eighths (as in TF-IDF: a rare key says more)."""
    return np.minimum(np.rint(8.0 * np.log((size + 1.0) / block)), 255).astype(np.int64)


def candidates(
    *,
    left: Sequence[Prepared],
    right: Sequence[Prepared],
    max_block: int = MAX_BLOCK,
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
