"""The linking job on Apache Spark, for registers beyond one machine.

The job is the one ``link`` runs: the driver prepares both sides and builds the index
(``LinkJob``), Spark executors score slices of the found children against their candidates
(``LinkJob.score``, the expensive part), and the driver assigns on the collected scores. The job
is shipped to the executors once, as a broadcast variable; the key hashes inside it were
computed on the driver, so executors never hash a key themselves (Python salts string hashes
per process).

``pyspark`` is an optional dependency: ``pip install pyspark`` and a Java runtime (17 or newer).
``corridor match --spark local[2]`` runs it on this machine's cores; a ``spark://`` or ``yarn``
master URL runs it on a cluster whose Python environment has Corridor installed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from corridor.i18n import _
from corridor.matching.blocking import MAX_BLOCK
from corridor.matching.engine import DEFAULT_THRESHOLD, LinkJob, LinkResult, Progress
from corridor.matching.model import Model

__all__ = ["link_on_spark", "SparkUnavailable"]


class SparkUnavailable(RuntimeError):
    """pyspark or Java is missing; the message says what to install."""


def _session(master: str):
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkUnavailable(
            _("Spark is not installed: run 'pip install pyspark' (and install Java 17 or newer).")
        ) from error
    # Executors must run the same Python (and so the same Corridor) as the driver.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        return (
            SparkSession.builder.master(master)
            .appName("corridor-match")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", "4g")
            .config("spark.sql.execution.arrow.pyspark.enabled", "false")
            .getOrCreate()
        )
    except Exception as error:  # Java missing or too old: py4j raises a bare Exception
        raise SparkUnavailable(
            _("Spark could not start (%(error)s): is Java 17 or newer installed?")
            % {"error": str(error).splitlines()[0] if str(error) else type(error).__name__}
        ) from error


def link_on_spark(
    *,
    left: Sequence[dict],
    right: Sequence[dict],
    master: str = "local[2]",
    session=None,
    model: Model | None = None,
    threshold: float | None = DEFAULT_THRESHOLD,
    top_k: int = 10,
    max_block: int = MAX_BLOCK,
    max_candidates: int | None = None,
    slice_size: int = 5_000,
    workers: int = 1,
    progress: Progress | None = None,
) -> LinkResult:
    """``link_columns`` with the scoring run as a Spark job; the same links, bit for bit.

    ``session`` is an existing SparkSession (left running); otherwise one is started on
    ``master`` and stopped at the end. ``workers`` forked processes prepare the records on the
    driver.
    """
    spark = session or _session(master)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        job = LinkJob(
            left=left,
            right=right,
            model=model,
            threshold=threshold,
            top_k=top_k,
            max_block=max_block,
            max_candidates=max_candidates,
            workers=workers,
        )
        context = spark.sparkContext
        shared = context.broadcast(job)
        slices = job.batches(slice_size)
        # One job, all slices as parallel tasks (toLocalIterator would run them one by one).
        parts = (
            context.parallelize(slices, numSlices=len(slices))
            .map(lambda bounds: shared.value.score(bounds))
            .collect()
            if slices
            else []
        )
        if progress is not None:
            progress(len(job.right), len(job.right))
        shared.unpersist()
        return job.decide(parts)
    finally:
        if session is None:
            spark.stop()
