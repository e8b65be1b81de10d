"""Record preparation and field-by-field comparison levels.

Each comparison turns a pair of fields into one discrete agreement level ("same variant family",
"within 2 years, estimated age", ...). The model gives every level a weight, so the levels are
also the vocabulary of the explanation a caseworker reads.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from rapidfuzz.distance import JaroWinkler

from corridor.matching.normalise import (
    fold,
    naming_tradition,
    orient_name,
    parent_tokens,
    phonetic_key,
    token_key,
    variant_family,
)
from corridor.matching.places import Place, resolve_place
from corridor.matching.records import EVENT_COLUMN, BirthRange, birth_range, parse_date
from corridor.matching.similarity import (
    DIFFERENT,
    EXACT,
    PHONETIC,
    SIMILAR,
    VARIANT,
    WEAK,
    similarity_level,
)

__all__ = [
    "Prepared",
    "prepare",
    "compare",
    "token_level",
    "NameFrequencies",
    "name_statistics",
    "COMPARISONS",
    "delay_level",
    "another_name",
    "parent_first_names",
]

_TOKEN_LEVEL_NAMES = {
    EXACT: "exact",
    VARIANT: "variant",
    PHONETIC: "phonetic",
    SIMILAR: "similar",
    WEAK: "weak",
    DIFFERENT: "different",
}

BIRTH_GAPS = (
    "same_date",
    "date_typo",
    "overlap",
    "6m",
    "1y",
    "18m",
    "2y",
    "30m",
    "3y",
    "4y",
    "5y",
    "far",
)
"""Birth comparison, closest first: one date; dates one part apart (a writing error); periods
that overlap (a date in the year, the same year); then how far apart they are (the years
between their middles)."""
BIRTH_KINDS = ("dates", "precise", "estimate")
"""Both full dates; a year on one side at least; an age estimated on the event date."""
BIRTH_GAP_LIMITS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0)
"""Upper limits of the gap levels "6m" to "5y": years between the middles of the periods. Half
years up to three: an estimated age is a guess, and the share of true pairs among candidates
halves from a gap of one year to two and again from two to three (dev-scale)."""

DELAYS = (
    "long_before",
    "before_6m",
    "before_3m",
    "within_3m",
    "within_6m",
    "within_9m",
    "within_1y",
    "within_15m",
    "within_18m",
    "within_2y",
    "long_after",
)
"""Days from the request to the child's identification: more than 6 months before, 3 to 6
months before, up to 3 months before, then after it by up to 3, 6, 9, 12, 15, 18, 24 months,
and later."""
DELAY_LIMITS = (-183, -91, 0, 91, 183, 274, 366, 457, 548, 731)
"""Lowest number of days of each level of ``DELAYS`` after the first."""

COMPARISONS: dict[str, tuple[str, ...]] = {
    "given": ("missing", "exact", "variant", "phonetic", "similar", "weak", "different", "another"),
    "given_frequency": ("rare", "common", "very_common"),
    "given_other": ("agree", "differ", "first_only", "second_only"),
    "family": ("missing", "exact", "variant", "phonetic", "similar", "weak", "different"),
    "family_frequency": ("rare", "common", "very_common"),
    "name_count": ("1", "2", "3-4", "5-8", "9+"),
    "order": ("swapped",),
    "birth": tuple(f"{gap}|{kind}" for gap in BIRTH_GAPS for kind in BIRTH_KINDS) + ("missing",),
    "sex": ("agree", "disagree", "unknown"),
    "place": ("same_town", "same_prefecture", "same_country", "other_country", "unknown"),
    "place_frequency": ("rare", "common", "very_common"),
    "mother": ("agree", "similar", "different", "missing"),
    "father": ("agree", "similar", "different", "missing"),
    "mother_frequency": ("rare", "common", "very_common"),
    "father_frequency": ("rare", "common", "very_common"),
    "nationality": ("agree", "disagree", "missing"),
    "delay": (*DELAYS, "missing"),
}


class Prepared:
    """A record reduced to what comparison needs; built once per record, compared many times."""

    __slots__ = (
        "record_id",
        "given",
        "family",
        "family_joined",
        "sex",
        "birth",
        "place",
        "place_raw",
        "mother",
        "father",
        "nationality",
        "side",
        "event",
        "name_keys",
        "raw",
    )

    def __init__(self, **values) -> None:
        for name in self.__slots__:
            setattr(self, name, values.get(name))


def prepare(*, record: dict, side: str) -> Prepared:
    """Normalise one record (a dict in the benchmark CSV format) for comparison and blocking."""
    given, family = orient_name(
        given_names=record.get("given_names") or "", family_name=record.get("family_name") or ""
    )
    town = (record.get("place_of_origin") or "").strip()
    prefecture = (record.get("origin_prefecture") or "").strip()
    place = resolve_place(town) if town else None
    if place is None and prefecture:
        place = resolve_place(prefecture)
    elif place is not None and prefecture and place.town is None:
        place = resolve_place(prefecture) or place
    sex = (record.get("sex") or "").strip().upper()
    return Prepared(
        record_id=record["record_id"],
        given=tuple(given),
        family=tuple(family),
        family_joined="".join(family),
        sex=sex if sex in ("M", "F") else "",
        birth=birth_range(record=record, side=side),
        place=place,
        place_raw=fold(town).replace(" ", "") or fold(prefecture).replace(" ", ""),
        mother=tuple(parent_tokens(record.get("mother_name"))),
        father=tuple(parent_tokens(record.get("father_name"))),
        nationality=(record.get("nationality") or "").strip().upper(),
        side=side,
        event=_event_day(record.get(EVENT_COLUMN[side])),
        name_keys=tuple(dict.fromkeys(token_key(t) for t in (*given, *family))),
        raw=record,
    )


def _event_day(value: str | None) -> int:
    """The request's or the identification's date as a day number (-1: not written)."""
    day = parse_date(value or "")
    return day.toordinal() if day else -1


def delay_level(days):
    """Index in ``DELAYS`` of a number of days from request to identification (or an array)."""
    return np.searchsorted(DELAY_LIMITS, days, side="right")


@functools.lru_cache(maxsize=1_000_000)
def token_level(a: str, b: str) -> int:
    """Agreement level of two folded name tokens, from EXACT down to DIFFERENT."""
    if not a or not b:
        return DIFFERENT
    if a == b:
        return EXACT
    family_a = variant_family(a)
    if family_a is not None and family_a == variant_family(b):
        return VARIANT
    key_a, key_b = phonetic_key(a), phonetic_key(b)
    if key_a == key_b:
        return PHONETIC
    similarity = max(
        JaroWinkler.normalized_similarity(a, b), JaroWinkler.normalized_similarity(key_a, key_b)
    )
    return int(similarity_level(similarity, len(a) - len(b)))


def _best(tokens_a: Iterable[str], tokens_b: Iterable[str]) -> tuple[int, str, str]:
    best = (DIFFERENT - 1, "", "")
    for a in tokens_a:
        for b in tokens_b:
            level = token_level(a, b)
            if level > best[0]:
                best = (level, a, b)
    return best


class NameFrequencies:
    """Share of records whose name carries each token key, for term-frequency adjustment.

    Agreeing on "Kokou" (a seventh of the boys of Ewe families) says less than agreeing on
    "Pakoubètè"; the bucket of the agreed name is a comparison of its own.
    """

    def __init__(self, *, records: Iterable[Prepared]) -> None:
        counts: Counter[str] = Counter()
        towns: Counter[tuple[str, str]] = Counter()
        total = 0
        for record in records:
            total += 1
            counts.update(record.name_keys)
            if record.place is not None and record.place.town:
                towns[(record.place.country, record.place.town)] += 1
        self.total = max(total, 1)
        self.counts = counts
        self.towns = towns
        self.countries: Counter[str] = Counter()
        for (country, _town), count in towns.items():
            self.countries[country] += count
        self.combinations: Counter[tuple[str, str]] = Counter()

    def add_combinations(self, *, records: Iterable[Prepared]) -> None:
        """Count the records (one side) carrying each (given name, family name) key pair.

        How many requests share a found child's full name is the direct measure of how much an
        agreement on that name proves; unlike a share, it grows with the size of the register,
        as the chance of a namesake does.
        """
        for record in records:
            family = token_key(record.family_joined)
            for given in {token_key(t) for t in record.given}:
                self.combinations[(given, family)] += 1

    def combination_bucket(self, *, given: str, family: str) -> str | None:
        if not self.combinations:
            return None
        count = self.combinations.get((token_key(given), token_key(family)), 0)
        if count <= 1:
            return "1"
        if count == 2:
            return "2"
        if count <= 4:
            return "3-4"
        if count <= 8:
            return "5-8"
        return "9+"

    def town_bucket(self, place) -> str | None:
        """How common a town is among the records from its country (None: too few counted).

        The country is what the names already tell: the namesakes of a Beninese child are
        Beninese, and if a sixth of them come from Cotonou, agreeing on Cotonou proves less
        than agreeing on one of thirty Togolese towns.
        """
        known = self.countries.get(place.country, 0)
        if known < MIN_TOWN_RECORDS:
            return None
        return town_bucket(self.towns.get((place.country, place.town), 0) / known)

    def commoner(self, a: str, b: str) -> str:
        """The bucket of the commoner of two tokens."""
        return max(self.bucket(a), self.bucket(b), key=COMPARISONS["given_frequency"].index)

    def bucket(self, token: str) -> str:
        share = self.counts.get(token_key(token), 0) / self.total
        if share >= 0.03:
            return "very_common"
        if share >= 0.008:
            return "common"
        return "rare"


MIN_TOWN_RECORDS = 200
"""Records with a town from one country below which its towns' shares are not judged."""
TOWN_SHARES = (0.02, 0.08)
"""A town's share of its country's records from which it is common, then very common."""


