"""The columnar scorer gives exactly the reference comparison's log-odds, pair by pair."""

from __future__ import annotations

import random

import numpy as np

from corridor.matching import columns, scoring
from corridor.matching.assignment import twin_requests
from corridor.matching.blocking import candidates
from corridor.matching.engine import LinkJob, run_job
from corridor.matching.features import (
    COMPARISONS,
    SIMILAR,
    WEAK,
    compare,
    name_statistics,
    prepare,
    token_level,
)
from corridor.matching.model import FEATURES, Model
from corridor.matching.synth import NoiseModel, generate


def _columns(left, right):
    """Both sides' prepared records as columns over one vocabulary: (vocabulary, left, right)."""
    vocabulary, labels = columns.Vocabulary(), columns.Labels()
    return (
        vocabulary,
        columns.prepared_columns(left, vocabulary=vocabulary, labels=labels),
        columns.prepared_columns(right, vocabulary=vocabulary, labels=labels),
    )


def test_columnar_scores_equal_the_reference_on_every_pair():
    left, right, _truth = generate(n_left=600, seed=5, noise=NoiseModel(level=2.0))
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in right]
    frequencies = name_statistics(left=left_p, right=right_p)
    rng = random.Random(1)
    # Distinct random weights for every level: any level computed differently shows.
    model = Model(weights={name: rng.uniform(-3, 3) for name in FEATURES}, intercept=0.3)
    pairs = [(i, j) for j, found in candidates(left=left_p, right=right_p) for i in found]
    pairs += [(rng.randrange(len(left_p)), rng.randrange(len(right_p))) for _ in range(3000)]
    i = np.asarray([p[0] for p in pairs])
    j = np.asarray([p[1] for p in pairs])
    vocabulary, left_c, right_c = _columns(left_p, right_p)
    got = scoring.score_pairs(
        left=left_c,
        right=right_c,
        i=i,
        j=j,
        weights=scoring.Weights(model),
        frequencies=scoring.Frequencies(left=left_c, right=right_c),
    )
    levels = [compare(left_p[a], right_p[b], frequencies=frequencies) for a, b in pairs]
    expected = [model.log_odds(pair) for pair in levels]
    assert len(pairs) > 8_000
    # Every kind of given-name disagreement is among them, two names of one tradition too.
    assert {pair["given"] for pair in levels} >= {"weak", "different", "another"}
    assert {pair.get("given_other") for pair in levels} >= set(COMPARISONS["given_other"])
    assert {pair.get("place_frequency") for pair in levels} >= {"rare", "common", None}
    assert np.allclose(got, expected, rtol=0, atol=1e-9)
    # The same with name-token levels kept between calls, in a table small enough that new pairs
    # keep taking old ones' slots (as a linking job scores slice after slice).
    comparer = scoring._Comparer(vocabulary, memo_bits=6)
    for part in (slice(0, 4_000), slice(2_000, None), slice(None)):
        remembered = scoring.score_pairs(
            left=left_c,
            right=right_c,
            i=i[part],
            j=j[part],
            weights=scoring.Weights(model),
            frequencies=scoring.Frequencies(left=left_c, right=right_c),
            comparer=comparer,
        )
        assert np.array_equal(remembered, got[part])
    assert (comparer._memo.codes >= 0).sum() > 32


def test_hostile_and_empty_fields_score_like_the_reference():
    base = {
        "record_id": "",
        "given_names": "",
        "family_name": "",
        "sex": "",
        "birth_date": "",
        "birth_year": "",
        "age_years": "",
        "report_date": "2025-01-10",
        "identification_date": "2025-01-10",
        "place_of_origin": "",
        "origin_prefecture": "",
        "mother_name": "",
        "father_name": "",
        "nationality": "",
    }
    records = [
        {**base, "record_id": "a", "given_names": "Kossi", "family_name": "X"},
        {**base, "record_id": "b", "given_names": "KOSSI Ama Ama", "family_name": "mensah"},
        {**base, "record_id": "c", "given_names": "Ama", "place_of_origin": "Atlantis"},
        {**base, "record_id": "d", "family_name": "Ama", "place_of_origin": "Atlantide"},
        {
            **base,
            "record_id": "e",
            "given_names": "Mensah",
            "family_name": "Kossi Ama",
            "mother_name": "Maman Afi",
            "age_years": "12",
            "sex": "F",
            "nationality": "TG",
        },
    ]
    left_p = [prepare(record=r, side="left") for r in records]
    right_p = [prepare(record=r, side="right") for r in records]
    frequencies = name_statistics(left=left_p, right=right_p)
    model = Model(weights={name: float(k % 7) - 3 for k, name in enumerate(FEATURES)}, intercept=0)
    vocabulary, left_c, right_c = _columns(left_p, right_p)
    i, j = np.divmod(np.arange(len(records) ** 2), len(records))
    got = scoring.score_pairs(
        left=left_c,
        right=right_c,
        i=i,
        j=j,
        weights=scoring.Weights(model),
        frequencies=scoring.Frequencies(left=left_c, right=right_c),
    )
    expected = [
        model.log_odds(compare(left_p[a], right_p[b], frequencies=frequencies))
        for a, b in zip(i, j, strict=True)
    ]
    assert np.allclose(got, expected, rtol=0, atol=1e-9)


