"""The keys under which a person's names are indexed (``PersonKey``), in one place so that the
index, its look-ups and the migration that built it always agree. No Django here.

Four kinds of key, one table:

- a **name key** per token: its variant family ("Kwasi" → ``=kossi``) or else its phonetic key.
  Person search asks for every key of the query; duplicate detection and tracing for any.
- a **typo key** per token, marked ``~``: the phonetic key and, from four letters on, each way of
  dropping one letter of it (``typo_neighbours``, as the matching engine's blocking), so that
  "Akvui Mnesah" and "Akuvi Mensah" share keys although no name key of theirs agrees. Only
  tracing's blocking reads them.
- a **mother key** per token of the name of the person's mother, marked ``^``: its name key, as
  the matching engine's blocking pairs a child's name, or her birth year, with her mother's.
  Only tracing's blocking reads them, to find a child whose own names were garbled.
- a **birth-date key**, marked ``@``, when the birth date is written ("@2013-08-25"): as the
  matching engine's blocking files a written date on its own, so that a child found with her
  papers meets the request that gives the same date whatever names each was written under.
  Only tracing's blocking reads it.

Every row also carries the person's birth year (``index_birth_year``), so that tracing's
blocking reads the namesakes born within an interval from the index alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from corridor.matching.normalise import (
    name_keys,
    name_tokens,
    parent_tokens,
    token_key,
    typo_neighbours,
)

KEY_LENGTH = 40
TYPO = "~"
MOTHER = "^"
BIRTH_DATE = "@"


def name_index_keys(names: Iterable[str | None]) -> set[str]:
    """The name keys of some names, cut to the column's length."""
    keys: set[str] = set()
    for name in names:
        keys |= name_keys(name)
    return {key[:KEY_LENGTH] for key in keys if key}


def token_typo_keys(token: str) -> set[str]:
    """The typo keys of one name token."""
    return {(TYPO + k)[:KEY_LENGTH] for k in typo_neighbours(token)}


def name_typo_keys(names: Iterable[str | None]) -> set[str]:
    """The typo keys of every token of some names."""
    keys: set[str] = set()
    for name in names:
        for token in name_tokens(name):
            keys |= token_typo_keys(token)
    return keys


def mother_index_keys(names: Iterable[str | None], *, besides: Iterable[str] = ()) -> set[str]:
    """The mother keys of the names a mother is known by ("Maman Afi", "MENSAH Afi Ablavi"):
    each token's name key, the honorific dropped, as the engine's blocking reads a mother;
    without the name keys ``besides`` (a child's own, which her mother's family name repeats)."""
    keys = {token_key(token) for name in names for token in parent_tokens(name)}
    keys -= set(besides)
    return {(MOTHER + key)[:KEY_LENGTH] for key in keys if key}


def birth_date_keys(born_on: date | None) -> set[str]:
    """The birth-date key of a written birth date (none without one)."""
    return {BIRTH_DATE + born_on.isoformat()} if born_on else set()


def person_index_keys(
    names: Iterable[str | None],
    *,
    mothers: Iterable[str | None] = (),
    born_on: date | None = None,
) -> set[str]:
    """Every key a person bearing ``names``, whose mother is known by ``mothers`` and whose
    birth date is written as ``born_on``, is indexed under."""
    names = list(names)
    keys = name_index_keys(names) | name_typo_keys(names) | mother_index_keys(mothers)
    return keys | birth_date_keys(born_on)


def index_birth_year(
    *,
    birth_date: date | None,
    birth_year: int | None,
    estimated_age: int | None,
    age_estimated_on: date | None,
    registered_on: date | None,
) -> int | None:
    """The birth year filed with a person's keys, as the matching engine reads a birth: the
    date's, else the year, else the age estimated on a date (on the day of registration when
    the date of the estimate is missing) taken from that date's year."""
    if birth_date:
        return birth_date.year
    if birth_year:
        return birth_year
    on = age_estimated_on or registered_on
    if estimated_age is None or on is None:
        return None
    return on.year - estimated_age
