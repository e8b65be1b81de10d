"""Per-field explanation of a match score, in sentences a caseworker can read and check.

Each line is one comparison: its agreement level, its weight (log-odds points: positive counts
for "same child", negative against) and a translated sentence. A weight is counted from the
comparison's level "missing on one side" (or "unknown"), so that a field one record does not
give reads neither for nor against: the model itself weighs levels from other bases, where a
missing father's name came out 1.2 points above a different one, which a caseworker would read
as evidence. How common an agreeing name is weighs on the agreement's own line (``_AGREEMENTS``).
The weights add up, with the starting point (``starting_point``: the model's intercept and those
bases), to the score shown, so nothing is hidden behind the number.
"""

from __future__ import annotations

from typing import NamedTuple

from corridor.i18n import _, gettext_noop, ngettext, percent
from corridor.matching.features import COMPARISONS, NameFrequencies, compare, prepare
from corridor.matching.model import Model, default_model

__all__ = [
    "Reason",
    "explain",
    "explain_among",
    "field_label",
    "starting_point",
    "Namesake",
    "FIELD_LABELS",
]

# The tables below are read at import, before any reader's language is known: their strings are
# marked for the catalogue (``gettext_noop``) and translated where they are read.

FIELD_LABELS = {
    "given": gettext_noop("Given name"),
    "given_frequency": gettext_noop("How common the given name is"),
    "given_other": gettext_noop("Other given names"),
    "family": gettext_noop("Family name"),
    "family_frequency": gettext_noop("How common the family name is"),
    "name_count": gettext_noop("Requests with the same full name"),
    "order": gettext_noop("Name order"),
    "birth": gettext_noop("Age"),
    "sex": gettext_noop("Sex"),
    "place": gettext_noop("Place of origin"),
    "place_frequency": gettext_noop("How common the town is"),
    "mother": gettext_noop("Mother"),
    "father": gettext_noop("Father"),
    "mother_frequency": gettext_noop("How common the mother's name is"),
    "father_frequency": gettext_noop("How common the father's name is"),
    "nationality": gettext_noop("Nationality"),
    "delay": gettext_noop("Time from the request to the identification"),
    "competition": gettext_noop("Other requests that fit"),
}

