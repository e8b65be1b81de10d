"""The anonymised victim export in the Counter Trafficking Data Collaborative's columns and value
sets, made k-anonymous (k ≥ 11, as CTDC does) by generalisation then suppression.

No Django here: it works on plain victim records (see ``reports.indicators.victim_records``), so
tests can prove the property on any data.

The privacy unit is a person: a person's cases become one record (``one_per_person``) before
anything is counted, so a person with three cases is one member of a group, not three.

Every published column that can single a person out is a quasi-identifier: everything but the
constant ``Datasource``, the exploitation flags (``isForcedLabour``…) and every means-of-control
column included, so a group is a set of persons whose published rows are identical.
Generalisation stays inside CTDC's value sets: columns are generalised by blanking them (CTDC's
"unknown"), a group of columns at a time, in the order of the ladder below (the most identifying
first), until few enough records sit in groups smaller than k; the records still in such groups
are then suppressed (left out).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from corridor.core.tabular import safe_rows

K = 11
MAX_SUPPRESSED = 0.10  # accept a plan that drops at most 10 % of the records


@cache
def ctdc_vocab() -> dict:
    path = Path(__file__).resolve().parent / "vocab" / "ctdc.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def means_columns() -> list[str]:
    return sorted(set(ctdc_vocab()["means_of_control"].values())) + ["meansOfControlNotSpecified"]


def exploit_columns() -> list[str]:
    return list(ctdc_vocab()["concatenated"])


def columns() -> list[str]:
    return [
        "yearOfRegistration",
        "Datasource",
        "gender",
        "ageBroad",
        "majorityStatus",
        "citizenship",
        "CountryOfExploitation",
        *means_columns(),
        "meansOfControlConcatenated",
        *exploit_columns(),
        "typeOfExploitConcatenated",
    ]


def quasi_identifiers() -> tuple[str, ...]:
    """Every published column that can tell persons apart (all but the constant data source)."""
    return tuple(c for c in columns() if c != "Datasource")


def ladder() -> tuple[tuple[str, ...], ...]:
    """The columns to blank, step by step (each plan blanks more, the last blanks them all)."""
    means = (*means_columns(), "meansOfControlConcatenated")
    exploitation = (*exploit_columns(), "typeOfExploitConcatenated")
    steps = [
        (),
        ("ageBroad",),
        means,
        ("CountryOfExploitation",),
        ("citizenship",),
        ("yearOfRegistration",),
        exploitation,
        ("gender", "majorityStatus"),
    ]
    plans, blanked = [], ()
    for step in steps:
        blanked = (*blanked, *step)
        plans.append(blanked)
    return tuple(plans)


def age_broad(age: int | None) -> str:
    if age is None:
        return ""
    for band in ctdc_vocab()["age_broad"]:
        low, _sep, high = band.partition("--")
        if band.endswith("+") and age >= int(band[:-1]):
            return band
        if high and int(low) <= age <= int(high):
            return band
    return ""


@dataclass(frozen=True)
class Victim:
    """What the export needs to know of one identified victim's case (no name). ``person`` is an
    opaque key that ties a person's cases together; it is never published."""

    registered_on: date
    gender: str = ""  # HTCDS gender name
    age: int | None = None  # at identification, exact or estimated
    is_child: bool | None = None  # uncertain age counts as a child
    citizenship: str = ""
    country_of_exploitation: str = ""
    exploitation: tuple[str, ...] = ()
    means_of_control: tuple[str, ...] = ()
    person: object = None
    status: str = "possible"  # "possible" or "actual" (HTCDS Possible/ActualVictimOfTrafficking)


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))


