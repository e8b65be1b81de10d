"""Synthetic corridor records with a known truth, for training, tests and benchmarks.

No real person is in them. Families are drawn from the corridor's naming traditions (Ewe/Mina and
Fon day names, Kabye and Tem names, Muslim and Christian names); each missing child may be sought
by one or both parents in Togo and found in Gabon, where an officer writes down what the child
says. The noise model is the corridor's own: spelling variants of day names, surname-first entry
in capitals, "Maman Afi" for the mother, ages guessed from looks, old and new place names, typos,
missing fields, and siblings who are found while their brother or sister is the one sought.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

import yaml

from corridor.matching.normalise import load_variant_families
from corridor.matching.places import load_gazetteer

__all__ = ["NoiseModel", "generate", "LEFT_COLUMNS", "RIGHT_COLUMNS"]

LEFT_COLUMNS = (
    "record_id,given_names,family_name,sex,birth_date,birth_year,age_years,report_date,"
    "place_of_origin,origin_prefecture,mother_name,father_name,nationality"
).split(",")
RIGHT_COLUMNS = (
    "record_id,given_names,family_name,sex,birth_date,birth_year,age_years,identification_date,"
    "place_of_origin,origin_prefecture,mother_name,father_name,nationality,found_location"
).split(",")


@dataclass(frozen=True)
class _Names:
    """The name and place lists of ``data/synth_names.yaml``, read once."""

    day_male: list[str]  # by weekday, Monday first, as Ewe/Mina families write them
    day_female: list[str]
    fon_male: list[str]  # the same day names as Fon families write them
    ewe_second: list[str]
    christian_m: list[str]
    christian_f: list[str]
    kabye_m: list[str]
    kabye_f: list[str]
    muslim_m: list[str]
    muslim_f: list[str]
    surnames: dict[str, list[str]]  # south, north, benin
    foreign: dict[str, tuple[list[str], list[str], list[str], list[str]]]
    south_prefectures: list[str]
    north_prefectures: list[str]
    benin_towns: list[str]
    gabon_locations: list[str]
    syllables: dict[str, tuple[list[str], list[str], list[str]]]


@functools.cache
def _names() -> _Names:
    text = resources.files("corridor.matching").joinpath("data/synth_names.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    days, given, places = data["day_names"], data["given_names"], data["places"]
    return _Names(
        day_male=days["male"],
        day_female=days["female"],
        fon_male=days["fon_male"],
        ewe_second=given["ewe_second"],
        christian_m=given["christian_male"],
        christian_f=given["christian_female"],
        kabye_m=given["kabye_male"],
        kabye_f=given["kabye_female"],
        muslim_m=given["muslim_male"],
        muslim_f=given["muslim_female"],
        surnames=data["surnames"],
        foreign={
            country: (lists["male"], lists["female"], lists["surnames"], lists["towns"])
            for country, lists in data["foreign"].items()
        },
        south_prefectures=places["south_prefectures"],
        north_prefectures=places["north_prefectures"],
        benin_towns=places["benin_towns"],
        gabon_locations=places["gabon_locations"],
        syllables={
            group: (parts["starts"], parts["middles"], parts["ends"])
            for group, parts in data["surname_syllables"].items()
        },
    )


def _pseudo_names(group: str, count: int) -> list[str]:
    """A long tail of plausible surnames, the same for every seed (a fixed population)."""
    rng = random.Random(f"names-{group}")
    starts, middles, ends = _names().syllables[group]
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = (
            rng.choice(starts)
            + "".join(rng.choice(middles) for _ in range(rng.choice((1, 1, 2))))
            + rng.choice(ends)
        )
        name = name[0].upper() + name[1:].lower()
        if len(name) >= 4 and name not in seen:
            seen.add(name)
            names.append(name)
    return names


@functools.cache
def _surname_tail(group: str) -> list[str]:
    return _pseudo_names(group, 400)


@dataclass(frozen=True)
class NoiseModel:
    """How much the found-child record departs from the family's account.

    ``level`` scales every error rate: 1.0 is an ordinary registration, 2.0 a hurried one in a
    crowded shelter. The other rates are the shares of records affected at level 1.0.
    """

    level: float = 1.0
    typo: float = 0.12
    variant: float = 0.30
    swap_order: float = 0.15
    drop_second_given: float = 0.5
    age_sd: float = 1.3
    missing_place: float = 0.3
    old_place_name: float = 0.3
    mother_missing: float = 0.45
    father_given: float = 0.25
    nationality_missing: float = 0.3
    sex_error: float = 0.01
    left_year_error: float = 0.08
    other_given_name: float = 0.03
    extra: dict = field(default_factory=dict)

    def rate(self, name: str) -> float:
        return min(0.95, getattr(self, name) * self.level)


@dataclass
class _Child:
    given: list[str]
    family: str
    sex: str
    born: date
    town: str
    prefecture: str
    country: str
    mother: tuple[str, str]
    father: tuple[str, str] | None
    group: str


def _variants_of(name: str) -> list[str]:
    from corridor.matching.normalise import fold, variant_family

    family = variant_family(name)
    if family is None:
        return []
    spec = load_variant_families()[family]
    return [v for v in spec["variants"] if fold(v) != fold(name) and "-" not in v]


def _spelling(rng: random.Random, name: str) -> str:
    """Rewrite a name the way another clerk hears it (ou/u, c/k, doubled letters, final e)."""
    rules = [
        ("ou", "u"),
        ("u", "ou"),
        ("k", "c"),
        ("c", "k"),
        ("ss", "s"),
        ("s", "ss"),
        ("ff", "f"),
        ("f", "ff"),
        ("dj", "dz"),
        ("dj", "j"),
        ("é", "e"),
        ("è", "e"),
        ("e", "é"),
        ("y", "i"),
        ("ï", "i"),
        ("w", "ou"),
        ("h", ""),
    ]
    rng.shuffle(rules)
    lower = name.lower()
    for src, dst in rules:
        index = lower.find(src, 1)
        if index > 0:
            out = name[:index] + dst + name[index + len(src) :]
            return out
    return name + "e"


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 3:
        return name
    i = rng.randrange(1, len(name))
    op = rng.random()
    if op < 0.3:
        return name[:i] + name[i + 1 :]
    if op < 0.55:
        return name[:i] + name[i] + name[i:]
    if op < 0.8 and i < len(name) - 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice("aeiouklmnst") + name[i + 1 :]


def _towns_by_prefecture() -> dict[str, list[tuple[str, list[str]]]]:
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for place in load_gazetteer().values():
        if place.town and place.country == "TG":
            towns = out.setdefault(place.prefecture, [])
            if all(town != place.town for town, _ in towns):
                towns.append((place.town, []))
    return out


def _old_names() -> dict[str, list[str]]:
    text = resources.files("corridor.matching").joinpath("data/places.yaml").read_text("utf-8")
    names: dict[str, list[str]] = {}
    for prefectures in yaml.safe_load(text)["countries"].values():
        for towns in prefectures.values():
            for town, aliases in (towns or {}).items():
                names[town] = list(aliases or [])
    return names


class _Generator:
    def __init__(self, *, rng: random.Random, noise: NoiseModel) -> None:
        self.rng = rng
        self.noise = noise
        self.names = _names()
        self.towns = _towns_by_prefecture()
        self.old_names = _old_names()

    def chance(self, name: str) -> bool:
        return self.rng.random() < self.noise.rate(name)

    def family(self) -> list[_Child]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            group, surnames, prefectures = (
                "ewe",
                self.names.surnames["south"],
                self.names.south_prefectures,
            )
        elif roll < 0.8:
            group, surnames, prefectures = (
                "north",
                self.names.surnames["north"],
                self.names.north_prefectures,
            )
        else:
            group, surnames, prefectures = "fon", self.names.surnames["benin"], []
        surname = self.surname
        family = surname(group, surnames)
        if group == "fon":
            town, prefecture, country = rng.choice(self.names.benin_towns), "", "BJ"
        else:
            prefecture = rng.choice(prefectures)
            town = rng.choice(self.towns[prefecture])[0]
            country = "TG"
        mother = (self.female_name(group, rng.randrange(7)), surname(group, surnames))
        father = (self.male_name(group, rng.randrange(7)), family) if rng.random() < 0.75 else None
        children = []
        first = date(2005, 1, 1) + timedelta(days=rng.randrange(365 * 13))
        for i in range(rng.choice((1, 2, 2, 3, 3, 4))):
            born = first + timedelta(days=i * rng.randrange(400, 1400))
            if born > date(2020, 6, 1):
                break
            sex = rng.choice("MF")
            given = [
                self.male_name(group, born.weekday())
                if sex == "M"
                else self.female_name(group, born.weekday())
            ]
            if rng.random() < 0.4:
                pool = (
                    self.names.ewe_second
                    if group == "ewe" and rng.random() < 0.6
                    else (self.names.christian_m if sex == "M" else self.names.christian_f)
                )
                second = rng.choice(pool)
                if second != given[0]:
                    given.append(second)
            children.append(
                _Child(given, family, sex, born, town, prefecture, country, mother, father, group)
            )
        return children

    def surname(self, group: str, head: list[str]) -> str:
        """Half the families carry one of the well-known names, half one of a long tail."""
        if self.rng.random() < 0.5:
            return self.rng.choice(head)
        return self.rng.choice(_surname_tail(group))

    def male_name(self, group: str, weekday: int) -> str:
        rng = self.rng
        if group == "ewe":
            return (
                self.names.day_male[weekday]
                if rng.random() < 0.7
                else rng.choice(self.names.christian_m)
            )
        if group == "fon":
            return (
                (self.names.fon_male if rng.random() < 0.6 else self.names.day_male)[weekday]
                if rng.random() < 0.6
                else rng.choice(self.names.christian_m)
            )
        return (
            rng.choice(self.names.kabye_m)
            if rng.random() < 0.5
            else rng.choice(self.names.muslim_m)
        )

    def female_name(self, group: str, weekday: int) -> str:
        rng = self.rng
        if group in ("ewe", "fon"):
            return (
                self.names.day_female[weekday]
                if rng.random() < 0.7
                else rng.choice(self.names.christian_f)
            )
        return (
            rng.choice(self.names.kabye_f)
            if rng.random() < 0.5
            else rng.choice(self.names.muslim_f)
        )

    def other_name(self, child: _Child) -> str | None:
        """A name the child goes by that its family did not write: a baptismal name, or for a
        child of an Ewe or Fon family an Ewe second name; never another day name, which would
        be another day of birth, nor another name of a tradition its names have (None: none)."""
        christian = self.names.christian_m if child.sex == "M" else self.names.christian_f
        pools = [christian] + ([self.names.ewe_second] if child.group in ("ewe", "fon") else [])
        pools = [pool for pool in pools if not set(child.given) & set(pool)]
        return self.rng.choice(self.rng.choice(pools)) if pools else None

    def foreign_child(self) -> _Child:
        rng = self.rng
        country = rng.choice(list(self.names.foreign))
        males, females, surnames, towns = self.names.foreign[country]
        sex = rng.choice("MF")
        born = date(2005, 1, 1) + timedelta(days=rng.randrange(365 * 15))
        given = [rng.choice(males if sex == "M" else females)]
        return _Child(
            given,
            rng.choice(surnames),
            sex,
            born,
            rng.choice(towns),
            "",
            country,
            (rng.choice(females), rng.choice(surnames)),
            None,
            "foreign",
        )

    def left(self, child: _Child, *, by_father: bool, report: date) -> dict:
        rng = self.rng
        given = list(child.given)
        if by_father and rng.random() < 0.3:
            given = [self.respell(given[0])] + given[1:]
        birth = {"birth_date": "", "birth_year": "", "age_years": ""}
        roll = rng.random()
        if roll < 0.5:
            birth["birth_date"] = child.born.isoformat()
        elif roll < 0.88:
            year = child.born.year
            if rng.random() < self.noise.left_year_error:
                year += rng.choice((-1, 1))
            birth["birth_year"] = str(year)
        else:
            birth["age_years"] = str(
                max(0, _age(child.born, report) + rng.choice((0, 0, 0, -1, 1)))
            )
        place = child.town
        if rng.random() < 0.1 and self.old_names.get(place):
            place = rng.choice(self.old_names[place])
        mother = f"{child.mother[0]} {child.mother[1]}"
        father = (
            f"{child.father[0]} {child.father[1]}"
            if child.father and (by_father or rng.random() < 0.7)
            else ""
        )
        return {
            "given_names": " ".join(given),
            "family_name": child.family,
            "sex": child.sex,
            **birth,
            "report_date": report.isoformat(),
            "place_of_origin": place,
            "origin_prefecture": child.prefecture if rng.random() < 0.9 else "",
            "mother_name": mother,
            "father_name": father,
            "nationality": child.country,
        }

    def respell(self, name: str) -> str:
        rng = self.rng
        variants = _variants_of(name)
        if variants and rng.random() < 0.7:
            return rng.choice(variants)
        return _spelling(rng, name)

    def noisy(self, name: str) -> str:
        if self.chance("variant"):
            name = self.respell(name)
        if self.chance("typo"):
            name = _typo(self.rng, name)
        return name

    def right(self, child: _Child, *, found: date) -> dict:
        rng = self.rng
        given = [self.noisy(g) for g in child.given]
        if self.chance("other_given_name"):
            given = [self.other_name(child) or given[0]]
        if len(given) > 1 and self.chance("drop_second_given"):
            given = given[:1]
        family = child.family
        if self.chance("variant") and rng.random() < 0.5:
            family = self.respell(family)
        if self.chance("typo"):
            family = _typo(rng, family)
        if rng.random() < 0.3:
            family = family.upper()
        given_text, family_text = " ".join(given), family
        if self.chance("swap_order"):
            given_text, family_text = family.upper(), " ".join(given)
            if rng.random() < 0.3:
                given_text, family_text = " ".join(given), family.upper()
        sex = child.sex
        if rng.random() < 0.02:
            sex = "U"
        elif self.chance("sex_error"):
            sex = "F" if sex == "M" else "M"
        birth = {"birth_date": "", "birth_year": "", "age_years": ""}
        roll = rng.random()
        if roll < 0.15:
            birth["birth_date"] = child.born.isoformat()
        elif roll < 0.35:
            birth["birth_year"] = str(
                child.born.year
                + (rng.choice((-1, 1)) if rng.random() < 0.15 * self.noise.level else 0)
            )
        else:
            sd = self.noise.age_sd * (0.6 + 0.4 * self.noise.level)
            birth["age_years"] = str(max(1, round(_age(child.born, found) + rng.gauss(0, sd))))
        place, prefecture = child.town, ""
        roll = rng.random()
        if roll < self.noise.rate("missing_place"):
            place = ""
        elif roll < self.noise.rate("missing_place") + 0.15 and child.prefecture:
            place, prefecture = "", child.prefecture
        elif self.chance("old_place_name") and self.old_names.get(place):
            place = rng.choice(self.old_names[place])
        if place and self.chance("typo"):
            place = _typo(rng, place)
        mother = ""
        if not self.chance("mother_missing"):
            mother = self.noisy(child.mother[0]) if rng.random() < 0.7 else child.mother[0]
            if rng.random() < 0.4:
                mother = f"Maman {mother}"
        father = ""
        if child.father and self.chance("father_given"):
            father = self.noisy(child.father[0])
        return {
            "given_names": given_text,
            "family_name": family_text,
            "sex": sex,
            **birth,
            "identification_date": found.isoformat(),
            "place_of_origin": place,
            "origin_prefecture": prefecture,
            "mother_name": mother,
            "father_name": father,
            "nationality": "" if self.chance("nationality_missing") else child.country,
            "found_location": rng.choice(self.names.gabon_locations),
        }


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _record_id(prefix: str, rng: random.Random, n: int) -> str:
    return f"{prefix}-{rng.getrandbits(24):06X}-{n:05d}"


def generate(
    *, n_left: int, seed: int = 0, noise: NoiseModel | None = None
) -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    """Return (left requests, right found children, truth pairs) of about ``n_left`` requests.

    About half the requests find their child; a tenth of the sought children have a request from
    each parent; a quarter of the found children from sought families are siblings of the
    sought child (the near-miss), and a fifth of the right side are children from elsewhere.
    """
    rng = random.Random(seed)
    gen = _Generator(rng=rng, noise=noise or NoiseModel())
    left: list[dict] = []
    right: list[dict] = []
    truth: list[tuple[str, str]] = []
    while len(left) < n_left:
        children = gen.family()
        if not children:
            continue
        sought = rng.choice(children)
        report = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
        if sought.born >= report - timedelta(days=365):
            continue
        ids = []
        parents = [False, True] if rng.random() < 0.12 and sought.father else [rng.random() < 0.25]
        for by_father in parents:
            record = gen.left(
                sought, by_father=by_father, report=report + timedelta(days=rng.randrange(60))
            )
            record["record_id"] = _record_id("TR", rng, len(left) + 1)
            left.append(record)
            ids.append(record["record_id"])
        found = report + timedelta(days=rng.randrange(-90, 640))
        if rng.random() < 0.55:
            record = gen.right(sought, found=found)
            record["record_id"] = _record_id("GA", rng, len(right) + 1)
            right.append(record)
            truth.extend((left_id, record["record_id"]) for left_id in ids)
        others = [c for c in children if c is not sought]
        if others and rng.random() < 0.3:
            record = gen.right(rng.choice(others), found=found + timedelta(days=rng.randrange(30)))
            record["record_id"] = _record_id("GA", rng, len(right) + 1)
            right.append(record)
        if rng.random() < 0.3:
            stranger = (
                gen.foreign_child()
                if rng.random() < 0.5
                else rng.choice(gen.family() or [gen.foreign_child()])
            )
            record = gen.right(stranger, found=found)
            record["record_id"] = _record_id("GA", rng, len(right) + 1)
            right.append(record)
    return left, right, truth
