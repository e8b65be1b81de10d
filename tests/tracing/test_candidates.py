"""Candidates of a tracing request are blocked in the database (the person index and a window of
birth years) and only those are ranked: the same children as ranking the whole pool, in a number
of queries that does not grow with the pool."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corridor.matching.features import prepare
from corridor.people import services as people_services
from corridor.tracing import ranking
from corridor.tracing.selectors import (
    blocked_children,
    candidate_children,
    open_requests_context,
    ranked_candidates,
)
from corridor.tracing.services import tracing_request_create
from tests.tracing.conftest import REQUEST, make_child

pytestmark = pytest.mark.django_db

NAMESAKES = [
    # (given, family, gender, birth year, place, prefecture, mother)
    ("Akouvi", "Mensah", "Feminine", 2014, "Kpalimé", "Kloto", "Afi Mensah"),  # the child
    ("Akuvi", "MENSAH", "Feminine", 2012, "Lomé", "Golfe", ""),
    ("Akuvi", "Mensah", "Feminine", 2010, "Atakpamé", "Ogou", "Abla Mensah"),
    ("Akouvi", "Mensah", "Masculine", 2015, "Kpalimé", "Kloto", ""),
    ("Ama", "Mensah", "Feminine", 2014, "Kpalimé", "Kloto", "Afi Mensah"),
    ("Akuvi", "Agbeko", "Feminine", 2014, "Kpalimé", "Kloto", ""),
    ("MENSAH", "Akuvi", "Feminine", 2013, "Palimé", "Kloto", ""),  # surname first
    ("Akouvi", "Mensah", "Feminine", None, "Kpalimé", "Kloto", ""),  # birth unknown
]
OTHERS = [
    ("Yao", "Koffi", "Masculine", 2014, "Sokodé", "Tchaoudjo", ""),
    ("Essi", "Amouzou", "Feminine", 2011, "Aného", "Lacs", ""),
]


def register(caseworker, rows):
    children = []
    for given, family, gender, year, place, prefecture, mother in rows:
        person, _case = make_child(
            caseworker,
            given=given,
            family=family,
            gender=gender,
            birth_year=year,
            place=place,
            prefecture=prefecture,
            mother=mother,
        )
        children.append(person)
    return children


def ranked_over_the_whole_pool(user, request, *, top_k=10):
    """What ``ranked_candidates`` did before blocking in the database: the whole pool of
    children the user may see, in memory, through the engine's own blocking."""
    pool = list(candidate_children(user))
    parents = ranking.parent_names(pool)
    context = [r.as_record() for r in open_requests_context().exclude(pk=request.pk)]
    return ranking.rank(
        query=request.as_record(),
        pool=[ranking.person_record(p, parents=parents.get(p.pk, {})) for p in pool],
        context=context,
        top_k=top_k,
        rivals=[prepare(record=r, side="left") for r in context],
        requests=len(context) + 1,
    )


def test_the_same_candidates_as_ranking_the_whole_pool(caseworker, tracing_request):
    children = register(caseworker, NAMESAKES + OTHERS)
    people_services.person_create(actor=caseworker, given_names="Akuvi", family_name="Mensah")
    before = ranked_over_the_whole_pool(caseworker, tracing_request)
    after = ranked_candidates(caseworker, tracing_request)
    assert len(before) >= 4  # the sister (Ama: another day name) is ranked below the floor
    assert [(c["person"].pk, c["probability"]) for c in after] == [
        (int(r.record_id), r.probability) for r in before
    ]
    assert after[0]["person"] == children[0]
    assert [c["reasons"] for c in after] == [r.reasons for r in before]


def test_the_same_candidates_when_name_statistics_come_from_the_register(
    caseworker, tracing_request, monkeypatch
):
    """Above ``SMALL_REGISTER`` the name frequencies are the register's own: counted in the
    database over the node's people (here all children), they give the probabilities the
    in-memory pool gave."""
    register(caseworker, NAMESAKES + OTHERS)
    monkeypatch.setattr(ranking, "SMALL_REGISTER", 5)
    before = ranked_over_the_whole_pool(caseworker, tracing_request)
    after = ranked_candidates(caseworker, tracing_request)
    assert [(c["person"].pk, c["probability"]) for c in after] == [
        (int(r.record_id), r.probability) for r in before
    ]
    assert [c["reasons"] for c in after] == [r.reasons for r in before]


