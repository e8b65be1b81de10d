"""A look-up's last step, compiled: per asker, the support of every left record its keys meet,
and the best supported of them.

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

__all__ = ["best_supported", "KINDS"]

KINDS = 1 << _GROUP_BITS
"""Kinds of evidence (the low bits of a key's hash): each counts once per left record."""
_EMPTY = -1
_FIBONACCI = np.uint64(11400714819323198485)
"""2^64 over the golden ratio: a multiplicative hash that spreads consecutive owners."""


def best_supported(
    *,
    askers: int,
    max_candidates: int,
    parts: Sequence[tuple[np.ndarray, tuple[np.ndarray, ...]]],
) -> tuple[np.ndarray, np.ndarray]:
    """(asker, left index) of each asker's ``max_candidates`` best supported left records,
    asker by asker, best support first and ties by left index.

    ``parts``: owner arrays, each with its ranges as (asker, start, size, tag) arrays grouped
    by asker, a tag being ``kind << 8 | weight`` (weight below 256, kind below ``KINDS``).
    """
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
    return _gather(askers, max_candidates, *flat[0], *flat[1])


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
    out_asker = np.empty(askers * max_candidates, np.int64)
    out_left = np.empty(askers * max_candidates, np.int64)
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
        # Best support first, ties by left index: one integer per left record met.
        for u in range(count):
            slot = used[u]
            support = 0
            for kind in range(KINDS):
                support += weights[slot * KINDS + kind]
                weights[slot * KINDS + kind] = 0
            support = min(support, 65_535)
            ranked[u] = ((65_535 - support) << 32) | keys[slot]
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
