"""The vocabulary file, the model choices and the HTCDS reference agree."""

from importlib import resources
from pathlib import Path

import yaml

from corridor.intel.models import (
    Credibility,
    EventKind,
    Handling,
    LinkKind,
    PersonRole,
    Reliability,
)

HTCDS = Path(__file__).resolve().parents[1] / "data" / "htcds" / "htcds2_fields.txt"


def vocab() -> dict:
    return yaml.safe_load(
        resources.files("corridor.intel").joinpath("vocab.yaml").read_text("utf-8")
    )


def test_choices_match_the_vocabulary():
    data = vocab()
    assert data["per_RoleInProcess"] == PersonRole.values
    assert data["reliability"] == Reliability.values
    assert data["credibility"] == Credibility.values
    assert data["handling"] == Handling.values
    assert data["event_kinds"] == EventKind.values
    assert data["link_kinds"] == LinkKind.values


def test_roles_are_the_htcds_value_set():
    line = next(
        x for x in HTCDS.read_text(encoding="utf-8").splitlines() if "per_RoleInProcess" in x
    )
    values = line.split("|")[9].strip().split(" / ")
    assert values == vocab()["per_RoleInProcess"]
