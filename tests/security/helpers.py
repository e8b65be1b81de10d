"""What the security tests share."""

from __future__ import annotations

from django.db import connection


def database_text() -> str:
    """Every value of every table, as someone with a copy of the database sees it."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks += [str(v) for row in cursor.fetchall() for v in row]
    return "\n".join(chunks)
