"""``{% person_duplicates person %}``: the possible duplicates of a person, for the person page."""

from __future__ import annotations

from django import template
from django.db.models import Q

from corridor.tracing.selectors import visible_duplicates

register = template.Library()


@register.inclusion_tag("tracing/_duplicates.html", takes_context=True)
def person_duplicates(context, person):
    """Scoped by the reader: pairs whose two people the user can both see."""
    user = context["request"].user
    pairs = visible_duplicates(user).filter(Q(first=person) | Q(second=person))[:20]
    return {"person": person, "pairs": pairs, "request": context["request"]}
