"""Message types by what they mean ("Statut du référencement"), not their code."""

from django import template

from corridor.federation.registry import message_type_label

register = template.Library()


@register.filter
def message_label(type_code: str) -> str:
    return message_type_label(type_code)
