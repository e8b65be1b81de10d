"""Many namesakes (issue 15): a child who gave only a name and an age among 130 requests
for the same name gets no confident link, and the pre-ranking inside large blocks (split by
birth year and by the names' initials, full names filed once) loses no true pair."""

from __future__ import annotations

import numpy as np

from corridor.matching.blocking import BlockIndex, _prepared_full_names, candidates
from corridor.matching.engine import LinkJob, _full_names, _initials, link_columns
from corridor.matching.explain import explain_among
from corridor.matching.features import prepare
from corridor.matching.gather import KINDS, best_supported
from corridor.matching.keys import (
    fuzzy_hashes,
    key_hashes,
    name_table,
    prepared_initials,
    prepared_years,
)
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
    assert (_initials(job.left) == prepared_initials(left_p)).all()
    assert (_initials(job.right) == prepared_initials(right_p)).all()


def test_blocking_recall_floor_with_many_namesakes_in_split_blocks():
    """A crowded register (noise 1.5) with a block limit of 10 records standing in for a
    national register: the name-and-year and mother-and-year blocks are split by the names'
    initials, the others by year, and the sub-blocks still too large once more; names borne by
    more than 10 requests are read by birth year. The true pairs still meet, and the job's
    look-up (columns) finds the same candidates as the prepared records' one."""
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
    deeper, deeper_index, _ = recall(5)
    by_initial = np.isin(index.split & 7, [1, 5, 6]).sum()  # "ny", "my", "yp" keys
    assert len(index.split) > 100 and by_initial > 20
    keys = {int(h) for p in left_p for h in key_hashes(prepared=p, query=False, fuzzy=False)}
    assert sum(int(h) not in keys for h in deeper_index.split) > 20  # at the second level
    assert deeper >= 0.98
    assert split >= 0.98
    assert split >= unsplit - 0.01
    job = LinkJob(left=left, right=right, max_block=10, max_candidates=100)  # as ``candidates``
    rights, lefts = job.candidates((0, len(right)))
    for j in range(0, len(right), 37):
        assert sorted(lefts[rights == j].tolist()) == sorted(found[j])


def test_full_names_filed_once_find_the_same_candidates_as_every_key_per_record():
    """The index files the given-and-family-name typo keys once per distinct full name and
    reads each name once: the candidates are those of filing every key per record, in the same
    order but for a few children. (A request whose two given names share a typo key, "Kossi
    Kosi", is counted in that key's block once per name, so the key weighs a little less.)"""
    left, right, _truth = generate(n_left=3000, seed=33, noise=NoiseModel(level=1.5))
    left_p = [prepare(record=r, side="left") for r in left]
    right_p = [prepare(record=r, side="right") for r in right]
    hashes = [key_hashes(prepared=p, query=False) for p in left_p]
    first_year, last_year = prepared_years(left_p, query=False)
    flat = BlockIndex(
        hashes=np.concatenate(hashes),
        owners=np.repeat(np.arange(len(left_p), dtype=np.int32), [len(h) for h in hashes]),
        size=len(left_p),
        max_block=200,
        first_year=first_year,
        last_year=last_year,
        initials=prepared_initials(left_p),
    )
    named = BlockIndex.of(left=left_p, max_block=200)
    assert len(named.owners) < len(flat.owners) / 2
    by_record = dict(candidates(left=left_p, right=right_p, index=flat))
    by_name = dict(candidates(left=left_p, right=right_p, index=named))
    assert by_name.keys() == by_record.keys()
    assert all(set(by_name[j]) == set(by_record[j]) for j in by_name)
    reordered = sum(by_name[j] != by_record[j] for j in by_name)
    assert reordered <= len(right_p) // 200
    assert sum(len(found) for found in by_name.values()) > 10 * len(right_p)


def _name_table(records, pairs, strings):
    return name_table(records=records, pairs=pairs, strings=strings)


def test_the_name_table_from_columns_is_the_one_from_prepared_records():
    """The linking job numbers full names from its columns' ids, ``BlockIndex.of`` from the
    prepared records' strings: the same names, in the order they first appear, each record
    holding each of its names once."""
    left, right, _truth = generate(n_left=400, seed=21, noise=NoiseModel(level=1.5))
    left[0] |= {"given_names": "Essowè Essowè", "family_name": "Kpatcha"}
    left[1] |= {"given_names": "Abla Grâce", "family_name": "Amouzou"}
    job = LinkJob(left=left, right=right)
    left_p = [prepare(record=r, side="left") for r in left]
    from_columns = _name_table(*_full_names(job.left))
    from_records = _name_table(*_prepared_full_names(left_p))
    (records, names), keys, key_names = from_columns
    assert (records == from_records[0][0]).all() and (names == from_records[0][1]).all()
    assert (keys == from_records[1]).all() and (key_names == from_records[2]).all()
    assert list(records[:3]) == [0, 1, 1]  # Essowè once, then Abla and Grâce
    assert names[0] == 0 and names[1] == 1 and names[2] == 2
    assert len(np.unique(names)) == names.max() + 1 < len(names)


