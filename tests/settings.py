"""Test settings: the node's own settings, a throw-away data directory marked as a demo node,
fast password hashing (MD5 is for tests only: never in corridor.settings) and Django's test
client host. The node processes of tests/federation run with these settings too."""

import os
import tempfile

os.environ.setdefault("CORRIDOR_DATA_DIR", tempfile.mkdtemp(prefix="corridor-test-"))
os.environ.setdefault("CORRIDOR_NODE", "togo")

from corridor.settings import *  # noqa: E402,F403
from corridor.settings import ALLOWED_HOSTS, NODE  # noqa: E402

NODE.mark_demo()
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
