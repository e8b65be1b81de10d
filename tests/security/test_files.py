"""Item 5: the node's files are private from the start, secrets are created atomically, and
field keys rotate without losing data."""

from __future__ import annotations

import json
import os
import secrets as stdlib_secrets
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from corridor.audit.models import AuditEntry
from corridor.cases.models import Case
from corridor.core import crypto
from corridor.node import Node

REPO = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_node_creates_its_files_readable_by_its_owner_only(tmp_path):
    """A node process started with a permissive umask: data directory 0700, database (with its
    WAL files) and secrets 0600."""
    code = """
import json, os, stat, django
django.setup()
from django.db import connection
from corridor.core.crypto import encrypt
encrypt("x")
with connection.cursor() as c:
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("CREATE TABLE t (x)")
    c.execute("INSERT INTO t VALUES (1)")
    from django.conf import settings
    d = settings.NODE.data_dir
    print(json.dumps({p.name: stat.S_IMODE(p.stat().st_mode) for p in [d, *d.iterdir()]}))
"""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CORRIDOR_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="corridor.settings",
        CORRIDOR_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO / "src"),
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    modes = json.loads(out.stdout)
    assert modes.pop("togo") == 0o700
    assert {
        "db.sqlite3",
        "db.sqlite3-wal",
        "db.sqlite3-shm",
        "django.secret",
        "fields.secret",
    } <= set(modes)
    for name, mode in modes.items():
        assert mode == (0o700 if name == "static" else 0o600), (name, oct(mode))
    assert _mode(tmp_path / "data") == 0o700


def test_an_existing_readable_database_is_tightened(tmp_path):
    node = Node(name="togo", country="TG", default_port=8001, data_dir=tmp_path / "togo")
    node.data_dir.mkdir(mode=0o755)
    database = node.data_dir / "db.sqlite3"
    database.write_bytes(b"")
    os.chmod(database, 0o644)
    node.ensure_private()
    assert _mode(database) == 0o600 and _mode(node.data_dir) == 0o700


def test_a_database_file_removed_while_being_tightened_is_no_error(tmp_path, monkeypatch):
    """A running node's checkpoint may remove db.sqlite3-wal between the listing and the chmod
    of a second process starting on the same data directory (a CLI command beside the server)."""
    node = Node(name="togo", country="TG", default_port=8001, data_dir=tmp_path / "togo")
    node.data_dir.mkdir(mode=0o700)
    for name in ("db.sqlite3", "db.sqlite3-wal"):
        (node.data_dir / name).write_bytes(b"")
        os.chmod(node.data_dir / name, 0o644)
    real = os.chmod

    def removed_first(path, mode):
        if str(path).endswith("-wal"):
            os.remove(path)
        return real(path, mode)

    monkeypatch.setattr(os, "chmod", removed_first)
    node.ensure_private()
    assert _mode(node.data_dir / "db.sqlite3") == 0o600
    assert not (node.data_dir / "db.sqlite3-wal").exists()


def test_a_secret_is_never_seen_empty_while_it_is_being_written(tmp_path, monkeypatch):
    """Another process reading the secret while the first one is still writing it (simulated
    from inside the writer) must find either nothing or the whole value, never an empty file."""
    node = Node(name="togo", country="TG", default_port=8001, data_dir=tmp_path / "togo")
    seen = []
    real = stdlib_secrets.token_urlsafe

    def token_while_another_process_reads(n):
        if not seen:
            seen.append(None)
            seen.append(node.secret("race"))  # the "other process"
        return real(n)

    monkeypatch.setattr("corridor.node.secrets.token_urlsafe", token_while_another_process_reads)
    first = node.secret("race")
    assert seen[1] and len(seen[1]) >= 60
    assert first == seen[1] == node.secret("race")
    assert sorted(p.name for p in node.data_dir.iterdir()) == ["race.secret"]


def _read_secrets(data_dir: str) -> list[str]:
    node = Node(name="togo", country="TG", default_port=8001, data_dir=Path(data_dir))
    return [node.secret(f"key{i}") for i in range(25)]


def test_two_processes_starting_at_once_read_the_same_whole_secrets(tmp_path):
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_read_secrets, [str(tmp_path / "togo")] * 2))
    assert results[0] == results[1]
    assert all(len(value) >= 60 for value in results[0])


@pytest.fixture
def narratives(db, child_case, adult_case):
    for case, text in ((child_case, "Recrutée à Lomé"), (adult_case, "Travail forcé à Owendo")):
        Case.objects.filter(pk=case.pk).update(narrative=text)
    return {child_case.pk: "Recrutée à Lomé", adult_case.pk: "Travail forcé à Owendo"}


