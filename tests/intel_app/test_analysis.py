"""The analysis pages, the network JSON and the exports on the demo's synthetic network."""

import json
import re
from io import BytesIO

import networkx as nx
import pytest

from corridor.intel.ftm import validate_entity
from corridor.intel.models import Entity


@pytest.fixture
def client(seeded, people, as_user, settings):
    """An investigator reading the pages in English, the source language of the assertions."""
    client = as_user(people["investigator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def node_count(html: str) -> int:
    return int(re.search(r'data-testid="node-count">(\d+)', html).group(1))


@pytest.mark.django_db
def test_network_page_on_the_seed(client):
    html = client.get("/intel/network/").content.decode()
    assert node_count(html) == 63
    key_players = re.findall(r'class="key-player">([^<]+)<', html)
    assert key_players == ["Yao DEMO-TRANSPORT", "Ondo DEMO-PIROGUE", "Mme Nzé FICTIVE"]
    assert 'data-testid="groups-after">8<' in html
    brokers = re.search(r'id="country-brokers">(.*?)</ol>', html, re.S).group(1)
    # The two cross-border brokers' phones lead; their wallets follow among the top five (the
    # smuggling facts link a transporter as strongly as the wallets, and ties order freely).
    shown = re.findall(r">([^<]+)</a>", brokers)
    assert shown[:2] == ["+22899011031", "+24177011032"]
    assert {"wallet +22899011031", "wallet +24177011032"} <= set(shown[:5])
    elements = json.loads(
        re.search(
            r'id="network-elements" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert len(elements["nodes"]) == 63
    assert sum(1 for n in elements["nodes"] if n["data"]["key_player"]) == 3
    assert {n["data"]["kind"] for n in elements["nodes"]} >= {
        "person",
        "phone",
        "account",
        "vehicle",
        "case_ref",
    }


@pytest.mark.django_db
def test_time_window_keeps_undated_ties_and_drops_silent_entities(client):
    full = client.get("/intel/network.json").json()
    window = client.get("/intel/network.json?start=2025-03-01&end=2025-04-30").json()
    assert 0 < len(window["nodes"]) < len(full["nodes"])
    ids = {n["data"]["id"] for n in window["nodes"]}
    kossi = Entity.objects.get(name="Kossi FICTIF")
    nze = Entity.objects.get(name="Mme Nzé FICTIVE")
    assert {str(kossi.pk), str(nze.pk)} <= ids  # the undated family tie holds in every window
    html = client.get("/intel/network/?start=2025-03-01&end=2025-04-30").content.decode()
    assert node_count(html) == len(window["nodes"])
    bad = client.get("/intel/network/?start=2025-05-01&end=2025-04-30").content.decode()
    assert "The end of the window is before its start." in bad


@pytest.mark.django_db
def test_paths_between_two_entities(client):
    kossi = Entity.objects.get(name="Kossi FICTIF")
    mba = Entity.objects.get(name="Mba FICTIF")
    html = client.get(f"/intel/network/?source={kossi.pk}&target={mba.pk}").content.decode()
    shortest = re.findall(
        r"<li>([^<]+)</li>", re.search(r'id="shortest-path">(.*?)</ol>', html, re.S).group(1)
    )
    assert shortest[0] == "Kossi FICTIF" and shortest[-1] == "Mba FICTIF"
    assert 3 <= len(shortest) <= 6
    assert 'id="temporal-path"' in html
    # each hop by its kind's label and its time in the reader's format, never codes or ISO
    temporal = re.search(r'id="temporal-path">(.*?)</ol>', html, re.S).group(1)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T| · (call|payment|trip|transport) · ", temporal)
    assert re.search(r" · (Recruitment|Recrutement) · ", temporal), temporal
    same = client.get(f"/intel/network/?source={kossi.pk}&target={kossi.pk}").content.decode()
    assert 'id="shortest-path"' not in same


@pytest.mark.django_db
def test_expand_a_node(client):
    kossi = Entity.objects.get(name="Kossi FICTIF")
    data = client.get(f"/intel/entities/{kossi.pk}/neighbours.json").json()
    ids = {n["data"]["id"] for n in data["nodes"]}
    phone = Entity.objects.get(kind="phone", links_in__source_entity=kossi)
    assert {str(kossi.pk), str(phone.pk)} <= ids
    assert all(str(kossi.pk) in (e["data"]["source"], e["data"]["target"]) for e in data["edges"])
    assert len(data["edges"]) == len(ids) - 1


@pytest.mark.django_db
def test_ftm_export_validates(client):
    response = client.get("/intel/export/ftm/")
    assert response["Content-Disposition"].startswith('attachment; filename="network-')
    entities = [json.loads(line) for line in response.content.decode().splitlines()]
    schemas = {}
    for entity in entities:
        assert validate_entity(entity) == [], entity
        schemas[entity["schema"]] = schemas.get(entity["schema"], 0) + 1
    assert schemas["Person"] == 16
    assert schemas["Organization"] == 2
    assert schemas["Call"] == 143
    assert schemas["Payment"] == 32
    assert schemas["BankAccount"] == 10
    assert schemas["Passport"] == 2 and schemas["Identification"] == 1
    assert "TG-2025-0101" not in response.content.decode()  # victims stay home
    from corridor.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(object_type="intel.network", object_id="ftm").get()
    assert entry.detail["ftm_problems"] == []
    assert entry.detail["entities"] == len(entities)


@pytest.mark.django_db
def test_gephi_exports_read_back(client):
    import xml.etree.ElementTree as ET

    # networkx cannot read GEXF's dateTime time format (Gephi can), so count the XML itself.
    gexf = ET.fromstring(client.get("/intel/export/gexf/").content)
    ns = {"g": "http://gexf.net/1.3"}
    graphml = nx.read_graphml(BytesIO(client.get("/intel/export/graphml/").content))
    assert len(gexf.findall(".//g:node", ns)) == graphml.number_of_nodes() == 63
    assert len(gexf.findall(".//g:edge", ns)) == graphml.number_of_edges()
    assert gexf.find("g:graph", ns).get("mode") == "dynamic"
    kossi = Entity.objects.get(name="Kossi FICTIF")
    assert graphml.nodes[str(kossi.pk)]["kind"] == "person"
    assert "community" in graphml.nodes[str(kossi.pk)]


@pytest.mark.django_db
def test_case_file_pdf(client):
    response = client.get("/intel/export/pdf/?k=2")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") >= 2


@pytest.mark.django_db
def test_api_summary(client):
    summary = client.get("/api/intel/network/").json()
    assert summary["n_nodes"] == 63
    assert len(summary["key_players"]["ids"]) == 3
    entities = client.get("/api/intel/entities/?kind=person").json()
    assert entities["count"] == 16
