"""Docs are tested like code: what they name exists.

Every API path the docs name resolves in the node's URLconf (with the method they give), every
environment variable they name is read somewhere in the repository, every file path they name
exists, and nothing in the repository names a path of one particular machine.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.api.test_routes import _methods

REPO = Path(__file__).resolve().parents[2]
DOCS = sorted((REPO / "docs").glob("*.md")) + [REPO / "README.md"]
CODE = [
    *REPO.glob("src/**/*.py"),
    *REPO.glob("tests/**/*.py"),
    *REPO.glob("bench/*.py"),
    *REPO.glob("scripts/*"),
    REPO / ".ci" / "run",
]

API_PATH = re.compile(r"(?:\b(GET|POST|PUT|PATCH|DELETE)\s+)?(/api/[A-Za-z0-9_{}<>:./-]*)")
ENV_VAR = re.compile(r"\b(CORRIDOR_[A-Z0-9_]+|DATABASE_URL)\b")
REPO_FILE = re.compile(r"(?<![\w./-])((?:src|tests|bench|scripts|docs|\.ci)/[A-Za-z0-9_./*-]*\w)")
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|home|root|Users)/[A-Za-z0-9_.-]+")


def _docs_text() -> list[tuple[Path, str]]:
    return [(path, path.read_text(encoding="utf-8")) for path in DOCS]


def _concrete(path: str) -> str:
    """A documented path with its placeholders filled, and its query string dropped."""
    path = path.split("?")[0].rstrip(".")
    path = re.sub(r"\{uid\}|<uid>|\{uuid\}", str(uuid.uuid4()), path)
    return re.sub(r"\{[a-z_]+\}|<[a-z_:]+>", "1", path)


def route_prefixes() -> set[str]:
    """The literal beginning of every route (``/api/intel/entities/``): a path the docs give as
    where something is mounted is fine when routes start with it."""
    found = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            literal = re.split(r"[<(^$\\[]", str(pattern.pattern).lstrip("^"))[0]
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + literal)
            elif isinstance(pattern, URLPattern):
                found.add(prefix + literal)

    walk(get_resolver().url_patterns, "/")
    return found


def documented_api_paths() -> list[tuple[str, str, str]]:
    found = []
    for doc, text in _docs_text():
        for method, path in API_PATH.findall(text):
            if path.endswith(".py"):
                continue
            found.append((doc.name, method, path))
    return found


@pytest.mark.parametrize(("doc", "method", "path"), documented_api_paths())
def test_documented_api_paths_exist(doc, method, path):
    try:
        match = resolve(_concrete(path))
    except Resolver404:
        if not method and any(route.startswith(path) for route in route_prefixes()):
            return  # where a group of routes is mounted
        pytest.fail(f"{doc} names {path}, which the node does not serve")
    if method:
        assert method in _methods(match.func), f"{doc}: {method} {path} is not accepted"


def test_documented_environment_variables_are_read():
    code = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in CODE)
    missing = {
        (doc.name, name)
        for doc, text in _docs_text()
        for name in ENV_VAR.findall(text)
        if name not in code
    }
    assert not missing, f"the docs name variables nothing reads: {sorted(missing)}"


def test_documented_repository_files_exist():
    missing = {
        (doc.name, name)
        for doc, text in _docs_text()
        for name in REPO_FILE.findall(text)
        if not (REPO / name.rstrip(".")).exists() and "*" not in name
    }
    assert not missing, f"the docs name files the repository does not hold: {sorted(missing)}"


def test_no_path_of_a_particular_machine():
    texts = [*DOCS, *CODE, REPO / "pyproject.toml"]
    found = {
        (path.relative_to(REPO).as_posix(), hit)
        for path in texts
        if path.is_file()
        for hit in MACHINE_PATH.findall(path.read_text(encoding="utf-8", errors="replace"))
    }
    assert not found, f"absolute paths of a machine: {sorted(found)}"
