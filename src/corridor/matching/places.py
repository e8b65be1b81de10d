"""Place gazetteer: old and new names of towns, their prefecture and country.

A family in Kpalimé says "Palimé", an officer in Libreville writes "Kloto" or "Kpalimey": all
three resolve to prefecture Kloto in Togo. Lookups are exact on the folded name first, then fuzzy
(Indel similarity, which unlike Jaro-Winkler gives no bonus to a shared prefix: "Atlantis"
is not "Atlantique") so that a misspelt town still finds its prefecture.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml
from rapidfuzz import distance, process

from corridor.matching.normalise import fold

__all__ = ["Place", "resolve_place", "load_gazetteer"]

_FUZZY_CUTOFF = 0.85
_SUFFIXES = ("centre", "ville", "gare", "plage", "commune", "town", "city", "village")


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place. ``town`` is None when only the prefecture was named."""

    town: str | None
    prefecture: str
    country: str


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> dict[str, Place]:
    """Map every folded name (town, old name, spelling, prefecture) to its Place."""
    text = resources.files("corridor.matching").joinpath("data/places.yaml").read_text("utf-8")
    index: dict[str, Place] = {}
    for country, prefectures in yaml.safe_load(text)["countries"].items():
        for prefecture, towns in prefectures.items():
            for town, aliases in (towns or {}).items():
                place = Place(town=town, prefecture=prefecture, country=country)
                for name in [town, *(aliases or [])]:
                    index.setdefault(_key(name), place)
            index.setdefault(
                _key(prefecture), Place(town=None, prefecture=prefecture, country=country)
            )
    return index


def _key(name: str) -> str:
    return fold(name).replace(" ", "")


@functools.lru_cache(maxsize=100_000)
def resolve_place(name: str | None) -> Place | None:
    """Resolve a written place name to the gazetteer, or None when it is unknown or empty."""
    key = _key(name or "")
    if not key:
        return None
    index = load_gazetteer()
    if key in index:
        return index[key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in index:
            return index[key[: -len(suffix)]]
    best = process.extractOne(
        key,
        list(index),
        scorer=distance.Indel.normalized_similarity,
        score_cutoff=_FUZZY_CUTOFF,
    )
    return index[best[0]] if best else None
