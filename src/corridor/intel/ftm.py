"""FollowTheMoney (FtM) export of intelligence records, for Aleph, OpenAleph and other FtM tools.

Input is plain dicts, one per record, so that the Django ``intel`` app (or a CSV import) can feed
its rows without this module knowing its models::

    {"schema": "Person", "id": "P-12", "properties": {"name": "KOSSI Agbéko", "phone": "+228…"}}
    {"schema": "Payment", "id": "T-7", "properties": {"payer": "P-12", "beneficiary": "P-40",
     "payerAccount": "W-3", "amount": 25000, "currency": "XOF", "date": "2025-03-01"}}

Property names are FtM's own. Entity-valued properties (``payer``, ``holder``, ``person`` …)
name other records by their local id and are rewritten to the exported entity ids. Helpers below
build the records the corridor needs (people, organisations, mobile-money wallets, phones as
calls, vehicles, addresses, identity papers, and the relationships between them).

FtM has no Phone schema: a number is a ``phone`` property of the Person or Organization who uses
it, and a call record is a ``Call`` (caller, receiver, callerNumber, receiverNumber, date,
duration). A mobile-money wallet is a ``BankAccount`` whose ``accountType`` says so, and a transfer
a ``Payment`` between two holders and their accounts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from followthemoney import model
from followthemoney.exc import InvalidData

from corridor.i18n import _

__all__ = [
    "FtmExport",
    "to_ftm",
    "to_ftm_jsonl",
    "validate_entity",
    "person",
    "organization",
    "address",
    "bank_account",
    "mobile_money_wallet",
    "vehicle",
    "identification",
    "passport",
    "call",
    "payment",
    "relation",
    "graph_records",
]

RELATION_SCHEMAS = {
    "Family": ("person", "relative"),
    "Associate": ("person", "associate"),
    "Employment": ("employer", "employee"),
    "Ownership": ("owner", "asset"),
    "Representation": ("agent", "client"),
    "UnknownLink": ("subject", "object"),
}


def _record(schema: str, record_id: str, properties: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "schema": schema,
        "id": str(record_id),
        "properties": {
            k: v for k, v in properties.items() if v is not None and v != [] and v != ""
        },
    }


def person(
    *,
    id: str,
    name: str,
    aliases: Iterable[str] = (),
    first_name: str | None = None,
    last_name: str | None = None,
    birth_date: str | None = None,
    gender: str | None = None,
    nationality: str | None = None,
    country: str | None = None,
    phones: Iterable[str] = (),
    address: str | None = None,
    role: str | None = None,
) -> dict[str, Any]:
    """A person; ``birth_date`` may be partial ("2011", "2011-04"), as it often is for children."""
    return _record(
        "Person",
        id,
        {
            "name": name,
            "alias": list(aliases),
            "firstName": first_name,
            "lastName": last_name,
            "birthDate": birth_date,
            "gender": gender,
            "nationality": nationality,
            "country": country,
            "phone": list(phones),
            "addressEntity": address,
            "position": role,
        },
    )


def organization(
    *, id: str, name: str, country: str | None = None, phones: Iterable[str] = ()
) -> dict[str, Any]:
    """An organisation: a business fronting exploitation, a transport company, an agency."""
    return _record("Organization", id, {"name": name, "country": country, "phone": list(phones)})


def address(
    *, id: str, full: str, city: str | None = None, country: str | None = None
) -> dict[str, Any]:
    """A place actors share (a house, a bar, a workshop), linked from ``addressEntity``."""
    return _record("Address", id, {"full": full, "city": city, "country": country})


def bank_account(
    *,
    id: str,
    account_number: str,
    bank_name: str | None = None,
    account_type: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """A bank account; who holds it is an ``Ownership`` relation (owner → asset)."""
    return _record(
        "BankAccount",
        id,
        {
            "accountNumber": account_number,
            "bankName": bank_name,
            "accountType": account_type,
            "country": country,
        },
    )


def mobile_money_wallet(
    *, id: str, number: str, operator: str, country: str | None = None
) -> dict[str, Any]:
    """A mobile-money wallet (T-Money, Flooz, Airtel Money, Moov Money) as an FtM BankAccount."""
    return bank_account(
        id=id,
        account_number=number,
        bank_name=operator,
        account_type="mobile money",
        country=country,
    )


def vehicle(
    *,
    id: str,
    registration_number: str,
    type: str | None = None,
    model_name: str | None = None,
    owner: str | None = None,
    operator: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """A vehicle (bus, taxi-moto, boat) with its registered owner and its driver (operator)."""
    return _record(
        "Vehicle",
        id,
        {
            "registrationNumber": registration_number,
            "name": registration_number,
            "type": type,
            "model": model_name,
            "owner": owner,
            "operator": operator,
            "country": country,
        },
    )


def identification(
    *, id: str, holder: str, number: str, type: str | None = None, country: str | None = None
) -> dict[str, Any]:
    """An identity paper other than a passport (national ID card, birth certificate, permit)."""
    return _record(
        "Identification", id, {"holder": holder, "number": number, "type": type, "country": country}
    )


def passport(
    *, id: str, holder: str, number: str, country: str | None = None, end_date: str | None = None
) -> dict[str, Any]:
    """A passport, real or forged; forged papers are a recurring trafficking indicator."""
    return _record(
        "Passport",
        id,
        {
            "holder": holder,
            "number": number,
            "passportNumber": number,
            "country": country,
            "endDate": end_date,
        },
    )


def call(
    *,
    id: str,
    date: str,
    caller: str | None = None,
    receiver: str | None = None,
    caller_number: str | None = None,
    receiver_number: str | None = None,
    duration_seconds: int | None = None,
) -> dict[str, Any]:
    """A call between two numbers, with the people or organisations using them when known."""
    return _record(
        "Call",
        id,
        {
            "date": date,
            "caller": caller,
            "receiver": receiver,
            "callerNumber": caller_number,
            "receiverNumber": receiver_number,
            "duration": duration_seconds,
        },
    )


def payment(
    *,
    id: str,
    payer: str,
    beneficiary: str,
    amount: float,
    currency: str,
    date: str,
    payer_account: str | None = None,
    beneficiary_account: str | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    """A transfer (mobile money or bank) between two holders, XOF in Togo and XAF in Gabon."""
    return _record(
        "Payment",
        id,
        {
            "payer": payer,
            "beneficiary": beneficiary,
            "amount": amount,
            "currency": currency,
            "date": date,
            "payerAccount": payer_account,
            "beneficiaryAccount": beneficiary_account,
            "purpose": purpose,
        },
    )


def relation(
    *,
    schema: str,
    id: str,
    source: str,
    target: str,
    relationship: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
) -> dict[str, Any]:
    """A Family, Associate, Employment, Ownership, Representation or UnknownLink relation.

    ``source`` and ``target`` fill the schema's two ends in reading order: person → relative,
    person → associate, employer → employee, owner → asset, agent → client, subject → object.
    ``relationship`` goes to ``relationship`` (Family, Associate) or ``role`` (the others).
    """
    if schema not in RELATION_SCHEMAS:
        raise ValueError(_("unknown relation schema: %(schema)s") % {"schema": schema})
    first, second = RELATION_SCHEMAS[schema]
    label = "relationship" if schema in ("Family", "Associate") else "role"
    return _record(
        schema,
        id,
        {
            first: source,
            second: target,
            label: relationship,
            "startDate": start_date,
            "endDate": end_date,
        },
    )


@dataclass
class FtmExport:
    """Exported FtM entities (as dicts) and, per record, the problems that kept values out."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _entity_id(*, dataset: str, local_id: str, secret: bytes | None) -> str:
    """Stable, opaque entity id: SHA-1 of dataset and local id, keyed (HMAC) when a secret is
    given so that recipients cannot recover internal record ids by hashing guesses."""
    message = f"{dataset}\x1f{local_id}".encode()
    if secret:
        return hmac.new(secret, message, hashlib.sha1).hexdigest()
    return hashlib.sha1(message).hexdigest()