def test_blocking_keeps_namesakes_within_the_birth_window(caseworker, tracing_request):
    near = register(caseworker, NAMESAKES)
    far, other = register(
        caseworker,
        [
            ("Akuvi", "Mensah", "Feminine", 2004, "Kpalimé", "Kloto", ""),  # 10 years off
            ("Yao", "Koffi", "Masculine", 2014, "Kpalimé", "Kloto", ""),  # no shared name
        ],
    )
    blocked = set(blocked_children(caseworker, tracing_request))
    assert blocked == set(near)
    assert far not in blocked and other not in blocked


def test_a_birth_corrected_moves_the_child_out_of_the_window_and_back(caseworker, tracing_request):
    """The index files each name key with the person's birth year: a namesake born the request's
    child's year is a candidate, is no longer once her birth is corrected to ten years later
    (the correction re-files her keys), and is again when an estimated age replaces the year."""
    (child,) = register(caseworker, [("Akuvi", "Mensah", "Feminine", 2014, "Kpalimé", "Kloto", "")])
    assert child in set(blocked_children(caseworker, tracing_request))
    people_services.person_update(actor=caseworker, person=child, birth_year=2024)
    assert child not in set(blocked_children(caseworker, tracing_request))
    people_services.person_update(
        actor=caseworker,
        person=child,
        birth_year=None,
        estimated_age=11,
        age_estimated_on=date(2025, 6, 1),
    )
    assert child in set(blocked_children(caseworker, tracing_request))


def test_an_estimated_age_is_placed_in_the_window(caseworker, tracing_request):
    person = people_services.person_create(
        actor=caseworker,
        given_names="Akuvi",
        family_name="Mensah",
        estimated_age=11,
        age_estimated_on=date(2025, 6, 1),
    )
    old = people_services.person_create(
        actor=caseworker,
        given_names="Akuvi",
        family_name="Mensah",
        estimated_age=17,
        age_estimated_on=date(2025, 6, 1),
    )
    from corridor.cases.services import case_open

    case_open(actor=caseworker, person=person)
    case_open(actor=caseworker, person=old)  # born about 2008: still a child, within 6 years
    assert set(blocked_children(caseworker, tracing_request)) == {person, old}


def test_only_the_users_children_are_candidates(people, caseworker, tracing_request):
    register(caseworker, NAMESAKES[:2])
    assert ranked_candidates(people["other_agency.caseworker"], tracing_request) == []
    assert not blocked_children(people["other_agency.supervisor"], tracing_request).exists()


def test_request_page_queries_do_not_grow_with_the_pool(as_user, caseworker, tracing_request):
    client = as_user(caseworker)
    url = reverse("tracing:detail", args=[tracing_request.pk])

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx), len(response.context["candidates"])

    def count_ranking():
        with CaptureQueriesContext(connection) as ctx:
            ranked_candidates(caseworker, tracing_request)
        return len(ctx)

    register(caseworker, NAMESAKES[:3] + OTHERS)
    few, shown = count_queries()
    ranking_few = count_ranking()
    assert shown >= 1
    register(caseworker, NAMESAKES[3:] + NAMESAKES[1:3] + OTHERS * 3)
    many, shown_many = count_queries()
    assert shown_many > shown
    assert many == few
    assert count_ranking() == ranking_few


def test_a_name_written_with_typos_is_still_a_candidate(caseworker, tracing_request):
    """Neither "Akvui" nor "Mnesah" shares a name key with "Akuvi MENSAH"; their typo keys do
    (one letter dropped from the phonetic key), as in the engine's own blocking."""
    child, _unrelated = register(
        caseworker,
        [
            ("Akvui", "Mnesah", "Feminine", 2014, "Kpalimé", "Kloto", ""),
            ("Akvui", "Koffi", "Feminine", 2014, "Kpalimé", "Kloto", ""),
        ],
    )
    assert set(blocked_children(caseworker, tracing_request)) == {child}
    before = ranked_over_the_whole_pool(caseworker, tracing_request)
    after = ranked_candidates(caseworker, tracing_request)
    assert [c["person"] for c in after] == [child]
    assert after[0]["probability"] == before[0].probability > 0.8


