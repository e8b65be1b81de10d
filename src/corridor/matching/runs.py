"""Primitives on sorted numpy arrays and their runs of equal values: where runs begin, a
position within a run, ranges gathered as one array, a merge.
Blocking and the engine are built on them. Pure numpy.
"""

from __future__ import annotations

import numpy as np


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


def ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Concatenated ``range(start, start + size)`` for every pair, as one array."""
    total = int(sizes.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    offsets += np.arange(total)
    return offsets


def merge_sorted(
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
