"""Schemathesis over the node's whole OpenAPI document: as a national coordinator and as a
caseworker, no request may end in a server error (5xx).

A real node (``corridor serve``) seeded with the demo's data, on its own database (an SQLite
file, or a PostgreSQL database derived from the DATABASE_URL given to pytest). The run is
reproducible: a fixed seed, a bounded number of examples per operation and no example database
carried between runs. Path ids, case ids and person uids are drawn from the node's own records
part of the time, so requests reach the services and not only the 404s.

The coordinator's run takes the coverage phase with valid data (boundary values of every field,
unexpected methods); the caseworker's takes the fuzzing and stateful phases with valid and
invalid data, ``EXAMPLES`` examples per operation. About two minutes on two cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from tests.federation.nodes import REPO, NodeProcess, demo_node

pytestmark = pytest.mark.slow

SEED = 20260311
EXAMPLES = 5
# (phases, data generation mode) per role.
RUNS = {"coordinator": ("coverage", "positive"), "caseworker": ("fuzzing,stateful", "all")}

# Printed by the node's own shell (``@@`` marks the line): ids and uids its records really have,
# and an API token for each role of the run (as ``corridor api_token`` issues them).
IDS = """
import json
from corridor.accounts.models import User
from corridor.cases.selectors import visible_cases
from corridor.accounts.tokens import api_token_issue
from corridor.people.selectors import visible_persons
from corridor.screening.selectors import visible_screenings
worker, coordinator = (User.objects.get(username=f"tg.{r}") for r in ("caseworker", "coordinator"))
uids = [
    *visible_persons(worker).values_list("uid", flat=True)[:5],
    *visible_persons(coordinator).order_by("-pk").values_list("uid", flat=True)[:5],
    *visible_screenings(coordinator).values_list("uid", flat=True)[:5],
]
cases = list(visible_cases(worker).values_list("pk", flat=True)[:10])
tokens = {u.role: api_token_issue(actor=None, user=u) for u in (worker, coordinator)}
print("@@" + json.dumps({"uids": [str(u) for u in uids], "cases": cases, "tokens": tokens}))
"""

CONFIG = """
[dictionaries.ids]
values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 50, 100, 150]
[dictionaries.uids]
values = {uids}
[dictionaries.cases]
values = {cases}

[parameters]
"path.id" = {{ dictionary = "ids", probability = 0.7 }}
"path.uid" = {{ dictionary = "uids", probability = 0.7 }}
"query.case" = {{ dictionary = "cases", probability = 0.5 }}
"body.case" = {{ dictionary = "cases", probability = 0.7 }}
"body.person" = {{ dictionary = "uids", probability = 0.7 }}
"body.survivor" = {{ dictionary = "uids", probability = 0.5 }}
"""


def _schema(node: NodeProcess, token: str) -> bytes:
    request = urllib.request.Request(
        f"{node.url}/api/schema/?format=json", headers={"Authorization": f"Token {token}"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def _failures(output: str) -> str:
    """The failures Schemathesis printed (each with the request that reproduces it), not the
    warnings that follow them in a long report."""
    start = output.find("FAILURES")
    end = output.find("SUMMARY", start)
    return output[start:end][-8000:] if start >= 0 else output[-6000:]


def test_no_request_ends_in_a_server_error(tmp_path, tmp_path_factory):
    with demo_node(tmp_path_factory, "st_") as node:
        out = node.cli("shell", "-c", IDS)
        ids = json.loads([line for line in out.splitlines() if line.startswith("@@")][-1][2:])
        tokens = ids["tokens"]
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            CONFIG.format(uids=json.dumps(ids["uids"]), cases=json.dumps(ids["cases"])),
            encoding="utf-8",
        )
        node.start()
        schema = tmp_path / "openapi.json"
        schema.write_bytes(_schema(node, tokens["coordinator"]))
        for role, (phases, mode) in RUNS.items():
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "schemathesis.cli",
                    "--config-file",
                    str(config),
                    "run",
                    str(schema),
                    f"--url={node.url}",
                    f"--header=Authorization: Token {tokens[role]}",
                    "--checks=not_a_server_error",
                    f"--phases={phases}",
                    f"--mode={mode}",
                    f"--seed={SEED}",
                    f"--max-examples={EXAMPLES}",
                    "--generation-database=none",
                    "--suppress-health-check=all",
                    # A slow answer is no server error: the default 10 s lost a run on a
                    # machine loaded by a demo and a second test run.
                    "--request-timeout=60",
                    "--no-color",
                ],
                cwd=tmp_path,
                env={**os.environ, "PYTHONPATH": str(REPO)},
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert run.returncode == 0, f"{role}: {_failures(run.stdout)}\n{run.stderr[-2000:]}"
            assert " passed" in run.stdout and "Server error" not in run.stdout, run.stdout[-2000:]