def town_bucket(share: float) -> str:
    """``COMPARISONS["place_frequency"]`` of a town's share of its country's records."""
    return ("rare", "common", "very_common")[sum(share >= limit for limit in TOWN_SHARES)]


def name_statistics(*, left: Sequence[Prepared], right: Sequence[Prepared]) -> NameFrequencies:
    """Name frequencies over both sides and full-name counts over the requests (left)."""
    frequencies = NameFrequencies(records=[*left, *right])
    frequencies.add_combinations(records=left)
    return frequencies


def _family_level(
    a: Prepared | tuple, b_tokens: tuple[str, ...], joined_a: str
) -> tuple[int, str, str]:
    joined_b = "".join(b_tokens)
    if not joined_a or not joined_b:
        return (DIFFERENT - 1, "", "")
    whole = token_level(joined_a, joined_b)
    if len(a) > 1 and len(b_tokens) > 1:
        # Both names compound: every part of the shorter must agree, not just one
        # ("Ouro-Gnaou" and "Ouro-Bang'na" are two families sharing a particle).
        short, long_ = (a, b_tokens) if len(a) <= len(b_tokens) else (b_tokens, a)
        parts = min(_best((token,), long_)[0] for token in short)
        return (max(whole, parts), joined_a, joined_b)
    parts = _best(a, b_tokens)
    if whole >= parts[0]:
        return (whole, joined_a, joined_b)
    return parts


