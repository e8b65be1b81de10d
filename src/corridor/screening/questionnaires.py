"""Screening questionnaires read from their YAML, and the scoring rule.

A questionnaire is the vocabulary ``screening.<code>`` whose terms are indicators (with a
``section`` and a ``weight``); ``screening.questionnaires`` lists them with their thresholds. A
score is the sum of the weights of the indicators answered "yes": "no" and "not known" count for
nothing, so an unanswered question can never raise a proposal.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.core.vocab import Term, vocabulary

ANSWERS = ("yes", "no", "unknown")
POSSIBLE = "PossibleVictimOfTrafficking"
ACTUAL = "ActualVictimOfTrafficking"
NOT_A_VICTIM = "NotAVictimOfTrafficking"


@dataclass(frozen=True)
class Questionnaire:
    code: str
    label: str
    kind: str
    thresholds: dict
    indicators: tuple[Term, ...]

    @property
    def proposes_status(self) -> bool:
        return self.kind == "trafficking"

    def sections(self) -> list[tuple[str, list[Term]]]:
        """Indicators grouped by section, in the YAML's order."""
        grouped: dict[str, list[Term]] = {}
        for term in self.indicators:
            grouped.setdefault(term.extra["section"], []).append(term)
        return list(grouped.items())


@dataclass(frozen=True)
class Result:
    section_scores: dict[str, int]
    score: int
    proposed_status: str
    vulnerability_level: str


def questionnaire_codes() -> list[str]:
    return vocabulary("screening.questionnaires").codes()


def get_questionnaire(code: str) -> Questionnaire:
    """The questionnaire ``code``; ``KeyError`` when there is none by that name."""
    term = next((t for t in vocabulary("screening.questionnaires").terms if t.code == code), None)
    if term is None:
        raise KeyError(code)
    extra = dict(term.extra)
    kind = extra.pop("kind")
    return Questionnaire(
        code=code,
        label=term.label,
        kind=kind,
        thresholds=extra,
        indicators=vocabulary(f"screening.{code}").terms,
    )


def score(questionnaire: Questionnaire, answers: dict[str, str], *, child: bool) -> Result:
    """Sum the weights of the "yes" answers per section and propose a status (trafficking
    questionnaires) or a vulnerability level. For a child the lower ``possible_child`` threshold
    applies: the means of trafficking need not be shown for a child (Palermo Protocol, art. 3c)."""
    sections: dict[str, int] = {}
    for term in questionnaire.indicators:
        section = term.extra["section"]
        sections.setdefault(section, 0)
        if answers.get(term.code) == "yes":
            sections[section] += int(term.extra.get("weight", 1))
    total = sum(sections.values())
    status = level = ""
    t = questionnaire.thresholds
    if questionnaire.proposes_status:
        possible = t.get("possible_child", t["possible"]) if child else t["possible"]
        if total >= t["actual"]:
            status = ACTUAL
        elif total >= possible:
            status = POSSIBLE
        else:
            status = NOT_A_VICTIM
    else:
        level = "high" if total >= t["high"] else "medium" if total >= t["medium"] else "low"
    return Result(
        section_scores=sections, score=total, proposed_status=status, vulnerability_level=level
    )
