"""How the suite spreads over pytest-xdist's workers (``--dist loadscope
--no-loadscope-reorder``, pyproject.toml).

Each module goes to one worker whole, so that the node processes a module's tests share (a
module-scoped pair, a Spark session) start once, not once per worker. Modules are handed out
in the order below, one or two at a time, to whichever worker is free.

pytest-django puts the tests that use no database last, and the tests that start node processes
(``slow``: the demo, Schemathesis, the two-node walks, minutes each) are among them: one worker
then ran the demo alone for minutes after the other had finished. Sent first, they run while the
other worker takes the thousand short tests, and the run ends with short ones.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """After pytest-django's order, which it keeps otherwise: the slow tests first."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
