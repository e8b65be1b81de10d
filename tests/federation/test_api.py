"""The referral API: same scopes and services as the pages."""

from __future__ import annotations

import pytest

from corridor.accounts.models import Role
from corridor.federation.models import Referral
from tests.federation.test_referrals import _case, _incoming

pytestmark = [pytest.mark.django_db]
BASE = "/api/cross-border-referrals/"


def test_refer_and_decide_through_the_api(people, remote, own_keys, as_user, home_agency):
    worker = people[Role.CASEWORKER]
    case = _case(worker)
    client = as_user(worker)
    bad = client.post(BASE, {"case": case.pk, "peer": "gabon", "purpose": "nope", "reason": "x"})
    assert bad.status_code == 400 and not Referral.objects.exists()
    made = client.post(
        BASE, {"case": case.pk, "peer": "gabon", "purpose": "return", "reason": "Return"}
    )
    assert made.status_code == 201 and made.json()["status"] == "sent"
    assert client.get(BASE).json()["count"] == 1
    _body, token = _incoming(remote, own_keys)
    from corridor.federation import services

    services.inbox_accept(token=token)
    incoming = Referral.objects.get(direction="in")
    assert client.get(f"{BASE}{incoming.pk}/").status_code == 404
    boss = as_user(people[Role.COORDINATOR])
    refused = boss.post(f"{BASE}{incoming.pk}/decide/", {"decision": "accepted"})
    assert refused.status_code == 400
    done = boss.post(
        f"{BASE}{incoming.pk}/decide/", {"decision": "accepted", "agency": home_agency.pk}
    )
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    for role in (Role.PARTNER, Role.INVESTIGATOR, Role.ADMINISTRATOR):
        assert as_user(people[role]).get(BASE).status_code == 403
    assert as_user(people[f"other_country.{Role.COORDINATOR}"]).get(BASE).status_code == 403
