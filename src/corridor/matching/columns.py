"""Records as columns: every name token, joined name, place and nationality interned once.

Linking a national register compares tens of millions of pairs, so records are kept as integer
columns over a shared ``Vocabulary`` (tokens, with their keys, variant families and phonetic
keys) and ``Labels`` (places, nationalities); ``scoring`` compares whole arrays of pairs on them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from corridor.matching.features import (
    Prepared,
)
from corridor.matching.normalise import (
    load_traditions,
    naming_tradition,
    phonetic_key,
    token_key,
    variant_family,
)

__all__ = [
    "flatten",
    "Vocabulary",
    "Labels",
    "Columns",
    "prepared_columns",
]

_TRADITIONS = tuple(load_traditions())


class Vocabulary:
    """Every distinct string (name token, joined name, place, nationality) and what it compares by.

    Ids are dense integers; ``family``, ``phonetic`` and ``key`` give, per id, its name-variant
    family, its phonetic key and its frequency key (``token_key``) as ids of their own, so that
    "same variant family" and "same phonetic key" are integer comparisons; ``tradition`` its
    naming tradition (an index into ``_TRADITIONS``, -1 when unknown).
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.strings: list[str] = []
        self._family_ids: dict[str | None, int] = {None: -1}
        self._phonetic_ids: dict[str, int] = {}
        self._key_ids: dict[str, int] = {}
        self.family: list[int] = []
        self.phonetic: list[int] = []
        self.phonetic_strings: list[str] = []
        self.key: list[int] = []
        self.tradition: list[int] = []

    def __len__(self) -> int:
        return len(self.strings)

    def id(self, text: str) -> int:
        """The id of ``text``, interned on first sight; -1 for the empty string."""
        if not text:
            return -1
        found = self.ids.get(text)
        if found is not None:
            return found
        new = len(self.strings)
        self.ids[text] = new
        self.strings.append(text)
        family = variant_family(text)
        self.family.append(self._family_ids.setdefault(family, len(self._family_ids) - 1))
        key = phonetic_key(text)
        phonetic = self._phonetic_ids.setdefault(key, len(self._phonetic_ids))
        if phonetic == len(self.phonetic_strings):
            self.phonetic_strings.append(key)
        self.phonetic.append(phonetic)
        self.key.append(self._key_ids.setdefault(token_key(text), len(self._key_ids)))
        tradition = naming_tradition(text)
        self.tradition.append(_TRADITIONS.index(tradition) if tradition else -1)
        return new

    def key_id(self, text: str) -> int:
        """Frequency-key id of a string that is not a name token itself (a joined family name)."""
        return self._key_ids.setdefault(token_key(text), len(self._key_ids))

    def arrays(self) -> dict[str, np.ndarray]:
        """Per-id family, phonetic and frequency-key ids, tradition and length as arrays (built
        once, then cached)."""
        cached = getattr(self, "_arrays", None)
        if cached is not None and len(cached["family"]) == len(self.strings):
            return cached
        self._arrays = {
            "family": np.asarray(self.family, dtype=np.int32),
            "phonetic": np.asarray(self.phonetic, dtype=np.int32),
            "key": np.asarray(self.key, dtype=np.int32),
            "tradition": np.asarray(self.tradition, dtype=np.int8),
            "length": np.fromiter(map(len, self.strings), dtype=np.int16, count=len(self.strings)),
        }
        return self._arrays


class Labels:
    """Interned strings compared by equality (places, nationalities): id -1 for the empty one."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.strings: list[str] = []

    def id(self, text: str | None) -> int:
        if not text:
            return -1
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.strings)
            self.strings.append(text)
        return found


def flatten(prepared: Prepared) -> tuple:
    """What ``Columns.add`` needs of a prepared record, as plain strings and numbers.

    Small and picklable, so worker processes can prepare records and send them back.
    """
    birth, place = prepared.birth, prepared.place
    return (
        prepared.record_id,
        prepared.given,
        prepared.family,
        prepared.mother,
        prepared.father,
        prepared.family_joined,
        "".join(prepared.given),
        (
            birth.low,
            birth.high,
            birth.exact.toordinal() if birth.exact else -1,
            birth.kind == "age",
        )
        if birth
        else None,
        prepared.sex,
        prepared.nationality,
        prepared.place_raw,
        (place.town, place.prefecture, place.country) if place else None,
        prepared.event,
    )


def _pad(ids: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Rows of ``counts[r]`` ids each (laid end to end in ``ids``) as an array padded with -1."""
    width = int(counts.max()) if len(counts) and counts.max() > 0 else 1
    out = np.full((len(counts), width), -1, dtype=np.int32)
    rows = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    out[rows, np.arange(len(ids)) - np.repeat(starts, counts)] = ids
    return out


