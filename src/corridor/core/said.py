"""What the node writes into a record, read again in the reader's language.

A follow-up task's title, the justification of a request for approval, an intelligence report's
title or a reminder is written by the code, in the language of whoever acted ("Visite de suivi à
6 mois"), and stored as text: exports, searches and the other node read it as it was written.
Shown on a page, a text that is one of the sentences below is said again in the reader's
language (``{{ task.title|said }}``): its values are read back out of it, and those that are
labels of a vocabulary or of a list of choices are translated too. Anything else (what a person
typed, a sentence from an older version) is shown as it is.

Where a sentence is written, it is written with ``say``, so that the sentence and its reading
cannot drift apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class Sentence:
    msgid: str
    labels: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    """For each value that is a label: a vocabulary (``"justice.jurisdiction"``), a choices class
    (``"corridor.childcare.models.Option"``) or the labels themselves (msgids)."""


def _sentence(msgid: str, **labels) -> Sentence:
    sentence = Sentence(msgid, labels)
    SENTENCES.append(sentence)
    return sentence


SENTENCES: list[Sentence] = []

# Cases and child protection
FOLLOW_UP_VISIT = _sentence(gettext_noop("Follow-up visit at %(m)s months"))
VISIT_RECORDED = _sentence(gettext_noop("Visit recorded: reintegration score %(s)s"))
BIA_REQUESTED = _sentence(gettext_noop("Best-interest assessment of %(d)s"))
BID_REQUESTED = _sentence(
    gettext_noop("Best-interest determination: %(d)s"), d="corridor.childcare.models.Option"
)
SCREENING_PROPOSES = _sentence(
    gettext_noop("Screening %(q)s, score %(s)s, proposes: %(p)s"),
    q="screening.questionnaires",
    p="cases.trafficking_status",
)
BORDER_SCREENING_PROPOSES = _sentence(
    gettext_noop("Border screening at %(point)s proposes: %(p)s"), p="cases.trafficking_status"
)
IMPORTED_STATUS = _sentence(gettext_noop("Status in the imported file %(name)s"))
HOTLINE_CASE = _sentence(gettext_noop("Hotline report %(ref)s: %(text)s"))
TRACING_MATCH = _sentence(gettext_noop("Tracing request %(ref)s matches this child."))
TRACING_CONFIRMED = _sentence(
    gettext_noop(
        "Tracing request %(ref)s (filed by %(who)s, %(rel)s) was confirmed as this child by "
        "%(reviewer)s. Family assessment starts."
    ),
    rel="people.relationship",
)
NOT_AT_STUDY = gettext_noop("the case is not yet at the study of the child's situation")
NO_TRACING_CONSENT = gettext_noop("no consent (or legal ground) for family tracing yet")
FAMILY_ASSESSMENT_TASK = _sentence(
    gettext_noop("Family assessment: tracing request %(ref)s matches this child (%(why)s)"),
    why=(NOT_AT_STUDY, NO_TRACING_CONSENT),
)
HEARING_TASK = _sentence(
    gettext_noop("Hearing on %(date)s at the %(court)s: prepare and accompany the victim"),
    court="justice.jurisdiction",
)
CONSENT_WITHDRAWN = _sentence(gettext_noop("consent withdrawn"))

# Intelligence written by the node for investigators
SMUGGLER_NAMED = _sentence(gettext_noop("Smuggler named by a smuggled migrant"))
SMUGGLED_ACCOUNT = _sentence(gettext_noop("Smuggled migrant's account to %(agency)s"))
SMUGGLING_FACTS = _sentence(
    gettext_noop("Route: %(route)s. Paid: %(amount)s %(currency)s to %(to)s.")
)
HOTLINE_TIP = _sentence(gettext_noop("Hotline tip %(ref)s"))
HOTLINE_SOURCE = _sentence(
    gettext_noop("Child helpline (%(channel)s)"), channel="corridor.intake.models.Channel"
)
INTERCEPTION = _sentence(gettext_noop("Interception at %(point)s, %(day)s"))
BORDER_POST = _sentence(gettext_noop("%(agency)s, border post %(point)s"))
INTERCEPTION_LINE = _sentence(
    gettext_noop("%(label)s: %(value)s"),
    label=(
        gettext_noop("Accompanying adults"),
        gettext_noop("Vehicle plate"),
        gettext_noop("Phones"),
        gettext_noop("Route"),
        gettext_noop("Documents shown"),
    ),
)
WALLET_ON_NUMBER = _sentence(gettext_noop("wallet on this number"))

# Reminders
FLOW_ALERT = _sentence(
    gettext_noop("%(point)s, %(day)s: %(n)s unaccompanied children counted (usual: %(median)s)")
)
MLA_OVERDUE = _sentence(
    gettext_noop("Cross-border request %(ref)s (%(kind)s): its deadline %(date)s has passed."),
    kind="justice.mla_kind",
)
MLA_DUE = _sentence(
    gettext_noop("Cross-border request %(ref)s (%(kind)s): its deadline is %(date)s."),
    kind="justice.mla_kind",
)
MLA_APPROVED_BY = _sentence(gettext_noop("approved by %(name)s"))


def say(sentence: Sentence, **values) -> str:
    """The sentence in the active language, with its values (labels already translated)."""
    text = gettext(sentence.msgid)
    return text % values if values else text


def said_in_every_language(sentence: Sentence, **values: Callable[[], str] | str) -> set[str]:
    """The sentence as each language of the node writes it: to find a record written by
    someone who works in the other language. A value that is a callable is called in each
    language (a label)."""
    out = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.add(say(sentence, **{k: v() if callable(v) else v for k, v in values.items()}))
    return out


def _label_texts(source: str | tuple[str, ...]) -> list:
    """The labels of a value, each as something ``str`` translates in the active language."""
    if isinstance(source, tuple):
        return [functools.partial(gettext, msgid) for msgid in source]
    if source.startswith("corridor."):
        return [functools.partial(str, label) for _code, label in import_string(source).choices]
    from corridor.core.vocab import vocabulary

    return [functools.partial(gettext, term.label) for term in vocabulary(source).terms]


_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)[sd]")
_SPACE = re.compile("\\\\ |[\u00a0\u202f]")


@functools.cache
def _patterns(language: str) -> tuple[tuple[Sentence, re.Pattern, dict], ...]:
    """Each sentence as ``language`` writes it, as a pattern that reads its values back, and the
    index of each label-valued value's labels as that language writes them."""
    out = []
    with translation.override(language):
        for sentence in SENTENCES:
            pattern = _PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(gettext(sentence.msgid)))
            # any space for any space: a sentence written before French took its no-break
            # spaces (" : " then, "\u00a0: " now) still reads back
            pattern = _SPACE.sub(lambda _m: "[ \u00a0\u202f]", pattern)
            labels = {
                name: {str(label()): i for i, label in enumerate(_label_texts(source))}
                for name, source in sentence.labels.items()
            }
            out.append((sentence, re.compile(pattern), labels))
    return tuple(out)


def _read(text: str, languages: Iterable[str]):
    for language in languages:
        for sentence, pattern, labels in _patterns(language):
            match = pattern.fullmatch(text)
            if match is None:
                continue
            values = match.groupdict()
            if all(values[name] in index for name, index in labels.items()):
                return (
                    sentence,
                    values,
                    {name: index[values[name]] for name, index in labels.items()},
                )
    return None


def again(text: str) -> str:
    """``text`` in the active language when it is one of the sentences, line by line (a
    sentence is one line; a narrative is several); otherwise ``text`` as it is."""
    if not isinstance(text, str) or not text:
        return text
    if "\n" in text:
        return "\n".join(again(line) for line in text.split("\n"))
    here = translation.get_language() or settings.LANGUAGE_CODE
    others = [code for code, _name in settings.LANGUAGES if code != here]
    if _read(text, [here]) is not None:
        return text
    found = _read(text, others)
    if found is None:
        return text
    sentence, values, label_at = found
    for name, at in label_at.items():
        values[name] = str(_label_texts(sentence.labels[name])[at]())
    return say(sentence, **values)