def _as_list(value: Any) -> list[Any]:
    values = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return [v for v in values if v is not None and v != ""]


def _phone(value: str, *, regions: Iterable[str]) -> str:
    """E.164 form of a number, trying the record's countries then Togo and Gabon, because FtM
    drops any number it cannot parse and local numbers are usually written without +228/+241."""
    for region in [*regions, "TG", "GA"]:
        try:
            parsed = phonenumbers.parse(str(value), region.upper())
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return str(value)


def to_ftm(
    *,
    records: Iterable[Mapping[str, Any]],
    dataset: str = "corridor",
    secret: bytes | None = None,
) -> FtmExport:
    """Turn records into validated FtM entities; a record with a problem is left out and named.

    A value FtM cannot clean (an impossible date, an unparseable phone number), an unknown
    property, a missing required property or a reference to a record not in the batch is a
    problem: exporting a Payment without its payer would silently break the money trail, so
    such records are reported instead of half-exported.
    """
    records = list(records)
    export = FtmExport()
    ids: dict[str, str] = {}
    for record in records:
        local = str(record["id"])
        if local in ids:
            export.problems.append(_("record %(id)s: duplicate id") % {"id": local})
            continue
        ids[local] = _entity_id(dataset=dataset, local_id=local, secret=secret)
    emitted: set[str] = set()
    for record in records:
        local = str(record["id"])
        if ids.get(local) is None or ids[local] in emitted:
            continue
        emitted.add(ids[local])
        problems = _record_problems(record, ids=ids)
        if problems:
            export.problems.extend(problems)
            continue
        export.entities.append(_build(record, ids=ids).to_dict())
    return export


