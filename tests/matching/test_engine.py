import numpy as np
import pytest

from corridor.matching import explain, link, score_pair, train_on_pairs
from corridor.matching.blocking import candidates
from corridor.matching.engine import LinkJob
from corridor.matching.explain import starting_point
from corridor.matching.features import COMPARISONS, compare, prepare
from corridor.matching.model import FEATURES, default_model
from corridor.matching.scoring import pair_codes
from corridor.matching.synth import generate


def f1(links, truth):
    decided = {(x.left_id, x.right_id) for x in links if x.match}
    true = set(truth)
    tp = len(decided & true)
    return 2 * tp / (len(decided) + len(true)) if tp else 0.0


def test_synthetic_register_is_reproducible():
    assert generate(n_left=50, seed=3) == generate(n_left=50, seed=3)
    assert generate(n_left=50, seed=3) != generate(n_left=50, seed=4)


def test_blocking_keeps_true_pairs(register):
    left, right, truth = register
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in right]
    found = {
        (left_p[i].record_id, right_p[j].record_id)
        for j, lefts in candidates(left=left_p, right=right_p)
        for i in lefts
    }
    kept = sum(1 for pair in truth if pair in found)
    assert kept / len(truth) >= 0.98
    assert len(found) < 0.2 * len(left) * len(right)


def test_link_on_a_synthetic_register(register):
    left, right, truth = register
    links = link(left=left, right=right)
    assert f1(links, truth) >= 0.88
    assert all(0.0 <= x.score <= 1.0 for x in links)
    per_left = {}
    for x in links:
        if x.match:
            per_left[x.left_id] = per_left.get(x.left_id, 0) + 1
    assert max(per_left.values()) == 1


def _one_family() -> tuple[dict, dict, dict, dict]:
    """The mother's and the father's requests for Kossi, his brother's, and Kossi found."""
    base = {
        "sex": "M",
        "birth_date": "",
        "birth_year": "",
        "age_years": "",
        "place_of_origin": "Kpalimé",
        "origin_prefecture": "Kloto",
        "nationality": "TG",
        "father_name": "Kodjo Agbeko",
    }
    mother = {
        **base,
        "record_id": "L1",
        "given_names": "Kossi Edem",
        "family_name": "Agbeko",
        "birth_date": "2012-04-01",
        "report_date": "2025-01-10",
        "mother_name": "Afi Lawson",
    }
    father = {
        **base,
        "record_id": "L2",
        "given_names": "Kwasi",
        "family_name": "Agbeko",
        "birth_year": "2012",
        "report_date": "2025-02-01",
        "mother_name": "Afi Lawson",
    }
    sibling = {
        **base,
        "record_id": "L3",
        "given_names": "Komi",
        "family_name": "Agbeko",
        "birth_date": "2008-09-09",
        "report_date": "2025-01-10",
        "mother_name": "Afi Lawson",
    }
    child = {
        **base,
        "record_id": "R1",
        "given_names": "AGBEKO",
        "family_name": "Kossi",
        "age_years": "13",
        "identification_date": "2025-06-01",
        "place_of_origin": "Palimé",
        "origin_prefecture": "",
        "mother_name": "Maman Afi",
        "father_name": "",
        "found_location": "Owendo",
    }
    return mother, father, sibling, child


def test_two_parents_requests_both_link_to_the_child_and_the_sibling_does_not():
    mother, father, sibling, child = _one_family()
    links = link(left=[mother, father, sibling], right=[child])
    decided = {x.left_id for x in links if x.match}
    assert decided == {"L1", "L2"}


def test_the_other_parents_request_is_lifted_by_the_first_and_a_siblings_is_not():
    mother, father, sibling, child = _one_family()
    # The father wrote a year two years off and no nationality: still the same child.
    father = {**father, "birth_year": "2010", "nationality": ""}
    moved = {**father, "record_id": "L4", "place_of_origin": "Sokodé", "origin_prefecture": ""}
    late = {**father, "record_id": "L5", "report_date": "2025-09-01"}
    other_father = {**father, "record_id": "L6", "father_name": "Yao Mensah"}
    requests = [mother, father, sibling, moved, late, other_father]
    job = LinkJob(left=requests, right=[child])
    a = np.zeros(len(requests) - 1, dtype=np.int64)
    b = np.arange(1, len(requests))
    sure = job.same_child(a, b, sure=True)
    assert sure.tolist() == [True, False, False, False, False]
    # The mother's request is likely the child's: the father's is lifted to a share of it.
    share = job.competition.meta["one_child_share"]
    assert 0.9 < share < 1.0
    lifted = job._one_child(
        probability=np.asarray([0.8, 0.1, 0.05, 0.04, 0.03, 0.02]),
        lefts=np.arange(len(requests)),
        rights=np.zeros(len(requests), dtype=np.int64),
    )
    assert lifted.tolist() == pytest.approx([0.8, 0.8 * share, 0.05, 0.04, 0.03, 0.02])
    # An unlikely request lifts nobody.
    still = job._one_child(
        probability=np.asarray([0.04, 0.01]), lefts=np.arange(2), rights=np.zeros(2, dtype=int)
    )
    assert still.tolist() == [0.04, 0.01]


