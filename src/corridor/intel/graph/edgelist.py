"""Reading an edge list (``a b`` pairs, one per line) for the ``corridor network`` command."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corridor.i18n import _, ngettext


class EdgeListError(ValueError):
    """An edge list line that cannot be read; carries the 1-based line number for the message."""

    def __init__(self, *, line_number: int | None, reason: str) -> None:
        self.line_number = line_number
        self.reason = reason
        if line_number is None:
            super().__init__(reason)
        else:
            super().__init__(
                _("line %(line)d: %(reason)s") % {"line": line_number, "reason": reason}
            )


@dataclass(frozen=True)
class BadLine:
    line_number: int
    text: str
    reason: str


@dataclass(frozen=True)
class ParsedEdgeList:
    pairs: list[tuple[str, str]]
    bad_lines: list[BadLine]
    duplicates: int


def parse_edge_list(*, lines: Iterable[str], skip_bad: bool = False) -> ParsedEdgeList:
    """Read ``a b`` pairs, one per line; ``#`` starts a comment and blank lines are ignored.

    A line with other than two fields, or a self-loop, is an error naming its line number: a
    silently dropped line would change density and centralization without anyone noticing. With
    ``skip_bad`` such lines are collected in ``bad_lines`` instead, so the caller can report them.
    A pair seen twice (in either order) is one tie of the undirected simple graph; ``duplicates``
    counts the repeats. A file without any tie is an error.
    """
    pairs: list[tuple[str, str]] = []
    bad: list[BadLine] = []
    seen: set[frozenset[str]] = set()
    duplicates = 0
    for number, raw in enumerate(lines, start=1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        fields = text.replace(",", " ").replace(";", " ").split()
        reason = None
        if len(fields) != 2:
            reason = ngettext(
                "expected two node ids separated by a space, found %(count)d field",
                "expected two node ids separated by a space, found %(count)d fields",
                len(fields),
            ) % {"count": len(fields)}
        elif fields[0] == fields[1]:
            reason = _("self-loop: node %(node)s is tied to itself") % {"node": fields[0]}
        if reason is not None:
            if not skip_bad:
                raise EdgeListError(line_number=number, reason=reason)
            bad.append(BadLine(line_number=number, text=raw.rstrip("\n"), reason=reason))
            continue
        key = frozenset(fields)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        pairs.append((fields[0], fields[1]))
    if not pairs:
        raise EdgeListError(line_number=None, reason=_("the edge list contains no edge"))
    return ParsedEdgeList(pairs=pairs, bad_lines=bad, duplicates=duplicates)