def _record_problems(record: Mapping[str, Any], *, ids: Mapping[str, str]) -> list[str]:
    local = record["id"]
    schema = model.get(record.get("schema", ""))
    if schema is None:
        return [
            _("record %(id)s: unknown FtM schema %(schema)s")
            % {"id": local, "schema": record.get("schema")}
        ]
    if schema.abstract:
        return [
            _("record %(id)s: FtM schema %(schema)s is abstract")
            % {"id": local, "schema": schema.name}
        ]
    problems = []
    properties = record.get("properties", {})
    for name, raw in properties.items():
        prop = schema.get(name)
        if prop is None:
            problems.append(
                _("record %(id)s: %(schema)s has no property %(prop)s")
                % {"id": local, "schema": schema.name, "prop": name}
            )
            continue
        if prop.type.name == "entity":
            for ref in _as_list(raw):
                if str(ref) not in ids:
                    problems.append(
                        _("record %(id)s: %(prop)s refers to %(ref)s, which is not in the export")
                        % {"id": local, "prop": name, "ref": ref}
                    )
    for name in schema.required:
        if not _as_list(properties.get(name)):
            problems.append(
                _("record %(id)s: %(schema)s needs %(prop)s")
                % {"id": local, "schema": schema.name, "prop": name}
            )
    if problems:
        return problems
    proxy = _build(record, ids=ids)
    for name, raw in properties.items():
        wanted = len(set(map(str, _as_list(raw))))
        kept = len(proxy.get(name))
        if kept < wanted:
            problems.append(
                _("record %(id)s: %(prop)s has a value that is not a valid %(type)s: %(value)s")
                % {"id": local, "prop": name, "type": schema.get(name).type.name, "value": raw}
            )
    return problems + validate_entity(proxy.to_dict())


def _build(record: Mapping[str, Any], *, ids: Mapping[str, str]):
    schema = model.get(record["schema"])
    proxy = model.make_entity(schema)
    proxy.id = ids[str(record["id"])]
    properties = record.get("properties", {})
    regions = [
        str(c)
        for c in _as_list(properties.get("country")) + _as_list(properties.get("nationality"))
    ]
    for name, raw in properties.items():
        prop = schema.get(name)
        values = _as_list(raw)
        if prop.type.name == "entity":
            values = [ids[str(v)] for v in values]
        elif prop.type.name == "phone":
            values = [_phone(v, regions=regions) for v in values]
        elif prop.type.name == "number":
            values = [str(v) for v in values]
        proxy.add(prop, values, quiet=True)
    return proxy


