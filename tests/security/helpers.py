"""What the security tests share."""

from __future__ import annotations

import re

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# Paths that answer without a session, or are the way to sign in, to set up the second factor,
# or to leave: an unverified member of an MFA role may still reach them.
OPEN = (
    "/static/",
    "/i18n/",
    "/healthz",
    "/federation/inbox/",
    "/federation/hello/",
    "/accounts/",
)


def database_text() -> str:
    """Every value of every table, as someone with a copy of the database sees it."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks += [str(v) for row in cursor.fetchall() for v in row]
    return "\n".join(chunks)


def every_url(patterns=None, prefix: str = "") -> list[str]:
    """Every URL of the project, with placeholder values for its parameters."""
    values = {"int": "1", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001", "str": "x"}
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        for name, value in values.items():
            route = re.sub(rf"<{name}:\w+>", value, route)
        route = re.sub(r"<\w+>", "x", route)
        if isinstance(pattern, URLResolver):
            found += every_url(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "(?P" not in route and "^" not in route:
            found.append("/" + prefix + route)
    return found
