"""The comparison of millions of candidate pairs at once, on records kept as columns.

``features.compare`` is the reference: it compares one pair and returns the level of every
comparison by name, which is what an explanation needs. Linking a national register scores tens
of millions of pairs, so ``pair_codes`` computes the same levels for whole arrays of pairs with
numpy, on ``columns.Columns``, and ``score_pairs`` adds their weights. A test checks that both
give the same log-odds on every candidate pair of a synthetic register.
"""

from __future__ import annotations

import numpy as np

from corridor.matching.columns import Columns
from corridor.matching.features import (
    BIRTH_GAP_LIMITS,
    BIRTH_GAPS,
    BIRTH_KINDS,
    COMPARISONS,
    DELAYS,
    MIN_TOWN_RECORDS,
    TOWN_SHARES,
    date_typo,
    delay_level,
)
from corridor.matching.model import Model
from corridor.matching.similarity import (
    ABSENT,
    DIFFERENT,
    EXACT,
    PHONETIC,
    SIMILAR,
    VARIANT,
    WEAK,
    _Comparer,
)

__all__ = ["Weights", "Frequencies", "score_pairs", "pair_codes", "probabilities"]

_NAME_LEVEL_ORDER = (ABSENT, EXACT, VARIANT, PHONETIC, SIMILAR, WEAK, DIFFERENT)
"""Token levels in the order of ``COMPARISONS["given"]`` ("missing" first)."""
_ANOTHER = COMPARISONS["given"].index("another")


class Weights:
    """The model as lookup arrays: per comparison, the weight of each level code.

    The last code of every comparison is "absent" (weight 0): ``Model.log_odds`` only adds the
    comparisons present in a pair's levels, such as "order" when the names were swapped.
    """

    def __init__(self, model: Model) -> None:
        self.intercept = model.intercept
        self.table = {
            comparison: np.asarray(
                [model.weight(comparison, level) for level in levels] + [0.0], dtype=np.float64
            )
            for comparison, levels in COMPARISONS.items()
        }

    def total(self, codes: dict[str, np.ndarray]) -> np.ndarray:
        """The intercept plus each comparison's weight, for pairs given by their level codes."""
        out = np.full(len(next(iter(codes.values()))), self.intercept, dtype=np.float64)
        for comparison, code in codes.items():
            out += self.table[comparison][code]
        return out


