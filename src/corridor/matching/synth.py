"""Synthetic corridor records with a known truth, for training, tests and benchmarks.

No real person is in them. Families are drawn from the corridor's naming traditions (Ewe/Mina and
Fon day names, Kabye and Tem names, Muslim and Christian names); each missing child may be sought
by one or both parents in Togo and found in Gabon, where an officer writes down what the child
says. The noise model is the corridor's own: spelling variants of day names, surname-first entry
in capitals, "Maman Afi" for the mother, ages guessed from looks, old and new place names, typos,
missing fields, and siblings who are found while their brother or sister is the one sought.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

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

# Day names by weekday (Monday first), as Ewe/Mina and Fon families write them.
_DAY_MALE = ["Kodjo", "Komlan", "Kokou", "Yao", "Koffi", "Komi", "Kossi"]
_DAY_FEMALE = ["Adjoa", "Abla", "Akouvi", "Yawa", "Afi", "Ama", "Akossiwa"]
_FON_MALE = ["Codjo", "Comlan", "Cokou", "Yao", "Coffi", "Comi", "Cossi"]
_EWE_SECOND = [
    "Edem",
    "Sena",
    "Yayra",
    "Eyram",
    "Delali",
    "Mawuena",
    "Mawuli",
    "Elikem",
    "Dzifa",
    "Selom",
    "Kafui",
    "Mawunyo",
    "Enyonam",
    "Akpene",
    "Dela",
    "Senyo",
]
_CHRISTIAN_M = [
    "Jean",
    "Michel",
    "Emmanuel",
    "Pierre",
    "Joseph",
    "Paul",
    "Innocent",
    "Prosper",
    "Désiré",
    "Jean-Baptiste",
    "Christian",
    "Fabrice",
    "Justin",
    "Ghislain",
]
_CHRISTIAN_F = [
    "Grâce",
    "Félicité",
    "Marie",
    "Jeanne",
    "Rose",
    "Brigitte",
    "Prisca",
    "Judith",
    "Esther",
    "Délali",
    "Sandrine",
    "Florence",
    "Armelle",
    "Béatrice",
]
_KABYE_M = [
    "Pyabalo",
    "Kpatcha",
    "Essowèdéou",
    "Pakoubètè",
    "Wiyao",
    "Tchilabalo",
    "Essotina",
    "Pitalounani",
    "Batchassi",
    "Hodabalo",
    "Piyabalo",
    "Kodjovi",
]
_KABYE_F = [
    "Essowèdéou",
    "Wiyao",
    "Massama",
    "Essozimna",
    "Pélagie",
    "Essotina",
    "Hèzouwè",
    "Mazalo",
    "Akila",
    "Tchilalo",
]
_MUSLIM_M = [
    "Ousmane",
    "Ibrahim",
    "Mamadou",
    "Aboubakar",
    "Inoussa",
    "Souleymane",
    "Issifou",
    "Moussa",
    "Abdoulaye",
    "Yacouba",
    "Bouraïma",
    "Alassani",
    "Rachid",
    "Fousseni",
]
_MUSLIM_F = [
    "Zénabou",
    "Aïcha",
    "Safiatou",
    "Rahamatou",
    "Kadidjatou",
    "Fatimatou",
    "Mariama",
    "Rachida",
    "Aminatou",
    "Hawa",
    "Salamatou",
    "Nafissatou",
    "Tchilalo",
]
_SOUTH_SURNAMES = [
    "Ahiaku",
    "Dossou",
    "Agbeko",
    "Lawson",
    "d'Almeida",
    "Mensah",
    "Amegnran",
    "Klu",
    "Ekoué",
    "Akué",
    "Aziabu",
    "Amedegnato",
    "Agboyibor",
    "Afanvi",
    "Sodji",
    "Kpogo",
    "Gavon",
    "Ayité",
    "Tosgbe",
    "Adzodo",
    "Ametepe",
    "Agbemadon",
    "Dogbé",
    "Kodjovi",
    "Wilson",
    "Amouzou",
    "Atsou",
    "Gbeassor",
    "Kouassi",
    "Fiagan",
    "Anani",
    "Attiogbé",
    "Apedo",
    "Djossou",
    "Edorh",
    "Hounkpati",
    "Kpodar",
    "Nyaku",
    "Sossou",
    "Tété",
    "Agbodjan",
    "Adjavon",
    "Amavi",
    "Kudawoo",
]
_NORTH_SURNAMES = [
    "Issifou",
    "Tchassama",
    "Tchakondo",
    "Ouro-Bang'na",
    "Ouro-Gnaou",
    "Bouraïma",
    "Tchédré",
    "Gnassingbé",
    "Walla",
    "Lamboni",
    "Pali",
    "Kpatcha",
    "Tcha-Tokey",
    "Alassani",
    "Salifou",
    "Bawa",
    "Tchalla",
    "Essowavana",
    "Bodjona",
    "Kansi",
    "Sama",
    "Tchangani",
    "Agba",
    "Bassowa",
    "Egbare",
    "Kolani",
    "Nabine",
    "Yentchabré",
    "Djobo",
    "Mamah",
    "Karabou",
    "Gado",
    "Akondo",
    "Tchamdja",
    "Wiyao",
]
_BENIN_SURNAMES = [
    "Gbaguidi",
    "Houngbédji",
    "Hoessou",
    "Zinsou",
    "Dossa",
    "Kpossou",
    "Adjovi",
    "Akplogan",
    "Ahouansou",
    "Hounsou",
    "Tossou",
    "Agossou",
    "Sagbo",
    "Dansou",
    "Houessou",
    "Kiki",
    "Gnonlonfoun",
    "Adandé",
]
_FOREIGN = {
    "NG": (
        ["Chinedu", "Emeka", "Tunde", "Musa", "Ifeanyi", "Segun"],
        ["Ngozi", "Aisha", "Funmilayo", "Blessing", "Chioma", "Ruth"],
        ["Okafor", "Adeyemi", "Bello", "Okonkwo", "Balogun", "Eze"],
        ["Lagos", "Ibadan", "Abeokuta", "Badagry"],
    ),
    "GH": (
        ["Kwame", "Kofi", "Kwabena", "Yaw", "Nana"],
        ["Ama", "Akosua", "Abena", "Efua", "Dorothy"],
        ["Mensah", "Boateng", "Owusu", "Asante", "Kumi", "Bomah"],
        ["Accra", "Kumasi", "Ho", "Aflao"],
    ),
    "BF": (
        ["Yacouba", "Issouf", "Salif", "Tapsoba", "Boukary"],
        ["Awa", "Salimata", "Mariam", "Fanta"],
        ["Ouédraogo", "Sawadogo", "Sissao", "Compaoré", "Bagaya"],
        ["Ouagadougou", "Bobo-Dioulasso"],
    ),
    "GA": (
        ["Ghislain", "Brice", "Loïc", "Ulrich", "Junior"],
        ["Prisca", "Armelle", "Grâce", "Murielle"],
        ["Ella", "Bekale", "Mba", "Nzé", "Ondo", "Mintsa", "Obame"],
        ["Libreville", "Oyem", "Bitam", "Mouila"],
    ),
    "CM": (
        ["Junior", "Boris", "Franck", "Serge"],
        ["Armelle", "Carine", "Sandrine", "Nadège"],
        ["Nde", "Fotso", "Kamga", "Tchoumi", "Mbarga"],
        ["Douala", "Yaoundé", "Ebolowa"],
    ),
}
_GABON_LOCATIONS = [
    "Libreville - Mont-Bouët",
    "Libreville - Nzeng-Ayong",
    "Libreville - Port Môle",
    "Owendo",
    "Akanda",
    "Ntoum",
    "Port-Gentil",
    "Franceville",
    "Oyem",
    "Mouila",
    "Tchibanga",
    "Lambaréné",
]
_SOUTH_PREFECTURES = [
    "Golfe",
    "Agoè-Nyivé",
    "Lacs",
    "Bas-Mono",
    "Vo",
    "Yoto",
    "Zio",
    "Avé",
    "Haho",
    "Moyen-Mono",
    "Ogou",
    "Anié",
    "Wawa",
    "Amou",
    "Danyi",
    "Kloto",
    "Kpélé",
    "Agou",
]
_NORTH_PREFECTURES = [
    "Tchaoudjo",
    "Tchamba",
    "Sotouboua",
    "Blitta",
    "Kozah",
    "Binah",
    "Doufelgou",
    "Kéran",
    "Dankpen",
    "Bassar",
    "Assoli",
    "Tône",
    "Cinkassé",
    "Oti",
    "Tandjouaré",
]
_BENIN_TOWNS = [
    "Cotonou",
    "Porto-Novo",
    "Abomey",
    "Lokossa",
    "Comè",
    "Ouidah",
    "Grand-Popo",
    "Bohicon",
]


_SYLLABLES = {
    "ewe": (
        [
            "A",
            "Ag",
            "Ad",
            "Af",
            "Ak",
            "Am",
            "An",
            "At",
            "Ay",
            "Dz",
            "Gb",
            "Kp",
            "To",
            "Ho",
            "Ke",
            "Nu",
            "Se",
            "Ta",
            "Ko",
            "Ma",
            "De",
            "Do",
            "E",
            "Tsi",
            "Fi",
            "La",
            "Sod",
            "Gav",
        ],
        [
            "ba",
            "bo",
            "de",
            "do",
            "fa",
            "ga",
            "gbe",
            "ka",
            "ko",
            "kpa",
            "kpo",
            "ku",
            "la",
            "le",
            "ma",
            "mi",
            "na",
            "nu",
            "sa",
            "si",
            "so",
            "ta",
            "to",
            "vi",
            "wo",
            "ye",
            "zi",
            "dzi",
            "nya",
            "gno",
            "me",
            "gbo",
            "ho",
            "da",
        ],
        [
            "",
            "n",
            "nu",
            "vi",
            "si",
            "ku",
            "kpo",
            "to",
            "gbé",
            "nou",
            "ssou",
            "dji",
            "mey",
            "vor",
            "kpé",
            "tsè",
            "woe",
        ],
    ),
    "north": (
        [
            "Tcha",
            "Bo",
            "Ba",
            "Ka",
            "Ki",
            "Ess",
            "Ou",
            "Pa",
            "Pi",
            "Ta",
            "Wa",
            "Ya",
            "Sa",
            "Ma",
            "Ag",
            "Na",
            "Dja",
            "Ko",
            "Gna",
            "Bi",
            "Kpa",
            "Tchi",
            "Lam",
            "Dje",
        ],
        [
            "la",
            "ka",
            "ssa",
            "ma",
            "nda",
            "gba",
            "bi",
            "ro",
            "ti",
            "wa",
            "yi",
            "dou",
            "tchi",
            "ka",
            "tè",
            "kou",
            "zi",
            "bou",
            "nga",
            "ssi",
        ],
        ["", "ni", "dé", "ba", "na", "ma", "ré", "ssi", "ou", "kou", "wè", "nè", "tou"],
    ),
    "fon": (
        ["Ho", "Ah", "A", "Go", "Ze", "Ko", "Da", "Hou", "Ag", "Ad", "So", "Gna", "Dos"],
        ["ssou", "nou", "ngbé", "do", "kpè", "lo", "ton", "gbo", "van", "dé", "hon", "sa"],
        ["", "nou", "dé", "gan", "ssou", "kpo", "ton", "dji"],
    ),
}


def _pseudo_names(group: str, count: int) -> list[str]:
    """A long tail of plausible surnames, the same for every seed (a fixed population)."""
    rng = random.Random(f"names-{group}")
    starts, middles, ends = _SYLLABLES[group]
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


_SURNAME_TAIL = {group: _pseudo_names(group, 400) for group in _SYLLABLES}


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
    from importlib import resources

    import yaml

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
        self.towns = _towns_by_prefecture()
        self.old_names = _old_names()

    def chance(self, name: str) -> bool:
        return self.rng.random() < self.noise.rate(name)

    def family(self) -> list[_Child]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            group, surnames, prefectures = "ewe", _SOUTH_SURNAMES, _SOUTH_PREFECTURES
        elif roll < 0.8:
            group, surnames, prefectures = "north", _NORTH_SURNAMES, _NORTH_PREFECTURES
        else:
            group, surnames, prefectures = "fon", _BENIN_SURNAMES, []
        surname = self.surname
        family = surname(group, surnames)
        if group == "fon":
            town, prefecture, country = rng.choice(_BENIN_TOWNS), "", "BJ"
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
                    _EWE_SECOND
                    if group == "ewe" and rng.random() < 0.6
                    else (_CHRISTIAN_M if sex == "M" else _CHRISTIAN_F)
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
        return self.rng.choice(_SURNAME_TAIL[group])

    def male_name(self, group: str, weekday: int) -> str:
        rng = self.rng
        if group == "ewe":
            return _DAY_MALE[weekday] if rng.random() < 0.7 else rng.choice(_CHRISTIAN_M)
        if group == "fon":
            return (
                (_FON_MALE if rng.random() < 0.6 else _DAY_MALE)[weekday]
                if rng.random() < 0.6
                else rng.choice(_CHRISTIAN_M)
            )
        return rng.choice(_KABYE_M) if rng.random() < 0.5 else rng.choice(_MUSLIM_M)

    def female_name(self, group: str, weekday: int) -> str:
        rng = self.rng
        if group in ("ewe", "fon"):
            return _DAY_FEMALE[weekday] if rng.random() < 0.7 else rng.choice(_CHRISTIAN_F)
        return rng.choice(_KABYE_F) if rng.random() < 0.5 else rng.choice(_MUSLIM_F)

    def foreign_child(self) -> _Child:
        rng = self.rng
        country = rng.choice(list(_FOREIGN))
        males, females, surnames, towns = _FOREIGN[country]
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
            given = [
                self.male_name(child.group, rng.randrange(7))
                if child.sex == "M"
                else self.female_name(child.group, rng.randrange(7))
            ]
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
            "found_location": rng.choice(_GABON_LOCATIONS),
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
