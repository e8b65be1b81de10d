"""FollowTheMoney export: every entity the corridor produces passes FtM's own validation."""

from __future__ import annotations

import json

from followthemoney import model

from corridor.intel import ftm


def _records() -> list[dict]:
    return [
        ftm.person(
            id="P1",
            name="KOSSI Agbéko",
            aliases=["Kosi", "Kwasi"],
            birth_date="1985",
            gender="male",
            nationality="tg",
            phones=["90 12 34 56"],
            address="A1",
        ),
        ftm.person(id="P2", name="Mba Ndong", country="ga", phones=["077 12 34 56"]),
        ftm.person(id="V1", name="Afi (victime, 14 ans)", birth_date="2011", gender="female"),
        ftm.organization(id="O1", name="Transports Express Lomé-Libreville", country="tg"),
        ftm.address(id="A1", full="Quartier Bè, Lomé", city="Lomé", country="tg"),
        ftm.mobile_money_wallet(id="W1", number="+22890123456", operator="T-Money", country="tg"),
        ftm.mobile_money_wallet(
            id="W2", number="+24177123456", operator="Airtel Money", country="ga"
        ),
        ftm.bank_account(
            id="B1", account_number="GA0011122233", bank_name="BGFI Bank", country="ga"
        ),
        ftm.relation(schema="Ownership", id="R1", source="P1", target="W1"),
        ftm.relation(schema="Ownership", id="R2", source="P2", target="W2"),
        ftm.payment(
            id="T1",
            payer="P1",
            beneficiary="P2",
            amount=25000,
            currency="XOF",
            date="2025-03-01T10:00:00",
            payer_account="W1",
            beneficiary_account="W2",
        ),
        ftm.call(
            id="C1",
            date="2025-02-28",
            caller="P1",
            receiver="P2",
            caller_number="+22890123456",
            receiver_number="+24177123456",
            duration_seconds=120,
        ),
        ftm.vehicle(
            id="VH1", registration_number="TG-1234-AB", type="minibus", owner="O1", operator="P1"
        ),
        ftm.passport(id="D1", holder="P2", number="GA123456", country="ga"),
        ftm.identification(id="D2", holder="V1", number="TG-2011-0042", type="acte de naissance"),
        ftm.relation(schema="Family", id="F1", source="P1", target="V1", relationship="oncle"),
        ftm.relation(schema="Associate", id="S1", source="P1", target="P2", relationship="passeur"),
        ftm.relation(
            schema="Employment",
            id="E1",
            source="O1",
            target="P1",
            relationship="chauffeur",
            start_date="2023",
        ),
        ftm.relation(schema="Representation", id="E2", source="P1", target="O1"),
    ]


def test_every_exported_line_loads_and_validates_in_followthemoney():
    export = ftm.to_ftm(records=_records())
    assert export.problems == []
    lines = ftm.to_ftm_jsonl(export.entities).splitlines()
    assert len(lines) == len(_records())
    schemas = set()
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.schema.validate(proxy.to_dict()) is None
        assert ftm.validate_entity(data) == []
        assert proxy.to_dict()["properties"] == data["properties"]
        schemas.add(data["schema"])
    assert schemas == {
        "Person",
        "Organization",
        "Address",
        "BankAccount",
        "Ownership",
        "Payment",
        "Call",
        "Vehicle",
        "Passport",
        "Identification",
        "Family",
        "Associate",
        "Employment",
        "Representation",
    }


def test_references_point_to_exported_entities_and_phones_are_international():
    export = ftm.to_ftm(records=_records())
    by_id = {e["id"]: e for e in export.entities}
    payment = next(e for e in export.entities if e["schema"] == "Payment")
    assert by_id[payment["properties"]["payer"][0]]["properties"]["name"] == ["KOSSI Agbéko"]
    assert by_id[payment["properties"]["payerAccount"][0]]["properties"]["bankName"] == ["T-Money"]
    kossi = by_id[payment["properties"]["payer"][0]]
    assert kossi["properties"]["phone"] == ["+22890123456"]
    mba = by_id[payment["properties"]["beneficiary"][0]]
    assert mba["properties"]["phone"] == ["+24177123456"]


def test_ids_are_stable_and_keyed_when_a_secret_is_given():
    plain = ftm.to_ftm(records=_records())
    again = ftm.to_ftm(records=_records())
    keyed = ftm.to_ftm(records=_records(), secret=b"node secret")
    assert [e["id"] for e in plain.entities] == [e["id"] for e in again.entities]
    assert not {e["id"] for e in plain.entities} & {e["id"] for e in keyed.entities}


def test_bad_records_are_reported_not_exported():
    records = [
        ftm.person(id="P1", name="Kossi"),
        ftm.person(id="P2", name="Bad date", birth_date="2012-13-45"),
        ftm.payment(id="T1", payer="P1", beneficiary="P9", amount=1, currency="XOF", date="2025"),
        {"schema": "Phone", "id": "X1", "properties": {"number": "+22890123456"}},
        {"schema": "Person", "id": "P3", "properties": {"name": "Kossi", "shoeSize": "42"}},
        {"schema": "Person", "id": "P4", "properties": {"alias": "nameless"}},
        ftm.person(id="P1", name="Duplicate"),
    ]
    export = ftm.to_ftm(records=records)
    assert [e["properties"]["name"] for e in export.entities] == [["Kossi"]]
    assert len(export.problems) == 6
    joined = "\n".join(export.problems)
    for fragment in (
        "P2: birthDate",
        "P9",
        "unknown FtM schema Phone",
        "shoeSize",
        "P4: Person needs name",
        "P1: duplicate id",
    ):
        assert fragment in joined


def test_validate_entity_flags_an_invalid_value():
    data = {
        "id": "x1",
        "schema": "Person",
        "properties": {"name": ["A"], "birthDate": ["not a date"]},
    }
    assert ftm.validate_entity(data)
    assert ftm.validate_entity({"id": "x2", "schema": "Payment", "properties": {}})


def test_the_same_records_feed_the_network_analysis():
    from corridor.intel import graph as cg

    nodes, edges = ftm.graph_records(records=_records())
    network = cg.build_network(nodes=nodes, edges=edges)
    assert network.graph.vcount() == 9
    kinds = {e["kind"] for e in edges}
    assert {"Payment", "Call", "Family", "Ownership", "owner", "operator", "address"} <= kinds
    brokers = cg.country_brokers(network)
    assert brokers[0].id == "P1"
    path = cg.temporal_path(network, source="P1", target="P2", directed=True)
    assert [hop.kind for hop in path.hops] == ["Call"]
    assert path.arrival.startswith("2025-02-28")