def _raw(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM cases_case WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _read(pk) -> str:
    return Case.objects.get(pk=pk).narrative


def test_a_new_field_key_keeps_old_values_readable_and_encrypts_new_ones(settings, narratives):
    new = Fernet.generate_key()
    settings.CORRIDOR_FIELD_KEYS = [new.decode()]
    for pk, text in narratives.items():
        assert _read(pk) == text
    pk = next(iter(narratives))
    Case.objects.filter(pk=pk).update(narrative="Nouveau récit")
    assert Fernet(new).decrypt(_raw(pk).encode()).decode() == "Nouveau récit"


def test_rotate_re_encrypts_everything_under_the_newest_key(settings, narratives, capsys):
    new = Fernet.generate_key()
    settings.CORRIDOR_FIELD_KEYS = [new.decode()]
    call_command("crypto", "rotate", "--batch-size", "1")
    out = capsys.readouterr().out
    assert "cases.case: 2 / 2" in out
    for pk, text in narratives.items():
        assert Fernet(new).decrypt(_raw(pk).encode()).decode() == text
        assert _read(pk) == text
    entry = AuditEntry.objects.get(object_type="core.fieldkeys")
    assert entry.detail["cases.case"] == 2
    call_command("crypto", "rotate")  # nothing left to do
    assert AuditEntry.objects.filter(object_type="core.fieldkeys").first().detail["cases.case"] == 0


def test_an_interrupted_rotation_loses_nothing_and_can_be_run_again(
    settings, narratives, monkeypatch
):
    new = Fernet.generate_key()
    settings.CORRIDOR_FIELD_KEYS = [new.decode()]
    calls = []

    def stop_after_first_batch(label, seen, total):
        calls.append(seen)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        crypto.rotate_encrypted_fields(batch_size=1, report=stop_after_first_batch)
    for pk, text in narratives.items():
        assert _read(pk) == text
    crypto.rotate_encrypted_fields(batch_size=1)
    for pk, text in narratives.items():
        assert Fernet(new).decrypt(_raw(pk).encode()).decode() == text


@pytest.mark.django_db
def test_second_factor_secrets_are_encrypted_rotated_and_still_give_codes(settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    from corridor.accounts.management.commands.totp_code import current_code
    from tests.factories import make_user

    user = make_user("investigator", username="enc.investigator")
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).get_unused_codes()
    stored = Authenticator.objects.get(user=user, type="totp").data["secret"]
    assert secret not in stored and crypto.decrypt(stored) == secret

    new = Fernet.generate_key()
    settings.CORRIDOR_FIELD_KEYS = [new.decode()]
    assert crypto.rotate_encrypted_fields()["mfa.authenticator"] == 2
    totp = Authenticator.objects.get(user=user, type="totp")
    assert Fernet(new).decrypt(totp.data["secret"].encode()).decode() == secret
    assert TOTP(totp).validate_code(current_code(secret))
    recovery = Authenticator.objects.get(user=user, type="recovery_codes")
    assert RecoveryCodes(recovery).get_unused_codes() == codes
    assert crypto.rotate_encrypted_fields()["mfa.authenticator"] == 0


@pytest.mark.django_db
def test_the_migration_encrypts_clear_secrets_once():
    import importlib

    from allauth.mfa.models import Authenticator
    from django.apps import apps as global_apps

    from tests.factories import make_user

    migration = importlib.import_module(
        "corridor.accounts.migrations.0004_second_factor_secrets_encrypted"
    )
    user = make_user("investigator", username="clear.investigator")
    clear = Authenticator.objects.create(user=user, type="totp", data={"secret": "CLEARSECRET234"})
    migration.encrypt(global_apps, None)
    migration.encrypt(global_apps, None)  # again: nothing encrypted twice
    clear.refresh_from_db()
    assert crypto.decrypt(clear.data["secret"]) == "CLEARSECRET234"
    migration.decrypt(global_apps, None)
    clear.refresh_from_db()
    assert clear.data["secret"] == "CLEARSECRET234"


@pytest.mark.django_db
def test_rotation_reaches_recovery_codes_carried_over_from_another_tool(settings):
    from allauth.mfa.models import Authenticator

    from tests.factories import make_user

    user = make_user("investigator", username="carried.investigator")
    codes = [crypto.encrypt(code) for code in ("12345678", "87654321")]
    Authenticator.objects.create(user=user, type="recovery_codes", data={"migrated_codes": codes})
    new = Fernet.generate_key()
    settings.CORRIDOR_FIELD_KEYS = [new.decode()]
    crypto.rotate_encrypted_fields()
    carried = Authenticator.objects.get(user=user).data["migrated_codes"]
    assert [Fernet(new).decrypt(c.encode()).decode() for c in carried] == ["12345678", "87654321"]
