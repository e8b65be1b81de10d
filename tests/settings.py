"""Test settings: the node's own settings, a throw-away data directory and fast password hashing."""

import os
import tempfile

os.environ.setdefault("CORRIDOR_DATA_DIR", tempfile.mkdtemp(prefix="corridor-test-"))
os.environ.setdefault("CORRIDOR_NODE", "togo")

from corridor.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
