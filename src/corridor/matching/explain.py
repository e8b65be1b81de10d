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

from corridor.i18n import _, percent
from corridor.matching.features import COMPARISONS, NameFrequencies, compare, prepare
from corridor.matching.model import Model, default_model

__all__ = ["Reason", "explain", "explain_among", "starting_point", "Namesake", "FIELD_LABELS"]

FIELD_LABELS = {
    "given": _("Given name"),
    "given_frequency": _("How common the given name is"),
    "given_other": _("Other given names"),
    "family": _("Family name"),
    "family_frequency": _("How common the family name is"),
    "name_count": _("Requests with the same full name"),
    "order": _("Name order"),
    "birth": _("Age"),
    "sex": _("Sex"),
    "place": _("Place of origin"),
    "place_frequency": _("How common the town is"),
    "mother": _("Mother"),
    "father": _("Father"),
    "mother_frequency": _("How common the mother's name is"),
    "father_frequency": _("How common the father's name is"),
    "nationality": _("Nationality"),
    "delay": _("Time from the request to the identification"),
    "competition": _("Other requests that fit"),
}

_NAME_SENTENCES = {
    "exact": _("%(field)s is written the same way."),
    "variant": _("%(field)s is a known variant of the same name (for example Kossi / Kwasi)."),
    "phonetic": _("%(field)s sounds the same, spelt differently."),
    "similar": _("%(field)s is nearly the same (a typing or hearing error is likely)."),
    "weak": _("%(field)s is only loosely similar."),
    "different": _("%(field)s is different."),
    "another": _(
        "%(field)s is another name of the same tradition (two day names are two days of birth): "
        "most likely another child."
    ),
    "missing": _("%(field)s is missing on one side."),
}
_BIRTH_GAPS = {
    "same_date": _("the same birth date"),
    "date_typo": _("birth dates one part apart (day, month or year: a likely writing error)"),
    "overlap": _("the same birth year"),
    "6m": _("births within 6 months"),
    "1y": _("birth years within 1 year"),
    "18m": _("birth years within a year and a half"),
    "2y": _("birth years within 2 years"),
    "30m": _("birth years within two and a half years"),
    "3y": _("birth years within 3 years"),
    "4y": _("birth years within 4 years"),
    "5y": _("birth years within 5 years"),
    "far": _("birth years more than 5 years apart"),
}
_SENTENCES = {
    ("given_frequency", "rare"): _("The given name is rare."),
    ("given_frequency", "common"): _("The given name is common."),
    ("given_frequency", "very_common"): _(
        "The given name is very common (a day name shared by many children)."
    ),
    ("family_frequency", "rare"): _("The family name is rare."),
    ("family_frequency", "common"): _("The family name is common."),
    ("family_frequency", "very_common"): _("The family name is very common."),
    ("name_count", "1"): _("Only this request carries this full name."),
    ("name_count", "2"): _("Two requests carry this full name (perhaps both parents filed)."),
    ("name_count", "3-4"): _("Three or four requests carry this full name."),
    ("name_count", "5-8"): _(
        "Five to eight requests carry this full name: check the other details."
    ),
    ("name_count", "9+"): _(
        "Nine or more requests carry this full name: the name alone proves little."
    ),
    ("given_other", "agree"): _("The second given names also agree."),
    ("given_other", "differ"): _("The second given names differ."),
    ("given_other", "first_only"): _("Only the request gives a second given name."),
    ("given_other", "second_only"): _("Only the child's record gives a second given name."),
    ("order", "swapped"): _("Given and family names are in swapped order on one record."),
    ("sex", "agree"): _("Same sex."),
    ("sex", "disagree"): _("Different sex recorded."),
    ("sex", "unknown"): _("Sex not recorded on one side."),
    ("place", "same_town"): _("Same place of origin (old and new names count as the same)."),
    ("place", "same_prefecture"): _("Different towns in the same prefecture."),
    ("place", "same_country"): _("Places of origin in different prefectures of the same country."),
    ("place", "other_country"): _("Places of origin in different countries."),
    ("place", "unknown"): _("Place of origin missing or not in the gazetteer."),
    ("place_frequency", "rare"): _("Few of the records from that country name this town."),
    ("place_frequency", "common"): _("The town is a common one among records from its country."),
    ("place_frequency", "very_common"): _(
        "Many records from that country name this town, so agreeing on it proves less."
    ),
    ("mother", "agree"): _("The mother's name agrees."),
    ("mother", "similar"): _("The mother's name is similar."),
    ("mother", "different"): _("The mother's name is different."),
    ("mother", "missing"): _("The mother's name is missing on one side."),
    ("father", "agree"): _("The father's name agrees."),
    ("father", "similar"): _("The father's name is similar."),
    ("father", "different"): _("The father's name is different."),
    ("father", "missing"): _("The father's name is missing on one side."),
    ("mother_frequency", "rare"): _("The mother's name that agrees is rare."),
    ("mother_frequency", "common"): _("The mother's name that agrees is common."),
    ("mother_frequency", "very_common"): _(
        "The mother's name that agrees is very common (a day name shared by many women)."
    ),
    ("father_frequency", "rare"): _("The father's name that agrees is rare."),
    ("father_frequency", "common"): _("The father's name that agrees is common."),
    ("father_frequency", "very_common"): _(
        "The father's name that agrees is very common (a day name shared by many men)."
    ),
    ("nationality", "agree"): _("Same nationality."),
    ("nationality", "disagree"): _("Different nationality recorded."),
    ("nationality", "missing"): _("Nationality missing on one side."),
    ("delay", "long_before"): _("Found more than 6 months before the request was filed."),
    ("delay", "before_6m"): _("Found 3 to 6 months before the request was filed."),
    ("delay", "before_3m"): _("Found in the 3 months before the request was filed."),
    ("delay", "within_3m"): _("Found within 3 months after the request."),
    ("delay", "within_6m"): _("Found 3 to 6 months after the request."),
    ("delay", "within_9m"): _("Found 6 to 9 months after the request."),
    ("delay", "within_1y"): _("Found 9 to 12 months after the request."),
    ("delay", "within_15m"): _("Found 12 to 15 months after the request."),
    ("delay", "within_18m"): _("Found 15 to 18 months after the request."),
    ("delay", "within_2y"): _("Found 18 to 24 months after the request."),
    ("delay", "long_after"): _("Found more than 2 years after the request."),
    ("delay", "missing"): _("Date of the request or of the identification not written."),
}


class Reason(NamedTuple):
    """One line of an explanation."""

    field: str
    level: str
    weight: float
    sentence: str


def _sentence(comparison: str, level: str) -> str:
    if comparison in ("given", "family"):
        return _NAME_SENTENCES[level] % {"field": FIELD_LABELS[comparison]}
    if comparison == "birth":
        if level == "missing":
            return _("Age or birth date missing on one side.")
        gap, kind = level.split("|")
        if kind == "estimate":
            return _(
                "Ages give %(gap)s (one age is an estimate, which is often a few years off)."
            ) % {"gap": _BIRTH_GAPS[gap]}
        return _("Birth records give %(gap)s.") % {"gap": _BIRTH_GAPS[gap]}
    return _SENTENCES.get((comparison, level), f"{comparison}: {level}")


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
        sentence = _(
            "%(count)d other request(s) fit this child about as well: %(names)s. "
            "Check which one is the child's before deciding."
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
