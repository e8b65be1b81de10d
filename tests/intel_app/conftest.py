from __future__ import annotations

import pytest

from corridor.intel.demo import seed_intel


@pytest.fixture
def seeded(db):
    """The demo's synthetic cross-border network."""
    return seed_intel()


@pytest.fixture
def investigator(people, as_user):
    return as_user(people["investigator"])