def one_per_person(victims: list[Victim]) -> list[Victim]:
    """One record per person: the earliest case gives the date, age and the places, later cases
    fill what it lacks, and the forms of exploitation and means of control are all of them.
    Records without a person key are taken as distinct persons."""
    merged: dict[object, Victim] = {}
    alone: list[Victim] = []
    for victim in sorted(victims, key=lambda v: v.registered_on):
        if victim.person is None:
            alone.append(victim)
            continue
        first = merged.get(victim.person)
        if first is None:
            merged[victim.person] = victim
            continue
        merged[victim.person] = replace(
            first,
            gender=first.gender or victim.gender,
            age=first.age if first.age is not None else victim.age,
            is_child=first.is_child if first.is_child is not None else victim.is_child,
            citizenship=first.citizenship or victim.citizenship,
            country_of_exploitation=first.country_of_exploitation or victim.country_of_exploitation,
            exploitation=_union(first.exploitation, victim.exploitation),
            means_of_control=_union(first.means_of_control, victim.means_of_control),
            status="actual" if "actual" in (first.status, victim.status) else first.status,
        )
    return [*merged.values(), *alone]


def ctdc_row(v: Victim, *, datasource: str = "Case Management") -> dict:
    vocab = ctdc_vocab()
    means = {
        vocab["means_of_control"][m] for m in v.means_of_control if m in vocab["means_of_control"]
    }
    exploits = {vocab["exploitation"][e] for e in v.exploitation if e in vocab["exploitation"]}
    row = {
        "yearOfRegistration": str(v.registered_on.year),
        "Datasource": datasource,
        "gender": vocab["gender"].get(v.gender, ""),
        "ageBroad": age_broad(v.age),
        "majorityStatus": "" if v.is_child is None else ("Minor" if v.is_child else "Adult"),
        "citizenship": v.citizenship,
        "CountryOfExploitation": v.country_of_exploitation,
    }
    for col in means_columns():
        row[col] = "1" if col in means else ("0" if means else "")
    if not means:
        row["meansOfControlNotSpecified"] = "1"
    row["meansOfControlConcatenated"] = ";".join(
        c.removeprefix("meansOfControl") for c in means_columns() if row[c] == "1"
    )
    for col in exploit_columns():
        row[col] = "1" if col in exploits else ("0" if exploits else "")
    row["typeOfExploitConcatenated"] = ";".join(
        vocab["concatenated"][c] for c in exploit_columns() if c in exploits
    )
    return row


def group_sizes(rows: list[dict], qis: tuple[str, ...] | None = None) -> Counter:
    qis = qis or quasi_identifiers()
    return Counter(tuple(r[q] for q in qis) for r in rows)


@dataclass
class Anonymised:
    rows: list[dict]
    blanked: tuple[str, ...]
    suppressed: int
    k: int

    def smallest_group(self) -> int:
        sizes = group_sizes(self.rows)
        return min(sizes.values()) if sizes else 0

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\n")
        writer.writeheader()
        writer.writerows(dict(zip(r, safe_rows([r.values()])[0], strict=True)) for r in self.rows)
        return out.getvalue()


def _apply(rows: list[dict], blanked: tuple[str, ...], k: int) -> tuple[list[dict], int]:
    qis = quasi_identifiers()
    generalised = [r | {q: "" for q in blanked} for r in rows]
    sizes = group_sizes(generalised, qis)
    kept = [r for r in generalised if sizes[tuple(r[q] for q in qis)] >= k]
    return kept, len(generalised) - len(kept)


def k_anonymise(
    victims: list[Victim], *, k: int = K, max_suppressed: float = MAX_SUPPRESSED
) -> Anonymised:
    """Generalise (blank columns along the ladder) until at most ``max_suppressed`` of the
    records would be suppressed, then suppress the records in groups smaller than ``k``. With
    too few records every plan may suppress more: the plan that keeps the most records wins.
    The victims are taken one per person first."""
    if k < 2:
        raise ValueError("k must be at least 2")
    rows = [ctdc_row(v) for v in one_per_person(victims)]
    best = None
    for blanked in ladder():
        kept, suppressed = _apply(rows, blanked, k)
        candidate = Anonymised(rows=kept, blanked=blanked, suppressed=suppressed, k=k)
        if best is None or len(kept) > len(best.rows):
            best = candidate
        if rows and suppressed <= max_suppressed * len(rows):
            return candidate
    return best or Anonymised(rows=[], blanked=(), suppressed=0, k=k)
