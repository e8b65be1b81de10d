"""Intelligence codes as a person reads them: HTCDS roles, parts in an event, entity, link and
event kinds, and the keys of an entity's details, each by its translated label. Records keep
the codes (they travel in exports and between nodes); pages, legends and PDFs show these."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from corridor.core.numbers import money
from corridor.intel.models import (
    AccountType,
    DocumentType,
    EntityKind,
    EventKind,
    LinkKind,
    PersonRole,
)

PARTS = {
    "caller": _("caller"),
    "callee": _("callee"),
    "sender": _("sender"),
    "receiver": _("receiver"),
}
DETAIL_KEYS = {
    "place": _("Place"),
    "type": _("Type"),
    "document_type": _("Document type"),
    "suspected_forgery": _("Suspected forgery"),
    "account_type": _("Account type"),
    "operator": _("Operator"),
    # a smuggler named by a smuggled migrant (cases.services.smuggling)
    "amount_paid": _("Amount paid"),
    "currency": _("Currency"),
    "paid_to": _("Paid to"),
    "route": _("Route"),
    "transport_means": _("Means of transport"),
    "aggravating": _("Aggravating circumstances"),
}
DETAIL_VALUES = {"document_type": DocumentType, "account_type": AccountType}


def _list_label(key: str, code: str) -> str:
    """A code of a smuggling fact's list: a means of transport by its vocabulary label, an
    aggravating circumstance by its field's name (``SmugglingFacts.aggravating``)."""
    if key == "transport_means":
        from corridor.core.vocab import vocabulary

        return vocabulary("cases.transport_means").label(code)
    from django.core.exceptions import FieldDoesNotExist

    from corridor.cases.models import SmugglingFacts

    try:
        return str(SmugglingFacts._meta.get_field(code).verbose_name)
    except FieldDoesNotExist:
        return code


def _label(choices, code) -> str | None:
    try:
        return str(choices(code).label)
    except ValueError:
        return None


def role_label(code: str) -> str:
    """An HTCDS ``per_RoleInProcess`` value (``Transporter``) by its label."""
    return _label(PersonRole, code) or code


def role_labels(codes) -> str:
    return ", ".join(role_label(code) for code in codes or [])


def kind_label(code: str) -> str:
    """An entity, link or event kind by its label (the three never share a code)."""
    for choices in (EntityKind, LinkKind, EventKind):
        label = _label(choices, code)
        if label:
            return label
    return code or ""


def part_label(code: str) -> str:
    """An entity's part in an event: caller, sender … or, when none was given, its kind."""
    if code in PARTS:
        return str(PARTS[code])
    return _label(EntityKind, code) or role_label(code)


def detail_rows(details: dict) -> list[tuple[str, str]]:
    """An entity's free details as (label, value) rows: known keys and coded values
    translated, a yes/no as a word, a list as its labels; an empty value is left out."""
    rows = []
    for key, value in (details or {}).items():
        if value in ("", None, [], {}) or (key == "currency" and details.get("amount_paid")):
            continue  # (the currency is said with the amount)
        label = str(DETAIL_KEYS.get(key, key.replace("_", " ").capitalize()))
        if isinstance(value, list):
            value = ", ".join(_list_label(key, str(code)) for code in value)
        elif isinstance(value, bool):
            value = gettext("yes") if value else gettext("no")
        elif key in DETAIL_VALUES:
            value = _label(DETAIL_VALUES[key], value) or value
        elif key == "amount_paid":
            value = money(value, details.get("currency", ""))
        rows.append((label, value))
    return rows
