"""Numbers and punctuation as a person reads them, in the active language: the one place Python
code that writes numbers into pages, PDFs or CSV meant for people goes through (``0,5`` and
``12 %`` in French, ``0.5`` and ``12%`` in English). Templates get the same through Django's
localisation (``floatformat``, ``{{ value }}``) and the ``decimal`` and ``colon`` tags."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language

from corridor.i18n import rounded

NBSP = "\u00a0"


def _french() -> bool:
    return (get_language() or "").startswith("fr")


def decimal(value, places: int = 1, *, trim: bool = True) -> str:
    """``value`` rounded to ``places`` decimals, trailing zeros dropped (kept when ``trim`` is
    false, for a column of figures), in the reader's format."""
    if value is None or value == "":
        return ""
    return number_format(
        Decimal(rounded(value, places, trim=trim)), use_l10n=True, force_grouping=True
    )


def money(value, currency: str = "") -> str:
    """An amount with its thousands grouped, its cents only if it has any, and its currency after
    a no-break space: ``175 000 XAF`` in French, ``175,000 XAF`` in English."""
    if value is None or value == "":
        return ""
    cents = Decimal(str(value)).quantize(Decimal("0.01"))
    places = 0 if cents == cents.to_integral_value() else 2
    amount = number_format(cents, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{amount}{NBSP}{currency}" if currency else amount


def percent(value, places: int = 0) -> str:
    """A share (``0.125``) as a percentage: ``12,5 %`` in French, ``12.5%`` in English."""
    if value is None:
        return ""
    return f"{decimal(100 * float(value), places)}{NBSP if _french() else ''}%"


def colon() -> str:
    """``" :"`` (no-break space) in French, ``":"`` in English."""
    return f"{NBSP}:" if _french() else ":"


def semicolon() -> str:
    """``" ;"`` (no-break space) in French, ``";"`` in English: between the parts of a list said
    in words (a chart's description)."""
    return f"{NBSP};" if _french() else ";"


def labelled(label, value) -> str:
    """``label : value`` in French, ``label: value`` in English; the value alone if there is no
    label."""
    return f"{label}{colon()} {value}" if str(label or "") else str(value)


def in_a_list(items) -> str:
    """Items said one after another, between semicolons: ``a ; b`` in French, ``a; b`` in
    English."""
    return f"{semicolon()} ".join(str(item) for item in items)
