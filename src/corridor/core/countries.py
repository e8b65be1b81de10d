"""Countries and languages by name, in the reader's language (pycountry's ISO names and their
translations), so that nobody reads ``TG`` or ``ewe`` where a person would write Togo or Éwé."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils import translation


@lru_cache(maxsize=8)
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _translated(domain: str, name: str) -> str:
    language = (translation.get_language() or "fr").split("-")[0]
    return _catalogue(domain, language).gettext(name)


def country_name(code: str) -> str:
    """``TG`` → "Togo"; an unknown code is shown as it is."""
    country = pycountry.countries.get(alpha_2=(code or "").upper()) if code else None
    return _translated("iso3166-1", country.name) if country else (code or "")


def language_name(code: str) -> str:
    """``ewe`` or ``ee`` → "Éwé" (French) / "Ewe" (English); unknown codes as they are."""
    code = (code or "").lower()
    language = pycountry.languages.get(alpha_3=code) or (
        pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    )
    if language is None:
        return code
    name = _translated("iso639-3", language.name)
    return name[:1].upper() + name[1:]


def country_choices(codes=None) -> list[tuple[str, str]]:
    """(code, name) for the given codes, or every country, sorted by name in the reader's
    language."""
    chosen = codes or [c.alpha_2 for c in pycountry.countries]
    return sorted(((c, country_name(c)) for c in chosen), key=lambda pair: pair[1])
