"""The justice API: the permission matrix of every route, and the chain through the API."""

from __future__ import annotations

from datetime import date

import pytest

from corridor.justice import services
from tests.api.permissions import check_api_matrix, token_client

JUSTICE = {"judicial_police", "prosecutor"}
BASE = "/api/justice/"


@pytest.mark.django_db
@pytest.mark.api_matrix(
    "GET api:criminal-case-list",
    "POST api:criminal-case-list",
    "GET api:criminal-case-detail",
    "POST api:criminal-case-accused",
    "POST api:criminal-case-victims",
    "GET api:accused-detail",
    "POST api:accused-events",
    "GET api:victim-detail",
    "POST api:victim-measures",
    "POST api:victim-decide",
)
def test_matrix(people, criminal_case, accused, prosecutor, victim_case, case_without_consent):
    link = services.victim_link(
        actor=prosecutor, criminal_case=criminal_case, case_ref=victim_case.ref
    )
    measure = services.measure_request(
        actor=prosecutor, victim=link, measure="legal_aid", requested_on=date(2026, 1, 6)
    )
    own = set()  # another jurisdiction's police and prosecutors read none of this case
    problems = check_api_matrix(f"{BASE}criminal-cases/", people, JUSTICE)
    problems += check_api_matrix(
        f"{BASE}criminal-cases/",
        people,
        JUSTICE,
        method="post",
        data={"title": "Filière", "jurisdiction": "tg_lome"},
    )
    case_url = f"{BASE}criminal-cases/{criminal_case.pk}/"
    problems += check_api_matrix(case_url, people, JUSTICE, other_agency_allowed=own)
    problems += check_api_matrix(
        f"{case_url}accused/",
        people,
        JUSTICE,
        method="post",
        data={"name": "Afi KOUMA", "complaint_on": "2026-01-05", "offences": ["smuggling"]},
        other_agency_allowed=own,
    )
    problems += check_api_matrix(
        f"{case_url}victims/",
        people,
        JUSTICE,
        method="post",
        data={"case_ref": case_without_consent.ref, "legal_ground": "legal_obligation"},
        other_agency_allowed=own,
    )
    accused_url = f"{BASE}accused/{accused.pk}/"
    problems += check_api_matrix(accused_url, people, JUSTICE, other_agency_allowed=own)
    problems += check_api_matrix(
        f"{accused_url}events/",
        people,
        JUSTICE,
        method="post",
        data={"kind": "arrest", "date": "2026-01-07"},
        other_agency_allowed=own,
    )
    victim_url = f"{BASE}victims/{link.pk}/"
    problems += check_api_matrix(victim_url, people, JUSTICE, other_agency_allowed=own)
    problems += check_api_matrix(
        f"{victim_url}measures/",
        people,
        JUSTICE,
        method="post",
        data={"measure": "screen", "requested_on": "2026-01-07"},
        other_agency_allowed=own,
    )
    problems += check_api_matrix(
        f"{victim_url}decide/",
        people,
        {"prosecutor"},
        method="post",
        data={"measure": measure.pk, "status": "granted", "decided_on": "2026-01-08"},
        other_agency_allowed=own,
    )
    assert problems == []


@pytest.mark.django_db
def test_the_chain_through_the_api_and_its_refusals(people, criminal_case, accused):
    client = token_client(people["prosecutor"])
    url = f"{BASE}accused/{accused.pk}/events/"
    for kind, day in (("arrest", "2026-01-10"), ("referral", "2026-01-11")):
        assert client.post(url, {"kind": kind, "date": day}, format="json").status_code == 201
    response = client.post(url, {"kind": "sentence", "date": "2026-01-12"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    response = client.post(url, {"kind": "indictment", "date": "2026-01-09"}, format="json")
    assert response.status_code == 400 and "2026-01-10" in response.json()["date"][0]
    detail = client.get(f"{BASE}criminal-cases/{criminal_case.pk}/").json()
    assert [a["stage"] for a in detail["accused"]] == ["referred"]
    response = client.post(
        f"{BASE}criminal-cases/{criminal_case.pk}/accused/",
        {"name": "TSOGBE Komlan", "complaint_on": "2026-01-05", "offences": ["smuggling"]},
        format="json",
    )
    assert response.status_code == 400 and "name" in response.json()
