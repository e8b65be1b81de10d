"""Accuracy that holds as the register grows (issue 15): no true pair lost to a large block,
scores that count the namesakes, and the same order of scores in a small and a large register."""

from __future__ import annotations

import copy

import numpy as np

from corridor.matching.blocking import BlockIndex, candidates
from corridor.matching.competition import default_competition
from corridor.matching.engine import (
    FEWEST_CANDIDATES,
    MOST_CANDIDATES,
    LinkJob,
    default_candidates,
    link_columns,
    reference_statistics,
)
from corridor.matching.explain import explain_among
from corridor.matching.features import compare, name_statistics, prepare
from corridor.matching.synth import NoiseModel, generate


def _recall(left, right, truth, *, max_block):
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in right]
    index = BlockIndex.of(left=left_p, max_block=max_block)
    found = {
        (left[i]["record_id"], right[j]["record_id"])
        for j, lefts in candidates(left=left_p, right=right_p, index=index)
        for i in lefts
    }
    return sum(pair in found for pair in truth) / len(truth), index


def test_blocking_keeps_true_pairs_when_every_block_is_large():
    """A register where almost every key's block is 'large' (a block limit of 5 records stands in
    for a national register's common names): blocks are split by birth year, none is dropped,
    and the true pairs still meet."""
    left, right, truth = generate(n_left=1500, seed=515, noise=NoiseModel(level=1.3))
    small_blocks, index = _recall(left, right, truth, max_block=5)
    unsplit, _ = _recall(left, right, truth, max_block=10**9)
    assert len(index.split) > 300  # the limit did bite
    assert small_blocks >= 0.985
    assert small_blocks >= unsplit - 0.01


def test_split_blocks_are_read_by_the_birth_years_a_record_allows():
    left, right, truth = generate(n_left=300, seed=7)
    left_p = [prepare(record=r, side="left") for r in left]
    index = BlockIndex.of(left=left_p, max_block=1)
    # A request looked up as itself (all keys split) finds itself, born in its own year.
    found = dict(candidates(left=left_p, right=left_p[:50], index=index))
    assert all(j in found[j] for j in range(50) if left_p[j].birth is not None)


def _namesakes(n):
    child = {
        "record_id": "R1",
        "given_names": "Kokou",
        "family_name": "MENSAH",
        "sex": "M",
        "age_years": "12",
        "identification_date": "2025-06-01",
    }
    requests = [
        {
            "record_id": f"L{k}",
            "given_names": "Kokou",
            "family_name": "Mensah",
            "sex": "M",
            "birth_year": str(2012 + k % 3),
            "report_date": "2025-03-01",
            "mother_name": [
                "Afi Amouzou",
                "Abla Kodjo",
                "Yawa Tchédré",
                "Ama Lawson",
                "Essi Gbadoe",
                "Akossiwa Issifou",
                "Enyonam Kpatcha",
                "Mawusi Sodji",
            ][k % 8],
            "place_of_origin": ["Lomé", "Kpalimé", "Aného", "Sokodé", "Kara"][k % 5],
        }
        for k in range(n)
    ]
    return child, requests


def test_a_low_confidence_link_names_its_namesakes():
    child, requests = _namesakes(6)
    alone, _reasons, nobody = explain_among(requests[0], child, others=[])
    probability, reasons, namesakes = explain_among(requests[0], child, others=requests)
    assert nobody == []
    assert probability < 0.5 < alone
    assert {n.record_id for n in namesakes} == {f"L{k}" for k in range(1, 6)}
    line = next(r for r in reasons if r.field == "competition")
    assert line.weight < 0
    assert "L1" in line.sentence and "Kokou Mensah" in line.sentence


def test_the_other_parents_request_is_no_competitor():
    child, requests = _namesakes(1)
    twin = dict(requests[0], record_id="L-father", mother_name=requests[0]["mother_name"])
    probability, reasons, namesakes = explain_among(requests[0], child, others=[twin])
    assert namesakes == []
    # With the same name statistics (the twin also makes "Kokou Mensah" a name two requests
    # carry, which the pair model weighs, and the competition rescales the pair log-odds), the
    # twin changes nothing: it is not counted as a rival.
    frequencies = copy.copy(reference_statistics())
    frequencies.combinations = copy.copy(frequencies.combinations)
    frequencies.add_combinations(
        records=[prepare(record=r, side="left") for r in (requests[0], twin)]
    )
    probability, reasons, namesakes = explain_among(
        requests[0], child, others=[twin], frequencies=frequencies
    )
    assert namesakes == []
    alone = explain_among(requests[0], child, others=[], frequencies=frequencies)[1]

    def competition(lines):
        return next(r for r in lines if r.field == "competition")

    assert competition(reasons).level == competition(alone).level == "0"
    assert abs(competition(reasons).weight - competition(alone).weight) < 0.01
    assert probability > 0.9


