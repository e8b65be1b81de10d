"""Message types the federation carries: a JSON schema per type and the handler that applies it.

Other apps (tracing, intel) add their own with ``register_message_type`` in their
``AppConfig.ready()``; see docs/federation.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class MessageType:
    type: str
    schema: dict
    handler: Callable
    on_delivered: Callable | None = None
    label: str = ""

    def validate(self, body) -> None:
        """Raise a ValidationError naming every field that breaks the schema."""
        errors = sorted(
            Draft202012Validator(self.schema).iter_errors(body), key=lambda e: list(e.path)
        )
        if errors:
            raise ValidationError(
                [
                    f"{'/'.join(str(p) for p in e.path) or '(message)'}: {e.message}"
                    for e in errors[:10]
                ]
            )


MESSAGE_TYPES: dict[str, MessageType] = {}


def register_message_type(
    type: str,
    schema: dict,
    handler: Callable,
    *,
    on_delivered: Callable | None = None,
    label: str = "",
) -> None:
    """Declare a message type. ``handler(*, peer, message, body)`` runs on the receiving node
    inside the transaction that records the message, so a handler error rejects the message
    and changes nothing. ``on_delivered(*, outbound, result)`` runs on the sending node when the
    peer's signed receipt arrives. ``label`` (translatable) is what the pages show for it."""
    Draft202012Validator.check_schema(schema)
    MESSAGE_TYPES[type] = MessageType(type, schema, handler, on_delivered, label)


def message_type(type: str) -> MessageType | None:
    return MESSAGE_TYPES.get(type)


def message_type_label(type: str) -> str:
    """What a person reads for a message type: its registered label, else the type itself."""
    registered = MESSAGE_TYPES.get(type)
    return str(registered.label) if registered is not None and registered.label else type


SEND_CHECKS: list[Callable] = []


def register_send_check(check: Callable) -> None:
    """Add a check run by ``message_send`` before a message is queued: ``check(*, peer, type,
    payload)`` raises a ValidationError saying why the message may not leave (e.g. no
    data-sharing agreement in force covers its purpose). The federation itself judges nothing."""
    if check not in SEND_CHECKS:
        SEND_CHECKS.append(check)
