from collections import Counter

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
