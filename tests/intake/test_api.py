"""The intake API against the permission matrix, and its writes through the same services."""

from __future__ import annotations

import pytest

from corridor.accounts.models import Role
from corridor.intake import services
from corridor.intake.models import Handoff, Intake
from tests.api.permissions import check_api_matrix, token_client

R = Role
CASE_STAFF = {R.CASEWORKER, R.SUPERVISOR}


@pytest.mark.api_matrix(
    "GET api:handoff-list",
    "GET api:handoff-detail",
    "POST api:handoff-accept",
    "POST api:handoff-open-case",
)
def test_handoff_api_matrix(people, handoff):
    readers = {*CASE_STAFF, R.COORDINATOR, R.BORDER_OFFICER}
    assert check_api_matrix("/api/handoffs/", people, readers) == []
    url = f"/api/handoffs/{handoff.uid}/"
    assert (
        check_api_matrix(
            url,
            people,
            {R.BORDER_OFFICER, R.COORDINATOR},
            other_agency_allowed={*CASE_STAFF, R.COORDINATOR},
        )
        == []
    )
    assert (
        check_api_matrix(
            f"{url}accept/", people, set(), method="post", other_agency_allowed=CASE_STAFF
        )
        == []
    )
    assert (
        check_api_matrix(
            f"{url}open-case/", people, set(), method="post", other_agency_allowed=CASE_STAFF
        )
        == []
    )
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.CASE_OPENED and handoff.case is not None
    body = token_client(people["border_officer"]).get(url).json()
    assert "person" not in body and body["status"] == "case_opened"


@pytest.mark.api_matrix("GET api:intake-list", "GET api:intake-detail", "POST api:intake-list")
def test_intake_api_matrix(people):
    readers = {R.CALL_TAKER, R.COORDINATOR, *CASE_STAFF}
    assert check_api_matrix("/api/intakes/", people, readers) == []
    intake = services.intake_record(actor=people["call_taker"], concern="Enfant seul.")
    assert (
        check_api_matrix(
            f"/api/intakes/{intake.uid}/",
            people,
            {R.CALL_TAKER, R.COORDINATOR},
            other_agency_allowed={R.COORDINATOR},
        )
        == []
    )
    data = {"concern": "Une fillette mendie au carrefour.", "urgency": "day"}
    assert (
        check_api_matrix(
            "/api/intakes/", people, {R.CALL_TAKER, R.COORDINATOR}, method="post", data=data
        )
        == []
    )
    bad = token_client(people["call_taker"]).post(
        "/api/intakes/", {"concern": " ", "urgency": "soon"}, format="json"
    )
    assert bad.status_code == 400 and "urgency" in bad.json()
    assert Intake.objects.count() == 5  # one recorded, then one per allowed caller
