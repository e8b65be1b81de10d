"""One-to-one assignment of scored links: a request designates one child; a child may be
sought by both parents, the second request describing the same child as the first.

Pure Python and numpy, no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from corridor.matching.columns import Columns
from corridor.matching.features import COMPARISONS
from corridor.matching.scoring import Frequencies, _Comparer, pair_codes

__all__ = ["assign", "best_f1_cut", "pairs_within_runs", "twin_requests", "LOWEST_CUT"]


_CLOSE_NAMES = ("exact", "variant", "phonetic", "similar")
_CLOSE_BIRTHS = ("same_date", "date_typo", "overlap", "6m", "1y")


def _accepting(comparison: str, accept: Callable[[str], bool]) -> np.ndarray:
    """Per level code of a comparison (its index in ``COMPARISONS``, then absent), whether
    ``accept`` holds."""
    return np.asarray([accept(name) for name in COMPARISONS[comparison]] + [False])


_TWIN_LEVELS = {
    "given": _accepting("given", lambda name: name in _CLOSE_NAMES),
    "family": _accepting("family", lambda name: name in _CLOSE_NAMES),
    "birth": _accepting(
        "birth", lambda name: name == "missing" or name.split("|")[0] in _CLOSE_BIRTHS
    ),
}
"""Two requests plausibly describe the same child (the mother's and the father's filings):
given and family names close, births within a year or not written."""


def twin_requests(
    *,
    requests: Columns,
    frequencies: Frequencies,
    comparer: _Comparer,
    a: np.ndarray,
    b: np.ndarray,
    sure: bool = False,
) -> np.ndarray:
    """Whether requests ``a[k]`` and ``b[k]`` (indices into ``requests``, a link job's left
    side) plausibly describe one child: close names and births, or surely so.

    ``sure``: only whether they are surely the two parents' filings for one child. That test is
    stricter on the family and looser on the birth: the same mother written in full, the same
    home town, filed within half a year, the child's names close, births within two years (a
    year written by one parent, an age by the other), no sex or father that disagrees. A
    sibling has the same mother and home but another name or birth.
    """
    if sure:
        # One mother and one filing period first: a few pairs in a hundred are compared.
        one_child = _one_filing(requests=requests, a=a, b=b)
        ask = np.flatnonzero(one_child)
        codes = pair_codes(
            left=requests,
            right=requests,
            i=a[ask],
            j=b[ask],
            frequencies=frequencies,
            comparer=comparer,
        )
        one_child[ask] = _one_child(codes)
        return one_child
    codes = pair_codes(
        left=requests, right=requests, i=a, j=b, frequencies=frequencies, comparer=comparer
    )
    one_child = _one_filing(requests=requests, a=a, b=b) & _one_child(codes)
    twins = np.ones(len(a), dtype=bool)
    for comparison, accepted in _TWIN_LEVELS.items():
        twins &= accepted[codes[comparison]]
    return twins | one_child


_ONE_CHILD_BIRTHS = _accepting(
    "birth", lambda name: name == "missing" or name.split("|")[0] in (*_CLOSE_BIRTHS, "18m", "2y")
)
_ONE_CHILD_DAYS = 183
"""The mother's and the father's requests for one child are filed within half a year."""


def _one_filing(*, requests: Columns, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The same mother written in full, filed within half a year (``twin_requests``, sure)."""
    mother_a, mother_b = requests.mother[a], requests.mother[b]
    same = (mother_a[:, 0] >= 0) & (mother_a == mother_b).all(axis=1)
    reported_a, reported_b = requests.event[a], requests.event[b]
    same &= (reported_a >= 0) & (reported_b >= 0)
    same &= np.abs(reported_a - reported_b) <= _ONE_CHILD_DAYS
    return same


def _one_child(codes: dict[str, np.ndarray]) -> np.ndarray:
    """The rest of ``twin_requests``' sure test, on the two requests' ``pair_codes``."""
    same = codes["place"] == COMPARISONS["place"].index("same_town")
    same &= _TWIN_LEVELS["given"][codes["given"]] & _TWIN_LEVELS["family"][codes["family"]]
    same &= _ONE_CHILD_BIRTHS[codes["birth"]]
    same &= codes["sex"] != COMPARISONS["sex"].index("disagree")
    same &= codes["father"] != COMPARISONS["father"].index("different")
    return same


def assign(
    *,
    scored: Iterable[tuple[float, int, int]],
    twins: Callable[[int, int], bool],
    threshold: float,
    per_right: int = 2,
) -> set[tuple[int, int]]:
    """Greedy one-to-one assignment, allowing a child (right) up to two requests (left).

    A request can designate one child only; a child can be sought by both parents, but the
    second request must describe the same child as the first (``twins`` of two left indices),
    so a sibling's request does not ride on a strong match.
    """
    chosen: set[tuple[int, int]] = set()
    used_left: set[int] = set()
    taken: dict[int, list[int]] = defaultdict(list)
    for probability, i, j in sorted(scored, key=lambda item: -item[0]):
        if probability < threshold:
            break
        if i in used_left or len(taken[j]) >= per_right:
            continue
        if taken[j] and not all(twins(i, k) for k in taken[j]):
            continue
        chosen.add((i, j))
        used_left.add(i)
        taken[j].append(i)
    return chosen


LOWEST_CUT = 0.3
"""No pair is decided a match below this probability, whatever ``best_f1_cut`` says."""


def best_f1_cut(chosen: np.ndarray, *, expected: float) -> float:
    """The probability from which the assigned pairs are decided matches: the cut that
    maximises the expected F1 of the decisions.

    With calibrated probabilities, deciding the ``k`` likeliest of the assigned pairs finds
    ``sum(p[:k])`` true pairs in expectation, out of ``expected`` (the sum of the probabilities
    of every candidate pair), so its F1 is about ``2 * sum(p[:k]) / (k + expected)``. The best
    cut is about half that F1: 0.47 in a register where nine children in ten are matched
    surely, lower in a national one where a name and an age leave many children in doubt. It
    needs no labels, only the probabilities' calibration.
    """
    if not len(chosen):
        return LOWEST_CUT
    p = np.sort(chosen)[::-1]
    f1 = 2.0 * np.cumsum(p) / (np.arange(1, len(p) + 1) + max(expected, float(p.sum())))
    return max(float(p[int(np.argmax(f1))]), LOWEST_CUT)


def pairs_within_runs(
    groups: np.ndarray, first: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of positions (p < q) in the same run of a sorted array; with ``first`` (a
    mask), only those whose p it holds."""
    firsts, seconds = [], []
    for distance in range(1, len(groups)):
        same = groups[distance:] == groups[:-distance]
        if not same.any():
            break
        p = np.flatnonzero(same if first is None else same & first[:-distance])
        firsts.append(p)
        seconds.append(p + distance)
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)