def test_namesakes_lower_the_probability_in_the_engine_too():
    child, requests = _namesakes(8)
    lone = link_columns(left=requests[:1], right=[child])
    crowded = link_columns(left=requests, right=[child])
    p_lone = lone.probability[lone.left == 0].max()
    p_crowded = crowded.probability[crowded.left == 0].max()
    assert p_crowded < p_lone
    assert not crowded.match.any()


def test_scores_keep_their_order_inside_a_larger_register():
    """The pairs of a small register scored alone and inside a register eight times larger:
    the true pairs still rank above the others, and the scores keep their order."""
    left, right, truth = generate(n_left=400, seed=31)
    more_left, more_right, _ = generate(n_left=3200, seed=32)
    for record in more_left + more_right:
        record["record_id"] = "x" + record["record_id"]
    small = link_columns(left=left, right=right)
    large = link_columns(left=left + more_left, right=right + more_right)

    def scores(result):
        return {
            (result.left_ids[i], result.right_ids[j]): p
            for p, i, j in zip(result.probability, result.left, result.right, strict=True)
        }

    a, b = scores(small), scores(large)
    shared = sorted(set(a) & set(b))
    x = np.argsort(np.argsort([a[k] for k in shared]))
    y = np.argsort(np.argsort([b[k] for k in shared]))
    assert np.corrcoef(x, y)[0, 1] >= 0.9
    true = set(truth)

    def auc(s):
        pos = [s[k] for k in shared if k in true]
        neg = np.asarray([s[k] for k in shared if k not in true])
        return np.mean([(neg < p).mean() for p in pos])

    assert auc(b) >= auc(a) - 0.02 >= 0.95


def test_candidates_are_scored_with_their_competitors():
    left, right, _truth = generate(n_left=200, seed=5)
    job = LinkJob(left=left, right=right)
    log_odds, rivals, lefts, rights, adjust = job.score(job.batches()[0])
    assert len(log_odds) == len(rivals) == len(lefts) == len(rights) == len(adjust)
    # The competition's level term of each kept pair is its levels' weights, as one pair's is.
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in right]
    frequencies = name_statistics(left=left_p, right=right_p)
    levels = [
        compare(left_p[i], right_p[j], frequencies=frequencies)
        for i, j in zip(lefts[:50].tolist(), rights[:50].tolist(), strict=True)
    ]
    assert np.allclose(adjust[:50], [job.competition.level_term(pair) for pair in levels])
    assert np.abs(adjust).max() > 0
    # A right record's best candidate has the others as rivals, so at most their log-sum.
    assert np.isfinite(log_odds).all()


def test_the_same_lone_fit_means_less_in_a_larger_register():
    """The competition counts the register's size: a request that fits a found child as well,
    with no namesake among the candidates, is less likely the child's in a register of 200,000
    (where most found children have no request and names repeat) than in one of 2,000; sizes
    beyond those fitted are scored as the nearest fitted one, not extrapolated."""
    competition = default_competition()
    sizes = list(competition.meta["sizes"].values())
    assert competition.fitted(30) == min(sizes)
    assert competition.fitted(10**8) == max(sizes)

    def log_odds(requests, rival=-np.inf):
        return competition.log_odds(
            log_odds=np.asarray([2.0]),
            right=np.asarray([rival]),
            left=np.asarray([-np.inf]),
            requests=requests,
        )[0]

    assert log_odds(2_000) > log_odds(8_000) > log_odds(200_000)
    assert log_odds(30) == log_odds(min(sizes))
    # A namesake that fits takes more away at every size.
    assert all(log_odds(n, rival=1.0) < log_odds(n) for n in (2_000, 8_000, 200_000))


def test_candidates_per_found_child_fall_faster_than_the_register_grows():
    """500 candidates each up to 160,000 found children (dev-scale's 154,052 included), then
    in inverse proportion to the square of the found children, never fewer than 20: a run
    scores fewer pairs in all as its look-ups read larger blocks."""
    assert default_candidates(0) == default_candidates(154_052) == default_candidates(160_000)
    assert default_candidates(160_000) == MOST_CANDIDATES == 500
    assert default_candidates(320_000) == 125
    assert default_candidates(1_000_000) == FEWEST_CANDIDATES == 20 == default_candidates(10**8)
    sizes = range(160_000, 1_000_001, 20_000)
    above_floor = [n for n in sizes if default_candidates(n) > FEWEST_CANDIDATES]
    pairs = [n * default_candidates(n) for n in above_floor]
    assert pairs == sorted(pairs, reverse=True) and len(pairs) > 10
    left, right, _truth = generate(n_left=50, seed=5)
    assert LinkJob(left=left, right=right).max_candidates == 500
    assert LinkJob(left=left, right=right, max_candidates=7).max_candidates == 7