def _birth_level(a: BirthRange | None, b: BirthRange | None) -> str:
    if a is None or b is None:
        return "missing"
    if a.kind == "date" and b.kind == "date":
        kind = "dates"
    else:
        kind = "precise" if a.kind != "age" and b.kind != "age" else "estimate"
    if a.exact is not None and b.exact is not None:
        if a.exact == b.exact:
            return f"same_date|{kind}"
        if date_typo(a.exact.year, a.exact.month, a.exact.day, b.exact):
            return f"date_typo|{kind}"
    # Half-open periods: a year is [year, year + 1), a date the instant at its start.
    high_a, high_b = max(a.high, a.low + 1e-9), max(b.high, b.low + 1e-9)
    if a.low < high_b and b.low < high_a:
        return f"overlap|{kind}"
    gap = abs(a.low + a.high - b.low - b.high) / 2.0  # between the periods' middles
    for limit, level in zip(BIRTH_GAP_LIMITS, BIRTH_GAPS[3:], strict=False):
        if gap <= limit:
            return f"{level}|{kind}"
    return f"far|{kind}"


def date_typo(year, month, day, other) -> bool:
    """Whether two different dates differ by one part, or by day and month swapped.

    Works on numbers and on numpy arrays alike (``other`` has ``year``, ``month``, ``day``).
    """
    same_year, same_month = year == other.year, month == other.month
    same_day = day == other.day
    swapped = same_year & (month == other.day) & (day == other.month)
    return (same_year & same_month) | (same_year & same_day) | (same_month & same_day) | swapped


