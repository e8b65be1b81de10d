"""The time from a tracing request to a child's identification is evidence of its own.

In the corridor a child is found from a few months before the family files to a year and a half
after; a namesake found three years before the request is most likely another child. The level
is read the same way by the reference comparison, the columnar scorer and the explanation, and
only between a request and a found child: two requests, or two registered people, have none.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from django.utils import translation

from corridor.matching import columns, scoring
from corridor.matching.explain import explain
from corridor.matching.features import COMPARISONS, compare, name_statistics, prepare
from corridor.matching.model import default_model

REPORTED = date(2025, 3, 1)


def _request(**fields) -> dict:
    return {
        "record_id": "TR-1",
        "given_names": "Akuvi",
        "family_name": "MENSAH",
        "sex": "F",
        "birth_year": "2013",
        "report_date": REPORTED.isoformat(),
        "place_of_origin": "Kpalimé",
        "mother_name": "Afi Mensah",
        **fields,
    }


def _found(days: int | None, **fields) -> dict:
    identified = "" if days is None else (REPORTED + timedelta(days=days)).isoformat()
    return {
        "record_id": "GA-1",
        "given_names": "Akuvi",
        "family_name": "Mensah",
        "sex": "F",
        "age_years": "12",
        "identification_date": identified,
        "place_of_origin": "Kpalime",
        **fields,
    }


def _columnar_delay(left: columns.Columns, right: columns.Columns, i: int, j: int) -> str:
    """The delay level ``pair_codes`` gives the pair (left[i], right[j])."""
    codes = scoring.pair_codes(
        left=left,
        right=right,
        i=np.array([i]),
        j=np.array([j]),
        frequencies=scoring.Frequencies(left=left, right=right),
    )
    return COMPARISONS["delay"][int(codes["delay"][0])]


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (-900, "long_before"),
        (-184, "long_before"),
        (-183, "before_6m"),
        (-92, "before_6m"),
        (-91, "before_3m"),
        (-1, "before_3m"),
        (0, "within_3m"),
        (90, "within_3m"),
        (91, "within_6m"),
        (183, "within_9m"),
        (300, "within_1y"),
        (400, "within_15m"),
        (500, "within_18m"),
        (600, "within_2y"),
        (730, "within_2y"),
        (731, "long_after"),
        (None, "missing"),
    ],
)
def test_the_delay_level_reference_and_columns_agree(days, level):
    left = [prepare(record=_request(), side="left")]
    right = [prepare(record=_found(days), side="right")]
    assert compare(left[0], right[0])["delay"] == level
    vocabulary, labels = columns.Vocabulary(), columns.Labels()
    left_c = columns.prepared_columns(left, vocabulary=vocabulary, labels=labels)
    right_c = columns.prepared_columns(right, vocabulary=vocabulary, labels=labels)
    assert _columnar_delay(left_c, right_c, 0, 0) == level


def test_a_child_found_long_before_the_request_weighs_against_and_says_why():
    model = default_model()
    frequencies = name_statistics(
        left=[prepare(record=_request(), side="left")],
        right=[prepare(record=_found(90), side="right")],
    )
    near = model.weight("delay", "within_3m")
    far = model.weight("delay", "long_before")
    assert near > 0 > far
    with translation.override("fr"):  # explained in the language of the reader
        lines = {r.field: r for r in explain(_request(), _found(-900), frequencies=frequencies)}
    assert lines["delay"].level == "long_before"
    assert lines["delay"].weight == pytest.approx(far, abs=0.01)  # shown to two places
    assert lines["delay"].sentence == "Identifié plus de 6 mois avant le dépôt de la demande."


def test_two_requests_or_two_found_children_have_no_delay():
    a = prepare(record=_request(), side="left")
    b = prepare(record=_request(record_id="TR-2", report_date="2022-01-01"), side="left")
    assert compare(a, b)["delay"] == "missing"
    c = prepare(record=_found(-900), side="right")
    d = prepare(record=_found(0, record_id="GA-2"), side="right")
    assert compare(c, d)["delay"] == "missing"
    vocabulary, labels = columns.Vocabulary(), columns.Labels()
    requests = columns.prepared_columns([a, b], vocabulary=vocabulary, labels=labels)
    assert _columnar_delay(requests, requests, 0, 1) == "missing"


def test_a_registered_person_has_an_age_date_and_no_delay_from_a_request():
    """The application's people carry the day their age was estimated (``age_date``), not an
    identification date: the age is read on it on either side, and no delay is."""
    person = _found(None, age_date=(REPORTED + timedelta(days=30)).isoformat())
    as_left = prepare(record=person, side="left")
    as_right = prepare(record=person, side="right")
    assert as_left.birth == as_right.birth
    assert as_left.birth.kind == "age"
    assert compare(prepare(record=_request(), side="left"), as_right)["delay"] == "missing"
