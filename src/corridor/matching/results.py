"""What a linking run returns: scored candidate links, as columns (``LinkResult``) or one by one
(``Link``). Pure Python and numpy."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Link", "LinkResult"]


@dataclass(frozen=True, slots=True)
class Link:
    """A scored candidate pair; ``match`` is the decision after one-to-one assignment."""

    left_id: str
    right_id: str
    score: float
    match: bool


@dataclass
class LinkResult:
    """Scored candidate links as columns: probability, left and right index, decision, and the
    probability from which pairs were decided."""

    left_ids: Sequence[str]
    right_ids: Sequence[str]
    probability: np.ndarray
    left: np.ndarray
    right: np.ndarray
    match: np.ndarray
    cut: float | None = None
    """The probability from which pairs were decided matches."""

    def __len__(self) -> int:
        return len(self.probability)

    def links(self) -> Iterator[Link]:
        left_ids, right_ids = self.left_ids, self.right_ids
        for p, i, j, m in zip(
            self.probability.tolist(),
            self.left.tolist(),
            self.right.tolist(),
            self.match.tolist(),
            strict=True,
        ):
            yield Link(left_id=left_ids[i], right_id=right_ids[j], score=p, match=m)

    def rows(self, *, chunk: int = 100_000) -> Iterator[list[tuple[str, str, str, int]]]:
        """The links as CSV rows (ids, score to six decimals, 0/1), a chunk at a time."""
        left_ids, right_ids = self.left_ids, self.right_ids
        for start in range(0, len(self), chunk):
            part = slice(start, start + chunk)
            yield list(
                zip(
                    [left_ids[i] for i in self.left[part].tolist()],
                    [right_ids[j] for j in self.right[part].tolist()],
                    [f"{p:.6f}" for p in self.probability[part].tolist()],
                    self.match[part].astype(np.int8).tolist(),
                    strict=True,
                )
            )
