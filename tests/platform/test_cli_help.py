"""`corridor --help` as an operator reads it in a terminal: every command an operator runs, each
in its own words, in French unless the terminal asks for English."""

import os
import socket
import subprocess
import sys

import pytest

from corridor.cli import NODE_COMMANDS
from corridor.i18n import terminal_language

pytestmark = pytest.mark.database_independent


def _help(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    done = subprocess.run(
        [sys.executable, "-m", "corridor.cli", "--help"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_help_lists_every_command_in_french_by_default():
    text = _help(LANG="C.UTF-8")
    assert text.startswith("utilisation\u00a0: corridor COMMANDE")
    for name in ("demo", "match", "network", "forms", *NODE_COMMANDS):
        assert f"\n  {name} " in text, name
    assert "Sert ce nœud en HTTP" in text
    assert "Outils du journal d'audit (verify, checkpoint, checkpoints)" in text
    assert "Lance les deux nœuds Corridor avec des données fictives" in text


def test_help_in_english_when_the_terminal_asks_for_it():
    text = _help(LANG="en_GB.UTF-8")
    assert text.startswith("usage: corridor COMMAND")
    assert "Serve this node over HTTP" in text and "Audit log tools (verify," in text
    # a sentence with a semicolon outside brackets stops there
    assert "stores it as a new version" not in text and "store it as a new version" in text
    assert "a national coordinator puts it in force" not in text


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANGUAGE": "de:en", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),
    ],
)
def test_the_terminal_language_is_ours_or_french(environ, language):
    assert terminal_language(environ) == language


def test_numbers_in_a_terminal_read_as_its_language_writes_them(monkeypatch):
    """`corridor match` and `corridor network` print outside Django: "14 995" and "0,51" in
    French, "14,995" and "0.51" in English, as the pages write them."""
    import corridor.i18n as i18n

    monkeypatch.setattr(i18n, "terminal_language", lambda environ=None: "fr")
    from django.conf import settings

    # as in a terminal, where Django is not configured
    monkeypatch.setattr(type(settings), "configured", property(lambda self: False))
    assert i18n.decimal(14995, 0) == "14\u202f995"
    assert i18n.decimal(0.5100, 2) == "0,51" and i18n.decimal(0.05, 3, trim=False) == "0,050"
    monkeypatch.setattr(i18n, "terminal_language", lambda environ=None: "en")
    assert i18n.decimal(14995, 0) == "14,995" and i18n.decimal(0.05, 3, trim=False) == "0.050"


def _node_command(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CORRIDOR_NODE")
    }
    return subprocess.run(
        [sys.executable, "-m", "corridor.cli", *args],
        env={**clean, "CORRIDOR_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_command_on_a_node_not_yet_migrated_says_what_to_run(tmp_path):
    done = _node_command(tmp_path, "stats", "caseloads", "--node", "togo")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "lancez d'abord `corridor migrate --node togo`" in done.stderr


def test_a_command_that_cannot_reach_its_database_says_so(tmp_path):
    done = _node_command(
        tmp_path,
        "stats",
        "caseloads",
        "--node",
        "togo",
        DATABASE_URL="postgres://corridor@127.0.0.1:9/corridor_togo",
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "ne joint pas sa base de données" in done.stderr and "DATABASE_URL" in done.stderr


def test_serve_refuses_to_start_on_a_node_not_yet_migrated(tmp_path):
    """It used to answer its sign-in page, then fail on every sign-in and delivery pass."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = _node_command(tmp_path, "serve", "--node", "togo", "--port", str(port))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "lancez d'abord `corridor migrate --node togo`" in done.stderr
