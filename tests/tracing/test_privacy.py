"""The privacy-preserving look-up: no name in what is sent, the right child comes first."""

from __future__ import annotations

import json

import pytest

from corridor.tracing import clk
from corridor.tracing.lookup import lookup_answer, lookup_request_build
from tests.tracing.conftest import make_child

pytestmark = pytest.mark.django_db

KEY_PAIR = clk.pair_key(secret="shared by togo and gabon", nodes=("togo", "gabon"))
OTHER_KEY = clk.pair_key(secret="another pair", nodes=("togo", "gabon"))


def test_pair_key_is_symmetric_and_per_pair():
    assert clk.pair_key(secret="s", nodes=("gabon", "togo")) == clk.pair_key(
        secret="s", nodes=("togo", "gabon")
    )
    assert clk.pair_key(secret="s", nodes=("togo", "benin")) != clk.pair_key(
        secret="s", nodes=("togo", "gabon")
    )


def test_encoding_contains_no_name_date_or_place(tracing_request):
    payload = lookup_request_build(requests=[tracing_request], key=KEY_PAIR, query_id="q1")
    text = json.dumps(payload).lower()
    for word in ("akuvi", "mensah", "afi", "kodjo", "palim", "kloto", "2014", "tg"):
        assert word not in text
    assert set(payload) == {"version", "query_id", "queries"}
    assert set(payload["queries"][0]) == {"id", "clk"}
    assert payload["queries"][0]["id"] == str(tracing_request.uid)
    assert len(clk.from_text(payload["queries"][0]["clk"])) == clk.BITS // 8


def test_the_right_child_comes_first_with_the_shared_key(caseworker, child, tracing_request):
    _person, case = child
    make_child(caseworker, given="Ama", family="Mensah", birth_year=2010)
    make_child(
        caseworker,
        given="Kossi",
        family="Agbeko",
        gender="Masculine",
        place="Aného",
        prefecture="Lacs",
    )
    payload = lookup_request_build(requests=[tracing_request], key=KEY_PAIR, query_id="q1")
    answer = lookup_answer(payload=payload, key=KEY_PAIR, floor=0.0)
    assert answer["query_id"] == "q1"
    assert answer["candidates"][0]["id"] == str(case.uid)
    assert answer["candidates"][0]["score"] > 0.7
    assert set(answer["candidates"][0]) == {"query", "id", "score"}
    scores = [c["score"] for c in answer["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_a_node_without_the_key_learns_nothing(caseworker, child, tracing_request):
    payload = lookup_request_build(requests=[tracing_request], key=KEY_PAIR, query_id="q1")
    answer = lookup_answer(payload=payload, key=OTHER_KEY, floor=0.0)
    assert max(c["score"] for c in answer["candidates"]) < 0.5
    assert lookup_answer(payload=payload, key=OTHER_KEY)["candidates"] == []


def test_dice_of_an_encoding_with_itself_is_one():
    record = {"record_id": "x", "given_names": "Kossi", "family_name": "Agbeko", "sex": "M"}
    encoded = clk.encode(record=record, key=KEY_PAIR, side="left")
    assert clk.dice(encoded, encoded) == 1.0
    swapped = {**record, "given_names": "AGBEKO", "family_name": "Kossi"}
    assert clk.dice(encoded, clk.encode(record=swapped, key=KEY_PAIR, side="left")) == 1.0
    variant = {**record, "given_names": "Kwasi"}
    similar = clk.dice(encoded, clk.encode(record=variant, key=KEY_PAIR, side="left"))
    assert 0.8 < similar < 1.0


def test_no_birth_year_in_clear():
    record = {"record_id": "x", "given_names": "Kossi", "birth_year": "2014"}
    assert "2014" not in clk.to_text(clk.encode(record=record, key=KEY_PAIR, side="left"))