def test_the_competition_scores_a_long_run_in_parts_as_in_one(monkeypatch):
    """Scored a part at a time (so that a national run never holds the whole design matrix),
    the competition gives what one matrix of every link gives."""
    from corridor.matching import competition as module

    competition = default_competition()
    generator = np.random.default_rng(3)
    n = 2_501
    pair, right, left = (generator.normal(size=n) for _ in range(3))
    right[::7] = -np.inf
    whole = module.features(log_odds=pair, right=right, left=left, requests=50_000)
    expected = whole @ np.asarray(competition.weights)
    monkeypatch.setattr(module, "_ROWS", 1_000)
    got = competition.log_odds(log_odds=pair, right=right, left=left, requests=50_000)
    assert len(got) == n
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_competitors_are_summed_alike_by_record_index_or_by_any_label():
    """Groups given as record indices are summed directly (no sort); any other labels (negative,
    sparse, 64-bit) give the same sums."""
    from corridor.matching.competition import log_competitors

    generator = np.random.default_rng(4)
    groups = generator.integers(0, 300, size=2_000).astype(np.int32)
    log_odds = generator.normal(scale=4.0, size=2_000)
    exclude = np.where(generator.random(2_000) < 0.1, 0.01, 0.0)
    labels = groups.astype(np.int64) * -(10**12) - 7
    direct = log_competitors(log_odds=log_odds, groups=groups, exclude=exclude)
    labelled = log_competitors(log_odds=log_odds, groups=labels, exclude=exclude)
    np.testing.assert_array_equal(direct, labelled)
    direct = log_competitors(log_odds=log_odds, groups=groups)
    np.testing.assert_array_equal(direct, log_competitors(log_odds=log_odds, groups=labels))
    alone = np.bincount(groups)[groups] == 1
    assert np.isneginf(direct[alone]).all() and np.isfinite(direct[~alone]).all()


def test_a_search_within_runs_finds_what_searchsorted_finds():
    """``gather.run_search``: each value searched within the run of its high bits gives
    numpy's position, for values inside runs, between them, at their edges and past the last."""
    from corridor.matching.gather import run_search

    generator = np.random.default_rng(6)
    runs = 300
    keys = np.sort(generator.integers(0, runs << 12, size=5_000))
    keys = keys[keys >> 12 != 7]  # one run empty
    starts = np.searchsorted(keys, np.arange(runs + 2) << 12)
    values = generator.integers(0, (runs + 1) << 12, size=(4, 700))
    values[0, :10] = np.arange(10) << 12
    values[1, :3] = [7 << 12, (7 << 12) + 5, runs << 12]
    got = run_search(keys, starts, values, 12)
    np.testing.assert_array_equal(got, np.searchsorted(keys, values))
    assert run_search(keys, starts, values[:, :0], 12).shape == (4, 0)


def test_the_directory_finds_each_hash_where_a_binary_search_does():
    """``gather.Directory`` (buckets of the hashes' top bits) finds every hash present, at its
    position, and no other: negative and positive hashes, the extremes, runs of near
    neighbours, an empty index."""
    from corridor.matching.gather import Directory

    generator = np.random.default_rng(12)
    info = np.iinfo(np.int64)
    for size in (0, 1, 2, 1_000, 100_000):
        keys = generator.integers(info.min, info.max, size=size, dtype=np.int64)
        keys = np.unique(np.concatenate((keys, [info.min, info.max, 0, 1, 2]))) if size else keys
        asked = np.concatenate(
            (
                generator.choice(keys, size=500) if len(keys) else keys,
                generator.integers(info.min, info.max, size=500, dtype=np.int64),
                keys[:50] + 1 if len(keys) else keys,
                [info.min, info.max, -1, 0, 3],
            )
        ).astype(np.int64)
        at, hit = Directory(keys).find(asked)
        where = np.minimum(np.searchsorted(keys, asked), max(len(keys) - 1, 0))
        expected = keys[where] == asked if len(keys) else np.zeros(len(asked), dtype=bool)
        assert hit.tolist() == expected.tolist()
        assert (at[hit] == where[hit]).all()
        assert (keys[at[hit]] == asked[hit]).all()
