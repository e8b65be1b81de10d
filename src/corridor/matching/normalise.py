"""Name normalisation, variant families and phonetic keys for West African and French names.

The same child is written "KOSSI Agbéko", "Kosi Agbeko" and "Agbeko Kwasi" depending on who holds
the pen. Everything that compares or indexes names goes through these helpers so that person
search, duplicate detection and family tracing agree on what "the same name" means.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

import yaml

__all__ = [
    "fold",
    "normalise_name",
    "name_tokens",
    "phonetic_key",
    "typo_neighbours",
    "variant_family",
    "token_key",
    "name_keys",
    "split_mother_name",
    "parent_tokens",
    "orient_name",
    "load_variant_families",
    "load_traditions",
    "naming_tradition",
]

_SEPARATORS = re.compile(r"[\s\-‐‑–—_/.,;:()]+")
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_NON_LETTERS = re.compile(r"[^a-z ]")
_MOTHER_PREFIXES = ("maman", "mama", "mami", "mme", "madame", "mere", "na")
_PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    ("tch", "C"),
    ("tsh", "C"),
    ("ch", "S"),
    ("sh", "S"),
    ("dzh", "J"),
    ("dj", "J"),
    ("dz", "J"),
    ("j", "J"),
    ("ph", "f"),
    ("qu", "k"),
    ("ck", "k"),
    ("gn", "ny"),
    ("eau", "o"),
    ("au", "o"),
    ("ou", "u"),
    ("oo", "u"),
    ("ai", "e"),
    ("ei", "e"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "u"),
    ("y", "i"),
    ("z", "s"),
)


@functools.lru_cache(maxsize=500_000)
def fold(text: str | None) -> str:
    """Lower-case, strip accents and map every separator to one space.

    Apostrophes vanish ("d'Almeida" -> "dalmeida", "Ouro-Bang'na" -> "ouro bangna") because
    clerks drop them as often as they keep them; hyphens become spaces because compound given
    names are written with and without them.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("æ", "ae").replace("œ", "oe").replace("ß", "ss")
    lowered = _APOSTROPHES.sub("", ascii_text.lower())
    spaced = _SEPARATORS.sub(" ", lowered)
    return " ".join(_NON_LETTERS.sub("", spaced).split())


def normalise_name(text: str | None) -> str:
    """Return the comparable form of a name: folded, single-spaced, no honorific "Maman"."""
    return " ".join(name_tokens(text))


def name_tokens(text: str | None) -> list[str]:
    """Split a folded name into tokens, dropping a leading "Maman"/"Mama" honorific."""
    tokens = fold(text).split()
    while len(tokens) > 1 and tokens[0] in _MOTHER_PREFIXES:
        tokens = tokens[1:]
    return tokens


@functools.lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """Collapse the spellings French, English and Ewe orthographies give to one sound.

    K/C/Q, ou/u/w, dj/dz/j, y/i, silent h, doubled letters, a final nasal n ("Komlan"/"Komla")
    and a final e ("Ekoué"/"Ekou") are all merged. The key is for comparison, not display.
    """
    key = fold(token).replace(" ", "")
    if not key:
        return ""
    key = re.sub(r"c(?=[eiy])", "s", key)
    for src, dst in _PHONETIC_RULES:
        key = key.replace(src, dst)
    key = key.replace("c", "k").replace("h", "")
    key = _DOUBLED.sub(r"\1", key)
    if len(key) > 3 and key.endswith("e"):
        key = key[:-1]
    if len(key) > 3 and key.endswith("n") and key[-2] in "aeiou":
        key = key[:-1]
    return key.lower()


def typo_neighbours(token: str, *, as_written: bool = True) -> set[str]:
    """A token's phonetic key and, from four letters on, each way of dropping one letter of it
    (SymSpell style): two spellings one typo apart ("Agbemadon"/"Agbemaodn", "Alassani"/
    "Aassani") share one. A typo is a letter as written, not as heard, so the phonetic keys of
    the written name with a letter dropped are neighbours too: "Tcchassama", "Tcahssama" and
    "Thcassama" meet "Tchassama" (key "casama") although their own keys ("tksasama",
    "tkasama") are two letters from it. A deletion that brings two equal letters together is
    merged as the phonetic key merges them: "Kkou" (key "ku") is "Kokou" (key "koku") with a
    letter dropped. The matching engine's blocking and the person index's typo keys both read
    these."""
    key = phonetic_key(token)
    if not key:
        return set()
    keys = {key}
    if len(key) >= 4:
        keys.update(_DOUBLED.sub(r"\1", key[:i] + key[i + 1 :]) for i in range(len(key)))
    written = fold(token).replace(" ", "") if as_written else ""
    if len(written) >= 4:
        # Uncached: a register's every deletion would push its names out of the cache.
        spelt = phonetic_key.__wrapped__
        keys.update(spelt(written[:i] + written[i + 1 :]) for i in range(len(written)))
        keys.discard("")
    return keys