def validate_entity(data: Mapping[str, Any]) -> list[str]:
    """Problems FtM finds in one serialised entity: schema, id, property values, required ones.

    Loads the entity as FtM would read it from a file (``model.get_proxy(data, cleaned=False)``)
    and checks that cleaning keeps every value and that the schema's own validation passes.
    """
    name = data.get("id") or "?"
    schema = model.get(data.get("schema", ""))
    if schema is None:
        return [_("entity %(id)s: unknown schema") % {"id": name}]
    if not data.get("id"):
        return [_("entity without id")]
    problems = []
    try:
        proxy = model.get_proxy(dict(data), cleaned=False)
    except InvalidData as error:
        return [_("entity %(id)s: %(error)s") % {"id": name, "error": error}]
    properties = data.get("properties", {})
    for prop_name, values in properties.items():
        if len(proxy.get(prop_name)) < len(set(values)):
            problems.append(
                _("entity %(id)s: invalid %(prop)s value") % {"id": name, "prop": prop_name}
            )
    for prop_name in schema.required:
        if not proxy.get(prop_name):
            problems.append(_("entity %(id)s: missing %(prop)s") % {"id": name, "prop": prop_name})
    try:
        schema.validate(proxy.to_dict())
    except InvalidData as error:
        problems.append(_("entity %(id)s: %(error)s") % {"id": name, "error": error.errors})
    return problems


def to_ftm_jsonl(entities: Iterable[Mapping[str, Any]]) -> str:
    """One entity per line, the format ``ftm`` and Aleph import (``ftm import-json``)."""
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entities)


NODE_LABELS = {
    "Person": "name",
    "Organization": "name",
    "Company": "name",
    "BankAccount": "accountNumber",
    "Vehicle": "registrationNumber",
    "Address": "full",
}
EDGE_ENDS = {
    **RELATION_SCHEMAS,
    "Payment": ("payer", "beneficiary"),
    "Call": ("caller", "receiver"),
}
LINK_PROPERTIES = {"owner": "owner", "operator": "operator", "addressEntity": "address"}


def graph_records(
    *, records: Iterable[Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges for :func:`corridor.intel.graph.build_network` from the same records.

    People, organisations, accounts, vehicles and addresses become nodes (``kind`` is the schema,
    ``country`` the first country). Relations, payments and calls become edges from their first
    to their second end, dated by ``date`` or ``startDate``/``endDate``; a vehicle's owner and
    operator and a person's address become undated edges. Identity papers are attributes of
    their holder, not actors, and are left out. One set of records thus feeds both the FtM export
    and the network analysis, so the two cannot disagree.
    """
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for record in records:
        schema = record["schema"]
        properties = record.get("properties", {})
        if schema in NODE_LABELS:
            label = _as_list(properties.get(NODE_LABELS[schema]))
            country = _as_list(properties.get("country")) or _as_list(properties.get("nationality"))
            nodes.append(
                {
                    "id": str(record["id"]),
                    "kind": schema,
                    "label": str(label[0]) if label else None,
                    "country": str(country[0]).upper() if country else None,
                }
            )
            for prop, kind in LINK_PROPERTIES.items():
                for other in _as_list(properties.get(prop)):
                    edges.append({"source": str(other), "target": str(record["id"]), "kind": kind})
        elif schema in EDGE_ENDS:
            first, second = EDGE_ENDS[schema]
            times: dict[str, Any] = {}
            when = _as_list(properties.get("date"))
            if when:
                times["time"] = str(when[0])
            else:
                for key, name in (("start", "startDate"), ("end", "endDate")):
                    value = _as_list(properties.get(name))
                    if value:
                        times[key] = str(value[0])
            for source in _as_list(properties.get(first)):
                for target in _as_list(properties.get(second)):
                    edges.append(
                        {"source": str(source), "target": str(target), "kind": schema, **times}
                    )
    return nodes, edges
