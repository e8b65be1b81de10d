"""Translation for code that must stay importable without Django (matching, graph, forms).

Strings are marked with ``_()`` so that ``makemessages`` extracts them into the same catalogue as
the rest of the node; they are translated through Django when its settings are configured, and
otherwise (``corridor demo``, ``corridor match`` in a terminal) from the same compiled catalogue,
in the terminal's language when it asks for English and in French, the node's language, else.
"""

import functools
import gettext as stdlib_gettext
import os
from decimal import Decimal
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def terminal_language(environ=os.environ) -> str:
    """The first of our languages that ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``
    names, in the order gettext reads them (``fr_FR.UTF-8`` → ``fr``); French when they name
    none of ours (``C.UTF-8``, unset)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for entry in environ.get(variable, "").split(":"):
            code = entry.split(".")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE


@functools.cache
def _terminal_catalogue() -> stdlib_gettext.NullTranslations:
    return stdlib_gettext.translation(
        "django",
        localedir=Path(__file__).parent / "locale",
        languages=[terminal_language()],
        fallback=True,
    )


def gettext(message: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext as django_gettext

            return django_gettext(message)
    except ImportError:  # pragma: no cover - Django is a dependency, but the core must not need it
        pass
    return _terminal_catalogue().gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that agrees with ``count`` ("1 field", "2 fields")."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import ngettext as django_ngettext

            return django_ngettext(singular, plural, count)
    except ImportError:  # pragma: no cover
        pass
    return _terminal_catalogue().ngettext(singular, plural, count)


def gettext_noop(message: str) -> str:
    """Mark a string for the catalogue without translating it (``makemessages`` extracts this
    name, never an alias of it): for a table built at import, before a reader's language is
    known, whose strings are translated with ``_`` where they are read."""
    return message


def percent(share: float) -> str:
    """A share (``0.85``) as a whole percentage in the reader's format (``85 %`` in French),
    through ``corridor.core.numbers`` when Django is configured, else as the terminal's language
    writes it."""
    try:
        from django.conf import settings

        if settings.configured:
            from corridor.core.numbers import percent as localised

            return localised(share)
    except ImportError:  # pragma: no cover
        pass
    whole = f"{share:.0%}"
    return whole.replace("%", "\u00a0%") if terminal_language() == "fr" else whole


def rounded(value, places: int = 1, *, trim: bool = True) -> str:
    """``value`` rounded to ``places`` decimals as plain digits ("0.51", "14995"), trailing zeros
    dropped unless ``trim`` is false: the figure ``decimal`` and ``core.numbers`` then write in
    the reader's format."""
    text = f"{float(value):.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def decimal(value: float, places: int = 1, *, trim: bool = True) -> str:
    """``value`` rounded to ``places`` decimals (trailing zeros dropped unless ``trim`` is false,
    for a column of figures), thousands grouped, in the reader's format ("14 995", "0,51" in
    French): through ``corridor.core.numbers`` when Django is configured, else as the terminal's
    language writes it."""
    try:
        from django.conf import settings

        if settings.configured:
            from corridor.core.numbers import decimal as localised

            return localised(value, places, trim=trim)
    except ImportError:  # pragma: no cover
        pass
    text = f"{Decimal(rounded(value, places, trim=trim)):,}"
    # grouped by a narrow no-break space, as Django writes French numbers
    return text.replace(",", "\u202f").replace(".", ",") if terminal_language() == "fr" else text


def labelled(label: str) -> str:
    """A label before its value or list: "Courtiers :" in French, "Brokers:" in English."""
    return _("%(label)s:") % {"label": label}
