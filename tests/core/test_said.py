"""What the node writes into a record reads in the reader's language (``corridor.core.said``)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from corridor.core import said


def _values(sentence: said.Sentence, language: str) -> dict[str, str]:
    """A value for each placeholder: the last label where the value is a label, as ``language``
    writes it; otherwise a text of its own."""
    names = re.findall(r"%\((\w+)\)[sd]", sentence.msgid)
    with translation.override(language):
        return {
            name: str(said._label_texts(sentence.labels[name])[-1]())
            if name in sentence.labels
            else f"<{name}-7>"
            for name in names
        }


@pytest.mark.parametrize("written, read", [("fr", "en"), ("en", "fr")])
@pytest.mark.parametrize("sentence", said.SENTENCES, ids=lambda s: s.msgid[:48])
def test_every_sentence_is_read_again_in_the_readers_language(sentence, written, read):
    with translation.override(written):
        text = said.say(sentence, **_values(sentence, written))
    with translation.override(read):
        assert said.again(text) == said.say(sentence, **_values(sentence, read))
    with translation.override(written):
        assert said.again(text) == text


def test_the_french_catalogue_says_every_sentence_in_french():
    with translation.override("fr"):
        untranslated = [s.msgid for s in said.SENTENCES if translation.gettext(s.msgid) == s.msgid]
    assert untranslated == []


def test_what_a_person_wrote_is_shown_as_written():
    with translation.override("en"):
        assert said.again("Conforme à l'intérêt supérieur de l'enfant.") == (
            "Conforme à l'intérêt supérieur de l'enfant."
        )
        # the shape of a sentence, but a value that is no label of its list
        assert said.again("Détermination de l'intérêt supérieur : rester chez l'oncle") == (
            "Détermination de l'intérêt supérieur : rester chez l'oncle"
        )
        assert said.again("") == ""
        assert said.again(None) is None


def test_a_narrative_is_read_line_by_line():
    with translation.override("fr"):
        plate = said.say(
            said.INTERCEPTION_LINE, label=translation.gettext("Vehicle plate"), value="TG 4411 AB"
        )
        adults = said.say(
            said.INTERCEPTION_LINE,
            label=translation.gettext("Accompanying adults"),
            value="un homme se disant l'oncle",
        )
        narrative = "\n".join([adults, plate, "Deux adultes : l'un dit être l'oncle"])
    assert plate == "Plaque d'immatriculation\u00a0: TG 4411 AB"
    with translation.override("en"):
        # as written before French took its no-break spaces
        assert said.again("Plaque d'immatriculation : TG 4411 AB") == "Vehicle plate: TG 4411 AB"
        assert said.again(narrative) == (
            "Accompanying adults: un homme se disant l'oncle\nVehicle plate: TG 4411 AB\n"
            "Deux adultes : l'un dit être l'oncle"
        )


def test_a_sentence_in_every_language_finds_what_the_other_language_wrote():
    court = "justice.jurisdiction"
    first = said._label_texts(court)[0]
    titles = said.said_in_every_language(said.HEARING_TASK, date="2027-01-12", court=first)
    with translation.override("fr"):
        french = said.say(said.HEARING_TASK, date="2027-01-12", court=first())
    with translation.override("en"):
        english = said.say(said.HEARING_TASK, date="2027-01-12", court=first())
    assert titles == {french, english} and french != english


def test_an_intelligence_report_is_named_in_the_readers_language():
    """Its name is what a list of reports to choose from shows (a new entity's form)."""
    from corridor.intel.models import Report

    with translation.override("fr"):
        report = Report(title=said.say(said.HOTLINE_TIP, ref="TG-HL-2026-000008"))
    with translation.override("en"):
        assert str(report) == "Hotline tip TG-HL-2026-000008"
