"""Exports of a network: FollowTheMoney JSON lines, GEXF and GraphML for Gephi, and the printable
case file (PDF) for prosecutors.

The views audit each export; this module only shapes the records. Victims (case references) stay
out of the FtM export, which is meant for analysis tools outside the case system; the PDF keeps
them as references, as a prosecutor needs to know which cases the network touches.

Every exported item carries its handling code (3x5x2: P, sharing permitted; C, sharing only
under the recorded conditions) so that whoever receives the file knows what they may pass on:
FtM records in their ``description``, GEXF/GraphML nodes as a ``handling`` attribute, the PDF in
a column of its entity and event tables. Everything that goes into the PDF is escaped: reportlab
reads its paragraphs as markup, and a name like ``<img src="/etc/…">`` or ``<a href=…>`` must be
printed, not obeyed.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.core.numbers import decimal, money
from corridor.federation.peers import node_label
from corridor.intel import analysis, exporters, ftm
from corridor.intel.analysis import KIND_COLOURS, NetworkData
from corridor.intel.labels import role_labels
from corridor.intel.models import (
    LINK_FTM_SCHEMA,
    AccountType,
    DocumentType,
    Entity,
    EntityKind,
    EventKind,
    Handling,
    Link,
    LinkKind,
)

LEGAL = (EntityKind.PERSON, EntityKind.ORGANISATION)


def _secret() -> bytes:
    """Key of the exported ids, so that recipients cannot recover internal record numbers."""
    return hmac.new(settings.SECRET_KEY.encode(), b"intel-ftm-export", hashlib.sha256).digest()


def _period(start, end) -> str:
    """The period a case file covers, with dates as its reader writes them ("events of every
    date" when the analysis was not filtered by date)."""
    if not start and not end:
        return _("events of every date")

    def day(value) -> str:
        return date_format(value, "SHORT_DATE_FORMAT") if value else "…"

    return _("period %(start)s – %(end)s") % {"start": day(start), "end": day(end)}


def handling_note(code: str) -> str:
    """The handling code as the export states it, e.g. "Handling code: C – Lawful sharing
    permitted with conditions"."""
    label = Handling(code).label if code in Handling.values else code
    return _("Handling code: %(label)s") % {"label": label}


def ftm_records(data: NetworkData, *, links: Iterable[Link]) -> list[dict]:
    """The network's entities, relationships and events as records for ``ftm.to_ftm``."""
    entities = data.entities
    canonical = data.canonical
    in_network = {int(pk) for pk in entities}

    def node(pk: int) -> str | None:
        pk = canonical.get(pk, pk)
        return f"e{pk}" if pk in in_network else None

    uses: dict[int, list[Entity]] = defaultdict(list)
    users_of: dict[int, list[int]] = defaultdict(list)
    owners: dict[int, int] = {}
    holders: dict[int, int] = {}
    located: dict[int, int] = {}
    relations = []
    handling_of: dict[str, str] = {}
    for link in links:
        a = canonical.get(link.source_entity_id, link.source_entity_id)
        b = canonical.get(link.target_entity_id, link.target_entity_id)
        if a not in in_network or b not in in_network:
            continue
        source, target = entities[str(a)], entities[str(b)]
        handling_of[f"l{link.pk}"] = link.handling
        if link.kind == LinkKind.USES and target.kind == EntityKind.PHONE:
            uses[a].append(target)
            if source.kind in LEGAL:
                users_of[b].append(a)
        elif link.kind == LinkKind.OWNERSHIP and source.kind in LEGAL:
            owners[b] = a
            if target.kind in (EntityKind.ACCOUNT, EntityKind.VEHICLE):
                relations.append(
                    ftm.relation(
                        schema="Ownership", id=f"l{link.pk}", source=f"e{a}", target=f"e{b}"
                    )
                )
        elif link.kind == LinkKind.HOLDER:
            holders[b] = a
        elif link.kind == LinkKind.LOCATED and target.kind == EntityKind.ADDRESS:
            located[a] = b
        elif link.kind in LINK_FTM_SCHEMA and source.kind in LEGAL and target.kind in LEGAL:
            schema = LINK_FTM_SCHEMA[link.kind]
            if schema in ("Family", "Associate") and not (
                source.kind == target.kind == EntityKind.PERSON
            ):
                schema = "UnknownLink"
            if schema == "Employment" and target.kind != EntityKind.PERSON:
                schema = "UnknownLink"
            relations.append(
                ftm.relation(
                    schema=schema,
                    id=f"l{link.pk}",
                    source=f"e{a}",
                    target=f"e{b}",
                    relationship=link.get_kind_display() if schema != "UnknownLink" else None,
                    start_date=link.start.isoformat() if link.start else None,
                    end_date=link.end.isoformat() if link.end else None,
                )
            )
    records: list[dict] = []
    placeholders: dict[int, str] = {}

    def holder_of(account_pk: int) -> str:
        if account_pk in owners:
            return f"e{owners[account_pk]}"
        if account_pk not in placeholders:
            account = entities[str(account_pk)]
            placeholders[account_pk] = f"h{account_pk}"
            handling_of[f"h{account_pk}"] = account.handling
            records.append(
                {
                    "schema": "LegalEntity",
                    "id": f"h{account_pk}",
                    "properties": {"name": _("Holder of %(number)s") % {"number": account.name}},
                }
            )
        return placeholders[account_pk]

    for pk_text, entity in entities.items():
        pk = int(pk_text)
        handling_of[f"e{pk}"] = entity.handling
        country = entity.country.lower() or None
        phones = [p.name for p in uses.get(pk, [])]
        if entity.kind == EntityKind.PERSON:
            records.append(
                ftm.person(
                    id=f"e{pk}",
                    name=entity.name,
                    aliases=entity.aliases,
                    country=country,
                    phones=phones,
                    address=f"e{located[pk]}" if pk in located else None,
                    role=", ".join(entity.roles) or None,
                )
            )
        elif entity.kind == EntityKind.ORGANISATION:
            records.append(
                ftm.organization(id=f"e{pk}", name=entity.name, country=country, phones=phones)
            )
        elif entity.kind == EntityKind.ACCOUNT:
            if (
                entity.details.get("account_type", AccountType.MOBILE_MONEY)
                == AccountType.MOBILE_MONEY
            ):
                records.append(
                    ftm.mobile_money_wallet(
                        id=f"e{pk}",
                        number=entity.name,
                        operator=entity.details.get("operator") or _("mobile money"),
                        country=country,
                    )
                )
            else:
                records.append(
                    ftm.bank_account(
                        id=f"e{pk}",
                        account_number=entity.name,
                        bank_name=entity.details.get("bank"),
                        country=country,
                    )
                )
        elif entity.kind == EntityKind.VEHICLE:
            owner = owners.get(pk)
            records.append(
                ftm.vehicle(
                    id=f"e{pk}",
                    registration_number=entity.name,
                    type=entity.details.get("type"),
                    owner=f"e{owner}" if owner else None,
                    country=country,
                )
            )
        elif entity.kind == EntityKind.ADDRESS:
            records.append(ftm.address(id=f"e{pk}", full=entity.name, country=country))
        elif entity.kind == EntityKind.DOCUMENT and pk in holders:
            maker = (
                ftm.passport
                if entity.details.get("document_type") == DocumentType.PASSPORT
                else ftm.identification
            )
            records.append(
                maker(id=f"e{pk}", holder=f"e{holders[pk]}", number=entity.name, country=country)
            )
    records.extend(relations)
    for event in data.events:
        members = event._member_ids if hasattr(event, "_member_ids") else []
        parts = {
            p.role: canonical.get(p.entity_id, p.entity_id) for p in event.participations.all()
        }
        day = timezone.localtime(event.at).date().isoformat()
        handling_of[f"ev{event.pk}"] = event.handling
        if event.kind == EventKind.CALL and "caller" in parts and "callee" in parts:
            a, b = parts["caller"], parts["callee"]
            if a not in in_network or b not in in_network:
                continue
            caller = users_of.get(a, [None])[0]
            callee = users_of.get(b, [None])[0]
            records.append(
                ftm.call(
                    id=f"ev{event.pk}",
                    date=day,
                    caller=f"e{caller}" if caller else None,
                    receiver=f"e{callee}" if callee else None,
                    caller_number=entities[str(a)].name,
                    receiver_number=entities[str(b)].name,
                    duration_seconds=event.duration_seconds,
                )
            )
        elif event.kind == EventKind.PAYMENT and "sender" in parts and "receiver" in parts:
            a, b = parts["sender"], parts["receiver"]
            if a not in in_network or b not in in_network:
                continue
            payer = holder_of(a) if entities[str(a)].kind == EntityKind.ACCOUNT else f"e{a}"
            payee = holder_of(b) if entities[str(b)].kind == EntityKind.ACCOUNT else f"e{b}"
            records.append(
                ftm.payment(
                    id=f"ev{event.pk}",
                    payer=payer,
                    beneficiary=payee,
                    amount=float(event.amount or 0),
                    currency=event.currency or None,
                    date=day,
                    payer_account=f"e{a}" if entities[str(a)].kind == EntityKind.ACCOUNT else None,
                    beneficiary_account=(
                        f"e{b}" if entities[str(b)].kind == EntityKind.ACCOUNT else None
                    ),
                )
            )
        else:
            involved = sorted(
                {f"e{m}" for m in members if str(m) in entities and entities[str(m)].kind in LEGAL}
            )
            if not involved:
                continue
            records.append(
                {
                    "schema": "Event",
                    "id": f"ev{event.pk}",
                    "properties": {
                        "name": f"{event.get_kind_display()} {event.place}".strip(),
                        "date": day,
                        "location": event.place or None,
                        "involved": involved,
                        "summary": event.description or None,
                    },
                }
            )
    for record in records:
        record["properties"] = {
            k: v for k, v in record.get("properties", {}).items() if v not in (None, "", [])
        }
        if record["id"] in handling_of:
            record["properties"]["description"] = handling_note(handling_of[record["id"]])
    return records


def ftm_export(data: NetworkData, *, links) -> tuple[str, list[str], int]:
    """FollowTheMoney JSON lines of the network (validated by ``followthemoney``), the problems
    that kept records out, and the number of entities exported."""
    result = ftm.to_ftm(
        records=ftm_records(data, links=links.select_related(None)),
        dataset=f"corridor_{settings.NODE_NAME}",
        secret=_secret(),
    )
    return ftm.to_ftm_jsonl(result.entities), result.problems, len(result.entities)


def _node_values(data: NetworkData) -> dict:
    result = analysis.analyse(data, key_player_count=0) if data.network.graph.vcount() > 1 else None
    per_node = result["per_node"] if result else {}
    ids = data.network.ids
    return {
        "handling": [data.entities[i].handling for i in ids],
        "community": [per_node.get(i, {}).get("community", 0) for i in ids],
        "degree_centrality": [float(per_node.get(i, {}).get("degree", 0.0)) for i in ids],
        "betweenness": [float(per_node.get(i, {}).get("betweenness", 0.0)) for i in ids],
    }


def gexf_export(data: NetworkData) -> str:
    return exporters.to_gexf(data.network, node_values=_node_values(data))


def graphml_export(data: NetworkData) -> str:
    return exporters.to_graphml(data.network, node_values=_node_values(data))


# --- the printable case file -------------------------------------------------------------------

FONT_DIR = "/usr/share/fonts/truetype/dejavu"


def _fonts() -> tuple[str, str]:
    """DejaVu Sans when the system has it (accents, arrows), else the built-in Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = os.path.join(FONT_DIR, "DejaVuSans.ttf")
    bold = os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")
    if os.path.exists(regular) and os.path.exists(bold):
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", regular))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", bold))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def network_drawing(data: NetworkData, *, key_players: set[str], width: float, height: float):
    """The network as a vector picture: Kamada–Kawai layout, colour by kind, key players ringed."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, String
    from reportlab.lib import colors

    font, _bold = _fonts()
    drawing = Drawing(width, height)
    g = data.network.graph
    if g.vcount() == 0:
        return drawing
    layout = g.layout_kamada_kawai() if g.vcount() > 1 else None
    coords = layout.coords if layout else [[0.0, 0.0]]
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    margin = 24

    def point(i):
        return (
            margin + (coords[i][0] - min(xs)) / span_x * (width - 2 * margin),
            margin + (coords[i][1] - min(ys)) / span_y * (height - 2 * margin),
        )

    for edge in g.es:
        (x1, y1), (x2, y2) = point(edge.source), point(edge.target)
        drawing.add(Line(x1, y1, x2, y2, strokeColor=colors.HexColor("#b0b8c0"), strokeWidth=0.5))
    degrees = g.degree()
    top = max(degrees) or 1
    for i, node_id in enumerate(data.network.ids):
        x, y = point(i)
        entity = data.entities[node_id]
        radius = 3 + 6 * degrees[i] / top
        colour = colors.HexColor(KIND_COLOURS.get(entity.kind, "#4a5560"))
        ring = node_id in key_players
        drawing.add(
            Circle(
                x,
                y,
                radius,
                fillColor=colour,
                strokeColor=colors.HexColor("#a4161a") if ring else colors.white,
                strokeWidth=2 if ring else 0.5,
            )
        )
        if ring or entity.kind in LEGAL:
            drawing.add(
                String(x + radius + 1, y - 2, str(entity.label)[:28], fontName=font, fontSize=5)
            )
    return drawing


def case_file_pdf(
    data: NetworkData,
    *,
    key_player_count: int = 3,
    author: str = "",
    period: tuple[date | None, date | None] = (None, None),
) -> bytes:
    """The printable case file of one network: picture, key players and what their removal
    leaves, central actors, the entity list with sources and gradings, and the event timeline."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    font, bold = _fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=styles["BodyText"], fontName=font, fontSize=8.5, leading=11
    )
    small = ParagraphStyle("small", parent=body, fontSize=7, leading=9)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName=bold, fontSize=15)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontName=bold, fontSize=11.5)
    n = data.network.graph.vcount()
    ties = data.network.graph.ecount()
    result = analysis.analyse(data, key_player_count=key_player_count) if n > 2 else None
    summary = result["summary"] if result else {}
    communities = summary.get("communities", {}).get("count", 0)
    players = summary.get("key_players", {})
    player_ids = list(players.get("ids", []))

    def text(value, style) -> Paragraph:
        """A paragraph of plain text: reportlab reads markup, so every value is escaped."""
        return Paragraph(escape(str(value)), style)

    def table(rows, widths):
        cells = [[text(c, small) for c in row] for row in rows]
        t = Table(cells, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9d1d9")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    start, end = period
    story = [
        text(_("Case file – network analysis"), h1),
        text(
            _("Node %(node)s · prepared %(when)s by %(author)s · %(period)s")
            % {
                "node": node_label(settings.NODE_NAME),
                "when": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
                "author": author,
                "period": _period(start, end),
            },
            body,
        ),
        text(
            _(
                "CONFIDENTIAL – criminal intelligence. Gradings: source reliability A–F, information credibility 1–6 (Admiralty)."
            ),
            small,
        ),
        text(
            _(
                "Handling codes: P – lawful sharing permitted; C – share only under the conditions recorded with the item. Pass on nothing marked C without meeting them."
            ),
            small,
        ),
        Spacer(1, 4 * mm),
        text(
            _("%(entities)s, %(ties)s, %(communities)s, density %(d)s.")
            % {
                "entities": ngettext("%(n)s entity", "%(n)s entities", n) % {"n": n},
                "ties": ngettext("%(n)s tie", "%(n)s ties", ties) % {"n": ties},
                "communities": ngettext("%(n)s community", "%(n)s communities", communities)
                % {"n": communities},
                "d": decimal(summary.get("density", 0), 3),
            },
            body,
        ),
        network_drawing(data, key_players=set(player_ids), width=180 * mm, height=120 * mm),
        text(_("Key players (removal that fragments the network most)"), h2),
    ]
    if player_ids:
        after = players.get("after_removal", {})
        story.append(
            table(
                [[_("Entity"), _("Kind"), _("Roles"), _("Country")]]
                + [
                    [
                        str(data.entities[i].label),
                        data.entities[i].get_kind_display(),
                        role_labels(data.entities[i].roles),
                        data.entities[i].country,
                    ]
                    for i in player_ids
                ],
                [70 * mm, 35 * mm, 50 * mm, 20 * mm],
            )
        )
        story.append(
            text(
                _(
                    "Fragmentation %(before)s → %(after)s; after removal %(components)d separate groups remain, the largest with %(largest)d entities."
                )
                % {
                    "before": decimal(players.get("fragmentation_before"), 3),
                    "after": decimal(players.get("fragmentation_after"), 3),
                    "components": after.get("components", 0),
                    "largest": after.get("largest_component", 0),
                },
                body,
            )
        )
    central = summary.get("central_actors", {})
    if central:
        story.append(text(_("Central actors"), h2))
        rows = [[_("Measure"), _("Entity"), _("Score")]]
        for measure, label in (
            ("degree", _("Degree")),
            ("betweenness", _("Betweenness")),
            ("eigenvector", _("Eigenvector")),
        ):
            for row in central.get(measure, [])[:5]:
                rows.append(
                    [label, str(data.entities[str(row["id"])].label), decimal(row["score"], 3)]
                )
        story.append(table(rows, [35 * mm, 100 * mm, 30 * mm]))
    story.append(PageBreak())
    story.append(text(_("Entities, sources and gradings"), h2))
    rows = [[_("Entity"), _("Kind"), _("Country"), _("Source"), _("Grading"), _("Handling")]]
    for entity in sorted(data.entities.values(), key=lambda e: (e.kind, e.name)):
        rows.append(
            [
                str(entity.label),
                entity.get_kind_display(),
                entity.country,
                entity.source,
                entity.grading,
                entity.handling,
            ]
        )
    story.append(table(rows, [52 * mm, 32 * mm, 14 * mm, 44 * mm, 17 * mm, 21 * mm]))
    story.append(text(_("Timeline of events"), h2))
    rows = [[_("When"), _("Event"), _("Participants"), _("Place"), _("Grading"), _("Handling")]]
    for event in data.events[:1000]:
        names = ", ".join(
            data.entities[str(data.canonical.get(p.entity_id, p.entity_id))].label
            for p in event.participations.all()
            if str(data.canonical.get(p.entity_id, p.entity_id)) in data.entities
        )
        amount = f" {money(event.amount, event.currency)}" if event.amount is not None else ""
        rows.append(
            [
                date_format(timezone.localtime(event.at), "SHORT_DATETIME_FORMAT"),
                f"{event.get_kind_display()}{amount}",
                names,
                event.place,
                event.grading,
                event.handling,
            ]
        )
    story.append(table(rows, [28 * mm, 30 * mm, 56 * mm, 29 * mm, 17 * mm, 21 * mm]))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=_("Case file – network analysis"),
        author=author,
    )
    document.build(story)
    return buffer.getvalue()
