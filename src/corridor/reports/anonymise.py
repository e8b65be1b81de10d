"""The anonymised victim export in the Counter Trafficking Data Collaborative's columns and value
sets, made k-anonymous (k ≥ 11, as CTDC does) by generalisation then suppression.

No Django here: it works on plain victim records (see ``reports.indicators.victim_records``), so
tests can prove the property on any data.

Generalisation stays inside CTDC's value sets: a quasi-identifier is generalised by blanking it
(CTDC's "unknown"), whole columns at a time, in the order of the ladder below (the most
identifying first), until few enough records sit in groups smaller than k; the records still
in such groups are then suppressed (left out).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

K = 11
MAX_SUPPRESSED = 0.10  # accept a plan that drops at most 10 % of the records
QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    "typeOfExploitConcatenated",
)
# Which quasi-identifiers to blank, step by step (each plan blanks more).
LADDER = (
    (),
    ("ageBroad",),
    ("ageBroad", "CountryOfExploitation"),
    ("ageBroad", "CountryOfExploitation", "citizenship"),
    ("ageBroad", "CountryOfExploitation", "citizenship", "yearOfRegistration"),
    (
        "ageBroad",
        "CountryOfExploitation",
        "citizenship",
        "yearOfRegistration",
        "typeOfExploitConcatenated",
    ),
)


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
    """What the export needs to know of one identified victim (no name, no id)."""

    registered_on: date
    gender: str = ""  # HTCDS gender name
    age: int | None = None  # at identification, exact or estimated
    is_child: bool | None = None  # uncertain age counts as a child
    citizenship: str = ""
    country_of_exploitation: str = ""
    exploitation: tuple[str, ...] = ()
    means_of_control: tuple[str, ...] = ()


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


def group_sizes(rows: list[dict], qis=QUASI_IDENTIFIERS) -> Counter:
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
        writer.writerows(self.rows)
        return out.getvalue()


def _apply(rows: list[dict], blanked: tuple[str, ...], k: int) -> tuple[list[dict], int]:
    generalised = [r | {q: "" for q in blanked} for r in rows]
    sizes = group_sizes(generalised)
    kept = [r for r in generalised if sizes[tuple(r[q] for q in QUASI_IDENTIFIERS)] >= k]
    return kept, len(generalised) - len(kept)


def k_anonymise(
    victims: list[Victim], *, k: int = K, max_suppressed: float = MAX_SUPPRESSED
) -> Anonymised:
    """Generalise (blank columns along the ladder) until at most ``max_suppressed`` of the
    records would be suppressed, then suppress the records in groups smaller than ``k``. With
    too few records every plan may suppress more: the plan that keeps the most records wins."""
    if k < 2:
        raise ValueError("k must be at least 2")
    rows = [ctdc_row(v) for v in victims]
    best = None
    for blanked in LADDER:
        kept, suppressed = _apply(rows, blanked, k)
        candidate = Anonymised(rows=kept, blanked=blanked, suppressed=suppressed, k=k)
        if best is None or len(kept) > len(best.rows):
            best = candidate
        if rows and suppressed <= max_suppressed * len(rows):
            return candidate
    return best or Anonymised(rows=[], blanked=(), suppressed=0, k=k)
