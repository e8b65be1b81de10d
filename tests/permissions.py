"""The permission matrix: every view against anonymous, each role, another agency and the other
country (RapidPro's assertRequestDisallowed, generalised)."""

from __future__ import annotations

from django.test import Client

from corridor.accounts.models import Role


def expected_status(*, allowed: bool) -> set[int]:
    return {200} if allowed else {403, 404}


def check_matrix(
    url: str,
    people: dict,
    allowed: set[str],
    *,
    method: str = "get",
    data=None,
    other_agency_allowed: set[str] | None = None,
) -> list[str]:
    """Return the list of violations (empty when the matrix holds).

    ``allowed`` lists the roles of the home agency that may use the view. Users of another agency
    in the same country get the same answer unless ``other_agency_allowed`` names the roles that
    still get in (their scope hides the home agency's records from the others). Users of the other country never get in.
    """
    problems = []
    anonymous = getattr(Client(), method)(url, data or {})
    if anonymous.status_code != 302 or "/accounts/login/" not in anonymous.headers.get(
        "Location", ""
    ):
        problems.append(f"anonymous {method.upper()} {url} -> {anonymous.status_code}")
    for role in Role.values:
        cases = [
            (people[role], role in allowed),
            (
                people[f"other_agency.{role}"],
                role in (allowed if other_agency_allowed is None else other_agency_allowed),
            ),
            (people[f"other_country.{role}"], False),
        ]
        for user, ok in cases:
            client = Client()
            client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
            response = getattr(client, method)(url, data or {})
            status = response.status_code
            good = (
                (status in (200, 302))
                if ok and method == "post"
                else (status in expected_status(allowed=ok))
            )
            if not good:
                problems.append(
                    f"{user.username} {method.upper()} {url} -> {status} (allowed={ok})"
                )
    return problems
