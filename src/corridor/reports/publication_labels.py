"""What a published aggregate says, in the reader's language: the breakdown it is published by
(``sex`` → "sexe") and each of its categories (``female``, ``child``, ``TG``, ``Forced
labour`` …). The stored figures keep their stable keys (they are what the CSV publishes); pages
name them by these labels, never by the raw field name."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DIMENSION_LABELS = {
    "sex": _("sex"),
    "age": _("age group"),
    "exploitation": _("form of exploitation"),
    "citizenship": _("citizenship"),
    "status": _("victim status"),
}

CATEGORY_LABELS = {
    "female": _("female"),
    "male": _("male"),
    "other or unknown": _("other or unknown"),
    "child": _("child"),
    "adult": _("adult"),
    "possible": _("possible victim"),
    "actual": _("victim"),
    "other": _("other country"),
    "Unknown": _("unknown"),
    # CTDC's forms of exploitation (reports/vocab/ctdc.yaml, ``concatenated``)
    "Forced labour": _("Forced labour"),
    "Sexual exploitation": _("Sexual exploitation"),
    "Forced marriage": _("Forced marriage"),
    "Forced military": _("Forced military service"),
    "Organ removal": _("Organ removal"),
    "Slavery and similar practices": _("Slavery and similar practices"),
    "Other": _("Other"),
}


def dimension_label(name: str) -> str:
    """The breakdown ``name`` as a reader says it ("par sexe", "by age group")."""
    return str(DIMENSION_LABELS.get(name, name))


def category_label(dimension: str, key: str) -> str:
    """One published category in the reader's language (a country code by its name)."""
    if key in CATEGORY_LABELS:
        return str(CATEGORY_LABELS[key])
    if dimension == "citizenship":
        from corridor.core.countries import country_name

        return country_name(key)
    return key


def _day(iso: str) -> str:
    """A period's ISO day as the reader writes a date ("01/01/2026" in French)."""
    from datetime import date

    from django.utils.formats import date_format

    try:
        return date_format(date.fromisoformat(iso), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return iso or ""


def _ctdc_title(start: str, end: str) -> str:
    return gettext("CTDC export %(start)s – %(end)s") % {"start": start, "end": end}


def default_title(kind: str, dimension: str = "", period=None) -> str:
    """The title a publication gets when the coordinator gives none, in the active language."""
    if kind == "dp":
        return gettext("Identified victims by %(d)s") % {"d": dimension_label(dimension)}
    start, end = period or ("", "")
    return _ctdc_title(_day(start), _day(end))


def heading(publication) -> str:
    """A publication's title for the reader: a default title (in whatever language it was
    published, or as releases before labels wrote it: "… by sex") in the reader's language;
    a title the coordinator wrote as it is."""
    from django.conf import settings
    from django.utils import translation

    period = (publication.result or {}).get("period") or ("", "")
    args = (publication.kind, publication.dimension, period)
    defaults = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            defaults.add(default_title(*args))
            defaults.add(gettext("Identified victims by %(d)s") % {"d": publication.dimension})
            defaults.add(_ctdc_title(*period))  # as releases before dates were localised wrote it
    return default_title(*args) if publication.title in defaults else publication.title


def published_counts(publication) -> list[tuple[str, int]]:
    """(label, count) of each category of a differentially private release, in its order."""
    counts = (publication.result or {}).get("counts", {})
    return [(category_label(publication.dimension, k), v) for k, v in counts.items()]
