"""The SMS gateway webhook's door: a generic JSON POST signed with a shared secret.

The gateway (RapidPro, a telecom aggregator, a relay) sends ``{"from": …, "text": …, "id": …}``
with three headers: ``X-Corridor-Timestamp`` (Unix seconds), ``X-Corridor-Nonce`` (unique per
request) and ``X-Corridor-Signature``, the hex HMAC-SHA256 under the node secret ``sms-gateway``
of ``<timestamp>.<nonce>.`` followed by the raw body. ``open_request`` checks in a fixed order
and refuses with a stable code: size, headers, clock, signature, replay, encoding, JSON, fields.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.intake.models import WebhookNonce

MAX_BODY = 16 * 1024
WINDOW_SECONDS = 300
SECRET_NAME = "sms-gateway"


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Sms:
    sender: str
    text: str
    gateway_id: str


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}.{nonce}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def secret() -> str:
    return settings.NODE.secret(SECRET_NAME)


def open_request(headers, body: bytes, *, now: float | None = None) -> Sms:
    """The SMS a signed request carries, or ``Refused``. The nonce is recorded by the caller's
    transaction (``nonce_use``), so a request refused later leaves no trace."""
    if len(body) > MAX_BODY:
        raise Refused(413, "too_large", _("The request is too large."))
    timestamp = headers.get("X-Corridor-Timestamp", "")
    nonce = headers.get("X-Corridor-Nonce", "")
    given = headers.get("X-Corridor-Signature", "")
    if not (timestamp and nonce and given) or len(nonce) > 100:
        raise Refused(401, "unsigned", _("The request is not signed."))
    try:
        age = abs((now or time.time()) - int(timestamp))
    except ValueError:
        raise Refused(401, "bad_timestamp", _("The timestamp is not a number.")) from None
    if age > WINDOW_SECONDS:
        raise Refused(401, "stale", _("The request is too old or its clock is wrong."))
    if not hmac.compare_digest(signature(secret(), timestamp, nonce, body), given.lower()):
        raise Refused(401, "bad_signature", _("The signature does not match."))
    if WebhookNonce.objects.filter(nonce=nonce).exists():
        raise Refused(409, "replay", _("This request was already received."))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "encoding", _("The request body is not UTF-8 text.")) from None
    try:
        payload = json.loads(text)
    except ValueError:
        raise Refused(400, "malformed_json", _("The request body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise Refused(400, "malformed_json", _("The request body must be a JSON object."))
    fields = {k: payload.get(k, "") for k in ("from", "text", "id")}
    if any(not isinstance(v, str | int) or isinstance(v, bool) for v in fields.values()):
        raise Refused(400, "bad_field", _("“from”, “text” and “id” must be text."))
    return Sms(sender=str(fields["from"]), text=str(fields["text"]), gateway_id=str(fields["id"]))


def nonce_use(nonce: str) -> None:
    """Record the nonce (inside the request's transaction) and forget those past the window."""
    WebhookNonce.objects.filter(
        seen_at__lt=timezone.now() - timedelta(seconds=2 * WINDOW_SECONDS)
    ).delete()
    WebhookNonce.objects.create(nonce=nonce)
