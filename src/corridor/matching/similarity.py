"""Name-token levels of whole arrays of token-id pairs: exact, variant family, phonetic key,
then Jaro-Winkler similarity, run once per distinct pair (and remembered between calls by a
linking job). ``scoring.pair_codes`` compares names with it. Pure numpy and rapidfuzz.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

if TYPE_CHECKING:
    from corridor.matching.columns import Vocabulary

EXACT, VARIANT, PHONETIC, SIMILAR, WEAK, DIFFERENT, ABSENT = 5, 4, 3, 2, 1, 0, -1

_JW = JaroWinkler.normalized_similarity

LENGTH_GAP = 2
"""Two name tokens whose lengths differ by this many letters are at most weakly similar, however
high their Jaro–Winkler similarity: a typo adds or drops one letter, while Sena inside Zénabou,
Kossi inside Kossiwa or Ama inside Amavi are other names. (On dev-scale's candidates, 6 % of the
pairs of family names similar within one letter are true pairs, 0.2 % of those two letters apart
or more.)"""


def similarity_level(similarity, length_gap):
    """SIMILAR, WEAK or DIFFERENT from the best Jaro–Winkler similarity of two tokens (or of
    their phonetic keys) and the difference of their lengths; scalars or arrays alike."""
    close = (np.asarray(similarity) >= 0.9) & (np.abs(length_gap) < LENGTH_GAP)
    return np.where(close, SIMILAR, np.where(np.asarray(similarity) >= 0.8, WEAK, DIFFERENT))


class _Memo:
    """Token levels already computed, by pair code: a direct-mapped table (a code's slot is a
    hash of it; a new code takes the slot over), so memory stays bounded however long the run."""

    def __init__(self, bits: int) -> None:
        self.shift = np.uint64(64 - bits)
        self.codes = np.full(1 << bits, -1, dtype=np.int64)
        self.values = np.zeros(1 << bits, dtype=np.int8)

    def get(self, codes: np.ndarray, compute) -> np.ndarray:
        """The level of each (non-negative) code; ``compute`` is called once on each distinct
        code not in the table."""
        slot = self._slot(codes)
        values = self.values[slot]
        miss = np.flatnonzero(self.codes[slot] != codes)
        if len(miss):
            fresh, inverse = np.unique(codes[miss], return_inverse=True)
            computed = compute(fresh)
            values[miss] = computed[inverse]
            fresh_slot = self._slot(fresh)
            self.codes[fresh_slot] = fresh
            self.values[fresh_slot] = computed
        return values

    def _slot(self, codes: np.ndarray) -> np.ndarray:
        return ((codes.view(np.uint64) * _GOLDEN) >> self.shift).astype(np.int64)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class _Comparer:
    """Token levels of id arrays, with the Jaro–Winkler step run once per distinct pair.

    ``memo_bits``: keep up to 2**bits name-token levels between calls (a linking run compares
    the same common names in every slice; 2**21 take 18 MB).
    """

    def __init__(self, vocabulary: Vocabulary, *, memo_bits: int = 0) -> None:
        arrays = vocabulary.arrays()
        self.family = arrays["family"]
        self.phonetic = arrays["phonetic"]
        self.length = arrays["length"]
        self.strings = vocabulary.strings
        self.phonetic_strings = vocabulary.phonetic_strings
        self.size = max(len(vocabulary), 1)
        self.memo_bits = memo_bits
        self._memo: _Memo | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_memo"] = None  # filled again where the job runs
        return state

    def similarity(self, a: np.ndarray, b: np.ndarray, *, strings: list[str]) -> np.ndarray:
        """Jaro–Winkler similarity of ``strings[a[k]]`` and ``strings[b[k]]`` (place labels),
        computed once per distinct pair."""
        size = max(len(strings), 1)
        unique, inverse = np.unique(a.astype(np.int64) * size + b, return_inverse=True)
        return _similarities(strings, unique // size, unique % size)[inverse]

    def levels(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``features.token_level`` for arrays of token ids; ABSENT where either id is -1.

        A token pair's level depends on the two tokens only: a linking job remembers it by
        pair (``memo_bits``), and most pairs of a long run are found there, without their
        phonetic keys, families or similarity looked at again.
        """
        out = np.full(len(a), ABSENT, dtype=np.int8)
        present = np.flatnonzero((a >= 0) & (b >= 0))
        if not len(present):
            return out
        codes = a[present].astype(np.int64) * self.size + b[present]
        if self.memo_bits and self._memo is None:
            self._memo = _Memo(self.memo_bits)
        if self._memo is not None:
            out[present] = self._memo.get(codes, self._token_levels)
        else:
            unique, inverse = np.unique(codes, return_inverse=True)
            out[present] = self._token_levels(unique)[inverse]
        return out

    def _token_levels(self, codes: np.ndarray) -> np.ndarray:
        """The level of each distinct pair code (token ids, both present)."""
        ta, tb = codes // self.size, codes % self.size
        level = np.full(len(codes), DIFFERENT, dtype=np.int8)
        family_a = self.family[ta]
        level[self.phonetic[ta] == self.phonetic[tb]] = PHONETIC
        level[(family_a >= 0) & (family_a == self.family[tb])] = VARIANT
        level[ta == tb] = EXACT
        rest = np.flatnonzero(level == DIFFERENT)
        if len(rest):
            ua, ub = ta[rest], tb[rest]
            similarity = np.maximum(
                _similarities(self.strings, ua, ub),
                _similarities(self.phonetic_strings, self.phonetic[ua], self.phonetic[ub]),
            )
            level[rest] = similarity_level(similarity, self.length[ua] - self.length[ub])
        return level

    def table(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The level of every slot pair of each row: rows x slots of ``a`` x slots of ``b``."""
        table = np.empty((len(a), a.shape[1], b.shape[1]), dtype=np.int8)
        for i in range(a.shape[1]):
            for j in range(b.shape[1]):
                table[:, i, j] = self.levels(a[:, i], b[:, j])
        return table

    def best(
        self, a: np.ndarray, b: np.ndarray, table: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``features._best`` on rows: best level and the chosen token of each side (-1: none).

        The first best slot pair in the reference order (a outer, b inner) is chosen, so ties
        choose the same tokens. ``table``: the rows' ``table``, if already built.
        """
        rows, width = np.arange(len(a)), b.shape[1]
        if not a.shape[1] or not width:
            none = np.full(len(a), -1, dtype=np.int32)
            return none.astype(np.int8), none, none.copy()
        table = self.table(a, b) if table is None else table
        flat = table.reshape(len(a), a.shape[1] * width)
        first = flat.argmax(axis=1)
        best = flat[rows, first]
        found = best > ABSENT
        chosen_a = np.where(found, a[rows, first // width], -1).astype(np.int32)
        chosen_b = np.where(found, b[rows, first % width], -1).astype(np.int32)
        return best, chosen_a, chosen_b

    def family_level(
        self, a: np.ndarray, b: np.ndarray, joined_a: np.ndarray, joined_b: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``features._family_level``: the whole joined name, or the best part if better; two
        compound names agree only as far as every part of the shorter one does."""
        whole = self.levels(joined_a, joined_b)
        table = self.table(a, b)
        parts, part_a, part_b = self.best(a, b, table=table)
        present_a, present_b = a >= 0, b >= 0
        count_a, count_b = present_a.sum(axis=1), present_b.sum(axis=1)
        compound = np.flatnonzero((count_a > 1) & (count_b > 1))
        if len(compound):
            # The worst of the best levels of each token of the side with fewer tokens.
            absent = np.int8(EXACT + 1)
            part = table[compound]
            worst_a = np.where(present_a[compound], part.max(axis=2), absent).min(axis=1)
            worst_b = np.where(present_b[compound], part.max(axis=1), absent).min(axis=1)
            shorter_a = count_a[compound] <= count_b[compound]
            parts[compound] = np.where(shorter_a, worst_a, worst_b)
        use_whole = whole >= parts
        use_whole[compound] = True
        level = np.where(use_whole, np.maximum(whole, parts), parts)
        chosen_a = np.where(use_whole, joined_a, part_a)
        chosen_b = np.where(use_whole, joined_b, part_b)
        empty = (joined_a < 0) | (joined_b < 0)
        level[empty] = ABSENT
        chosen_a[empty] = -1
        chosen_b[empty] = -1
        return level, chosen_a, chosen_b


def _similarities(strings: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Jaro–Winkler similarity of ``strings[a[k]]`` and ``strings[b[k]]``, in float64 like the
    reference (a float32 0.9 would fall below the 0.9 threshold)."""
    return cpdist(
        [strings[k] for k in a.tolist()],
        [strings[k] for k in b.tolist()],
        scorer=_JW,
        dtype=np.float64,
    )