def test_score_pair_and_explanation_agree(register):
    left, right, truth = register
    by_id_left = {r["record_id"]: r for r in left}
    by_id_right = {r["record_id"]: r for r in right}
    a, b = by_id_left[truth[0][0]], by_id_right[truth[0][1]]
    probability = score_pair(a=a, b=b)
    reasons = explain(a, b)
    assert 0.0 <= probability <= 1.0
    assert {r.field for r in reasons} >= {"given", "family", "birth", "sex"}
    assert all(r.sentence and r.sentence[-1] == "." for r in reasons)
    import math

    log_odds = starting_point(reasons) + sum(r.weight for r in reasons)
    assert abs(1 / (1 + math.exp(-log_odds)) - probability) < 0.02


def test_a_field_one_record_does_not_give_weighs_nothing_in_the_explanation():
    """Whatever base the model weighs a comparison from, its explanation counts from "missing on
    one side": a mother or a father no one named, an unknown sex or place read as neither for
    nor against, and a different name against; the lines still add up to the score."""
    request = {
        "record_id": "r1",
        "given_names": "Akuvi",
        "family_name": "MENSAH",
        "sex": "F",
        "birth_year": "2014",
        "mother_name": "Afi Mensah",
        "father_name": "Kodjo Mensah",
    }
    child = {
        "record_id": "c1",
        "given_names": "Akuvi",
        "family_name": "Mensah",
        "sex": "",
        "age_years": "10",
        "age_date": "2024-06-01",
        "mother_name": "",
        "father_name": "Koffi Agbeko",
    }
    reasons = {r.field: r for r in explain(request, child)}
    assert reasons["mother"].level == "missing" and reasons["mother"].weight == 0
    assert reasons["sex"].level == "unknown" and reasons["sex"].weight == 0
    assert reasons["place"].level == "unknown" and reasons["place"].weight == 0
    assert reasons["father"].level == "different" and reasons["father"].weight < 0
    assert default_model().weights["father=missing"] > 0  # the base the model weighs it from
    # How common the agreeing given name is weighs on the agreement's line, and only informs.
    weights, given = default_model().weights, reasons["given"]
    frequency = reasons["given_frequency"]
    assert frequency.weight == 0
    together = weights[f"given={given.level}"] + weights[f"given_frequency={frequency.level}"]
    assert given.weight == round(together - weights.get("given=missing", 0.0), 2)
    assert starting_point(list(reasons.values())) + sum(r.weight for r in reasons.values()) == (
        pytest.approx(
            default_model().log_odds({r.field: r.level for r in reasons.values()}), abs=0.1
        )
    )


@pytest.mark.parametrize(
    ("request_names", "found_names", "level"),
    [
        ("Kodjo", "Koffi", "another"),  # born on a Monday, born on a Friday
        ("Kossi", "Kofi", "another"),  # alike in writing, two days all the same
        ("Aïcha", "Rahamatou", "another"),
        ("Kodjo", "Paul", "different"),  # a day name and a baptismal name: maybe one child
        ("Koffi Sena", "Sena", "exact"),
        ("Kodjo", "Kojo", "variant"),
        ("Kodjo", "Okafor", "different"),  # a name the lists do not know
    ],
)
def test_two_names_of_one_tradition_are_another_child_not_a_misspelling(
    request_names, found_names, level
):
    a, b = (
        {"record_id": side, "given_names": names, "family_name": "Agbeko"}
        for side, names in (("left", request_names), ("right", found_names))
    )
    assert (
        compare(prepare(record=a, side="left"), prepare(record=b, side="right"))["given"] == level
    )
    (reason,) = [r for r in explain(a, b) if r.field == "given"]
    assert reason.level == level
    if level == "another":
        assert "tradition" in reason.sentence
        assert reason.weight < default_model().weights["given=different"] - 2


