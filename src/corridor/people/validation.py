"""Checks shared by forms, services and imports: phones, countries, languages, dates."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def e164(raw: str, *, region: str | None = None) -> str:
    """Parse a phone number as written locally or internationally; store it as E.164."""
    try:
        number = phonenumbers.parse(raw, region or settings.NODE_COUNTRY)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(raw)s” is not a phone number.") % {"raw": raw}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(raw)s” is not a valid phone number for its country.") % {"raw": raw}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def country_codes(values) -> list[str]:
    codes = []
    for value in values or []:
        code = str(value).strip().upper()
        if not code:
            continue
        if pycountry.countries.get(alpha_2=code) is None:
            raise ValidationError(
                _("“%(code)s” is not an ISO 3166 country code.") % {"code": value}
            )
        codes.append(code)
    return list(dict.fromkeys(codes))


def language_codes(values) -> list[str]:
    codes = []
    for value in values or []:
        code = str(value).strip().lower()
        if not code:
            continue
        if (
            pycountry.languages.get(alpha_3=code) is None
            and pycountry.languages.get(alpha_2=code) is None
        ):
            raise ValidationError(
                _("“%(code)s” is not an ISO 639 language code.") % {"code": value}
            )
        language = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(alpha_2=code)
        codes.append(language.alpha_3)
    return list(dict.fromkeys(codes))


def not_in_future(day: date | None, *, label: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError(_("%(label)s cannot be in the future.") % {"label": label})
