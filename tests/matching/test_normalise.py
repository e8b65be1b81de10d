from collections import Counter

import pytest

from corridor.matching.normalise import (
    fold,
    load_traditions,
    load_variant_families,
    name_keys,
    name_tokens,
    naming_tradition,
    normalise_name,
    orient_name,
    phonetic_key,
    typo_neighbours,
    variant_family,
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("KOSSI Agbéko", "kossi agbeko"),
        ("Ouro-Bang'na", "ouro bangna"),
        ("d’Almeida", "dalmeida"),
        ("  Essowèdéou  ", "essowedeou"),
        ("Maman Afi", "afi"),
        ("Jean-Baptiste", "jean baptiste"),
        ("", ""),
    ],
)
def test_normalise_name_folds_accents_case_hyphens_apostrophes_and_maman(written, expected):
    assert normalise_name(written) == expected


@pytest.mark.parametrize(
    "family",
    [
        ["Kossi", "Kosi", "Cossi", "Kwasi", "Kwassi"],
        ["Akossiwa", "Akosua", "Kossiwa"],
        ["Kofi", "Koffi", "Coffi"],
        ["Komi", "Kwami", "Kwame"],
        ["Koku", "Kokou", "Cokou", "Kwaku"],
        ["Yao", "Yawo", "Yaw"],
        ["Afi", "Afua", "Afiwa"],
        ["Ama", "Amavi"],
        ["Kodjo", "Kodzo", "Codjo", "Kojo"],
        ["Komlan", "Komla", "Comlan"],
    ],
)
def test_day_name_spellings_share_a_family(family):
    assert len({variant_family(name) for name in family}) == 1
    assert variant_family(family[0]) is not None


def test_male_and_female_day_names_are_different_families():
    assert variant_family("Kossi") != variant_family("Akossiwa")
    assert variant_family("Kofi") != variant_family("Afi")
    assert variant_family("Yao") != variant_family("Yawa") == variant_family("Yaoa")


def test_no_spelling_belongs_to_two_families():
    owners = Counter()
    for family, spec in load_variant_families().items():
        for variant in {fold(v) for v in [family, *spec["variants"]]}:
            owners[variant] += 1
    assert [name for name, count in owners.items() if count > 1] == []
    # A spelling is read as its first token: "Yawa-vi" listed under Yao once made every girl
    # named Yawa a Yao, and her Yawavi a stranger.
    stray = [
        (family, variant)
        for family, spec in load_variant_families().items()
        for variant in [family, *spec["variants"]]
        if len(fold(variant).split()) == 1 and variant_family(variant) != family
    ]
    assert stray == []


@pytest.mark.parametrize(
    ("name", "tradition"),
    [
        ("Kwasi", "day"),  # a variant of Kossi, listed under it
        ("COFFI", "day"),
        ("Yawa", "day"),
        ("Séna", "ewe"),
        ("Xolali", "ewe"),
        ("Florence", "christian"),
        ("Baptiste", "christian"),  # the second token of Jean-Baptiste
        ("Aïcha", "muslim"),
        ("Bouraïma", "muslim"),  # a variant of Ibrahim
        ("Essohana", "northern"),
        ("Okafor", None),
        ("Zzyx", None),
    ],
)
def test_given_names_have_a_naming_tradition(name, tradition):
    assert naming_tradition(name) == tradition


def test_no_name_belongs_to_two_traditions():
    owners: dict[str, set[str]] = {}
    for tradition, names in load_traditions().items():
        for name in names:
            for token in name_tokens(name):
                owners.setdefault(variant_family(token) or token, set()).add(tradition)
    assert {name: kinds for name, kinds in owners.items() if len(kinds) > 1} == {}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kodjo", "Codjo"),  # K/C
        ("Akouvi", "Akuvi"),  # ou/u
        ("Adjoa", "Adzoa"),  # dj/dz
        ("Djossou", "Jossou"),  # dj/j
        ("Tossou", "Tosou"),  # doubled letters
        ("Ekoué", "Ekou"),  # final e
        ("Komlan", "Komla"),  # final nasal
        ("Mensah", "Mensa"),  # silent h
    ],
)
def test_phonetic_key_merges_corridor_spellings(a, b):
    assert phonetic_key(a) == phonetic_key(b)


def test_phonetic_key_keeps_different_names_apart():
    assert phonetic_key("Kossi") != phonetic_key("Kodjo")
    assert phonetic_key("Abla") != phonetic_key("Ama")


def test_surname_first_in_capitals_is_reordered():
    assert orient_name(given_names="KODJOVI", family_name="Adoa") == (["adoa"], ["kodjovi"])
    assert orient_name(given_names="Adoa", family_name="KODJOVI") == (["adoa"], ["kodjovi"])


def test_name_keys_are_shared_by_variants_for_search():
    assert name_keys("Kwasi MENSAH") == name_keys("Kossi Mensa")


def test_maman_is_dropped_but_not_a_lone_name():
    assert name_tokens("Maman Abla") == ["abla"]
    assert name_tokens("Maman") == ["maman"]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Agbemaodn", "Agbemadon"),  # two letters swapped
        ("Aassani", "Alassani"),  # a letter dropped
        ("Kkou", "Kokou"),  # dropped between two equal letters: keys "ku" and "koku"
        ("Tcchassama", "Tchassama"),  # typos inside "tch", which the phonetic key reads as one
        ("Tcahssama", "Tchassama"),
        ("Thcassama", "Tchassama"),
        ("Tkhalla", "Tchalla"),
        ("Ekoéu", "Ekoué"),
        ("Auké", "Akué"),
    ],
)
def test_one_typo_as_written_leaves_a_typo_neighbour_in_common(written, meant):
    assert typo_neighbours(written) & typo_neighbours(meant)


def test_typo_neighbours_keep_different_names_apart():
    assert not typo_neighbours("Tchassama") & typo_neighbours("Tchalla")
    assert not typo_neighbours("Kodjo") & typo_neighbours("Yawa")
    assert typo_neighbours("") == set()