_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=1)
def _name_data() -> dict:
    text = (
        resources.files("corridor.matching").joinpath("data/name_variants.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


def load_variant_families() -> dict[str, dict]:
    """The variant families shipped in ``data/name_variants.yaml``."""
    return _name_data()["families"]


def load_traditions() -> dict[str, list[str]]:
    """The naming traditions of given names shipped in ``data/name_variants.yaml``."""
    return _name_data()["traditions"]


@functools.lru_cache(maxsize=1)
def _variant_index() -> tuple[dict[str, str], dict[str, str]]:
    by_token: dict[str, str] = {}
    by_phonetic: dict[str, str] = {}
    ambiguous: set[str] = set()
    for family, spec in load_variant_families().items():
        for variant in [family, *spec["variants"]]:
            for token in fold(variant).split()[:1]:
                by_token.setdefault(token, family)
                key = phonetic_key(token)
                if by_phonetic.get(key, family) != family:
                    ambiguous.add(key)
                by_phonetic[key] = family
    for key in ambiguous:
        by_phonetic.pop(key, None)
    return by_token, by_phonetic


@functools.lru_cache(maxsize=200_000)
def variant_family(token: str) -> str | None:
    """Name of the variant family a token belongs to ("Kwasi" -> "kossi"), or None."""
    by_token, by_phonetic = _variant_index()
    folded = fold(token).replace(" ", "")
    return by_token.get(folded) or by_phonetic.get(phonetic_key(folded))


@functools.lru_cache(maxsize=1)
def _tradition_index() -> dict[str, str]:
    """Folded token, or "=" and a variant family, to its naming tradition."""
    index: dict[str, str] = {}
    for tradition, names in load_traditions().items():
        for name in names:
            for token in name_tokens(name):
                index[token] = tradition
                family = variant_family(token)
                if family:
                    index[f"={family}"] = tradition
    return index


@functools.lru_cache(maxsize=200_000)
def naming_tradition(token: str) -> str | None:
    """The naming tradition of a given-name token ("day", "ewe", "northern", "muslim",
    "christian"; "Kwasi" -> "day"), or None for a name the lists do not know."""
    index = _tradition_index()
    folded = fold(token).replace(" ", "")
    found = index.get(folded)
    if found is None:
        family = variant_family(folded)
        found = index.get(f"={family}") if family else None
    return found


@functools.lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """Blocking and search key of one token: its variant family, else its phonetic key."""
    family = variant_family(token)
    return f"={family}" if family else phonetic_key(token)


def name_keys(text: str | None) -> set[str]:
    """Keys under which a name is indexed for person search and duplicate detection."""
    return {token_key(token) for token in name_tokens(text) if token}


def split_mother_name(text: str | None) -> list[str]:
    """Tokens of a parent's name with the honorific removed ("Maman Afi" -> ["afi"])."""
    return name_tokens(text)


def parent_tokens(text: str | None) -> list[str]:
    """Tokens of a parent's name, honorific removed and the family name last: "MENSAH Afi"
    (the surname first, in capitals) gives ["afi", "mensah"], as "Afi Mensah" does."""
    words = (text or "").split()
    while len(words) > 1 and fold(words[0]) in _MOTHER_PREFIXES:
        words = words[1:]
    if len(words) > 1 and _is_upper(words[0]) and not _is_upper(" ".join(words[1:])):
        words = [*words[1:], words[0]]
    return name_tokens(" ".join(words))


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def orient_name(*, given_names: str, family_name: str) -> tuple[list[str], list[str]]:
    """Return (given tokens, family tokens), undoing an evident surname-first entry.

    When the given-names field is written in capitals and the family-name field is not, the
    clerk has put the surname first (the usual West African convention on forms); the two are
    swapped. Ambiguous cases are left as written and the comparison tries both orders.
    """
    given, family = given_names or "", family_name or ""
    if _is_upper(given) and not _is_upper(family) and family.strip():
        given, family = family, given
    return name_tokens(given), name_tokens(family)
