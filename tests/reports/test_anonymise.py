"""The CTDC export is k-anonymous (k ≥ 11) over every published column, whatever the data."""

from __future__ import annotations

import random
from datetime import date

import pytest

from corridor.reports import anonymise
from corridor.reports.anonymise import Victim, group_sizes, k_anonymise, quasi_identifiers

FORMS = ["ChildLabour", "SexualExploitation", "ForcedBegging", "Servitude", "ForcedMarriage"]
MEANS = ["DebtBondage", "FalsePromises", "WithholdsDocuments", "PhysicalAbuse"]


def synthetic(n: int, seed: int) -> list[Victim]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        age = rng.choice([None, *range(3, 60)])
        out.append(
            Victim(
                registered_on=date(rng.choice([2024, 2025, 2026]), rng.randint(1, 12), 1),
                gender=rng.choice(["Feminine", "Feminine", "Masculine", "NonSpecifiedUnknown"]),
                age=age,
                is_child=None if age is None else age < 18,
                citizenship=rng.choice(["TG", "TG", "TG", "BJ", "GH", "NG", "BF"]),
                country_of_exploitation=rng.choice(["GA", "GA", "TG", "NG"]),
                exploitation=tuple(rng.sample(FORMS, rng.randint(0, 2))),
                means_of_control=tuple(rng.sample(MEANS, rng.randint(0, 2))),
            )
        )
    return out


@pytest.mark.parametrize("n, seed", [(40, 1), (300, 2), (2000, 3), (5000, 4)])
def test_no_group_smaller_than_k(n, seed):
    result = k_anonymise(synthetic(n, seed))
    sizes = group_sizes(result.rows)
    assert all(size >= 11 for size in sizes.values()), min(sizes.values())
    assert len(result.rows) + result.suppressed == n
    for row in result.rows:
        assert set(row) == set(anonymise.columns())
        assert row["ageBroad"] in ("", *anonymise.ctdc_vocab()["age_broad"])
        assert row["majorityStatus"] in ("", "Adult", "Minor")
        assert row["gender"] in ("", "Female", "Male", "Transgender/NonConforming")


def test_large_uniform_data_keeps_detail():
    victims = [
        Victim(
            registered_on=date(2025, 3, 1),
            gender="Feminine",
            age=15,
            is_child=True,
            citizenship="TG",
            exploitation=("ChildLabour",),
        )
        for _ in range(30)
    ]
    result = k_anonymise(victims)
    assert (len(result.rows), result.blanked) == (30, ())
    row = result.rows[0]
    assert (row["ageBroad"], row["majorityStatus"], row["isForcedLabour"]) == (
        "9--17",
        "Minor",
        "1",
    )
    assert row["meansOfControlNotSpecified"] == "1"
    assert row["typeOfExploitConcatenated"] == "Forced labour"


def test_k_below_two_refused():
    with pytest.raises(ValueError):
        k_anonymise([], k=1)


def test_every_published_column_but_the_source_is_a_quasi_identifier():
    assert set(quasi_identifiers()) == set(anonymise.columns()) - {"Datasource"}