def test_forked_workers_give_the_same_links(register):
    left, right, _truth = register
    one = run_job(job=LinkJob(left=left, right=right, workers=1), workers=1)
    two = run_job(job=LinkJob(left=left, right=right, workers=2), workers=2)
    assert list(one.links()) == list(two.links())
    assert one.match.sum() > 100


def test_records_sharing_no_key_have_no_candidates_and_link_to_nothing(register):
    left, _right, _truth = register
    stranger = {
        **{key: "" for key in left[0]},
        "record_id": "R-nobody",
        "given_names": "Zzyzx",
        "family_name": "Qwrtp",
        "identification_date": "2025-01-10",
    }
    left_p = [prepare(record=r, side="left") for r in left[:50]]
    assert list(candidates(left=left_p, right=[prepare(record=stranger, side="right")])) == [
        (0, [])
    ]
    result = run_job(job=LinkJob(left=left[:50], right=[stranger]))
    assert len(result) == 0
    assert list(LinkJob(left=[], right=[stranger]).batches()) == [(0, 1)]
    assert len(run_job(job=LinkJob(left=[], right=[]))) == 0


def test_twin_requests_compared_as_columns_agree_with_the_reference_comparison():
    """The assignment's test of a second request for the same child (the other parent's, not
    a sibling's), made for all candidate pairs at once, says what ``compare`` says of each."""
    left, right, _truth = generate(n_left=800, seed=12, noise=NoiseModel(level=1.5))
    job = LinkJob(left=left, right=right)
    prepared = [prepare(record=r, side="left") for r in left]
    rng = random.Random(4)
    # Namesakes and the other parent's requests (candidates of one child), and strangers.
    rights, lefts = job.candidates((0, len(right)))
    pairs = [(int(a), int(b)) for a, b in zip(lefts[:-1], lefts[1:], strict=True)][:3000]
    pairs += [(rng.randrange(len(left)), rng.randrange(len(left))) for _ in range(1000)]
    a = np.asarray([p[0] for p in pairs])
    b = np.asarray([p[1] for p in pairs])
    got = twin_requests(
        requests=job.left, frequencies=job.frequencies, comparer=job.comparer, a=a, b=b
    )

    def reference(x, y):
        levels = compare(prepared[x], prepared[y])
        close = ("exact", "variant", "phonetic", "similar")
        names = levels["given"] in close and levels["family"] in close
        gap = "missing" if levels["birth"] == "missing" else levels["birth"].split("|")[0]
        near = ("missing", "same_date", "date_typo", "overlap", "6m", "1y")
        # Or the two parents' filings: one mother in full, one home, within half a year.
        a, b = prepared[x], prepared[y]
        one_child = (
            bool(a.mother)
            and a.mother == b.mother
            and levels["place"] == "same_town"
            and min(a.event, b.event) >= 0
            and abs(a.event - b.event) <= 183
            and gap in (*near, "18m", "2y")
            and levels["sex"] != "disagree"
            and levels["father"] != "different"
        )
        return names and (gap in near or one_child)

    expected = [reference(x, y) for x, y in pairs]
    assert got.tolist() == expected
    assert 100 < sum(expected) < len(pairs) - 100


def test_a_name_inside_a_longer_one_is_only_weakly_similar_in_both_comparisons():
    # Jaro–Winkler rates Sena and Zénabou 0.93 (a shared start); a typo adds or drops one letter.
    pairs = [
        ("sena", "zenabou"),
        ("kossi", "kossiwa"),
        ("agboyibor", "agboyibr"),
        ("ekoue", "ekuoe"),
    ]
    expected = [WEAK, WEAK, SIMILAR, SIMILAR]
    assert [token_level(a, b) for a, b in pairs] == expected
    vocabulary = columns.Vocabulary()
    a = np.asarray([vocabulary.id(a) for a, _ in pairs])
    b = np.asarray([vocabulary.id(b) for _, b in pairs])
    assert scoring._Comparer(vocabulary).levels(a, b).tolist() == expected


def test_a_childs_lone_name_for_a_parent_is_a_first_name_in_both_comparisons():
    request = {"record_id": "L1", "given_names": "Yayra", "family_name": "Agbenyega"}
    found = {"record_id": "R1", "given_names": "Yayra", "family_name": "Agbenyega"}
    cases = [
        ("Yayra Adzoh", "Adjoa", "different"),  # Adzoh is her family name, Adjoa a day name
        ("Adjoa Pali", "Maman Adjoa", "agree"),
        ("PALI Adjoa", "Adjoa", "agree"),  # surname first, in capitals
        ("Adjoa Pali", "Adjoa Pali", "agree"),
        ("Adjoa", "Adjoa Pali", "agree"),
    ]
    left = [prepare(record={**request, "mother_name": a}, side="left") for a, _, _ in cases]
    right = [prepare(record={**found, "mother_name": b}, side="right") for _, b, _ in cases]
    expected = [level for _, _, level in cases]
    assert [compare(a, b)["mother"] for a, b in zip(left, right, strict=True)] == expected
    _, left_c, right_c = _columns(left, right)
    codes = scoring.pair_codes(
        left=left_c,
        right=right_c,
        i=np.arange(len(cases)),
        j=np.arange(len(cases)),
        frequencies=scoring.Frequencies(left=left_c, right=right_c),
    )
    assert [COMPARISONS["mother"][code] for code in codes["mother"]] == expected
