"""The joint picture: the figures message carries only numbers under figure names, never a
person (checked against its schema), no group under k, and each figure keeps its node and time."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from corridor.core import stats
from corridor.federation.models import OutboundMessage, Peer
from corridor.federation.registry import message_type
from corridor.governance import joint
from corridor.governance.models import JointFigures
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

PERSON_FIELDS = {
    "given_names",
    "family_name",
    "name",
    "birth_date",
    "person",
    "uid",
    "phone",
    "ref",
}


@pytest.fixture
def sections(monkeypatch):
    monkeypatch.setitem(
        stats.SECTIONS,
        "Caseloads",
        lambda: {
            "by_caseload": {"trafficking": 40, "smuggling": 3, "stranded": 0},
            "median_days": 12.345,
            "names": ["KOSSI Ama"],
            "oldest": "2024-01-01",
        },
    )


def test_the_schema_has_no_field_for_a_person():
    schema = joint.FIGURES_SCHEMA
    assert set(schema["properties"]) == {"produced_at", "k", "figures"}
    assert schema["additionalProperties"] is False
    values = schema["properties"]["figures"]["additionalProperties"]
    assert values == {"type": ["integer", "number", "null"]}
    assert not PERSON_FIELDS & set(schema["properties"])
    kind = message_type(joint.FIGURES_TYPE)
    for bad in (
        {"produced_at": 1, "k": 11, "figures": {"cases.by_name.x": "KOSSI Ama"}},
        {"produced_at": 1, "k": 11, "figures": {"cases.total": 40}, "person": {"name": "x"}},
        {"produced_at": 1, "k": 5, "figures": {"cases.total": 4}},
        {"produced_at": 1, "k": 11, "figures": {"Kossi Ama": 40}},
    ):
        with pytest.raises(ValidationError):
            kind.validate(bad)


def test_local_figures_are_numbers_and_small_groups_are_suppressed(people, sections):
    figures = joint.local_figures(people["coordinator"])
    assert figures["caseloads.by_caseload.trafficking"] == 40
    assert figures["caseloads.by_caseload.smuggling"] is None
    assert figures["caseloads.by_caseload.stranded"] == 0
    assert figures["caseloads.median_days"] == 12.3
    assert not any("names" in k or "oldest" in k for k in figures)
    assert all(v is None or isinstance(v, int | float) for v in figures.values())
    assert not any(isinstance(v, int) and 0 < v < joint.K for v in figures.values())


def test_share_and_receive(people, sections):
    peer = Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    own = joint.figures_share(actor=people["coordinator"], peers=[peer])
    sent = OutboundMessage.objects.get(type=joint.FIGURES_TYPE)
    body = json.loads(sent.payload)
    message_type(joint.FIGURES_TYPE).validate(body)
    assert body["figures"] == own.sections
    joint.on_figures(
        peer=peer,
        message=None,
        body={
            "produced_at": 1767225600,
            "k": 11,
            "figures": {"caseloads.by_caseload.trafficking": 25},
        },
    )
    with pytest.raises(ValidationError):
        joint.on_figures(
            peer=peer, message=None, body={"produced_at": 1, "k": 11, "figures": {"a.b": 3}}
        )
    nodes, rows = joint.joint_table()
    assert [n for n, _at in nodes] == ["togo", "gabon"]
    row = next(r for r in rows if r["key"] == "caseloads.by_caseload.trafficking")
    assert row["values"] == [40, 25]
    assert JointFigures.objects.get(node="gabon").produced_at.year == 2026


def test_joint_page_matrix(people):
    assert check_matrix("/governance/joint/", people, {"coordinator", "partner"}) == []


def test_the_figures_cover_referrals_flows_returns_follow_ups_and_prosecutions(people):
    figures = joint.local_figures(people["coordinator"])
    for key in (
        "indicators.identified",
        "indicators.returned",
        "indicators.followed_6m",
        "referrals.days_to_decision_median",
        "flows.travellers",
        "prosecutions.criminal_cases",
        "caseloads.persons",
    ):
        assert any(k == key or k.startswith(key) for k in figures), key
    assert not any(isinstance(v, int) and 0 < v < joint.K for v in figures.values())


def test_cross_border_figures_count_by_status_and_delay(people):
    from datetime import timedelta

    from django.utils import timezone

    from corridor.referrals.models import CrossBorderReferral, CrossBorderReferralEvent

    peer = Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    start = timezone.now() - timedelta(days=20)
    for i in range(12):
        referral = CrossBorderReferral.objects.create(
            direction="out",
            peer=peer,
            purpose="return",
            status="accepted",
            remote_case_ref=f"GA-{i}",
            created_at=start,
        )
        CrossBorderReferralEvent.objects.create(
            referral=referral,
            kind="status",
            status="accepted",
            by_node="gabon",
            at=start + timedelta(days=4 if i % 2 else 6),
        )
    figures = joint.cross_border_figures()
    assert figures["sent_by_status"] == {"accepted": 12}
    assert figures["days_to_decision_median"] == 5
    shared = joint.suppress(joint.flatten("referrals", figures))
    assert shared["referrals.sent_by_status.accepted"] == 12


def test_joint_page_draws_both_nodes_side_by_side(people, sections, as_user):
    peer = Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    joint.figures_share(actor=people["coordinator"], peers=[peer])
    joint.on_figures(
        peer=peer,
        message=None,
        body={
            "produced_at": 1767225600,
            "k": 11,
            "figures": {"caseloads.by_caseload.trafficking": 25, "flows.travellers": 92085},
        },
    )
    page = as_user(people["partner"]).get("/governance/joint/").content.decode()
    assert "<td>92\u202f085</td>" in page  # a count of thousands, grouped as the reader writes it
    assert page.count('<svg class="svgchart"') >= 1  # inline SVG, one bar per node
    assert "<th>Gabon<br>" in page and "<th>Togo<br>" in page  # countries, not node names
    assert "de 1 à 10 est masqué" in page
    assert "style=" not in page.split("<main")[1]  # the CSP forbids style attributes
    # read in words, in the reader's language; the key only as a tooltip
    # under a heading for its section, once, rather than the section repeated on every row
    heading = (
        '<tr class="section" id="figures-caseloads">'
        '<th colspan="3" scope="rowgroup">Personnes en mouvement</th>'
    )
    assert page.count(heading) == 1 and page.count('scope="rowgroup">Flux</th>') == 1
    # a long page on a phone: a list of its parts at the top leads to each
    jump = page.split('<nav class="jump" aria-label="Sur cette page">')[1].split("</nav>")[0]
    assert '<a href="#charts">Graphiques</a>' in jump and 'id="charts"' in page
    assert '<a href="#figures-caseloads">Personnes en mouvement</a>' in jump
    assert '<a href="#figures-flows">Flux</a>' in jump
    assert 'title="caseloads.by_caseload.trafficking">Personnes en mouvement' not in page
    assert 'title="flows.travellers">Voyageurs<' in page
    assert ">caseloads.by_caseload.trafficking<" not in page
    # each chart said in words for a screen reader: title, then every figure of every node
    said = re.findall(r"<desc[^>]*>([^<]*)</desc>", unescape(page))
    assert said and all("\u00a0: " in d and "Gabon" in d for d in said), said
    assert any("Togo 0, Gabon —" in d for d in said), said
    # the charts' titles too (they were marked by an alias makemessages did not extract)
    titles = re.findall(r"<title[^>]*>([^<]*)</title>", unescape(page))
    assert "Personnes identifiées, par catégorie" in titles, titles


def test_share_figures_command(people, sections):
    from io import StringIO

    from django.core.management import call_command

    Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    out = StringIO()
    call_command("governance", "share-figures", stdout=out)
    assert "sent to: Gabon." in out.getvalue()  # the country, not "gabon"
    assert OutboundMessage.objects.filter(type=joint.FIGURES_TYPE).count() == 1
    assert JointFigures.objects.filter(node="togo").count() == 1


def test_send_pending_sends_what_the_peer_never_had_once(people, sections):
    from django.core.management import call_command

    from corridor.governance import framework
    from corridor.governance.models import CommitteeMeeting

    framework.meeting_record(
        actor=people["coordinator"],
        held_on=__import__("datetime").date(2026, 3, 1),
        title="Session",
        decisions=[
            {"text": "A", "owner": "CNLTP", "due_on": __import__("datetime").date(2026, 4, 1)}
        ],
    )
    Peer.objects.create(name="gabon", country="GA", url="https://gabon.example")
    said = [io.StringIO(), io.StringIO()]
    call_command("governance", "send-pending", stdout=said[0])
    call_command("governance", "send-pending", stdout=said[1])
    assert said[0].getvalue().strip() == "1 committee meeting sent; figures sent to the node Gabon."
    assert said[1].getvalue().strip() == "0 committee meetings sent; figures already shared."
    assert OutboundMessage.objects.filter(type=joint.FIGURES_TYPE).count() == 1
    assert OutboundMessage.objects.filter(type="governance.committee").count() == 1
    assert CommitteeMeeting.objects.get().sent_at is not None


def test_every_figure_is_named_in_the_readers_language(people, child_case):
    """Each part of every figure this node shares has a label (the joint page would otherwise
    show the code: "by channel and outcome", or a service's HTCDS code, in English on a French
    page)."""
    from django.utils import timezone, translation

    from corridor.cases.services import service_record
    from corridor.governance.figure_labels import figure_label, known_label

    service_record(
        actor=people["caseworker"],
        case=child_case,
        service_type="Shelter",
        delivered_on=timezone.localdate(),
    )
    keys = joint.local_figures(people["coordinator"])
    assert "indicators.assisted_by_service.Shelter" in keys
    assert len(keys) > 50
    unnamed = {part for key in keys for part in key.split(".") if known_label(part) is None}
    assert unnamed == set()
    with translation.override("fr"):
        assert "par canal et par résultat" in figure_label(
            "intakes.by_channel_and_outcome.sms.case"
        )
        assert figure_label("indicators.assisted_by_service.Shelter").endswith("Hébergement")


def test_joint_charts_follow_the_order_a_record_moves():
    """Stages and statuses in the order of the process, not of their codes' alphabet."""
    keys = [
        "prosecutions.accused_by_stage.appeal",
        "prosecutions.accused_by_stage.closed",
        "prosecutions.accused_by_stage.reported",
        "prosecutions.accused_by_stage.sentenced",
        "prosecutions.accused_by_stage.trial",
        "prosecutions.accused_by_stage.zz_newer",
    ]
    ordered = joint._in_order("prosecutions.accused_by_stage.", keys)
    assert [k.rsplit(".", 1)[-1] for k in ordered] == [
        "reported",
        "trial",
        "sentenced",
        "appeal",
        "closed",
        "zz_newer",
    ]
