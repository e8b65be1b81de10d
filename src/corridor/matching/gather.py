"""A look-up's compiled parts: where its key hashes are in the index (``Directory``), then per
asker the support of every left record its keys meet, and the best supported of them.

``blocking.BlockIndex.lookup`` finds the blocks a batch of askers reads; each block is a range
of an owner array with a kind of evidence and a weight. A left record met by several keys of
one kind counts that kind once, by its heaviest key; its support is the sum over kinds. At
1,000,000 records a thousand askers read one and a half million entries to keep forty each:
sorting them as integers (asker, owner, kind, weight) took most of the look-up's time. Here
each asker's entries go into a small hash table (owner to its weight per kind) that stays in
cache, and its best are picked by a partial sort. The same candidates, in the same order, as
the sort (a test holds them equal). Compiled by numba on first use, cached on disk.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit

from corridor.matching.keys import _GROUP_BITS

__all__ = ["best_supported", "run_search", "Directory", "KINDS", "warm"]

KINDS = 1 << _GROUP_BITS
"""Kinds of evidence (the low bits of a key's hash): each counts once per left record."""
_EMPTY = -1
_FIBONACCI = np.uint64(11400714819323198485)
"""2^64 over the golden ratio: a multiplicative hash that spreads consecutive owners."""
_SIGN = np.uint64(1 << 63)
"""Flipping the sign bit orders signed hashes as unsigned ones."""


class Directory:
    """Sorted 64-bit hashes with a directory of their top bits: where a hash is, in two memory
    reads instead of a binary search's twenty. Key hashes are uniform, so each of the
    directory's buckets (about half as many as the hashes) holds two or so."""

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = np.ascontiguousarray(keys, dtype=np.int64)
        bits = max(1, int(len(self.keys)).bit_length() - 1)
        self.shift = 64 - bits
        buckets = (self.keys.view(np.uint64) ^ _SIGN) >> np.uint64(self.shift)
        starts = np.searchsorted(buckets, np.arange((1 << bits) + 1, dtype=np.uint64))
        self.starts = starts.astype(np.int32 if len(self.keys) < 2**31 else np.int64)

    def find(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each hash is among the keys (0 when absent), and whether it is there at all."""
        return _find(
            self.keys, self.starts, self.shift, np.ascontiguousarray(hashes, dtype=np.int64)
        )


@njit(cache=True, nogil=True)
def _find(keys, starts, shift, hashes):
    down = np.uint64(shift)
    # Each hash's bucket first, in a loop of independent reads that overlap in memory.
    first = np.empty(len(hashes), np.int64)
    last = np.empty(len(hashes), np.int64)
    for k in range(len(hashes)):
        bucket = (np.uint64(hashes[k]) ^ _SIGN) >> down
        first[k] = starts[bucket]
        last[k] = starts[bucket + 1]
    at = np.zeros(len(hashes), np.int64)
    hit = np.zeros(len(hashes), np.bool_)
    for k in range(len(hashes)):
        wanted = hashes[k]
        for p in range(first[k], last[k]):
            if keys[p] >= wanted:
                if keys[p] == wanted:
                    at[k] = p
                    hit[k] = True
                break
    return at, hit


def run_search(codes: np.ndarray, starts: np.ndarray, values: np.ndarray, shift: int):
    """``np.searchsorted(codes, values)`` (any shape) for sorted codes whose runs of equal
    ``code >> shift`` begin at ``starts`` (one more than the last run): each value is searched
    within its own run only."""
    flat = np.ascontiguousarray(values, dtype=np.int64).ravel()
    return _run_search(codes, starts, flat, shift).reshape(np.shape(values))


@njit(cache=True, nogil=True)
def _run_search(codes, starts, values, shift):
    out = np.empty(len(values), np.int64)
    for k in range(len(values)):
        value = values[k]
        low, high = starts[value >> shift], starts[(value >> shift) + 1]
        while low < high:
            middle = (low + high) >> 1
            if codes[middle] < value:
                low = middle + 1
            else:
                high = middle
        out[k] = low
    return out


def best_supported(
    *,
    askers: int,
    max_candidates: int,
    parts: Sequence[tuple[np.ndarray, tuple[np.ndarray, ...]]],
    births: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(asker, left index) of each asker's ``max_candidates`` best supported left records,
    asker by asker, best support first, ties by the nearer birth, then by left index.

    ``parts``: owner arrays, each with its ranges as (asker, start, size, tag) arrays grouped
    by asker, a tag being ``kind << 8 | weight`` (weight below 256, kind below ``KINDS``).
    ``births``: the middle of each asker's and of each left record's birth years, in half
    years (``birth_middles``; negative when unknown). Among the hundreds of namesakes a
    misspelt common name meets through its typo keys alone, all equally supported, the ones
    born nearest the child are kept rather than the first filed.
    """
    if births is None:
        births = (np.full(askers, -1, np.int64), np.zeros(0, np.int64))
    asker_births, left_births = (np.ascontiguousarray(b, dtype=np.int64) for b in births)
    flat = []
    for owners, (who, starts, sizes, tags) in parts:
        flat.append(
            (
                np.ascontiguousarray(owners, dtype=np.int32),
                np.ascontiguousarray(who, dtype=np.int64),
                np.ascontiguousarray(starts, dtype=np.int64),
                np.ascontiguousarray(sizes, dtype=np.int64),
                np.ascontiguousarray(tags, dtype=np.int64),
            )
        )
    if len(flat) != 2:
        raise ValueError("best_supported takes two owner arrays with their ranges")
    return _gather(askers, max_candidates, asker_births, left_births, *flat[0], *flat[1])


def birth_middles(first_year: np.ndarray, last_year: np.ndarray) -> np.ndarray:
    """The middle of each record's birth years in half years (first plus last year), -1 when
    unknown. A look-up's widened years (``keys.birth_years``) keep their middle."""
    return np.where(first_year <= last_year, first_year + last_year, -1).astype(np.int64)


_FAR = 15
"""Half years of birth distance at which ties stop being told apart (seven and a half years)."""
_UNKNOWN_BIRTH = 4
"""The distance counted where either birth is unknown: two years, a namesake of no stated age
kept after those born within two years of the child."""


@njit(cache=True, nogil=True)
def _distance(a, b):
    if a < 0 or b < 0:
        return _UNKNOWN_BIRTH
    return min(abs(a - b), _FAR)


@njit(cache=True, nogil=True)
def _bounds(who, askers):
    """Where each asker's ranges start in ``who`` (grouped by asker), and where the last ends."""
    return np.searchsorted(who, np.arange(askers + 1))


@njit(cache=True, nogil=True)
def _insert(owners, starts, sizes, tags, first, last, keys, weights, used, count, bits):
    """Add ranges ``first`` to ``last`` of one owner array to an asker's table; returns how
    many slots are used now."""
    mask = (1 << bits) - 1
    shift = np.uint64(64 - bits)
    for r in range(first, last):
        tag = tags[r]
        kind = (tag >> 8) & (KINDS - 1)
        weight = tag & 255
        start = starts[r]
        for e in range(start, start + sizes[r]):
            owner = owners[e]
            slot = np.int64((np.uint64(owner) * _FIBONACCI) >> shift)
            while True:
                key = keys[slot]
                if key == owner:
                    break
                if key == _EMPTY:
                    keys[slot] = owner
                    used[count] = slot
                    count += 1
                    break
                slot = (slot + 1) & mask
            at = slot * KINDS + kind
            if weights[at] < weight:
                weights[at] = weight
    return count


@njit(cache=True, nogil=True)
def _gather(
    askers,
    max_candidates,
    asker_births,
    left_births,
    owners_a,
    who_a,
    starts_a,
    sizes_a,
    tags_a,
    owners_b,
    who_b,
    starts_b,
    sizes_b,
    tags_b,
):
    bounds_a = _bounds(who_a, askers)
    bounds_b = _bounds(who_b, askers)
    entries = np.zeros(askers, np.int64)
    for k in range(askers):
        for r in range(bounds_a[k], bounds_a[k + 1]):
            entries[k] += sizes_a[r]
        for r in range(bounds_b[k], bounds_b[k + 1]):
            entries[k] += sizes_b[r]
    most = 1
    for k in range(askers):
        most = max(most, entries[k])
    # Tables at most half full: a power of two at least twice an asker's entries.
    top_bits = 4
    while (1 << top_bits) < 2 * most:
        top_bits += 1
    keys = np.full(1 << top_bits, _EMPTY, np.int32)
    weights = np.zeros((1 << top_bits) * KINDS, np.uint8)
    used = np.empty(1 << top_bits, np.int64)
    ranked = np.empty(1 << top_bits, np.int64)
    # Each asker keeps at most its entries: a cap far above them ("no cap") allocates nothing.
    kept = 0
    for k in range(askers):
        kept += min(entries[k], max_candidates)
    out_asker = np.empty(kept, np.int64)
    out_left = np.empty(kept, np.int64)
    written = 0
    for k in range(askers):
        if entries[k] == 0:
            continue
        bits = 4
        while (1 << bits) < 2 * entries[k]:
            bits += 1
        count = _insert(
            owners_a, starts_a, sizes_a, tags_a, bounds_a[k], bounds_a[k + 1],
            keys, weights, used, 0, bits,
        )  # fmt: skip
        count = _insert(
            owners_b, starts_b, sizes_b, tags_b, bounds_b[k], bounds_b[k + 1],
            keys, weights, used, count, bits,
        )  # fmt: skip
        # Best support first, ties by the nearer birth, then by left index: one integer per
        # left record met.
        born = asker_births[k]
        for u in range(count):
            slot = used[u]
            support = 0
            for kind in range(KINDS):
                support += weights[slot * KINDS + kind]
                weights[slot * KINDS + kind] = 0
            support = min(support, 65_535)
            owner = keys[slot]
            far = _distance(born, left_births[owner]) if owner < len(left_births) else 0
            ranked[u] = ((65_535 - support) << 36) | (far << 32) | owner
            keys[slot] = _EMPTY
        chosen = ranked[:count]
        keep = min(count, max_candidates)
        if count > keep:
            chosen = np.partition(chosen, keep - 1)[:keep]
        chosen = np.sort(chosen)
        for u in range(keep):
            out_asker[written] = k
            out_left[written] = chosen[u] & 0xFFFFFFFF
            written += 1
    return out_asker[:written], out_left[:written]


def warm() -> None:
    """Compile every loop here (or load it from numba's cache) on tiny inputs of the real
    types: run once before serving, so that no one waits for the compiler (about 7 s on a new
    installation) on a first look-up."""
    Directory(np.arange(4, dtype=np.int64)).find(np.arange(2, dtype=np.int64))
    codes = np.arange(4, dtype=np.int64)
    run_search(codes, np.searchsorted(codes, np.asarray([0, 4, 4])), np.ones(1, np.int64), 2)
    one = (np.zeros(1, np.int32), tuple(np.zeros(1, np.int64) for _ in range(4)))
    births = (np.zeros(1, np.int64), np.zeros(1, np.int64))
    best_supported(askers=1, max_candidates=1, parts=(one, one), births=births)