@pytest.mark.parametrize(
    ("request_family", "found_family", "level"),
    [
        ("Ouro-Bang'na", "OURO-GNAOU", "weak"),  # two families sharing the particle Ouro
        ("Ouro-Gnaou", "Ouro-Gnau", "similar"),
        ("Ouro-Gnaou", "OUROG-NAOU", "exact"),  # the hyphen misplaced, the name whole
        ("Tcha-Tokey", "Tcha-Toukey", "similar"),
        ("de Souza", "Souza", "exact"),  # one part named alone
        ("Ouro-Gnaou", "Gnaou", "exact"),
    ],
)
def test_compound_family_names_agree_only_when_every_part_does(request_family, found_family, level):
    a, b = (
        {"record_id": side, "given_names": "Issaka", "family_name": family}
        for side, family in (("left", request_family), ("right", found_family))
    )
    assert compare(prepare(record=a, side="left"), prepare(record=b, side="right"))["family"] == (
        level
    )
    assert _column_level(a, b, "family") == level  # the columns' comparer agrees


@pytest.mark.parametrize(
    ("request_names", "found_names", "level"),
    [
        ("Kwami Edem", "Kwami", "first_only"),  # the child gave one of two names
        ("Kwami", "Kwami Edem", "second_only"),  # a name the family did not write
        ("Kwami Edem", "Kwami Edem", "agree"),
        ("Kwami Edem", "Kwami Selom", "differ"),
        ("Kwami", "Kwami", None),
        ("Kwami Edem", "Kodjo", None),  # the first names do not agree: nothing to add
    ],
)
def test_a_second_given_name_on_one_record_only_is_a_level_of_its_own(
    request_names, found_names, level
):
    a, b = (
        {"record_id": side, "given_names": names, "family_name": "Amavi"}
        for side, names in (("left", request_names), ("right", found_names))
    )
    assert (
        compare(prepare(record=a, side="left"), prepare(record=b, side="right")).get("given_other")
        == level
    )
    assert _column_level(a, b, "given_other") == level
    # A name the child did not give costs the request less than one it gave and the family did
    # not: children drop a second name more often than families leave one out.
    weights = default_model().weights
    assert weights["given_other=differ"] < weights["given_other=second_only"]
    assert weights["given_other=second_only"] < weights["given_other=first_only"] < 0


def _column_level(request: dict, found: dict, comparison: str) -> str | None:
    """One pair's level of ``comparison`` as the columns compute it (None: not compared)."""
    job = LinkJob(left=[request], right=[found], competition=None)
    codes = pair_codes(
        left=job.left,
        right=job.right,
        i=np.zeros(1, dtype=np.int64),
        j=np.zeros(1, dtype=np.int64),
        frequencies=job.frequencies,
    )
    return (*COMPARISONS[comparison], None)[codes[comparison][0]]


def test_model_weights_are_known_levels():
    assert set(default_model().weights) <= set(FEATURES)
    assert (
        default_model().weights["given=different"]
        < 0
        < default_model().weights["birth=same_date|dates"]
    )


def test_training_on_reviewed_pairs_moves_weights(register):
    left, right, truth = register
    by_id_left = {r["record_id"]: r for r in left}
    by_id_right = {r["record_id"]: r for r in right}
    pairs = [(by_id_left[a], by_id_right[b]) for a, b in truth[:40]]
    wrong = [(by_id_left[truth[k][0]], by_id_right[truth[k + 1][1]]) for k in range(40)]
    model = train_on_pairs(pairs=pairs + wrong, labels=[True] * 40 + [False] * 39 + [None])
    assert model.meta["pairs"] == 79
    assert set(model.weights) <= set(FEATURES)


def test_explanations_speak_the_readers_language_whatever_was_active_at_import():
    from django.utils import translation

    from corridor.matching.explain import _sentence, field_label

    with translation.override("en"):
        assert _sentence("place", "same_town").startswith("Same place of origin")
        assert _sentence("given", "exact") == "Given name is written the same way."
        assert "birth years within 2 years" in _sentence("birth", "2y|estimate")
        assert field_label("mother") == "Mother"
    with translation.override("fr"):
        assert _sentence("place", "same_town").startswith("Même lieu d'origine")
        assert "Ages give" not in _sentence("birth", "2y|estimate")
        assert field_label("mother") == "Mère"


def test_every_level_a_caseworker_may_read_has_a_sentence_and_a_field_name():
    from corridor.matching.explain import FIELD_LABELS, _sentence
    from corridor.matching.features import COMPARISONS

    for comparison, levels in COMPARISONS.items():
        assert comparison in FIELD_LABELS
        for level in levels:
            sentence = str(_sentence(comparison, level))
            assert sentence.endswith(".") and not sentence.startswith(f"{comparison}:")
