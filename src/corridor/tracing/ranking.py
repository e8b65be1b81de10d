"""The bridge between the node's records and the matching engine: records in, ranked and
explained candidates out.

People and tracing requests are turned into the engine's record format; the engine's blocking,
comparison levels and model do the rest, so the web pages, the duplicate job and the benchmark
score pairs the same way. The explanation is the model's own arithmetic: each field's level and
the weight (log-odds) it adds, which is what a caseworker needs to see why a pair ranks high.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from corridor.matching.engine import candidates as engine_candidates
from corridor.matching.engine import reference_statistics
from corridor.matching.explain import FIELD_LABELS, explain
from corridor.matching.features import compare, name_statistics, prepare
from corridor.matching.model import default_model
from corridor.people.models import Person

GENDER_SEX = {
    "Feminine": "F",
    "TransgenderFeminine": "F",
    "Masculine": "M",
    "TransgenderMasculine": "M",
}

SMALL_REGISTER = 2000
"""Below this many records, name frequencies come from the engine's synthetic reference register:
in a register of a few dozen, every name looks common and agreeing on it would count for little."""


def person_record(person: Person, *, parents: dict[str, str] | None = None) -> dict:
    """A registered person in the engine's record format (a found child, right side).

    An age estimated on a date becomes ``age_years`` on that date, which is what the engine reads
    as an estimate with years of error.
    """
    parents = parents if parents is not None else parent_names([person]).get(person.pk, {})
    event = person.age_estimated_on or person.created_at.date()
    return {
        "record_id": str(person.pk),
        "given_names": person.given_names,
        "family_name": person.family_name,
        "sex": GENDER_SEX.get(person.gender, ""),
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "birth_year": str(person.birth_year or ""),
        "age_years": "" if person.estimated_age is None else str(person.estimated_age),
        "identification_date": event.isoformat(),
        "report_date": event.isoformat(),
        "place_of_origin": person.place_of_origin,
        "origin_prefecture": person.origin_prefecture,
        "mother_name": parents.get("mother", ""),
        "father_name": parents.get("father", ""),
        "nationality": (person.citizenships or [""])[0],
    }


def parent_names(persons: Iterable[Person]) -> dict[int, dict[str, str]]:
    """Mother's and father's names per person id, in one query."""
    from corridor.people.models import Relationship

    ids = [p.pk for p in persons]
    names: dict[int, dict[str, str]] = {}
    rows = Relationship.objects.filter(person_id__in=ids, kind__in=("mother", "father"))
    for rel in rows.select_related("relative").order_by("id"):
        names.setdefault(rel.person_id, {}).setdefault(rel.kind, rel.name)
    return names


@dataclass
class Ranked:
    """One candidate: the record id on the right, its probability and the per-field reasons."""

    record_id: str
    probability: float
    levels: dict[str, str]
    reasons: list[dict] = field(default_factory=list)


def reasons(left: dict, right: dict, *, frequencies=None) -> list[dict]:
    """The engine's explanation of one pair, field by field, strongest evidence first: what
    agreed or not, in a translated sentence, and the weight (log-odds) it adds or takes away."""
    return [
        {
            "field": str(FIELD_LABELS.get(r.field, r.field)),
            "level": r.level,
            "sentence": str(r.sentence),
            "weight": r.weight,
            "direction": "for" if r.weight > 0.05 else ("against" if r.weight < -0.05 else "none"),
        }
        for r in explain(left, right, frequencies=frequencies)
    ]


def statistics(*, left, right):
    """Name statistics of the node's register, or the reference ones while it is small."""
    if len(left) + len(right) < SMALL_REGISTER:
        return reference_statistics()
    return name_statistics(left=left, right=right)


def rank(
    *,
    query: dict,
    pool: Sequence[dict],
    context: Sequence[dict] = (),
    top_k: int = 10,
    floor: float = 0.01,
    query_side: str = "left",
) -> list[Ranked]:
    """The ``top_k`` records of ``pool`` that share a block with ``query``, best first.

    ``context`` are other records of the query's kind (the node's other tracing requests); they
    only feed the name-frequency statistics, so that agreeing on a common name counts for less.
    """
    model = default_model()
    q = prepare(record=query, side=query_side)
    right = [prepare(record=r, side="right") for r in pool]
    left = [q, *(prepare(record=r, side="left") for r in context)]
    frequencies = statistics(left=left, right=right)
    out: list[Ranked] = []
    blocks = engine_candidates(left=right, right=[q])
    for _j, found in blocks:
        for i in found:
            if right[i].record_id == q.record_id:
                continue
            levels = compare(q, right[i], frequencies=frequencies)
            p = model.probability(levels)
            if p >= floor:
                out.append(Ranked(record_id=right[i].record_id, probability=p, levels=levels))
    out.sort(key=lambda r: -r.probability)
    out = out[:top_k]
    by_id = {r["record_id"]: r for r in pool}
    for r in out:
        r.reasons = reasons(query, by_id[r.record_id], frequencies=frequencies)
    return out