def test_a_child_known_by_other_names_is_found_through_her_mother(caseworker, tracing_request):
    """The engine's name-and-mother and mother-and-year keys, in the database (the request seeks
    Akuvi MENSAH, born 2014, whose mother is Afi Mensah): a girl found under names sharing no key
    with the request's is a candidate when her mother is Afi and she was born within a year; one
    sharing the given name is a candidate born three years off when her mother is Afi, not
    otherwise. A mother sharing only the family name ("Abla Mensah") counts for nothing more."""
    renamed, far, akuvi, stranger, aunt = register(
        caseworker,
        [
            ("Dzifa", "Amenyo", "Feminine", 2014, "Kpalimé", "Kloto", "Afi Mensah"),
            ("Dzifa", "Amenyo", "Feminine", 2011, "Kpalimé", "Kloto", "Afi Mensah"),
            ("Akuvi", "Amenyo", "Feminine", 2011, "Kpalimé", "Kloto", "Maman Afi"),
            ("Akuvi", "Amenyo", "Feminine", 2011, "Kpalimé", "Kloto", "Abla Kodjo"),
            ("Akuvi", "Amenyo", "Feminine", 2011, "Kpalimé", "Kloto", "Abla Mensah"),
        ],
    )
    assert set(blocked_children(caseworker, tracing_request)) == {renamed, akuvi}
    tracing_request.mother_name = ""
    assert set(blocked_children(caseworker, tracing_request)) == set()
    assert far and stranger and aunt


def test_a_child_born_on_the_written_date_is_a_candidate_whatever_her_names(caseworker):
    """The engine's date key, in the database: a request writing a birth date finds a child
    registered under other names (renamed, or written from her papers) born that very day, not
    one born the day after; and the date counts as one more name borne in the ranking."""
    from corridor.cases.services import case_open

    request = tracing_request_create(
        actor=caseworker, **{**REQUEST, "birth_date": date(2014, 3, 9), "mother_name": ""}
    )
    renamed, next_day = (
        people_services.person_create(
            actor=caseworker, given_names="Dzifa", family_name="Amenyo", birth_date=day
        )
        for day in (date(2014, 3, 9), date(2014, 3, 10))
    )
    for person in (renamed, next_day):
        case_open(actor=caseworker, person=person)
    assert set(blocked_children(caseworker, request)) == {renamed}
    request.birth_date = None
    assert set(blocked_children(caseworker, request)) == set()


def test_a_crowded_block_keeps_the_best_supported_and_the_child(
    caseworker, tracing_request, monkeypatch
):
    """Beyond ``RANKED_POOL`` candidates, those bearing most of the request's names (each once,
    with or without a typo) and its mother's, born nearest its birth year, are the ones scored:
    the child stays, a namesake born four years off or sharing one name only is left out, a girl
    of that family and that mother born the same year stays, and the ranking is the one over
    the whole block."""
    from corridor.tracing import selectors

    children = register(caseworker, NAMESAKES + OTHERS)
    whole = [c["person"] for c in ranked_candidates(caseworker, tracing_request)]
    monkeypatch.setattr(selectors, "RANKED_POOL", 4)
    blocked = set(blocked_children(caseworker, tracing_request))
    assert len(blocked) == 4 and children[0] in blocked
    assert children[2] not in blocked  # Akuvi Mensah born 2010
    assert children[5] not in blocked  # Akuvi Agbeko: the given name only
    assert children[4] in blocked  # Ama Mensah: the family name and the mother, Afi
    capped = [c["person"] for c in ranked_candidates(caseworker, tracing_request)]
    assert capped[0] == children[0] == whole[0]
    assert capped == [p for p in whole if p in blocked]


def test_a_child_written_with_typos_outranks_namesakes_born_years_apart(
    caseworker, tracing_request, monkeypatch
):
    """ "Akvui Mnesah" bears the request's two names through typo keys only; namesakes spelt
    exactly bear more keys but were born years apart: the child is kept, not them."""
    from corridor.tracing import selectors

    child, *namesakes = register(
        caseworker,
        [
            ("Akvui", "Mnesah", "Feminine", 2014, "Kpalimé", "Kloto", ""),
            ("Akuvi", "Mensah", "Feminine", 2010, "Lomé", "Golfe", ""),
            ("Akuvi", "Mensah", "Feminine", 2011, "Lomé", "Golfe", ""),
            ("Akuvi", "Mensah", "Feminine", 2018, "Lomé", "Golfe", ""),
        ],
    )
    monkeypatch.setattr(selectors, "RANKED_POOL", 2)
    blocked = set(blocked_children(caseworker, tracing_request))
    assert child in blocked and namesakes[1] in blocked  # born 2011: three years off, not four
    assert namesakes[0] not in blocked and namesakes[2] not in blocked


