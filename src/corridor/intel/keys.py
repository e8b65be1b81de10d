"""Natural keys of intelligence entities: one spelling per phone, plate, document and account.

Django-free so that the ingest parser, the services and the tests share it. A key is what makes
two records of the same number the same entity, and what makes a re-import add nothing.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from corridor.i18n import _

NODE_REGIONS = {"TG": ("TG", "GA"), "GA": ("GA", "TG")}

# Characters that OCR, handwriting and radio spelling confuse on plates and document numbers.
CONFUSABLE = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"}
)


class KeyError_(ValueError):
    """A value that cannot be turned into a key; the message says what was expected."""


def phone_e164(raw: str, *, region: str = "TG") -> str:
    """The E.164 form of a number written locally (90 12 34 56) or internationally (+228…).

    A national number is read in ``region`` (the node's country). Anything that is not a valid
    number of some country is refused: an operator file with garbage in the caller column is
    an error to show, not a phone to invent.
    """
    text = (raw or "").strip()
    if not text:
        raise KeyError_(_("the phone number is empty"))
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise KeyError_(_("“%(value)s” is not a phone number") % {"value": raw[:40]}) from None
    if not phonenumbers.is_valid_number(parsed):
        raise KeyError_(
            _("“%(value)s” is not a valid phone number (expected for example +228 90 12 34 56)")
            % {"value": raw[:40]}
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_country(e164: str) -> str:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None)) or ""
    except phonenumbers.NumberParseException:
        return ""


def _ascii_upper(raw: str) -> str:
    text = unicodedata.normalize("NFKD", raw or "")
    return "".join(c for c in text if not unicodedata.combining(c)).upper()


def plate_key(raw: str) -> str:
    """A plate without spaces, hyphens or dots, in capitals: ``TG 1234-AB`` → ``TG1234AB``."""
    key = re.sub(r"[^A-Z0-9]", "", _ascii_upper(raw))
    if len(key) < 3:
        raise KeyError_(_("“%(value)s” is not a registration plate") % {"value": (raw or "")[:40]})
    return key


def document_key(raw: str) -> str:
    """A document number in capitals without separators."""
    key = re.sub(r"[^A-Z0-9]", "", _ascii_upper(raw))
    if len(key) < 3:
        raise KeyError_(_("“%(value)s” is not a document number") % {"value": (raw or "")[:40]})
    return key


def account_key(raw: str, *, region: str = "TG") -> str:
    """A mobile-money wallet is its phone number; a bank account its number without spaces."""
    try:
        return phone_e164(raw, region=region)
    except KeyError_:
        key = re.sub(r"[^A-Z0-9]", "", _ascii_upper(raw))
        if len(key) < 5:
            raise KeyError_(
                _("“%(value)s” is neither a wallet phone number nor an account number")
                % {"value": (raw or "")[:40]}
            ) from None
        return key


def confusable_key(key: str) -> str:
    """The key with look-alike characters folded, to propose ``TG1234AB`` ~ ``TG12З4A8``."""
    return key.translate(CONFUSABLE)


def national_digits(e164: str) -> str:
    """The last eight digits: a Beninese number (ten digits since 2024, 01 + the old eight) keyed
    as a Togolese one, or the reverse, shares them."""
    return re.sub(r"\D", "", e164)[-8:]
