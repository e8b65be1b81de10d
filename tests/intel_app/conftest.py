from __future__ import annotations

from contextlib import ExitStack

import pytest
from django.db import transaction

from corridor.intel.demo import seed_intel


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker):
    """The demo's synthetic cross-border network, seeded once per module (two seconds, which
    forty tests paid each) in a transaction rolled back when the module ends; each test runs in
    a savepoint inside it, so nothing a test writes reaches the next."""
    with ExitStack() as stack:
        with django_db_blocker.unblock():
            stack.enter_context(transaction.atomic())
            counts = seed_intel()
        yield counts
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            stack.close()


@pytest.fixture
def seeded(demo_network, db):
    """The demo's synthetic cross-border network (entity, link and event counts)."""
    return demo_network


@pytest.fixture
def investigator(people, as_user):
    return as_user(people["investigator"])
