"""Item 9: the handling code is respected on every path out of the intelligence store, and the
printable case file prints hostile names instead of obeying them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from PIL import Image

from corridor.intel import analysis, exchange, exports, selectors, services
from corridor.intel.models import Entity
from tests.api.permissions import token_client

pytestmark = pytest.mark.django_db


def _entity(kind, name, handling):
    return services.entity_create(actor=None, kind=kind, name=name, source="x", handling=handling)


def _link(source, target, handling="P", kind="uses"):
    return services.link_create(
        actor=None,
        kind=kind,
        source_entity=source,
        target_entity=target,
        source="x",
        handling=handling,
    )


def test_an_answer_names_no_linked_entity_whose_handling_forbids_sharing(people):
    phone = _entity("phone", "+241 77 55 44 33", "P")
    _link(_entity("person", "Mbina RESTREINT", "C"), phone)  # the link may be shared, she may not
    _link(_entity("person", "Ondo PARTAGEABLE", "P"), phone)
    _link(_entity("person", "Nzé LIEN-RESTREINT", "P"), phone, handling="C")
    [result] = exchange.intel_request_apply(identifiers=[{"kind": "phone", "value": phone.key}])
    assert [linked["name"] for linked in result["linked"]] == ["Ondo PARTAGEABLE"]
    assert "RESTREINT" not in json.dumps(result)


def test_a_linked_entity_merged_into_a_restricted_one_is_not_named(people):
    phone = _entity("phone", "+241 77 55 44 34", "P")
    duplicate = _entity("person", "Mbina DOUBLON", "P")
    survivor = _entity("person", "Mbina ORIGINAL", "C")
    _link(duplicate, phone)
    services.entity_merge(actor=None, survivor=survivor, duplicate=duplicate)
    [result] = exchange.intel_request_apply(identifiers=[{"kind": "phone", "value": phone.key}])
    assert "Mbina" not in json.dumps(result)


def _network(user):
    return analysis.load_network(
        entities=selectors.visible_entities(user),
        links=selectors.visible_links(user),
        events=selectors.visible_events(user),
    )


def test_exports_carry_each_items_handling_code(people):
    investigator = people["investigator"]
    restricted = _entity("person", "Mbina RESTREINT", "C")
    open_ = _entity("person", "Ondo PARTAGEABLE", "P")
    _link(restricted, open_, kind="associate", handling="C")
    data = _network(investigator)
    text, problems, _count = exports.ftm_export(data, links=selectors.visible_links(investigator))
    records = [json.loads(line) for line in text.splitlines()]
    by_name = {r["properties"]["name"][0]: r for r in records if "name" in r["properties"]}
    assert "C –" in by_name["Mbina RESTREINT"]["properties"]["description"][0]
    assert "P –" in by_name["Ondo PARTAGEABLE"]["properties"]["description"][0]
    relation = next(r for r in records if r["schema"] == "Associate")
    assert "C –" in relation["properties"]["description"][0]
    graphml = ET.fromstring(exports.graphml_export(data))
    keys = {
        k.get("id"): k.get("attr.name")
        for k in graphml.iter("{http://graphml.graphdrawing.org/xmlns}key")
    }
    assert "handling" in keys.values()
    gexf = exports.gexf_export(data)
    assert 'title="handling"' in gexf


def test_the_api_gives_the_handling_code_of_entities_and_events(people):
    person = _entity("person", "Ondo PARTAGEABLE", "P")
    services.event_create(
        actor=None,
        kind="recruitment",
        at=datetime(2025, 3, 1, 10, 0),
        participants=[(person, "recruiter")],
        source="x",
        handling="P",
    )
    client = token_client(people["investigator"])
    entities = client.get("/api/intel/entities/").json()["results"]
    assert [e["handling"] for e in entities] == ["P"]
    events = client.get("/api/intel/events/").json()["results"]
    assert [e["handling"] for e in events] == ["P"]


HOSTILE = [
    '<a href="https://attacker.invalid/x">cliquez</a>',
    "<font color=red size=40>ALERTE</font>",
    "Kossi <b>& Cie",
    "<para>inexistant",
]


def test_the_case_file_prints_hostile_names_and_obeys_none(people, tmp_path):
    picture = tmp_path / "local.png"
    Image.new("RGB", (4, 4), "red").save(picture)
    names = [*HOSTILE, f'<img src="{picture}" width="200" height="200"/>']
    entities = [_entity("person", name, "C") for name in names]
    hub = _entity("phone", "+228 90 00 00 01", "C")
    for entity in entities:
        _link(entity, hub)
    pdf = exports.case_file_pdf(_network(people["investigator"]), author='<a href="x">moi</a>')
    assert pdf.startswith(b"%PDF")
    assert b"/URI" not in pdf and b"attacker.invalid" not in pdf
    assert b"/Subtype /Image" not in pdf  # no picture read from the node's disk
    assert Entity.objects.filter(name__startswith="<a href").exists()
