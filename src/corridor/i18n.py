"""Translation for code that must stay importable without Django (matching, graph, forms).

Strings are marked with ``_()`` so that ``makemessages`` extracts them into the same catalogue as
the rest of the node; they are translated through Django when its settings are configured.
"""


def gettext(message: str) -> str:
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext as django_gettext

            return django_gettext(message)
    except ImportError:  # pragma: no cover - Django is a dependency, but the core must not need it
        pass
    return message


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
    return singular if count == 1 else plural


def gettext_noop(message: str) -> str:
    """Mark a string for the catalogue without translating it (``makemessages`` extracts this
    name, never an alias of it): for a table built at import, before a reader's language is
    known, whose strings are translated with ``_`` where they are read."""
    return message


def percent(share: float) -> str:
    """A share (``0.85``) as a whole percentage in the reader's format (``85 %`` in French),
    through ``corridor.core.numbers`` when Django is configured, else ``85%``."""
    try:
        from django.conf import settings

        if settings.configured:
            from corridor.core.numbers import percent as localised

            return localised(share)
    except ImportError:  # pragma: no cover
        pass
    return f"{share:.0%}"
