"""The synthetic generator reads its names and places from ``matching/data/synth_names.yaml``
and stays reproducible: a fixed seed gives the same records, byte for byte."""

from __future__ import annotations

import hashlib
import json

import pytest

from corridor.matching.synth import NoiseModel, generate

# Fingerprints of generate() taken before the name lists moved out of the code into the data file
# (issue 11): a change here means every file generated with these seeds changed.
FINGERPRINTS = [
    (
        {"n_left": 300, "seed": 11},
        "67903a1a58b491aa5fccf63c263d67204b2e1d8773ee0bf69c019d2c3efdf1e3",
    ),
    (
        {"n_left": 500, "seed": 3, "noise": NoiseModel(level=2.0)},
        "9c4cb15d201d7beddcf5fba530ff8398d0de13a42e17f44ff6f5565b186bf871",
    ),
]


def fingerprint(**options) -> str:
    left, right, truth = generate(**options)
    text = json.dumps([left, right, truth], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(("options", "expected"), FINGERPRINTS)
def test_a_fixed_seed_gives_the_same_records(options, expected):
    assert fingerprint(**options) == expected


def test_the_names_come_from_the_data_file():
    from importlib import resources

    import yaml

    data = yaml.safe_load(
        resources.files("corridor.matching").joinpath("data/synth_names.yaml").read_text("utf-8")
    )
    left, right, _truth = generate(n_left=200, seed=5)
    given = {
        name
        for group in (data["day_names"], data["given_names"], *data["foreign"].values())
        for key, names in group.items()
        if key not in ("surnames", "towns")
        for name in names
    }
    found = {r["given_names"].split()[0] for r in left if r["given_names"]}
    assert found & given
    gabon = set(data["places"]["gabon_locations"])
    assert {r["found_location"] for r in right} <= gabon