_NAME_SENTENCES = {
    "exact": gettext_noop("%(field)s is written the same way."),
    "variant": gettext_noop(
        "%(field)s is a known variant of the same name (for example Kossi / Kwasi)."
    ),
    "phonetic": gettext_noop("%(field)s sounds the same, spelt differently."),
    "similar": gettext_noop("%(field)s is nearly the same (a typing or hearing error is likely)."),
    "weak": gettext_noop("%(field)s is only loosely similar."),
    "different": gettext_noop("%(field)s is different."),
    "another": gettext_noop(
        "%(field)s is another name of the same tradition (two day names are two days of birth): "
        "most likely another child."
    ),
    "missing": gettext_noop("%(field)s is missing on one side."),
}
_BIRTH_GAPS = {
    "same_date": gettext_noop("the same birth date"),
    "date_typo": gettext_noop(
        "birth dates one part apart (day, month or year: a likely writing error)"
    ),
    "overlap": gettext_noop("the same birth year"),
    "6m": gettext_noop("births within 6 months"),
    "1y": gettext_noop("birth years within 1 year"),
    "18m": gettext_noop("birth years within a year and a half"),
    "2y": gettext_noop("birth years within 2 years"),
    "30m": gettext_noop("birth years within two and a half years"),
    "3y": gettext_noop("birth years within 3 years"),
    "4y": gettext_noop("birth years within 4 years"),
    "5y": gettext_noop("birth years within 5 years"),
    "far": gettext_noop("birth years more than 5 years apart"),
}
_SENTENCES = {
    ("given_frequency", "rare"): gettext_noop("The given name is rare."),
    ("given_frequency", "common"): gettext_noop("The given name is common."),
    ("given_frequency", "very_common"): gettext_noop(
        "The given name is very common (a day name shared by many children)."
    ),
    ("family_frequency", "rare"): gettext_noop("The family name is rare."),
    ("family_frequency", "common"): gettext_noop("The family name is common."),
    ("family_frequency", "very_common"): gettext_noop("The family name is very common."),
    ("name_count", "1"): gettext_noop("Only this request carries this full name."),
    ("name_count", "2"): gettext_noop(
        "Two requests carry this full name (perhaps both parents filed)."
    ),
    ("name_count", "3-4"): gettext_noop("Three or four requests carry this full name."),
    ("name_count", "5-8"): gettext_noop(
        "Five to eight requests carry this full name: check the other details."
    ),
    ("name_count", "9+"): gettext_noop(
        "Nine or more requests carry this full name: the name alone proves little."
    ),
    ("given_other", "agree"): gettext_noop("The second given names also agree."),
    ("given_other", "differ"): gettext_noop("The second given names differ."),
    ("given_other", "first_only"): gettext_noop("Only the request gives a second given name."),
    ("given_other", "second_only"): gettext_noop(
        "Only the child's record gives a second given name."
    ),
    ("order", "swapped"): gettext_noop(
        "Given and family names are in swapped order on one record."
    ),
    ("sex", "agree"): gettext_noop("Same sex."),
    ("sex", "disagree"): gettext_noop("Different sex recorded."),
    ("sex", "unknown"): gettext_noop("Sex not recorded on one side."),
    ("place", "same_town"): gettext_noop(
        "Same place of origin (old and new names count as the same)."
    ),
    ("place", "same_prefecture"): gettext_noop("Different towns in the same prefecture."),
    ("place", "same_country"): gettext_noop(
        "Places of origin in different prefectures of the same country."
    ),
    ("place", "other_country"): gettext_noop("Places of origin in different countries."),
    ("place", "unknown"): gettext_noop("Place of origin missing or not in the gazetteer."),
    ("place_frequency", "rare"): gettext_noop(
        "Few of the records from that country name this town."
    ),
    ("place_frequency", "common"): gettext_noop(
        "The town is a common one among records from its country."
    ),
    ("place_frequency", "very_common"): gettext_noop(
        "Many records from that country name this town, so agreeing on it proves less."
    ),
    ("mother", "agree"): gettext_noop("The mother's name agrees."),
    ("mother", "similar"): gettext_noop("The mother's name is similar."),
    ("mother", "different"): gettext_noop("The mother's name is different."),
    ("mother", "missing"): gettext_noop("The mother's name is missing on one side."),
    ("father", "agree"): gettext_noop("The father's name agrees."),
    ("father", "similar"): gettext_noop("The father's name is similar."),
    ("father", "different"): gettext_noop("The father's name is different."),
    ("father", "missing"): gettext_noop("The father's name is missing on one side."),
    ("mother_frequency", "rare"): gettext_noop("The mother's name that agrees is rare."),
    ("mother_frequency", "common"): gettext_noop("The mother's name that agrees is common."),
    ("mother_frequency", "very_common"): gettext_noop(
        "The mother's name that agrees is very common (a day name shared by many women)."
    ),
    ("father_frequency", "rare"): gettext_noop("The father's name that agrees is rare."),
    ("father_frequency", "common"): gettext_noop("The father's name that agrees is common."),
    ("father_frequency", "very_common"): gettext_noop(
        "The father's name that agrees is very common (a day name shared by many men)."
    ),
    ("nationality", "agree"): gettext_noop("Same nationality."),
    ("nationality", "disagree"): gettext_noop("Different nationality recorded."),
    ("nationality", "missing"): gettext_noop("Nationality missing on one side."),
    ("delay", "long_before"): gettext_noop(
        "Found more than 6 months before the request was filed."
    ),
    ("delay", "before_6m"): gettext_noop("Found 3 to 6 months before the request was filed."),
    ("delay", "before_3m"): gettext_noop("Found in the 3 months before the request was filed."),
    ("delay", "within_3m"): gettext_noop("Found within 3 months after the request."),
    ("delay", "within_6m"): gettext_noop("Found 3 to 6 months after the request."),
    ("delay", "within_9m"): gettext_noop("Found 6 to 9 months after the request."),
    ("delay", "within_1y"): gettext_noop("Found 9 to 12 months after the request."),
    ("delay", "within_15m"): gettext_noop("Found 12 to 15 months after the request."),
    ("delay", "within_18m"): gettext_noop("Found 15 to 18 months after the request."),
    ("delay", "within_2y"): gettext_noop("Found 18 to 24 months after the request."),
    ("delay", "long_after"): gettext_noop("Found more than 2 years after the request."),
    ("delay", "missing"): gettext_noop("Date of the request or of the identification not written."),
}


