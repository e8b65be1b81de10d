from datetime import date

import pytest

from corridor.matching.features import _birth_level, compare, prepare
from corridor.matching.records import birth_range


def record(**fields):
    base = {"record_id": "X", "given_names": "Kossi", "family_name": "Mensah"}
    return {**base, **fields}


def test_birth_date_is_exact():
    born = birth_range(record=record(birth_date="2012-03-05"), side="left")
    assert born.kind == "date" and born.exact == date(2012, 3, 5) and born.low == born.high


def test_birth_year_spans_the_year():
    born = birth_range(record=record(birth_year="2012"), side="left")
    assert (born.kind, born.low, born.high) == ("year", 2012.0, 2013.0)


def test_age_is_counted_back_from_the_event_date_of_each_side():
    left = birth_range(record=record(age_years="12", report_date="2025-07-01"), side="left")
    right = birth_range(
        record=record(age_years="12", identification_date="2025-07-01"), side="right"
    )
    assert left == right
    assert left.kind == "age" and left.high - left.low == pytest.approx(1.0)
    assert 2012.4 < left.high < 2013.6


def test_age_without_event_date_is_unknown():
    assert birth_range(record=record(age_years="12"), side="left") is None


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({"birth_date": "2012-03-05"}, {"birth_date": "2012-03-05"}, "same_date|dates"),
        ({"birth_date": "2012-03-05"}, {"birth_date": "2012-03-15"}, "date_typo|dates"),
        ({"birth_date": "2012-03-05"}, {"birth_date": "2012-05-03"}, "date_typo|dates"),
        ({"birth_date": "2012-03-05"}, {"birth_date": "2021-03-05"}, "date_typo|dates"),
        ({"birth_date": "2012-03-05"}, {"birth_date": "2012-07-20"}, "6m|dates"),
        ({"birth_date": "2012-03-05"}, {"birth_date": "2013-01-20"}, "1y|dates"),
        ({"birth_date": "2012-03-05"}, {"birth_year": "2012"}, "overlap|precise"),
        ({"birth_date": "2012-12-30"}, {"birth_year": "2013"}, "1y|precise"),
        ({"birth_year": "2012"}, {"birth_year": "2012"}, "overlap|precise"),
        ({"birth_year": "2012"}, {"birth_year": "2013"}, "1y|precise"),
        ({"birth_year": "2012"}, {"birth_year": "2014"}, "2y|precise"),
        (
            {"birth_date": "2012-03-05"},
            {"age_years": "13", "identification_date": "2025-06-01"},
            "overlap|estimate",
        ),
        (
            {"birth_date": "2012-03-05"},
            {"age_years": "11", "identification_date": "2025-06-01"},
            "2y|estimate",
        ),
        (
            {"birth_date": "2012-03-05"},
            {"age_years": "4", "identification_date": "2025-06-01"},
            "far|estimate",
        ),
        ({"birth_date": "2012-03-05"}, {}, "missing"),
    ],
)
def test_age_agreement_levels(left, right, expected):
    a = birth_range(record=record(report_date="2025-01-01", **left), side="left")
    b = birth_range(record=record(**right), side="right")
    assert _birth_level(a, b) == expected


def test_compare_reads_surname_first_and_maman():
    left = prepare(
        record=record(
            given_names="Kossi",
            family_name="Mensah",
            mother_name="Afi Lawson",
            report_date="2025-01-01",
        ),
        side="left",
    )
    right = prepare(
        record=record(
            given_names="Mensah",
            family_name="Kwasi",
            mother_name="Maman Afi",
            identification_date="2025-05-01",
        ),
        side="right",
    )
    levels = compare(left, right)
    assert levels["order"] == "swapped"
    assert levels["family"] == "exact" and levels["given"] == "variant"
    assert levels["mother"] == "agree"


def test_surname_in_capitals_is_put_back_before_comparing():
    left = prepare(
        record=record(given_names="Kossi", family_name="Mensah", report_date="2025-01-01"),
        side="left",
    )
    right = prepare(
        record=record(given_names="MENSAH", family_name="Kwasi", identification_date="2025-05-01"),
        side="right",
    )
    levels = compare(left, right)
    assert "order" not in levels
    assert (levels["family"], levels["given"]) == ("exact", "variant")
