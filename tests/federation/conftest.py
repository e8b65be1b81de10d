from __future__ import annotations

import pytest

from corridor.accounts.models import Role
from corridor.federation import identity
from corridor.federation.peers import peer_register
from tests.factories import make_agency, make_user
from tests.federation.remote import RemoteNode


@pytest.fixture
def remote(db):
    """The Gabon node as seen from this (Togo) test node: registered as a peer."""
    node = RemoteNode()
    node.peer = peer_register(actor=None, data=node.identity())
    return node


@pytest.fixture
def own_keys(db):
    keys = identity.ensure_identity()
    return {use: key.public_jwk for use, key in keys.items()}


@pytest.fixture
def coordinator(db):
    return make_user(Role.COORDINATOR, agency=make_agency(name="CNLTP test"), username="tg.coord")