class Reason(NamedTuple):
    """One line of an explanation."""

    field: str
    level: str
    weight: float
    sentence: str


def field_label(comparison: str) -> str:
    """A comparison's field, in the reader's language."""
    return _(FIELD_LABELS[comparison]) if comparison in FIELD_LABELS else comparison


def _sentence(comparison: str, level: str) -> str:
    if comparison in ("given", "family"):
        return _(_NAME_SENTENCES[level]) % {"field": field_label(comparison)}
    if comparison == "birth":
        if level == "missing":
            return _("Age or birth date missing on one side.")
        gap, kind = level.split("|")
        if kind == "estimate":
            return _(
                "Ages give %(gap)s (one age is an estimate, which is often a few years off)."
            ) % {"gap": _(_BIRTH_GAPS[gap])}
        return _("Birth records give %(gap)s.") % {"gap": _(_BIRTH_GAPS[gap])}
    sentence = _SENTENCES.get((comparison, level))
    return _(sentence) if sentence else f"{comparison}: {level}"


_AGREEMENTS = {
    "given_frequency": "given",
    "family_frequency": "family",
    "mother_frequency": "mother",
    "father_frequency": "father",
}
"""How common an agreeing name is, and the agreement it qualifies. The model weighs the two
together (a rare name weighs about as much as a common one: the full name's count and the
competition say how many others bear it), so the agreement's line carries both weights and the
line on how common the name is only informs."""


def _neutral(model: Model, comparison: str) -> float:
    """The model's weight of ``comparison``'s level for a field one record does not give (0 for
    a comparison without one)."""
    levels = COMPARISONS.get(comparison, ())
    neutral = next((level for level in ("missing", "unknown") if level in levels), None)
    return model.weight(comparison, neutral) if neutral else 0.0


def starting_point(reasons: list[Reason], *, model: Model | None = None) -> float:
    """The log-odds from which ``reasons``' weights count: the model's intercept plus, for each
    comparison explained, the weight of its level "missing on one side"."""
    model = model or default_model()
    return model.intercept + sum(_neutral(model, reason.field) for reason in reasons)


def explain(
    left_record: dict,
    right_record: dict,
    *,
    model: Model | None = None,
    frequencies: NameFrequencies | None = None,
) -> list[Reason]:
    """Explain the score of a request (left) against a found child (right), field by field.

    Name frequencies come from the register when given (as ``link`` uses them), else from the
    synthetic reference register; the weights plus ``starting_point`` give the score.
    """
    from corridor.matching.engine import reference_statistics

    model = model or default_model()
    levels = compare(
        prepare(record=left_record, side="left"),
        prepare(record=right_record, side="right"),
        frequencies=frequencies or reference_statistics(),
    )
    weights = {
        comparison: model.weight(comparison, level) - _neutral(model, comparison)
        for comparison, level in levels.items()
    }
    for frequency, agreement in _AGREEMENTS.items():
        if frequency in weights and agreement in weights:
            weights[agreement] += weights[frequency]
            weights[frequency] = 0.0
    reasons = [
        Reason(
            field=comparison,
            level=level,
            weight=round(weights[comparison], 2),
            sentence=_sentence(comparison, level),
        )
        for comparison, level in levels.items()
    ]
    return sorted(reasons, key=lambda reason: -abs(reason.weight))


