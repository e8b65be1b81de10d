"""The person's rights: a subject-access export of everything this node holds about a person
(JSON, and a French PDF), and the log of rectification and erasure requests with their deadline.

Only a national coordinator produces an export (``RIGHTS_OFFICERS``), through the people
selector (fails closed), and the export is audited. Other apps add what they hold about a person
with ``register_subject_section(name, fn)`` where ``fn(person) -> list[dict]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from html import escape

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from corridor.accounts.models import Role
from corridor.audit.models import Action, AuditEntry
from corridor.audit.services import audit_record, node_text
from corridor.core.numbers import decimal
from corridor.governance.models import RequestKind, RequestStatus, SubjectRequest
from corridor.people.selectors import visible_persons

RIGHTS_OFFICERS = (Role.COORDINATOR,)
HIDDEN_FIELDS = {"photo", "number_index", "key", "private_jwe"}

SUBJECT_SECTIONS: dict[str, Callable] = {}


def register_subject_section(name: str, section: Callable) -> None:
    SUBJECT_SECTIONS[name] = section


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)  # models, UUIDs, lazy translations


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}.*)?$")


@cache
def _field_labels() -> dict:
    """Every model field's name → its (lazy, translatable) label: ``given_names`` → "given
    names". Collected once; each lookup reads it in the active language."""
    labels: dict = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            labels.setdefault(field.name, field.verbose_name)
    return labels


def _field_label(key: str) -> str:
    """A key of the export as the person reads it, in the active language."""
    label = _field_labels().get(key)
    return capfirst(str(label)) if label else capfirst(key.replace("_", " "))


def _shown(value) -> str:
    """A value of the export as a person reads it: dates, numbers and yes/no in the reader's
    language (``02/12/2026``, ``0,5``, ``oui``)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return decimal(value, 4)
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return date_format(moment.date(), "SHORT_DATE_FORMAT")
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "SHORT_DATETIME_FORMAT")
    return str(value)


def record_dict(obj: models.Model, *, skip: tuple[str, ...] = ()) -> dict:
    """Every concrete field of a record, decrypted, with choices as their labels; foreign keys
    as the related record's name."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS or field.name in skip or field.name == "id":
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            out[field.name] = str(related) if related is not None else None
            continue
        value = getattr(obj, field.attname)
        if field.choices and not isinstance(value, list):
            value = getattr(obj, f"get_{field.name}_display")()
        out[field.name] = _value(value)
    return out


def _cases(person) -> list[dict]:
    rows = []
    for case in person.cases.all().order_by("pk"):
        entry = record_dict(case, skip=("person",))
        for name in (
            "consents",
            "events",
            "support_plans",
            "services",
            "tasks",
            "notes",
            "stage_changes",
        ):
            entry[name] = [record_dict(r, skip=("case",)) for r in getattr(case, name).all()]
        rows.append(entry)
    return rows


def _screenings(person) -> list[dict]:
    return [record_dict(s, skip=("person",)) for s in person.screenings.all().order_by("pk")]


def _referrals(person) -> list[dict]:
    from corridor.referrals.models import CrossBorderReferral, Referral

    rows = [
        record_dict(r) | {"kind": "in-country"}
        for r in Referral.objects.filter(case__person=person)
    ]
    rows += [
        record_dict(r) | {"kind": "cross-border"}
        for r in CrossBorderReferral.objects.filter(case__person=person)
    ]
    return rows


def _tracing(person) -> list[dict]:
    from corridor.tracing.models import TracingRequest

    return [record_dict(t) for t in TracingRequest.objects.filter(matched_person=person)]


def _requests(person) -> list[dict]:
    return [record_dict(r, skip=("person",)) for r in SubjectRequest.objects.filter(person=person)]


def _who_saw(person) -> list[dict]:
    """Who read, changed or sent the person's records: the audit entries about them (the
    recipients a person has a right to know), without their content."""
    case_ids = [str(pk) for pk in person.cases.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(
        models.Q(object_type="people.person", object_id=str(person.pk))
        | models.Q(object_type="cases.case", object_id__in=case_ids)
    ).order_by("seq")
    return [
        {
            "at": e.at.isoformat(),
            "action": e.get_action_display(),
            "record": f"{e.object_type}:{e.object_id}",
            "by": e.actor_username,
        }
        for e in entries
    ]


BUILT_IN_SECTIONS: dict[str, Callable] = {
    "cases": _cases,
    "screenings": _screenings,
    "referrals": _referrals,
    "tracing_requests": _tracing,
    "data_subject_requests": _requests,
    "access_log": _who_saw,
}


def subject_data(person) -> dict:
    """Everything the node holds about ``person``, as JSON-able data."""
    data = {
        "node": settings.NODE_NAME,
        "produced_at": timezone.now().isoformat(),
        "person": record_dict(person),
        "other_names": [record_dict(n, skip=("person",)) for n in person.other_names.all()],
        "phones": [record_dict(p, skip=("person",)) for p in person.phones.all()],
        "documents": [record_dict(d, skip=("person",)) for d in person.documents.all()],
        "relationships": [record_dict(r, skip=("person",)) for r in person.relationships.all()],
    }
    for name, section in {**BUILT_IN_SECTIONS, **SUBJECT_SECTIONS}.items():
        data[name] = section(person)
    return json.loads(json.dumps(data, default=_value, ensure_ascii=False))


def _require_officer(actor, person):
    if not actor.has_role(*RIGHTS_OFFICERS):
        raise PermissionDenied(_("Only a national coordinator produces a subject-access export."))
    if not visible_persons(actor).filter(pk=person.pk).exists():
        raise PermissionDenied


@transaction.atomic
def subject_export(*, actor, person, fmt: str) -> bytes:
    """The export as JSON or PDF (in French), audited as an export."""
    _require_officer(actor, person)
    if fmt not in ("json", "pdf"):
        raise ValidationError(_("Unknown format."))
    data = subject_data(person)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        target=person,
        summary=node_text(gettext_noop("subject-access export (%(fmt)s)"), fmt=fmt),
        detail={"sections": sorted(data)},
    )
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2).encode()
    return subject_pdf(data)


