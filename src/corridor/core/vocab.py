"""Vocabularies are data: YAML files under ``<app>/vocab/<name>.yaml``, referred to as
``"<app>.<name>"``.

Each file lists ``values`` with a stable ``code`` (the HTCDS value name where HTCDS has one) and an
English ``label`` that is translated like any other string: ``corridor vocab_strings`` writes the
labels into ``core/vocab_strings.py`` so that ``makemessages`` extracts them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext

APPS_WITH_VOCABULARIES = (
    "core",
    "people",
    "screening",
    "cases",
    "referrals",
    "intel",
    "flows",
    "reports",
    "justice",
)


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Vocabulary:
    name: str
    source: str
    terms: tuple[Term, ...]

    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str) -> str:
        for term in self.terms:
            if term.code == code:
                return gettext(term.label)
        return code

    def __contains__(self, code: str) -> bool:
        return any(t.code == code for t in self.terms)


def _path(name: str) -> Path:
    app, _dot, vocab = name.partition(".")
    return Path(str(resources.files(f"corridor.{app}"))) / "vocab" / f"{vocab}.yaml"


@functools.cache
def vocabulary(name: str) -> Vocabulary:
    data = yaml.safe_load(_path(name).read_text("utf-8"))
    terms = tuple(
        Term(
            code=str(v["code"]),
            label=str(v["label"]),
            extra={k: x for k, x in v.items() if k not in ("code", "label")},
        )
        for v in data["values"]
    )
    return Vocabulary(name=name, source=data.get("source", ""), terms=terms)


_lazy_gettext = lazy(gettext, str)


@deconstructible
class VocabularyChoices:
    """Choices for a model or form field, read from the YAML and translated when displayed.
    Migrations record only the vocabulary's name, so editing the YAML needs no migration."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self):
        return [(t.code, _lazy_gettext(t.label)) for t in vocabulary(self.name).terms]

    def __eq__(self, other) -> bool:
        return isinstance(other, VocabularyChoices) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


def choices(name: str) -> VocabularyChoices:
    return VocabularyChoices(name)


def _is_vocabulary(path: Path) -> bool:
    """Other YAML data may sit beside the vocabularies (populations, monitoring points); only
    files with a ``values`` list are vocabularies."""
    data = yaml.safe_load(path.read_text("utf-8"))
    return isinstance(data, dict) and isinstance(data.get("values"), list)


def all_vocabularies() -> list[str]:
    names = []
    for app in APPS_WITH_VOCABULARIES:
        folder = Path(str(resources.files(f"corridor.{app}"))) / "vocab"
        if folder.is_dir():
            names += [f"{app}.{p.stem}" for p in sorted(folder.glob("*.yaml")) if _is_vocabulary(p)]
    return names


def lint() -> list[str]:
    """Problems that would confuse users or break exports: duplicate codes or labels."""
    problems = []
    for name in all_vocabularies():
        vocab = vocabulary(name)
        for attr in ("code", "label"):
            seen = set()
            for term in vocab.terms:
                value = getattr(term, attr)
                if value in seen:
                    problems.append(f"{name}: duplicate {attr} {value!r}")
                seen.add(value)
    return problems