class Namesake(NamedTuple):
    """Another request that fits the same found child: its id, name and pair probability."""

    record_id: str
    name: str
    probability: float


def explain_among(
    left_record: dict,
    right_record: dict,
    *,
    others: list[dict],
    model: Model | None = None,
    frequencies: NameFrequencies | None = None,
    competition=None,
    requests: int | None = None,
) -> tuple[float, list[Reason], list[Namesake]]:
    """Explain a link among the child's other candidate requests (``others``, left records).

    Returns the probability among competitors (see ``competition``), the field-by-field
    reasons with one more line for the competition (its weight is what the other requests take
    away), and the namesakes that fit, best first: a caseworker reading a low-confidence link
    sees which other requests it could as well be. The other parent's request for the same
    child is no competitor and is not listed. ``requests`` is the size of the register the
    others were drawn from (by default, the others and this request).
    """
    import math

    import numpy as np

    from corridor.matching.competition import default_competition
    from corridor.matching.engine import TWIN_LOG_ODDS, reference_statistics

    model = model or default_model()
    if frequencies is None:
        # The reference register's name frequencies, with the full names of these requests
        # counted: agreeing on a name six requests carry proves less than on a unique one.
        import copy

        frequencies = copy.copy(reference_statistics())
        frequencies.combinations = copy.copy(frequencies.combinations)
        frequencies.add_combinations(
            records=[prepare(record=r, side="left") for r in (left_record, *others)]
        )
    competition = competition if competition is not None else default_competition()
    reasons = explain(left_record, right_record, model=model, frequencies=frequencies)
    child = prepare(record=right_record, side="right")
    request = prepare(record=left_record, side="left")
    levels = compare(request, child, frequencies=frequencies)
    own = model.log_odds(levels)
    namesakes: list[Namesake] = []
    rival_odds = 0.0
    for other in others:
        if other.get("record_id") == left_record.get("record_id"):
            continue
        candidate = prepare(record=other, side="left")
        log_odds = model.log_odds(compare(candidate, child, frequencies=frequencies))
        twin = model.log_odds(
            compare(request, prepare(record=other, side="right"), frequencies=frequencies)
        )
        if twin >= TWIN_LOG_ODDS:
            continue
        rival_odds += math.exp(min(max(log_odds, -25.0), 18.0))
        probability = 1.0 / (1.0 + math.exp(-log_odds))
        if probability >= 0.05:
            name = " ".join(
                part for part in (other.get("given_names"), other.get("family_name")) if part
            )
            namesakes.append(Namesake(other["record_id"], name, round(probability, 3)))
    namesakes.sort(key=lambda n: -n.probability)
    final = own
    if competition is not None:
        rivals = np.log(np.asarray([rival_odds])) if rival_odds > 0 else np.asarray([-np.inf])
        final = float(
            competition.log_odds(
                log_odds=np.asarray([own]),
                right=rivals,
                left=np.asarray([-np.inf]),
                requests=requests or len(others) + 1,
                adjust=np.asarray([competition.level_term(levels)]),
            )[0]
        )
        # Never above the request's share of the rivals' odds (``LinkJob.decide``).
        final = min(final, own - float(rivals[0]))
    if namesakes:
        listed = ", ".join(
            f"{n.name} ({n.record_id}, {percent(n.probability)})" for n in namesakes[:5]
        )
        sentence = ngettext(
            "%(count)d other request fits this child about as well: %(names)s. "
            "Check which one is the child's before deciding.",
            "%(count)d other requests fit this child about as well: %(names)s. "
            "Check which one is the child's before deciding.",
            len(namesakes),
        ) % {"count": len(namesakes), "names": listed}
        level = str(len(namesakes))
    else:
        sentence = _("No other request fits this child.")
        level = "0"
    reasons.append(
        Reason(field="competition", level=level, weight=round(final - own, 2), sentence=sentence)
    )
    reasons.sort(key=lambda reason: -abs(reason.weight))
    probability = 1.0 / (1.0 + math.exp(-min(max(final, -35.0), 35.0)))
    return probability, reasons, namesakes
