"""Cross-border referral tests play the other node with ``RemoteNode`` (the federation tests'
fixtures)."""

from tests.federation.conftest import coordinator, own_keys, remote  # noqa: F401 (fixtures)
