"""The permission matrix for API endpoints: anonymous, each role, another agency and the other
country, each with a real token (``tests/permissions.py`` is its page twin)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.urls import resolve
from rest_framework.test import APIClient

from corridor.accounts.models import ApiToken, Role

# Route names (``api:case-detail``) whose matrix the running test has checked; the
# ``api_matrix`` marker's names must all be in it when the test ends (tests/conftest.py).
CHECKED_ROUTES: set[str] = set()


def token_client(user) -> APIClient:
    """A client with a valid token for ``user``, minted directly (as after the second factor)
    so that users the node would never issue one to (the other country's) can be tried too."""
    client = APIClient()
    _token, key = ApiToken.objects.mint(user=user, second_factor=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def check_api_matrix(
    url: str,
    people: dict,
    allowed: set[str],
    *,
    method: str = "get",
    data=None,
    other_agency_allowed: set[str] | None = None,
) -> list[str]:
    """Violations of the matrix (empty when it holds). Allowed reads answer 200; allowed writes
    anything but 401/403/404 (a 400 means the request got past the permission check). Users of
    another agency get the same answer unless ``other_agency_allowed`` names the roles that still
    get in, as in ``tests/permissions.check_matrix``. Other countries never get in."""
    CHECKED_ROUTES.add(f"{method.upper()} {resolve(urlsplit(url).path).view_name}")
    problems = []
    anonymous = getattr(APIClient(), method)(url, data or {}, format="json")
    if anonymous.status_code != 401:
        problems.append(f"anonymous {method.upper()} {url} -> {anonymous.status_code}")
    for role in Role.values:
        other_ok = role in (allowed if other_agency_allowed is None else other_agency_allowed)
        for key, ok in (
            (role, role in allowed),
            (f"other_agency.{role}", other_ok),
            (f"other_country.{role}", False),
        ):
            user = people[key]
            status = getattr(token_client(user), method)(url, data or {}, format="json").status_code
            if method == "get":
                good = status == 200 if ok else status in (403, 404)
            else:
                good = status not in (401, 403, 404, 405) if ok else status in (403, 404)
            if not good:
                problems.append(
                    f"{user.username} {method.upper()} {url} -> {status} (allowed={ok})"
                )
    return problems