def test_records_without_a_family_name_file_no_full_name():
    """A request with no family name, or no names at all, files nothing in the name table, and
    an index of such requests alone is empty rather than broken."""
    left = [
        prepare(record={"record_id": "L1", "given_names": "Kokou"}, side="left"),
        prepare(record={"record_id": "L2", "family_name": "Mensah"}, side="left"),
    ]
    records, pairs, strings = _prepared_full_names(left)
    assert len(records) == len(pairs) == 0
    (filed, names), keys, key_names = _name_table(records, pairs, strings)
    assert len(filed) == len(names) == len(keys) == len(key_names) == 0
    index = BlockIndex.of(left=left, max_block=200)
    assert len(index.name_keys) == 0


def test_a_name_whose_two_parts_share_keys_has_each_key_once():
    keys = fuzzy_hashes("Essowe", "Essowe")
    assert len(np.unique(keys)) == len(keys) > 10


def test_a_name_borne_by_a_crowd_is_read_by_birth_year():
    """130 requests for the same full name, born over twenty years: a child of about 12 reads
    only the namesakes its age allows, and every one of them."""
    child, requests = _crowd(130)
    for k, request in enumerate(requests):
        request["birth_year"] = str(2000 + k % 20)
    left = [prepare(record=r, side="left") for r in requests]
    index = BlockIndex.of(left=left, max_block=20)
    assert index.large_name.sum() == 1
    found_child = prepare(record=child, side="right")
    ((_, found),) = candidates(left=left, right=[found_child], index=index, max_candidates=200)
    first, last = (int(y[0]) for y in prepared_years([found_child], query=True))
    assert 8 <= last - first <= 12  # an estimated age: four years either way
    low, high = prepared_years(left, query=False)
    allowed = np.flatnonzero((low <= last) & (high >= first))
    assert sorted(found) == allowed.tolist()
    assert 50 < len(found) < 100


def test_a_misspelt_name_among_its_namesakes_keeps_those_born_nearest():
    """A child written "Kkou Mensah", about 12, meets 130 Kokou Mensah requests born over twenty
    years through the typo keys alone, all equally supported: the ten kept are those born
    nearest her, not the first filed. "Kkou" is "Kokou" with a letter dropped, although the
    phonetic keys ("ku", "koku") are two letters apart."""
    child, requests = _crowd(130)
    for k, request in enumerate(requests):
        request |= {"birth_year": str(2000 + k % 20), "mother_name": "", "father_name": ""}
        request["place_of_origin"] = ""
    left = [prepare(record=r, side="left") for r in requests]
    index = BlockIndex.of(left=left, max_block=20)
    found_child = prepare(record=child | {"given_names": "Kkou"}, side="right")
    ((_, found),) = candidates(left=left, right=[found_child], index=index, max_candidates=10)
    assert len(found) == 10
    born = [int(requests[k]["birth_year"]) for k in found]
    # About 12 in mid-2025: all six born in 2012 first, then a year either side.
    assert born[:6] == [2012] * 6 and set(born[6:]) <= {2011, 2013}


def test_a_child_found_under_her_second_given_name_meets_the_request():
    """ "Grâce Amuozou", found with no birth and no parents, is "Abla Grâce Amouzou" of a
    request with a typo in the family name: the request's typo keys are filed for each of its
    given names, so she meets it among 130 other Ablas of the family; a "Grâce" found under
    another family name does not."""
    _child, requests = _crowd(130)
    for k, request in enumerate(requests):
        request |= {"given_names": f"Abla {_MOTHERS[k % 10]}", "family_name": "Amouzou"}
    requests[7]["given_names"] = "Abla Grâce"
    left = [prepare(record=r, side="left") for r in requests]
    index = BlockIndex.of(left=left, max_block=20)
    found = _found(
        {"given_names": "Grâce", "family_name": family} for family in ("Amuozou", "Lawson")
    )
    met = dict(candidates(left=left, right=found, index=index, max_candidates=200))
    assert 7 in met.get(0, []) and 7 not in met.get(1, [])


def _found(records) -> list:
    """Prepared found children of the given fields, identified on 1 June 2025."""
    return [
        prepare(
            record={"record_id": f"R{k}", "identification_date": "2025-06-01", **fields},
            side="right",
        )
        for k, fields in enumerate(records)
    ]


