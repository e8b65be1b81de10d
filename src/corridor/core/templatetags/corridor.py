"""Template helpers: show vocabulary codes as their translated labels."""

from django import template
from django.utils.translation import gettext_lazy

from corridor.core.vocab import vocabulary

register = template.Library()

# Words that statistical tables keep as stable English keys (UNODC, SDG, exports), shown translated.
TABLE_WORDS = {
    "female": gettext_lazy("female"),
    "male": gettext_lazy("male"),
    "unknown": gettext_lazy("unknown"),
    "child": gettext_lazy("child"),
    "adult": gettext_lazy("adult"),
    "national": gettext_lazy("national"),
    "foreign": gettext_lazy("foreign"),
    "Unknown": gettext_lazy("unknown"),
}


@register.filter
def table_word(value):
    """A statistical table's key (``female``, ``child``, ``national`` …) in the reader's
    language; anything else as it is."""
    return TABLE_WORDS.get(value, value)


@register.filter
def vocab_label(code: str, name: str) -> str:
    return vocabulary(name).label(code) if code else ""


@register.filter
def said(text: str) -> str:
    """A sentence the node wrote into a record, in the reader's language (``core.said``)."""
    from corridor.core.said import again

    return again(text)


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
def node_name(node) -> str:
    """A node (a Peer or a node's name) by its country: "Gabon", not "gabon"."""
    from corridor.federation.peers import node_label

    return node_label(node)


@register.filter
def region_name(code) -> str:
    from corridor.core.countries import region_name as name

    return name(code)


@register.filter
def short_date(value) -> str:
    """A date, or a date written ISO-style in stored JSON ("2026-10-10"), as the reader writes
    dates ("10/10/2026"); anything else as it is."""
    import datetime

    from django.utils import formats

    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return "" if value is None else str(value)


@register.filter
def language_names(codes) -> str:
    from corridor.core.countries import language_name

    codes = [codes] if isinstance(codes, str) else codes or []
    return ", ".join(language_name(code) for code in codes)


@register.simple_tag
def colon() -> str:
    """The colon after a label: ``" :"`` with a no-break space in French (its typography wants a
    space before ``:``), ``":"`` in English. Write ``{% translate "Age" %}{% colon %}``."""
    from corridor.core.numbers import colon as colon_text

    return colon_text()


@register.filter
def in_a_list(items):
    """Items between semicolons as the reader writes them: ``a ; b`` in French."""
    from corridor.core.numbers import in_a_list as in_a_list_text

    return in_a_list_text(items)


@register.filter
def money(value, currency: str = ""):
    """An amount as a person reads it, currency after: ``{{ event.amount|money:event.currency }}``
    gives ``175 000 XAF`` in French."""
    from corridor.core.numbers import money as money_text

    return money_text(value, currency)


@register.filter
def decimal(value, places: int = 1):
    """A number with at most ``places`` decimals in the reader's format (``0,5`` in French)."""
    from corridor.core.numbers import decimal as decimal_text

    return decimal_text(value, places)


@register.inclusion_tag("core/bars.html")
def bars(rows):
    """Counts as bars to scale: ``{% bars rows %}`` with ``rows`` as ``(label, count)`` pairs. A
    label that is a date reads as its month ("janv. 2025")."""
    from datetime import date

    rows = list(rows or [])
    return {
        "rows": [(label, isinstance(label, date), n) for label, n in rows],
        "top": max((n for _label, n in rows), default=0),
    }


class _CardsNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        from corridor.core.cards import as_cards

        return as_cards(self.nodelist.render(context))


@register.tag
def cards(parser, token):
    """``{% cards %}<table>…</table>{% endcards %}``: a list that reads as one card per row on a
    phone. Each cell is labelled with its column's heading (``data-label``), so a template
    writes its headings once."""
    nodelist = parser.parse(("endcards",))
    parser.delete_first_token()
    return _CardsNode(nodelist)


@register.filter
def hours_minutes(hours) -> str:
    """A duration given in hours as a person reads a clock: ``2.3`` → "2 h 18 min", ``26`` →
    "26 h 00 min"."""
    if hours in (None, ""):
        return ""
    minutes = round(float(hours) * 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


@register.simple_tag
def filter_fold(form, search=False) -> dict:
    """A list's filter form split for a phone: the search box (the first field, when the form
    has one) stays in sight, the other fields fold behind a button that counts those the reader
    set to something other than their initial value; the fold opens when one is set or refused."""
    fields = form.visible_fields()
    shown, folded = (fields[:1], fields[1:]) if search else ([], fields)
    count = sum(_filter_set(field) for field in folded)
    return {
        "shown": shown,
        "folded": folded,
        "set": count,
        "open": bool(count or any(field.errors for field in folded)),
    }


def _filter_set(field) -> bool:
    if not field.form.is_bound:
        return False
    data = field.form.data
    given = (
        data.getlist(field.html_name) if hasattr(data, "getlist") else [data.get(field.html_name)]
    )
    given = [str(value) for value in given if value not in (None, "")]
    return bool(given) and given != [str(field.initial or "")]
