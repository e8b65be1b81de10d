"""Vocabularies are data: they must load, have unique codes and labels, and no label may have
been cut by YAML (an unquoted comma in a flow mapping turns the rest into a bogus key)."""

import re

from corridor.core.vocab import all_vocabularies, lint, vocabulary


def test_vocabularies_are_clean():
    assert lint() == []


def test_no_label_was_cut_by_an_unquoted_comma():
    cut = [
        f"{name}:{term.code}"
        for name in all_vocabularies()
        for term in vocabulary(name).terms
        if any(re.search(r"\s", str(key)) for key in term.extra)
    ]
    assert cut == []


def test_every_vocabulary_has_terms():
    names = all_vocabularies()
    assert "people.gender" in names and "cases.exploitation" in names
    assert all(vocabulary(name).terms for name in names)
