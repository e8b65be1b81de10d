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


@register.filter
def country_names(codes) -> str:
    """``["TG", "GA"]`` or ``"TG"`` → "Togo, Gabon"."""
    from corridor.core.countries import country_name

    codes = [codes] if isinstance(codes, str) else codes or []
    return ", ".join(country_name(code) for code in codes)


@register.filter
def language_names(codes) -> str:
    from corridor.core.countries import language_name

    codes = [codes] if isinstance(codes, str) else codes or []
    return ", ".join(language_name(code) for code in codes)
