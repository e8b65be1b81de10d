"""The linking job runs on Spark (pyspark in local mode) and gives the same links as ``link``."""

from __future__ import annotations

import os
import shutil

import pytest

from corridor.matching import cli
from corridor.matching.engine import link_columns

# CI sets CORRIDOR_REQUIRE_SPARK=1 and installs Java: there a missing Spark fails, never skips.
if not os.environ.get("CORRIDOR_REQUIRE_SPARK"):
    pytest.importorskip("pyspark", reason="pyspark is part of the test extra")
    pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17+")


@pytest.fixture(scope="module")
def spark():
    from corridor.matching.spark import _session

    session = _session("local[2]")
    yield session
    session.stop()


def test_spark_job_gives_the_same_links_as_link(spark, register):
    from corridor.matching.spark import link_on_spark

    left, right, truth = register
    on_spark = link_on_spark(left=left, right=right, session=spark, slice_size=100)
    local = link_columns(left=left, right=right)
    assert list(on_spark.links()) == list(local.links())
    decided = {(x.left_id, x.right_id) for x in on_spark.links() if x.match}
    tp = len(decided & set(truth))
    assert 2 * tp / (len(decided) + len(truth)) >= 0.88


def test_corridor_match_on_spark(spark, register_files, tmp_path):
    left, right, _truth = register_files
    out = tmp_path / "links.csv"
    local = tmp_path / "local.csv"
    assert (
        cli.main(
            [
                "--left",
                str(left),
                "--right",
                str(right),
                "--out",
                str(out),
                "--spark",
                "local[2]",
                "--quiet",
            ]
        )
        == 0
    )
    assert (
        cli.main(["--left", str(left), "--right", str(right), "--out", str(local), "--quiet"]) == 0
    )
    assert out.read_text() == local.read_text()


def test_missing_spark_is_a_clear_error_and_writes_nothing(register_files, tmp_path, monkeypatch):
    import sys

    left, right, _truth = register_files
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails as if not installed
    out = tmp_path / "links.csv"
    code = cli.main(
        ["--left", str(left), "--right", str(right), "--out", str(out), "--spark", "local[2]"]
    )
    assert code == 2
    assert not out.exists()
