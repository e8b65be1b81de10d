from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from corridor.accounts.models import Role
from corridor.flows.models import FlowCount

pytestmark = [pytest.mark.django_db]


def _login(client, user):
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("/api/flows/points/", {Role.COORDINATOR, Role.ADMINISTRATOR, Role.BORDER_OFFICER}),
        ("/api/flows/daily/", {Role.COORDINATOR, Role.ADMINISTRATOR, Role.BORDER_OFFICER}),
        ("/api/published/", {Role.PARTNER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    ],
)
def test_api_roles(people, points, client, url, allowed):
    assert client.get(url).status_code in (401, 403)
    for role in Role.values:
        for key in (role, f"other_country.{role}"):
            status = _login(client, people[key]).get(url).status_code
            ok = role in allowed and key == role
            assert (status == 200) == ok, (key, url, status)


def test_api_sheet_and_daily(people, points, client):
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    row = {
        "direction": "in",
        "sex": "m",
        "age_group": "child",
        "nationality": "TG",
        "transport": "foot",
        "reason": "family",
        "count": 6,
    }
    officer = _login(client, people[Role.BORDER_OFFICER])
    created = officer.post(
        "/api/flows/sheets/",
        {"point": "TG-KOD", "day": day, "rows": [row]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["travellers"] == 6
    refused = officer.post(
        "/api/flows/sheets/",
        {"point": "TG-CIN", "day": day, "rows": [row]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and FlowCount.objects.count() == 1
    bad = officer.post(
        "/api/flows/sheets/",
        {"point": "TG-KOD", "day": day, "rows": [row | {"nationality": "ZZ"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    daily = _login(client, people[Role.COORDINATOR]).get(f"/api/flows/daily/?start={day}").json()
    assert daily == [{"point": "TG-KOD", "day": day, "persons": 6, "children": 6, "inbound": 6}]
    assert (
        _login(client, people[Role.PARTNER])
        .post(
            "/api/flows/sheets/",
            {"point": "TG-KOD", "day": day, "rows": [row]},
            content_type="application/json",
        )
        .status_code
        == 403
    )
