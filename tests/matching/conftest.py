"""Fixtures for the matching engine's tests: small synthetic registers, never real people."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corridor.matching.synth import LEFT_COLUMNS, RIGHT_COLUMNS, generate


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def register():
    """400 requests and their found children, drawn with a fixed seed."""
    return generate(n_left=400, seed=2024)


@pytest.fixture
def register_files(tmp_path, register):
    left, right, truth = register
    return (
        write_csv(tmp_path / "left.csv", left, LEFT_COLUMNS),
        write_csv(tmp_path / "right.csv", right, RIGHT_COLUMNS),
        truth,
    )
