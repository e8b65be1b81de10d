"""Blocking keys: what a record is filed under and looked up by, and the pieces of it that
split a large block (birth years, the names' initials).

Every key joins two independent pieces of evidence (names, birth year, parents, prefecture), so
that a true pair meets in some block even when one piece is badly written; ``blocking`` files
them in its index. Pure Python and numpy, no Django.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from corridor.matching.features import Prepared
from corridor.matching.normalise import phonetic_key, token_key, typo_neighbours

__all__ = [
    "birth_years",
    "fuzzy_hashes",
    "initial_of",
    "key_hashes",
    "name_table",
    "prepared_initials",
    "prepared_years",
]


def _years(prepared: Prepared, *, widen: int) -> range:
    birth = prepared.birth
    if birth is None:
        return range(0)
    slack = widen if birth.kind == "age" else min(widen, 1)
    return range(math.floor(birth.low) - slack, math.floor(birth.high) + slack + 1)


@functools.lru_cache(maxsize=500_000)
def _fuzzy(token: str, filed: bool) -> np.ndarray:
    """Hashes of a token's key and of its typo neighbourhood (``typo_neighbours``), so that a
    pair meets in some block even when both names carry a typo. A look-up (not ``filed``)
    leaves out the neighbours as written, which an index files: one side's suffice for a
    typo inside a sound the phonetic key reads as one, and a look-up's keys are what it pays
    for."""
    keys = {token_key(token), *typo_neighbours(token, as_written=filed)}
    return np.asarray([hash(("d2", k)) for k in keys], dtype=np.int64).view(np.uint64)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def key_hashes(*, prepared: Prepared, query: bool, fuzzy: bool = True) -> np.ndarray:
    """64-bit hashes of the keys under which a record is indexed or looked up (``query``).

    Every key joins two independent pieces of evidence (given and family name in either order,
    each up to one typo; a name and a birth year; a name and the mother's; a name and the
    prefecture; the mother and a birth year; a written birth date, its day and its year), so a
    true pair survives when any one piece is badly written. Looking up widens birth years for
    estimated ages, whose error is in years.

    Without ``fuzzy`` the given-and-family-name keys are left out: an index files those once
    per distinct full name (see ``name_table``).

    Python salts string hashes per process: an index and the look-ups into it are hashed in
    one process or in processes forked from it (as ``link``'s workers are).
    """
    names = [k for k in prepared.name_keys if k]
    years = _years(prepared, widen=AGE_SLACK if query else 0)
    mothers = {token_key(t) for t in prepared.mother}
    fathers = {token_key(t) for t in prepared.father[:1]}
    prefecture = prepared.place.prefecture if prepared.place else None
    # Each key's hash with its kind in the low bits (``_GROUPS``), hashed once.
    keys: set[int] = set()
    add, mask = keys.add, ~_GROUP_MASK
    ny, nm, nf, np_, my, yp = (_GROUPS[kind] for kind in ("ny", "nm", "nf", "np", "my", "yp"))
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            add(hash(("n2", a, b) if a <= b else ("n2", b, a)) & mask | _GROUPS["n2"])
        for year in years:
            add(hash(("ny", a, year)) & mask | ny)
        for m in mothers:
            add(hash(("nm", a, m)) & mask | nm)
        for f in fathers:
            add(hash(("nf", a, f)) & mask | nf)
        if prefecture:
            add(hash(("np", a, prefecture)) & mask | np_)
    for m in mothers:
        for year in years:
            add(hash(("my", m, year)) & mask | my)
    if prefecture:
        for year in years:
            add(hash(("yp", prepared.sex, year, prefecture)) & mask | yp)
    if prepared.birth is not None and prepared.birth.exact is not None:
        add(hash(("dt", prepared.birth.exact)) & mask | _GROUPS["dt"])
    hashes = np.fromiter(keys, dtype=np.int64, count=len(keys))
    if fuzzy and prepared.given and prepared.family_joined:
        family = prepared.family_joined
        given = filed_given(prepared, query=query)
        typos = [fuzzy_hashes(name, family, not query) for name in given]
        hashes = np.unique(np.concatenate((hashes, *typos)))
    return hashes


def filed_given(prepared: Prepared, *, query: bool) -> list[str]:
    """The given names whose typo keys a record bears with its family name: every one of a
    request's (a child found under her second name, "Grâce" for "Abla Grâce", meets it even
    with a typo in either name), the first of a look-up's (a child more often drops a name
    than a family leaves one out)."""
    return list(prepared.given[:1] if query else prepared.given)


@functools.lru_cache(maxsize=50_000)
def fuzzy_hashes(given: str, family: str, filed: bool = True) -> np.ndarray:
    """Keys of a given and a family name in either order, each up to one typo: a symmetric mix
    of the two names' hashes (uint64 arithmetic wraps, as a hash should). Cached: a register
    repeats its common names (the array is shared, not to be written to)."""
    pairs = np.add.outer(_fuzzy(given, filed), _fuzzy(family, filed)) * _GOLDEN
    # Each once: two names that share keys ("Essowe Essowe") mix to one hash in two ways.
    keys = np.unique((pairs.ravel().view(np.int64) & ~_GROUP_MASK) | _FUZZY_GROUP)
    keys.setflags(write=False)
    return keys


def name_table(
    *, records: np.ndarray, pairs: np.ndarray, strings: Sequence[str]
) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray, np.ndarray]:
    """Each record's full names (each given name with the family name) as ids, and the fuzzy
    keys of each distinct one: ((record, name id) of each record's names; keys; the name id of
    each key).

    ``records`` (ascending) and ``pairs`` (given and family name, as indices into ``strings``)
    list the full names of each record in its order; a name a record gives twice counts once,
    and names are numbered as they first appear. Exact namesakes share every fuzzy key, so an
    index files the keys once per distinct name and a look-up reads each name once, then its
    owners (see ``BlockIndex``).
    """
    records = np.asarray(records, dtype=np.int64)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    empty = np.zeros(0, dtype=np.int64)
    if not len(records):
        return (empty, empty), empty, empty
    code = pairs[:, 0] * (int(pairs[:, 1].max()) + 1) + pairs[:, 1]
    _, first_at, inverse = np.unique(code, return_index=True, return_inverse=True)
    by_appearance = np.argsort(first_at, kind="stable")
    number = np.empty_like(by_appearance)
    number[by_appearance] = np.arange(len(by_appearance))
    names = number[inverse.ravel()]
    # A name given twice by one record ("Essowè Essowè" filed under each given name) once.
    _, once = np.unique(records * len(first_at) + names, return_index=True)
    once.sort()
    filed = (records[once], names[once])
    keys = [
        fuzzy_hashes(strings[given], strings[family])
        for given, family in pairs[first_at[by_appearance]].tolist()
    ]
    return filed, np.concatenate(keys), np.repeat(np.arange(len(keys)), [len(k) for k in keys])


# ``gather``'s compiled loops read ``1 << _GROUP_BITS`` as a constant, and numba caches them by
# gather.py alone: a change here must come with an edit there, or a stale cache reads the old.
_GROUP_BITS = 3
_GROUP_MASK = (1 << _GROUP_BITS) - 1
# A written birth date ("dt") is of the kind of the sex, birth year and prefecture ("yp"): both
# say when (and where) the child was born, and a date says it more precisely.
_GROUPS = {"n2": 0, "ny": 1, "nm": 2, "nf": 3, "np": 4, "my": 5, "yp": 6, "dt": 6}
_FUZZY_GROUP = 7
"""The kind of evidence a key joins, in the low bits of its hash: a look-up counts each kind
once (its most specific key), so that an exactly written common name, which shares every one of
its typo keys, does not outweigh a rarer mother's name or birth year."""


