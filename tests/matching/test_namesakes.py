"""Many namesakes (issue 15): a child who gave only a name and an age among 130 requests
for the same name gets no confident link, and the pre-ranking inside large blocks (split by
the family name's initial) loses no true pair."""

from __future__ import annotations

import numpy as np

from corridor.matching.blocking import BlockIndex, candidates, prepared_initials
from corridor.matching.engine import LinkJob, _initials, link_columns
from corridor.matching.explain import explain_among
from corridor.matching.features import prepare
from corridor.matching.synth import NoiseModel, generate

_MOTHERS = ["Afi", "Abla", "Yawa", "Ama", "Essi", "Akossiwa", "Enyonam", "Mawusi", "Adjo", "Kafui"]
_FAMILIES = ["Amouzou", "Kodjo", "Tchédré", "Lawson", "Gbadoe", "Issifou", "Kpatcha", "Sodji"]
_TOWNS = ["Lomé", "Kpalimé", "Aného", "Sokodé", "Kara", "Atakpamé", "Tsévié", "Dapaong"]


def _crowd(n: int) -> tuple[dict, list[dict]]:
    child = {
        "record_id": "R1",
        "given_names": "Kokou",
        "family_name": "Mensah",
        "age_years": "12",
        "identification_date": "2025-06-01",
    }
    requests = [
        {
            "record_id": f"L{k}",
            "given_names": "Kokou",
            "family_name": "Mensah",
            "sex": "M",
            "birth_year": str(2011 + k % 4),
            "report_date": "2025-03-01",
            "mother_name": f"{_MOTHERS[k % 10]} {_FAMILIES[k // 10 % 8]}",
            "father_name": f"Komi Mensah {k}",
            "place_of_origin": _TOWNS[k % 8],
        }
        for k in range(n)
    ]
    return child, requests


def test_a_name_and_an_age_among_130_namesakes_is_no_confident_link():
    child, requests = _crowd(130)
    result = link_columns(left=requests, right=[child])
    assert len(result) >= 10
    assert result.probability.max() < 0.2
    assert not result.match.any()
    # The same request alone would be linked: the crowd, not the pair, lowers it.
    alone = link_columns(left=requests[:1], right=[child])
    assert alone.probability.max() > result.probability.max()


def test_the_explanation_of_a_crowded_link_names_the_namesakes():
    child, requests = _crowd(130)
    probability, reasons, namesakes = explain_among(requests[0], child, others=requests[1:])
    assert probability < 0.2
    assert len(namesakes) >= 20
    line = next(r for r in reasons if r.field == "competition")
    assert line.weight < -2
    assert "Kokou Mensah" in line.sentence
    # The per-field explanation is still there beside the competition line.
    assert {"given", "family"} <= {r.field for r in reasons}


def test_initials_from_columns_agree_with_prepared_records():
    left, right, _truth = generate(n_left=300, seed=21, noise=NoiseModel(level=1.5))
    job = LinkJob(left=left, right=right)
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in right]
    assert (_initials(job.left, query=False) == prepared_initials(left_p, query=False)).all()
    assert (_initials(job.right, query=True) == prepared_initials(right_p, query=True)).all()


def test_blocking_recall_floor_with_many_namesakes_in_split_blocks():
    """A crowded register (noise 1.5) with a block limit of 10 records standing in for a
    national register: the name-and-year and mother-and-year blocks are split by the family
    name's initial, the others by year; the true pairs still meet, and the job's look-up
    (columns) finds the same candidates as the prepared records' one."""
    left, right, truth = generate(n_left=2000, seed=616, noise=NoiseModel(level=1.5))
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in right]

    def recall(max_block):
        index = BlockIndex.of(left=left_p, max_block=max_block)
        found = dict(candidates(left=left_p, right=right_p, index=index))
        pairs = {(left[i]["record_id"], right[j]["record_id"]) for j in found for i in found[j]}
        return sum(pair in pairs for pair in truth) / len(truth), index, found

    split, index, found = recall(10)
    unsplit, _, _ = recall(10**9)
    by_initial = np.isin(index.split & 7, [1, 5, 6]).sum()  # "ny", "my", "yp" keys
    assert len(index.split) > 100 and by_initial > 20
    assert split >= 0.98
    assert split >= unsplit - 0.01
    job = LinkJob(left=left, right=right, max_block=10)
    rights, lefts = job.candidates((0, len(right)))
    for j in range(0, len(right), 37):
        assert sorted(lefts[rights == j].tolist()) == sorted(found[j])
