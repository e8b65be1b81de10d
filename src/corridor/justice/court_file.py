"""The printable court file of a criminal case for a hearing, in French: charges with their legal
references, each accused's dated chain, the evidence list and the victims. A victim is named by
their protection case's reference only, unless the prosecutor recorded the legal ground to name
them. Built with reportlab like the intelligence case file (same fonts); every value is escaped,
because reportlab reads markup."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_about
from corridor.core.numbers import in_a_list, labelled, money
from corridor.core.vocab import vocabulary
from corridor.federation.peers import node_label
from corridor.justice.models import CriminalCase


def legal_references(offence: str, country: str) -> list[str]:
    for term in vocabulary("justice.offence").terms:
        if term.code == offence:
            return [r["text"] for r in term.extra.get("references", []) if r["country"] == country]
    return []


def victim_label(link) -> str:
    """The victim as the court file shows them: the case reference, and the name only when
    the prosecutor recorded the legal ground to name them."""
    return _victim_name(link)


def _victim_name(link) -> str:
    if not link.naming_ground:
        return link.case.ref
    person = link.case.person
    return f"{link.case.ref} – {person.family_name} {person.given_names}".strip()


@transaction.atomic
def court_file_pdf(*, actor, criminal_case: CriminalCase) -> bytes:
    """The PDF, audited as an export of the case (the caller read it through its selector)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from corridor.intel.exports import _fonts

    font, bold = _fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName=font, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName=bold, fontSize=15)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontName=bold, fontSize=11.5)

    def text(value, style=body) -> Paragraph:
        return Paragraph(escape(str(value)), style)

    def table(rows, widths):
        t = Table([[text(c, small) for c in row] for row in rows], colWidths=widths, repeatRows=1)
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

    case = criminal_case
    country = case.agency.country
    accused = list(case.accused.prefetch_related("charges", "events__charge"))
    victims = list(case.victims.select_related("case__person"))
    with translation.override("fr"):
        story = [
            text(_("Court file %(ref)s") % {"ref": case.ref}, h1),
            text(f"{case.title} · {case.get_jurisdiction_display()}"),
            text(
                _("Opened on %(date)s by %(agency)s · printed %(when)s by %(who)s · node %(node)s")
                % {
                    "date": date_format(case.opened_on, "SHORT_DATE_FORMAT"),
                    "agency": case.agency,
                    "when": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
                    "who": actor.get_username(),
                    "node": node_label(settings.NODE_NAME),
                },
                small,
            ),
            text(
                _(
                    "CONFIDENTIAL – criminal proceedings. Victims are named by their case "
                    "reference unless the prosecutor recorded the legal ground to name them."
                ),
                small,
            ),
            Spacer(1, 4 * mm),
            text(_("Summary of the facts"), h2),
            text(case.summary or "—"),
            text(_("Charges"), h2),
        ]
        rows = [[_("Accused"), _("Offence"), _("Legal reference"), _("Outcome")]]
        for a in accused:
            for charge in a.charges.all():
                rows.append(
                    [
                        a.name,
                        charge.get_offence_display(),
                        in_a_list(legal_references(charge.offence, country)) or "—",
                        charge.get_outcome_display(),
                    ]
                )
        story.append(table(rows, [40 * mm, 35 * mm, 80 * mm, 25 * mm]))
        story.append(text(_("Steps of the proceedings"), h2))
        rows = [[_("Date"), _("Accused"), _("Step"), _("Detail")]]
        events = sorted((e for a in accused for e in a.events.all()), key=lambda e: (e.date, e.pk))
        names = {a.pk: a.name for a in accused}
        for e in events:
            detail = []
            if e.charge_id:
                detail.append(labelled(e.charge.get_offence_display(), e.get_outcome_display()))
            if e.sentence_months:
                detail.append(_("%(n)s months in prison") % {"n": e.sentence_months})
            if e.fine:
                detail.append(_("fine %(n)s") % {"n": money(e.fine)})
            if e.amount:
                detail.append(_("value %(n)s") % {"n": money(e.amount)})
            if e.court:
                detail.append(e.court)
            rows.append(
                [
                    date_format(e.date, "SHORT_DATE_FORMAT"),
                    names[e.accused_id],
                    e.get_kind_display(),
                    in_a_list(detail),
                ]
            )
        story.append(table(rows, [22 * mm, 40 * mm, 45 * mm, 73 * mm]))
        story.append(text(_("Evidence list"), h2))
        for line in (case.evidence or "—").splitlines() or ["—"]:
            story.append(text(line))
        story.append(text(_("Victims"), h2))
        rows = [[_("Victim"), _("Basis for taking part"), _("Support measures")]]
        for v in victims:
            rows.append(
                [
                    _victim_name(v),
                    v.get_legal_ground_display() if v.legal_ground else _("consent"),
                    ", ".join(
                        f"{m.get_measure_display()} ({m.get_status_display()})"
                        for m in v.measures.all()
                    )
                    or "—",
                ]
            )
        story.append(table(rows, [55 * mm, 45 * mm, 80 * mm]))
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=14 * mm,
            rightMargin=14 * mm,
            topMargin=14 * mm,
            bottomMargin=14 * mm,
            title=_("Court file %(ref)s") % {"ref": case.ref},
        ).build(story)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        target=case,
        summary=node_about(case.ref, gettext_noop("court file exported")),
        detail={"named_victims": sum(1 for v in victims if v.naming_ground)},
    )
    return buffer.getvalue()
