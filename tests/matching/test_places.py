from collections import Counter

import numpy as np
import pytest
import yaml

from corridor.matching.normalise import fold
from corridor.matching.places import load_gazetteer, resolve_place


@pytest.mark.parametrize(
    ("written", "prefecture"),
    [
        ("Palimé", "Kloto"),
        ("Kpalimé", "Kloto"),
        ("Petit-Popo", "Lacs"),
        ("Aného", "Lacs"),
        ("Porto-Seguro", "Lacs"),
        ("Agbodrafo", "Lacs"),
        ("Lama-Kara", "Kozah"),
        ("Kara", "Kozah"),
        ("Sansanné-Mango", "Oti"),
        ("Mango", "Oti"),
        ("Nuatja", "Haho"),
        ("Notsé", "Haho"),
        ("Dapango", "Tône"),
        ("Dapaong", "Tône"),
        ("Sokodé", "Tchaoudjo"),
        ("Atakpamé", "Ogou"),
        ("Tsévié", "Zio"),
        ("Bassar", "Bassar"),
        ("Kandé", "Kéran"),
        ("Tabligbo", "Yoto"),
        ("Vogan", "Vo"),
        ("Badou", "Wawa"),
        ("Guérin-Kouka", "Dankpen"),
        ("Tohoun", "Moyen-Mono"),
        ("Amlamé", "Amou"),
        ("Niamtougou", "Doufelgou"),
        ("Cinkassé", "Cinkassé"),
        ("Lomé", "Golfe"),
    ],
)
def test_old_and_new_names_resolve_to_the_prefecture(written, prefecture):
    place = resolve_place(written)
    assert place is not None and place.prefecture == prefecture and place.country == "TG"


@pytest.mark.parametrize(
    ("family_says", "officer_writes"),
    [
        ("Lomé", "Bè"),  # a quarter of Lomé
        ("Lomé", "Lomé-Bè"),
        ("Lomé", "Agoè"),  # Grand Lomé, a prefecture of its own since 2019
        ("Lomé", "Agoe-Nyivé"),
        ("Guérin-Kouka", "Kouka"),
        ("Danyi", "Dayes"),  # the Dayes plateau
        ("Anié", "Anyé"),
        ("Afagnan", "Afagnan-Gbléta"),
    ],
)
def test_a_town_written_by_another_of_its_names_is_the_same_town(family_says, officer_writes):
    assert resolve_place(officer_writes) == resolve_place(family_says) is not None


@pytest.mark.parametrize(
    ("written", "country"),
    [
        ("Cotonou", "BJ"),
        ("Lagos", "NG"),
        ("Libreville", "GA"),
        ("Accra", "GH"),
        ("Ouagadougou", "BF"),
    ],
)
def test_neighbouring_countries_are_known(written, country):
    assert resolve_place(written).country == country


def test_misspelt_and_suffixed_towns_still_resolve():
    assert resolve_place("Niamtougu").prefecture == "Doufelgou"
    assert resolve_place("Atakpamey").prefecture == "Ogou"
    assert resolve_place("Vogan-Centre").prefecture == "Vo"


def test_prefecture_alone_resolves_without_a_town():
    place = resolve_place("Kloto")
    assert place.town is None and place.prefecture == "Kloto"


def test_unknown_place_is_none():
    assert resolve_place("Atlantis") is None
    assert resolve_place("") is None


def test_gazetteer_has_no_name_twice():
    from importlib import resources

    text = resources.files("corridor.matching").joinpath("data/places.yaml").read_text("utf-8")
    names = Counter()
    for prefectures in yaml.safe_load(text)["countries"].values():
        for towns in prefectures.values():
            for town, aliases in (towns or {}).items():
                for name in {fold(n).replace(" ", "") for n in [town, *(aliases or [])]}:
                    names[name] += 1
    assert [name for name, count in names.items() if count > 1] == []
    assert len(load_gazetteer()) > 150


def _request(number: int, town: str, **fields) -> dict:
    return {
        "record_id": f"L{number}",
        "given_names": "Sena",
        "family_name": f"Family{number}",
        "place_of_origin": town,
        **fields,
    }


def test_agreeing_on_a_town_many_of_its_country_come_from_proves_less():
    """The namesakes of a Beninese child are Beninese: when a third of them come from Cotonou,
    agreeing on Cotonou says less than agreeing on one of thirty Togolese towns."""
    from corridor.matching.engine import LinkJob
    from corridor.matching.explain import explain
    from corridor.matching.features import COMPARISONS, compare, name_statistics, prepare
    from corridor.matching.scoring import pair_codes

    benin = ("Cotonou", "Porto-Novo", "Ouidah")
    gazetteer = load_gazetteer().values()
    togo = sorted({place.town for place in gazetteer if place.country == "TG" and place.town})[:30]
    left = [_request(n, benin[n % 3]) for n in range(300)]
    left += [_request(300 + n, togo[n % 30]) for n in range(600)]  # a thirtieth each
    left += [_request(9000 + n, "Kumasi") for n in range(3)]  # a country with too few records
    found = [
        {
            "record_id": f"R{n}",
            "given_names": "Sena",
            "family_name": "Family0",
            "place_of_origin": t,
        }
        for n, t in enumerate(("Cotonou", togo[0], "Kumasi"))
    ]
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in found]
    frequencies = name_statistics(left=left_p, right=right_p)
    pairs = [(0, 0), (300, 1), (len(left) - 1, 2)]  # Cotonou, a Togolese town, Kumasi
    expected = ["very_common", "common", None]
    levels = [compare(left_p[i], right_p[j], frequencies=frequencies) for i, j in pairs]
    assert [pair["place"] for pair in levels] == ["same_town"] * 3
    assert [pair.get("place_frequency") for pair in levels] == expected
    job = LinkJob(left=left, right=found, competition=None)  # the columns agree
    codes = pair_codes(
        left=job.left,
        right=job.right,
        i=np.asarray([i for i, _ in pairs]),
        j=np.asarray([j for _, j in pairs]),
        frequencies=job.frequencies,
    )["place_frequency"]
    assert [(*COMPARISONS["place_frequency"], None)[code] for code in codes] == expected
    (line,) = [
        r
        for r in explain(left[0], found[0], frequencies=frequencies)
        if r.field == "place_frequency"
    ]
    assert line.level == "very_common" and line.sentence and line.weight < 0
