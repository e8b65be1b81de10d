"""Template helpers: show vocabulary codes as their translated labels."""

from django import template

from corridor.core.vocab import vocabulary

register = template.Library()


@register.filter
def vocab_label(code: str, name: str) -> str:
    return vocabulary(name).label(code) if code else ""


@register.filter
def vocab_labels(codes, name: str) -> str:
    vocab = vocabulary(name)
    return ", ".join(vocab.label(code) for code in codes or [])