def test_a_written_birth_date_meets_the_request_whatever_the_names():
    """A child found with her papers under another name ("Dzifa Amenyo") meets the request
    that writes her birth date, among 130 namesakes of the request's names; one born the next
    day does not."""
    _child, requests = _crowd(130)
    requests[7] |= {"birth_year": "", "birth_date": "2013-03-09"}
    left = [prepare(record=r, side="left") for r in requests]
    index = BlockIndex.of(left=left, max_block=20)
    found = _found(
        {"given_names": "Dzifa", "family_name": "Amenyo", "birth_date": f"2013-03-{day:02d}"}
        for day in (9, 10)
    )
    met = dict(candidates(left=left, right=found, index=index, max_candidates=200))
    assert 7 in met.get(0, []) and 7 not in met.get(1, [])


def _best_supported_by_hand(*, askers, max_candidates, parts, births=None):
    """``gather.best_supported`` written plainly: per asker and left record, the heaviest
    weight of each kind, summed; the best sums first, ties by the nearer birth (half years, up
    to 15; 4 when either is unknown), then by left index."""
    best: dict[tuple[int, int, int], int] = {}
    for owners, (who, starts, sizes, tags) in parts:
        for asker, start, size, tag in zip(who, starts, sizes, tags, strict=True):
            kind, weight = int(tag) >> 8, int(tag) & 255
            for owner in owners[start : start + size].tolist():
                key = (int(asker), owner, kind)
                best[key] = max(best.get(key, 0), weight)
    support: dict[tuple[int, int], int] = {}
    for (asker, owner, _), weight in best.items():
        support[asker, owner] = support.get((asker, owner), 0) + weight

    def distance(asker, owner):
        if births is None:
            return 0
        a, b = int(births[0][asker]), int(births[1][owner])
        return 4 if a < 0 or b < 0 else min(abs(a - b), 15)

    out = []
    for asker in range(askers):
        mine = sorted(
            (-s, distance(asker, owner), owner)
            for (who, owner), s in support.items()
            if who == asker
        )
        out.extend((asker, owner) for *_, owner in mine[:max_candidates])
    return out


def test_the_compiled_gathering_keeps_each_askers_best_supported():
    """``gather.best_supported`` gives exactly the plain computation's candidates, in order:
    ranges of two owner arrays grouped by asker (some askers in one part only, some in none,
    some with fewer records than asked), an owner met twice by one kind counted once by its
    heaviest key, many ties at the edge of the kept ones; a cap far above every asker's
    records ("no cap", as ``bench/match_blocking.py --ranks`` asks) allocates only for them."""
    generator = np.random.default_rng(9)
    for max_candidates in (1, 30, 5_000, 10**9):
        parts = []
        for count in (300, 40):
            owners = generator.integers(0, 3_000, size=5_000).astype(np.int32)
            who = np.sort(generator.choice([0, 1, 2, 5, 9, 30], size=count))
            starts = generator.integers(0, 4_000, size=count)
            sizes = generator.integers(0, 300, size=count)
            sizes[::7] = 0
            kinds = generator.integers(0, KINDS, size=count)
            tags = (kinds << 8) | generator.integers(0, 4, size=count) * 40
            parts.append((owners, (who, starts, sizes, tags)))
        asker, left = best_supported(askers=32, max_candidates=max_candidates, parts=parts)
        expected = _best_supported_by_hand(askers=32, max_candidates=max_candidates, parts=parts)
        assert list(zip(asker.tolist(), left.tolist(), strict=True)) == expected
        assert len(expected) > 0
        # With births (some unknown), ties go to the nearer birth first.
        births = (
            generator.integers(-1, 30, size=32) * 2 + 4000,
            generator.integers(-1, 30, size=3_000) * 2 + 4000,
        )
        births[0][::5] = births[1][::7] = -1
        asker, left = best_supported(
            askers=32, max_candidates=max_candidates, parts=parts, births=births
        )
        expected = _best_supported_by_hand(
            askers=32, max_candidates=max_candidates, parts=parts, births=births
        )
        assert list(zip(asker.tolist(), left.tolist(), strict=True)) == expected
    empty = (np.zeros(0, np.int64),) * 4
    asker, left = best_supported(
        askers=3, max_candidates=10, parts=[(owners, empty), (owners, empty)]
    )
    assert not len(asker) and not len(left)


def test_warming_compiles_the_types_a_look_up_uses():
    """``gather.warm`` (run by ``serve`` and the demo) compiles each loop for the very types a
    real look-up passes: a look-up afterwards adds no signature, so nothing compiles again."""
    from corridor.matching import gather

    gather.warm()
    kernels = (gather._find, gather._run_search, gather._gather)
    before = [list(kernel.signatures) for kernel in kernels]
    assert all(len(signatures) == 1 for signatures in before)
    left, right, _truth = generate(n_left=300, seed=4)
    link_columns(left=left, right=right)
    assert [list(kernel.signatures) for kernel in kernels] == before