_TOKEN_FIELDS = ("given", "family", "mother", "father")
_NAME_FIELDS = ("family_joined", "given_joined")
_LABEL_FIELDS = ("nationality", "place_raw", "town", "prefecture", "country")
_NUMBER_FIELDS = (
    "birth_low",
    "birth_high",
    "birth_exact",
    "birth_age",
    "sex",
    "place_resolved",
    "event",
)


class Columns:
    """One side's records as arrays: filled with ``add`` (or ``extend``), then ``freeze``.

    Until frozen, fields are flat lists of plain strings and numbers (name tokens of all
    records end to end, with each record's count), so worker processes can fill partial
    columns and the parent only concatenates lists; ``freeze`` interns every distinct string
    once and builds the arrays.
    """

    def __init__(self, *, vocabulary: Vocabulary | None = None, labels: Labels | None = None):
        self.vocabulary = vocabulary
        self.labels = labels
        self.record_ids: list[str] = []
        self._rows: dict[str, list] = {
            name: []
            for name in (
                *_TOKEN_FIELDS,
                *(f"{field}_count" for field in _TOKEN_FIELDS),
                *_NAME_FIELDS,
                *_LABEL_FIELDS,
                *_NUMBER_FIELDS,
            )
        }
        self.frozen = False

    def __len__(self) -> int:
        return len(self.record_ids)

    def add(self, row: tuple) -> None:
        """Append one record given as ``flatten(prepared)``."""
        (
            record_id,
            given,
            family,
            mother,
            father,
            family_joined,
            given_joined,
            birth,
            sex,
            nationality,
            place_raw,
            place,
            event,
        ) = row
        rows = self._rows
        self.record_ids.append(record_id)
        for name, tokens in (
            ("given", given),
            ("family", family),
            ("mother", mother),
            ("father", father),
        ):
            rows[name].extend(tokens)
            rows[f"{name}_count"].append(len(tokens))
        rows["family_joined"].append(family_joined)
        rows["given_joined"].append(given_joined)
        low, high, exact, age = birth or (np.nan, np.nan, -1, False)
        rows["birth_low"].append(low)
        rows["birth_high"].append(high)
        rows["birth_exact"].append(exact)
        rows["birth_age"].append(age)
        rows["sex"].append({"M": 1, "F": 2}.get(sex, -1))
        rows["nationality"].append(nationality)
        rows["place_raw"].append(place_raw)
        town, prefecture, country = place or ("", "", "")
        rows["place_resolved"].append(place is not None)
        rows["town"].append(town or "")
        rows["prefecture"].append(prefecture or "")
        rows["country"].append(country or "")
        rows["event"].append(event)

    def extend(self, part: Columns) -> None:
        """Append the records of an unfrozen part (filled in a worker)."""
        self.record_ids.extend(part.record_ids)
        for name, values in part._rows.items():
            self._rows[name].extend(values)

    def freeze(self) -> None:
        """Intern the strings and build the arrays (name tokens padded with -1)."""
        rows, vocabulary, labels = self._rows, self.vocabulary, self.labels
        for name in _TOKEN_FIELDS:
            ids = _intern(rows[name], vocabulary.id, vocabulary.ids)
            setattr(self, name, _pad(ids, np.asarray(rows[f"{name}_count"], dtype=np.int64)))
        for name in _NAME_FIELDS:
            setattr(self, name, _intern(rows[name], vocabulary.id, vocabulary.ids))
        for name in _LABEL_FIELDS:
            setattr(self, name, _intern(rows[name], labels.id, labels.ids))
        self.birth_low = np.asarray(rows["birth_low"], dtype=np.float64)
        self.birth_high = np.asarray(rows["birth_high"], dtype=np.float64)
        self.birth_exact = np.asarray(rows["birth_exact"], dtype=np.int64)
        self.birth_age = np.asarray(rows["birth_age"], dtype=bool)
        self.sex = np.asarray(rows["sex"], dtype=np.int8)
        self.place_resolved = np.asarray(rows["place_resolved"], dtype=bool)
        self.event = np.asarray(rows["event"], dtype=np.int64)
        self._rows = {}
        self.frozen = True


def _intern(strings: list[str], new_id, ids: dict[str, int]) -> np.ndarray:
    """Ids of many strings: each distinct new one interned once, the rest mapped in C."""
    for text in dict.fromkeys(strings):
        if text not in ids:
            new_id(text)
    lookup = dict(ids)
    lookup[""] = -1
    return np.fromiter(map(lookup.__getitem__, strings), dtype=np.int32, count=len(strings))


def prepared_columns(
    records: Sequence[Prepared], *, vocabulary: Vocabulary, labels: Labels
) -> Columns:
    """Columns of already prepared records (tests and small jobs)."""
    columns = Columns(vocabulary=vocabulary, labels=labels)
    for record in records:
        columns.add(flatten(record))
    columns.freeze()
    return columns