def subject_pdf(data: dict) -> bytes:
    """The export printed in French: each section as a table of fields, every value escaped
    (reportlab reads markup)."""
    from io import BytesIO

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from corridor.intel.exports import _fonts

    font, bold = _fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle("b", parent=styles["BodyText"], fontName=font, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName=bold, fontSize=15)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontName=bold, fontSize=11)

    def text(value, style=body):
        return Paragraph(escape(str(value)), style)

    def fields(record: dict):
        rows = []
        for key, value in record.items():
            if value in (None, "", [], {}) or (
                isinstance(value, list) and isinstance(value[0], dict)
            ):
                continue  # empty, or sub-records (printed after their record)
            if isinstance(value, list):
                value = ", ".join(_shown(v) for v in value)
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False)
            rows.append([text(_field_label(key)), text(_shown(value))])
        table = Table(rows or [[text("—"), text("")]], colWidths=[50 * mm, 125 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c9d1d9")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    with override("fr"):
        story = [
            text(_("Your personal data held by Corridor"), h1),
            text(
                _("Node %(node)s · produced on %(when)s")
                % {"node": data["node"], "when": _shown(data["produced_at"])}
            ),
            text(
                _(
                    "This document lists everything this node holds about you. To have an "
                    "error corrected or your data erased, ask the national coordinator."
                )
            ),
            Spacer(1, 4 * mm),
            text(_("Identity"), h2),
            fields(data["person"]),
        ]
        titles = {
            "other_names": _("Other names"),
            "phones": _("Phone numbers"),
            "documents": _("Documents"),
            "relationships": _("Relatives"),
            "cases": _("Cases"),
            "screenings": _("Screenings"),
            "referrals": _("Referrals"),
            "tracing_requests": _("Tracing requests"),
            "data_subject_requests": _("Your requests"),
            "access_log": _("Who used your data"),
        }
        for key, value in data.items():
            if key in ("node", "produced_at", "person") or not isinstance(value, list):
                continue
            story.append(text(titles.get(key, key), h2))
            if not value:
                story.append(text(_("Nothing recorded.")))
            for record in value:
                story.append(fields(record))
                for sub, items in record.items():
                    if isinstance(items, list) and items and isinstance(items[0], dict):
                        story.append(text(titles.get(sub) or _field_label(sub), body))
                        story.extend(fields(item) for item in items)
                story.append(Spacer(1, 2 * mm))
        buffer = BytesIO()
        SimpleDocTemplate(
            buffer, pagesize=A4, title=str(_("Subject-access export")), leftMargin=15 * mm
        ).build(story)
    return buffer.getvalue()


@transaction.atomic
def request_record(
    *, actor, person, kind: str, details: str = "", received_on: date | None = None
) -> SubjectRequest:
    """Log a person's request; the answer is due within a month of receipt."""
    _require_officer(actor, person)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Unknown request.")})
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    request = SubjectRequest(
        person=person,
        kind=kind,
        details=details,
        received_on=received_on,
        due_on=SubjectRequest.deadline(received_on),
        recorded_by=actor,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=request,
        summary=request.get_kind_display(),
        detail={"person": person.pk, "due_on": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def request_close(*, actor, request: SubjectRequest, status: str, outcome: str) -> SubjectRequest:
    """Close a request as done or refused; the outcome (what was corrected, erased, or why it
    was refused) is required."""
    if not actor.has_role(*RIGHTS_OFFICERS):
        raise PermissionDenied
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is already closed."))
    if status not in (RequestStatus.DONE, RequestStatus.REFUSED):
        raise ValidationError({"status": _("Choose done or refused.")})
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what was done, or why it was refused.")})
    request.status, request.outcome, request.closed_on = (
        status,
        outcome.strip(),
        timezone.localdate(),
    )
    request.save(update_fields=["status", "outcome", "closed_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=request,
        summary=request.get_status_display(),
        detail={"late": request.closed_on > request.due_on},
    )
    return request