# --- probabilities among competitors (issue 15: the same in the application) ----------------

CROWD = [("Kokou", "Mensah", "Masculine", 2013, "", "", "")] * 6
"""Six boys the register knows only as "Kokou Mensah", born 2013: a name, a year, nothing else."""


def _crowd_request(caseworker, **changes):
    fields = {
        **REQUEST,
        "given_names": "Kokou",
        "family_name": "MENSAH",
        "sex": "M",
        "birth_year": 2013,
        "place_of_origin": "",
        "origin_prefecture": "",
        "mother_name": "",
        "father_name": "",
        **changes,
    }
    return tracing_request_create(actor=caseworker, **fields)


def _competitors(candidate) -> dict:
    (line,) = [r for r in candidate["reasons"] if r["level"] == "competition"]
    return line


def test_among_namesakes_no_child_gets_a_confident_probability(caseworker):
    """One "Kokou Mensah, born 2013" is a strong candidate on his own; among six such boys each
    is one chance in six or less, and the explanation says how many others fit."""
    alone = register(caseworker, CROWD[:1])
    request = _crowd_request(caseworker)
    (single,) = ranked_candidates(caseworker, request)
    assert single["person"] == alone[0] and single["probability"] > 0.5
    assert _competitors(single)["competitors"] == {"children": 0, "requests": 0}

    register(caseworker, CROWD[1:])
    crowded = ranked_candidates(caseworker, request)
    assert len(crowded) == 6
    assert max(c["probability"] for c in crowded) <= 1 / 6 + 1e-9
    line = _competitors(crowded[0])
    assert line["competitors"] == {"children": 5, "requests": 0}
    assert line["weight"] < 0 and line["direction"] == "against"
    assert "5" in line["sentence"]


def test_another_request_for_the_child_competes_the_other_parents_does_not(caseworker):
    """A second family seeking a "Kokou Mensah, born 2013" halves what the first can expect of
    the one such boy; the father's request for the same child (same mother in full, same
    home) is no competitor."""
    register(caseworker, CROWD[:1])
    request = _crowd_request(caseworker, mother_name="Afi Agbeko", place_of_origin="Kpalimé")
    (before,) = ranked_candidates(caseworker, request)
    _crowd_request(
        caseworker,
        requester_relationship="father",
        mother_name="Afi Agbeko",
        place_of_origin="Kpalimé",
    )
    (with_father,) = ranked_candidates(caseworker, request)
    assert with_father["probability"] == pytest.approx(before["probability"])
    assert _competitors(with_father)["competitors"] == {"children": 0, "requests": 0}
    _crowd_request(caseworker, mother_name="Essi Tchalla", place_of_origin="Sokodé")
    (with_stranger,) = ranked_candidates(caseworker, request)
    assert with_stranger["probability"] < before["probability"] * 0.75
    assert _competitors(with_stranger)["competitors"] == {"children": 0, "requests": 1}


def test_a_clear_best_child_has_no_competitor_the_others_have_it(caseworker):
    """The child whose mother agrees leaves the bare namesakes far behind: no other child fits
    the request nearly as well as he does, while he fits it better than each of them."""
    register(caseworker, [("Kokou", "Mensah", "Masculine", 2013, "Kpalimé", "Kloto", "Afi Agbeko")])
    register(caseworker, CROWD[:2])
    request = _crowd_request(caseworker, mother_name="Afi Agbeko", place_of_origin="Kpalimé")
    best, *others = ranked_candidates(caseworker, request)
    assert best["probability"] > 0.9 and len(others) == 2
    assert _competitors(best)["competitors"] == {"children": 0, "requests": 0}
    for other in others:
        assert other["probability"] < 0.1
        assert _competitors(other)["competitors"]["children"] >= 1