def _same_town(a: Prepared, b: Prepared) -> bool:
    """Both records name the same town of the gazetteer."""
    return bool(a.place and b.place and a.place.town and a.place.town == b.place.town)


def _place_level(a: Prepared, b: Prepared) -> str:
    if not a.place_raw or not b.place_raw:
        return "unknown"
    pa: Place | None = a.place
    pb: Place | None = b.place
    if pa is None or pb is None:
        if JaroWinkler.normalized_similarity(a.place_raw, b.place_raw) >= 0.9:
            return "same_town"
        return "unknown"
    if pa.town and pa.town == pb.town:
        return "same_town"
    if pa.prefecture == pb.prefecture:
        return "same_prefecture" if (pa.town and pb.town) else "same_town"
    if pa.country == pb.country:
        return "same_country"
    return "other_country"


def parent_first_names(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[tuple, tuple]:
    """Two parents' name tokens as compared: where one is a lone first name and the other a
    full name, the full name without its family name (its last token). "Adjoa" is not
    "Yayra Adzoh": on dev-scale's candidates, 3 of 16,032 pairs agreeing only by such a
    family name are true pairs, against 1 in 20 agreeing by the first name."""
    if len(a) == 1 and len(b) > 1:
        return a, b[:-1]
    if len(b) == 1 and len(a) > 1:
        return a[:-1], b
    return a, b


@functools.lru_cache(maxsize=1_000_000)
def _parent_level(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, str, str]:
    """Level of two parents' names, and the tokens that agree best.

    A lone name (the child's "Maman Afi") is a first name: against a full name it is compared
    with the first names only, not the family name last (``parent_first_names``).
    """
    if not a or not b:
        return ("missing", "", "")
    a, b = parent_first_names(a, b)
    level, token_a, token_b = _best(a, b)
    if level >= VARIANT:
        return ("agree", token_a, token_b)
    if level >= SIMILAR:
        return ("similar", token_a, token_b)
    return ("different", token_a, token_b)


@functools.lru_cache(maxsize=2_000_000)
def _names(
    given_a: tuple[str, ...],
    family_a: tuple[str, ...],
    joined_a: str,
    given_b: tuple[str, ...],
    family_b: tuple[str, ...],
) -> tuple[bool, tuple[int, str, str], tuple[int, str, str], str | None, bool]:
    straight_family = _family_level(family_a, family_b, joined_a)
    straight_given = _best(given_a, given_b)
    swapped_family = _family_level(family_a, given_b, joined_a)
    swapped_given = _best(given_a, family_b)
    swapped = swapped_family[0] + swapped_given[0] > straight_family[0] + straight_given[0]
    family, given = (
        (swapped_family, swapped_given) if swapped else (straight_family, straight_given)
    )
    other_b = family_b if swapped else given_b
    rest_a = [t for t in given_a if t != given[1]]
    rest_b = [t for t in other_b if t != given[2]]
    given_other = None
    if given[0] >= SIMILAR and rest_a and rest_b:
        given_other = "agree" if _best(rest_a, rest_b)[0] >= SIMILAR else "differ"
    elif given[0] >= SIMILAR and (rest_a or rest_b):
        # A second given name on one record only: a child drops a name more often than a
        # family leaves one out, and a namesake with another name fits neither way.
        given_other = "first_only" if rest_a else "second_only"
    another = given[0] in (WEAK, DIFFERENT) and another_name(given_a, other_b)
    return swapped, family, given, given_other, another


def another_name(tokens_a: Iterable[str], tokens_b: Iterable[str]) -> bool:
    """Whether two sets of given names that do not agree hold two names of one naming tradition
    (``naming_tradition``): Kodjo and Koffi are two days of birth, not a misspelling, where Kodjo
    and Paul may be one child's two names."""
    kinds = {naming_tradition(token) for token in tokens_a} - {None}
    return any(naming_tradition(token) in kinds for token in tokens_b)


def compare(
    a: Prepared, b: Prepared, *, frequencies: NameFrequencies | None = None
) -> dict[str, str]:
    """Agreement level of every comparison for one pair; the keys are those of COMPARISONS.

    The child's names are compared in the order written and with given and family names
    swapped; the better reading is kept (and flagged), since surname-first entry is the norm on
    many forms and a caseworker cannot tell which one an officer used.
    """
    levels: dict[str, str] = {}
    swapped, family, given, given_other, another = _names(
        a.given, a.family, a.family_joined, b.given, b.family
    )
    if swapped:
        levels["order"] = "swapped"
    levels["family"] = _TOKEN_LEVEL_NAMES.get(family[0], "missing")
    # Two different names of one tradition are two children, not a misspelling.
    levels["given"] = "another" if another else _TOKEN_LEVEL_NAMES.get(given[0], "missing")
    if frequencies is not None:
        # Names that only look alike are judged by the commoner of the two.
        if given[0] >= SIMILAR:
            levels["given_frequency"] = frequencies.commoner(given[1], given[2])
        if family[0] >= SIMILAR:
            levels["family_frequency"] = frequencies.commoner(family[1], family[2])
        if family[0] >= SIMILAR and given[0] >= SIMILAR:
            bucket = frequencies.combination_bucket(given=given[1], family=a.family_joined)
            if bucket and not swapped:  # the commoner of the two full names decides
                other = frequencies.combination_bucket(given=given[2], family=b.family_joined)
                bucket = max(bucket, other, key=COMPARISONS["name_count"].index)
            if bucket:
                levels["name_count"] = bucket
    if given_other:
        levels["given_other"] = given_other
    levels["birth"] = _birth_level(a.birth, b.birth)
    if a.sex and b.sex:
        levels["sex"] = "agree" if a.sex == b.sex else "disagree"
    else:
        levels["sex"] = "unknown"
    levels["place"] = _place_level(a, b)
    if levels["place"] == "same_town" and frequencies is not None and _same_town(a, b):
        bucket = frequencies.town_bucket(a.place)
        if bucket:
            levels["place_frequency"] = bucket
    for parent in ("mother", "father"):
        level, token_a, token_b = _parent_level(getattr(a, parent), getattr(b, parent))
        levels[parent] = level
        # "Maman Afi" agreeing with "Afi Mensah" says little: Afi is every Friday girl's name.
        if level == "agree" and frequencies is not None:
            levels[f"{parent}_frequency"] = frequencies.commoner(token_a, token_b)
    if a.nationality and b.nationality:
        levels["nationality"] = "agree" if a.nationality == b.nationality else "disagree"
    else:
        levels["nationality"] = "missing"
    # Only a request (left) and a found child (right) have a delay between them.
    if a.side == "left" and b.side == "right" and a.event >= 0 and b.event >= 0:
        levels["delay"] = DELAYS[int(delay_level(b.event - a.event))]
    else:
        levels["delay"] = "missing"
    return levels