AGE_SLACK = 4
"""Years a look-up widens an estimated age by, each way (a written year or date: one). Officers'
estimates are this far off: two years instead of four would read a fifth fewer entries per
look-up at 1,000,000 records, but drop dev-hard's recall@10 from 0.999 to 0.996."""

_NO_YEAR = -1
_NO_INITIAL = -1


def birth_years(*, low: np.ndarray, high: np.ndarray, age: np.ndarray, query: bool):
    """First and last birth year of each record (-1, -2 when unknown: an empty range).

    A look-up (``query``) widens the years as ``key_hashes`` does: four years for an estimated
    age, one for a written date or year.
    """
    known = np.isfinite(low) & np.isfinite(high)
    first = np.where(known, np.floor(np.nan_to_num(low)), 0).astype(np.int64)
    last = np.where(known, np.floor(np.nan_to_num(high)), 0).astype(np.int64)
    if query:
        slack = np.where(age, AGE_SLACK, 1)
        first, last = first - slack, last + slack
    return np.where(known, first, _NO_YEAR), np.where(known, last, _NO_YEAR - 1)


def initial_of(key: str) -> int:
    """The first two letters of a phonetic key as an integer, the initial in the high byte
    (``_NO_INITIAL`` when empty)."""
    if not key:
        return _NO_INITIAL
    second = min(ord(key[1]), 255) if len(key) > 1 else 0
    return min(ord(key[0]), 255) << 8 | second


def prepared_initials(records: Sequence[Prepared]) -> np.ndarray:
    """The first two letters (``initial_of``) of the phonetic keys of the family name and of
    the first given name: one row per record."""
    return np.asarray(
        [
            (
                initial_of(phonetic_key(r.family_joined or "")),
                initial_of(phonetic_key(r.given[0])) if r.given else _NO_INITIAL,
            )
            for r in records
        ],
        dtype=np.int64,
    ).reshape(len(records), 2)


def prepared_years(records: Sequence[Prepared], *, query: bool) -> tuple[np.ndarray, np.ndarray]:
    """``birth_years`` of prepared records."""
    low = np.asarray([r.birth.low if r.birth else np.nan for r in records], dtype=np.float64)
    high = np.asarray([r.birth.high if r.birth else np.nan for r in records], dtype=np.float64)
    age = np.asarray([bool(r.birth and r.birth.kind == "age") for r in records], dtype=bool)
    return birth_years(low=low, high=high, age=age, query=query)
