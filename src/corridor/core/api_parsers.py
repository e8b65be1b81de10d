"""The API's request parsers (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``). DRF imports them
while it builds its views, so this module imports nothing of DRF's but its parsers and
exceptions."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, saying in the reader's language where a body stops being JSON (DRF's
    own "JSON parse error - Expecting property name…" is English whatever the language)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as error:
            cause = error.__context__
            if isinstance(cause, json.JSONDecodeError):
                message = _(
                    "The request body is not valid JSON (line %(line)s, column %(column)s)."
                ) % {"line": cause.lineno, "column": cause.colno}
            else:  # not UTF-8, a NaN …
                message = _("The request body is not valid JSON.")
            raise exceptions.ParseError(message) from None
