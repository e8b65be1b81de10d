"""Pagination that stays fast on deep pages of large lists.

The page's primary keys are found first on the bare table (an index scan), and only those rows
are then loaded with their joins, instead of joining every row the OFFSET skips over.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PER_PAGE = 50


def paginate(queryset, number, *, per_page: int = PER_PAGE) -> Page:
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
