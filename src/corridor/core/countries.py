"""Countries and languages by name, in the reader's language (pycountry's ISO names and their
translations), so that nobody reads ``TG`` or ``ewe`` where a person would write Togo or Éwé."""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

import pycountry
from django.utils import translation
from django.utils.translation import gettext_lazy


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


def region_name(code: str) -> str:
    """``TG-M`` → "Maritime", ``GA-1`` → "Estuaire" (ISO 3166-2, without the kind of division
    the name carries in brackets); anything else, a region written out, as it is."""
    region = pycountry.subdivisions.get(code=(code or "").upper()) if code else None
    if region is None:
        return code or ""
    return _translated("iso3166-2", region.name).split(" (")[0]


# The names the corridor gives languages where ISO 639-3's read oddly here: Fang is Gabon's
# language as much as Equatorial Guinea's, and Myene, Njebi and Swahili have French names
# pycountry lacks.
LANGUAGE_NAMES = {
    "fan": gettext_lazy("Fang"),
    "mye": gettext_lazy("Myene"),
    "nzb": gettext_lazy("Nzebi"),
    "swa": gettext_lazy("Swahili"),
    "sw": gettext_lazy("Swahili"),
    "kng": gettext_lazy("Kikongo"),
}


def language_name(code: str) -> str:
    """``ewe`` or ``ee`` → "Éwé" (French) / "Ewe" (English); unknown codes as they are."""
    code = (code or "").lower()
    if code in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[code])
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


# The corridor's own and neighbouring countries come first in a picker, then every other one.
CORRIDOR_COUNTRIES = ("TG", "GA", "BJ", "GH", "NG", "BF", "CI", "NE", "ML", "CM", "GQ", "CG")

# Languages people on this corridor speak (ISO 639-3): a picker, not the 7,000 of ISO 639-3.
CORRIDOR_LANGUAGES = (
    "fra", "eng", "por", "ara", "ewe", "kbp", "gej", "fon", "yor", "hau", "ibo", "aka",
    "gux", "mos", "dyu", "bam", "ful", "wol", "fan", "mye", "puu", "nzb", "tsv", "lin",
    "kng", "swa",
)  # fmt: skip


def country_picker_choices() -> list[tuple[str, str]]:
    """Every country by name in the reader's language, the corridor's first."""
    first = sorted(country_choices(list(CORRIDOR_COUNTRIES)), key=lambda pair: _sort_key(pair[1]))
    rest = [pair for pair in country_choices() if pair[0] not in CORRIDOR_COUNTRIES]
    return first + rest


def language_choices() -> list[tuple[str, str]]:
    """The corridor's languages by name in the reader's language, stored as ISO 639-3 codes."""
    named = [(code, language_name(code)) for code in CORRIDOR_LANGUAGES]
    return sorted(
        (pair for pair in named if pair[1] != pair[0]), key=lambda pair: _sort_key(pair[1])
    )


def _sort_key(name: str) -> str:
    """Éwé sorts with the E's."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