class Frequencies:
    """Name-frequency buckets per vocabulary id and full-name counts per left record.

    The columnar form of ``features.NameFrequencies``: bucket 0 rare, 1 common, 2 very common;
    name counts as the index into ``COMPARISONS["name_count"]``.
    """

    def __init__(self, *, left: Columns, right: Columns) -> None:
        vocabulary = left.vocabulary
        keys = vocabulary.arrays()["key"]
        empty_family = vocabulary.key_id("")
        size = len(vocabulary._key_ids) + 1
        counts = np.zeros(size, dtype=np.int64)
        for side in (left, right):
            record, key = _record_keys(np.concatenate([side.given, side.family], axis=1), keys)
            counts += np.bincount(np.unique(record * size + key) % size, minlength=size)
        share = counts / max(len(left) + len(right), 1)
        bucket_by_key = np.where(share >= 0.03, 2, np.where(share >= 0.008, 1, 0)).astype(np.int8)
        self.bucket = bucket_by_key[keys] if len(keys) else np.zeros(0, dtype=np.int8)
        # Full names: (given-name key, family-name key) pairs, counted once per request.
        family = _family_keys(left, keys, empty_family)
        record, key = _record_keys(left.given, keys)
        combination = np.unique(record * size + key)
        names, per_name = np.unique(
            (combination % size) * size + family[combination // size], return_counts=True
        )
        self.name_count = _name_counts(left, family, keys, size, names, per_name)
        # The child's full name as written, counted among the requests too: a pair whose
        # names only look alike is judged by the commoner of the two names (the found child's
        # "Kossi AGBEKO" is common even where the request reads "Kossi Agbekpo").
        self.right_name_count = _name_counts(
            right, _family_keys(right, keys, empty_family), keys, size, names, per_name
        )
        self.town_bucket = _town_buckets(left, right)


def _town_buckets(left: Columns, right: Columns) -> np.ndarray:
    """Per town label, the ``place_frequency`` code of its share among the records (both sides)
    from its country; "absent" where the country has too few (``NameFrequencies.town_bucket``)."""
    size = len(left.labels.strings) + 1
    towns = np.concatenate([left.town, right.town]) if right is not left else left.town
    countries = np.concatenate([left.country, right.country]) if right is not left else left.country
    known = towns >= 0
    towns, countries = towns[known], countries[known]
    per_town = np.bincount(towns, minlength=size)
    per_country = np.bincount(countries, minlength=size)
    country_of = np.zeros(size, dtype=np.int64)
    country_of[towns] = countries
    from_country = per_country[country_of]
    share = per_town / np.maximum(from_country, 1)
    bucket = np.searchsorted(np.asarray(TOWN_SHARES), share, side="right").astype(np.int8)
    return np.where(from_country >= MIN_TOWN_RECORDS, bucket, len(COMPARISONS["place_frequency"]))


def _family_keys(side: Columns, keys: np.ndarray, empty: int) -> np.ndarray:
    """Frequency key of each record's joined family name."""
    joined = side.family_joined
    return np.where(joined >= 0, keys[np.maximum(joined, 0)], empty).astype(np.int64)


def _name_counts(side, family, keys, size, names, per_name) -> np.ndarray:
    """Per record and given-name slot, the ``name_count`` code of (given name, family name)
    among the requests (``names`` sorted, with their counts ``per_name``)."""
    out = np.zeros(side.given.shape, dtype=np.int8)
    rows, slots = np.nonzero(side.given >= 0)
    if len(rows) and len(names):
        wanted = keys[side.given[rows, slots]].astype(np.int64) * size + family[rows]
        at = np.minimum(np.searchsorted(names, wanted), len(names) - 1)
        found = np.where(names[at] == wanted, per_name[at], 0)
        out[rows, slots] = np.select(
            [found <= 1, found == 2, found <= 4, found <= 8], [0, 1, 2, 3], default=4
        )
    return out


def _record_keys(tokens: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(record index, frequency key) of every token present in a padded token array."""
    rows, slots = np.nonzero(tokens >= 0)
    return rows.astype(np.int64), keys[tokens[rows, slots]].astype(np.int64)


def _name_code(level: np.ndarray) -> np.ndarray:
    """Token level (-1..5) to its index in ``COMPARISONS["given"]``."""
    lookup = np.zeros(7, dtype=np.int8)
    for index, value in enumerate(_NAME_LEVEL_ORDER):
        lookup[value + 1] = index
    return lookup[level.astype(np.int16) + 1]


class _Ymd:
    """Year, month and day arrays of proleptic Gregorian ordinals (``date.toordinal``)."""

    def __init__(self, ordinals: np.ndarray) -> None:
        days = np.datetime64("0001-01-01", "D") + (np.maximum(ordinals, 1) - 1)
        years = days.astype("datetime64[Y]")
        months = days.astype("datetime64[M]")
        self.year = years.astype(np.int64) + 1970
        self.month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
        self.day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1


def _birth_codes(left: Columns, right: Columns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Index into ``COMPARISONS["birth"]`` (``features._birth_level``)."""
    low_a, high_a = left.birth_low[i], left.birth_high[i]
    low_b, high_b = right.birth_low[j], right.birth_high[j]
    missing = np.isnan(low_a) | np.isnan(low_b)
    exact_a, exact_b = left.birth_exact[i], right.birth_exact[j]
    dates = (exact_a >= 0) & (exact_b >= 0)
    kind = np.where(dates, 0, np.where(left.birth_age[i] | right.birth_age[j], 2, 1))
    gap = np.abs(low_a + high_a - low_b - high_b) / 2.0
    gap_level = np.select(
        [gap <= limit for limit in BIRTH_GAP_LIMITS],
        np.arange(3, 3 + len(BIRTH_GAP_LIMITS)),
        default=len(BIRTH_GAPS) - 1,
    )
    overlap = (low_a < np.maximum(high_b, low_b + 1e-9)) & (
        low_b < np.maximum(high_a, low_a + 1e-9)
    )
    gap_level[overlap] = 2
    both = np.flatnonzero(dates & (exact_a != exact_b))  # the rest need no calendar
    ymd_a = _Ymd(exact_a[both])
    typo = date_typo(ymd_a.year, ymd_a.month, ymd_a.day, _Ymd(exact_b[both]))
    gap_level[both[typo]] = 1
    gap_level[dates & (exact_a == exact_b)] = 0
    code = gap_level * len(BIRTH_KINDS) + kind
    code[missing] = len(COMPARISONS["birth"]) - 1
    return code


def _place_codes(
    left: Columns, right: Columns, i: np.ndarray, j: np.ndarray, comparer: _Comparer
) -> np.ndarray:
    """Index into ``COMPARISONS["place"]`` (``features._place_level``)."""
    same_town, same_prefecture, same_country, other_country, unknown = range(5)
    raw_a, raw_b = left.place_raw[i], right.place_raw[j]
    resolved = left.place_resolved[i] & right.place_resolved[j]
    town_a, town_b = left.town[i], right.town[j]
    code = np.select(
        [
            (town_a >= 0) & (town_a == town_b),
            (left.prefecture[i] == right.prefecture[j]) & (town_a >= 0) & (town_b >= 0),
            left.prefecture[i] == right.prefecture[j],
            left.country[i] == right.country[j],
        ],
        [same_town, same_prefecture, same_town, same_country],
        default=other_country,
    ).astype(np.int8)
    fuzzy = np.flatnonzero(~resolved & (raw_a >= 0) & (raw_b >= 0))
    if len(fuzzy):
        similarity = comparer.similarity(raw_a[fuzzy], raw_b[fuzzy], strings=left.labels.strings)
        code[fuzzy] = np.where(similarity >= 0.9, same_town, unknown)
    code[(raw_a < 0) | (raw_b < 0)] = unknown
    return code


def _parent_codes(best: np.ndarray) -> np.ndarray:
    """Index into ``COMPARISONS["mother"]``: agree, similar, different, missing."""
    return np.select([best >= VARIANT, best >= SIMILAR, best >= DIFFERENT], [0, 1, 2], default=3)


def _pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """agree (0) / disagree (1) / missing or unknown (2) for two coded columns (-1: none)."""
    return np.where((a >= 0) & (b >= 0), np.where(a == b, 0, 1), 2)


def score_pairs(
    *,
    left: Columns,
    right: Columns,
    i: np.ndarray,
    j: np.ndarray,
    weights: Weights,
    frequencies: Frequencies,
    comparer: _Comparer | None = None,
) -> np.ndarray:
    """Log-odds of the pairs (left[i], right[j]), equal to ``Model.log_odds(compare(...))``."""
    codes = pair_codes(left=left, right=right, i=i, j=j, frequencies=frequencies, comparer=comparer)
    return weights.total(codes)


def pair_codes(
    *,
    left: Columns,
    right: Columns,
    i: np.ndarray,
    j: np.ndarray,
    frequencies: Frequencies,
    comparer: _Comparer | None = None,
) -> dict[str, np.ndarray]:
    """Per comparison, the level of each pair as its index in ``COMPARISONS`` (last: absent).

    ``features.compare`` for columns: what ``score_pairs`` weighs and a second-stage model reads.
    """
    comparer = comparer or _Comparer(left.vocabulary)
    g_a, f_a, fj_a = left.given[i], left.family[i], left.family_joined[i]
    g_b, f_b = right.given[j], right.family[j]
    fj_b, gj_b = right.family_joined[j], right.given_joined[j]

    straight_family = comparer.family_level(f_a, f_b, fj_a, fj_b)
    straight_given = comparer.best(g_a, g_b)
    swapped_family = comparer.family_level(f_a, g_b, fj_a, gj_b)
    swapped_given = comparer.best(g_a, f_b)
    swapped = (swapped_family[0].astype(np.int16) + swapped_given[0]) > (
        straight_family[0].astype(np.int16) + straight_given[0]
    )
    family, family_a, family_b = (
        np.where(swapped, s, t) for s, t in zip(swapped_family, straight_family, strict=True)
    )
    given, given_a, given_b = (
        np.where(swapped, s, t) for s, t in zip(swapped_given, straight_given, strict=True)
    )
    codes = {
        "order": np.where(swapped, 0, 1).astype(np.int8),
        "family": _name_code(family),
        "given": _name_code(given),
    }

    absent = len(COMPARISONS["given_frequency"])
    bucket = frequencies.bucket
    # Names that only look alike are judged by the commoner of the two (as agreeing ones).
    given_known = given >= SIMILAR
    family_known = family >= SIMILAR
    given_bucket = np.maximum(bucket[np.maximum(given_a, 0)], bucket[np.maximum(given_b, 0)])
    family_bucket = np.maximum(bucket[np.maximum(family_a, 0)], bucket[np.maximum(family_b, 0)])
    codes["given_frequency"] = np.where(given_known, given_bucket, absent)
    codes["family_frequency"] = np.where(family_known, family_bucket, absent)
    slot = np.argmax(g_a == given_a[:, None], axis=1)
    name_count = frequencies.name_count[i, slot]
    # Written straight, the child's own full name counts too (the commoner one decides).
    slot_b = np.argmax(g_b == given_b[:, None], axis=1)
    requests_only = right is left  # two requests compared (the second-parent test)
    counts_b = frequencies.name_count if requests_only else frequencies.right_name_count
    name_count = np.where(~swapped, np.maximum(name_count, counts_b[j, slot_b]), name_count)
    codes["name_count"] = np.where(
        given_known & family_known, name_count, len(COMPARISONS["name_count"])
    )

    other_b = np.where(swapped[:, None], _widen(f_b, g_b.shape[1]), _widen(g_b, f_b.shape[1]))
    rest_a = np.where(g_a == given_a[:, None], -1, g_a)
    rest_b = np.where(other_b == given_b[:, None], -1, other_b)
    more_a, more_b = (rest_a >= 0).any(axis=1), (rest_b >= 0).any(axis=1)
    ask = np.flatnonzero((given >= SIMILAR) & more_a & more_b)
    other = np.full(len(i), len(COMPARISONS["given_other"]), dtype=np.int8)
    # A second given name on one record only (``features._names``).
    other[(given >= SIMILAR) & more_a & ~more_b] = 2
    other[(given >= SIMILAR) & ~more_a & more_b] = 3
    if len(ask):
        other_level = comparer.best(rest_a[ask], rest_b[ask])[0]
        other[ask] = np.where(other_level >= SIMILAR, 0, 1)
    codes["given_other"] = other
    # Two different names of one tradition are two children (``features.another_name``).
    low = np.flatnonzero((given == WEAK) | (given == DIFFERENT))
    if len(low):
        tradition = left.vocabulary.arrays()["tradition"]
        kinds_a = np.where(g_a[low] >= 0, tradition[g_a[low]], -1)
        kinds_b = np.where(other_b[low] >= 0, tradition[other_b[low]], -2)
        shared = (kinds_a[:, :, None] == kinds_b[:, None, :]) & (kinds_a[:, :, None] >= 0)
        codes["given"][low[shared.any(axis=(1, 2))]] = _ANOTHER
    codes["birth"] = _birth_codes(left, right, i, j)
    codes["sex"] = _pair_codes(left.sex[i], right.sex[j])
    codes["place"] = _place_codes(left, right, i, j, comparer)
    town = left.town[i]
    codes["place_frequency"] = np.where(
        (codes["place"] == 0) & (town >= 0) & (town == right.town[j]),
        frequencies.town_bucket[np.maximum(town, 0)],
        len(COMPARISONS["place_frequency"]),
    ).astype(np.int8)
    for parent in ("mother", "father"):
        level, token_a, token_b = comparer.best(
            *_first_names(getattr(left, parent)[i], getattr(right, parent)[j])
        )
        codes[parent] = _parent_codes(level)
        commoner = np.maximum(bucket[np.maximum(token_a, 0)], bucket[np.maximum(token_b, 0)])
        codes[f"{parent}_frequency"] = np.where(codes[parent] == 0, commoner, absent)
    codes["nationality"] = _pair_codes(left.nationality[i], right.nationality[j])
    reported, identified = left.event[i], right.event[j]
    codes["delay"] = np.where(
        (reported >= 0) & (identified >= 0) & (not requests_only),
        delay_level(identified - reported),
        len(DELAYS),
    ).astype(np.int8)
    return codes


def _first_names(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``features.parent_first_names`` on padded token rows: a lone first name against a full
    name, the full name's last token (its family name) left out."""
    count_a, count_b = (a >= 0).sum(axis=1), (b >= 0).sum(axis=1)
    out = []
    for tokens, count, other in ((a, count_a, count_b), (b, count_b, count_a)):
        rows = np.flatnonzero((count > 1) & (other == 1))
        if len(rows):
            tokens = tokens.copy()
            tokens[rows, count[rows] - 1] = -1
        out.append(tokens)
    return out[0], out[1]


def _widen(array: np.ndarray, width: int) -> np.ndarray:
    """Pad a token array with -1 columns to at least ``width`` columns."""
    if array.shape[1] >= width:
        return array
    pad = np.full((array.shape[0], width - array.shape[1]), -1, dtype=array.dtype)
    return np.concatenate([array, pad], axis=1)


def probabilities(log_odds: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow."""
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -35.0, 35.0)))
