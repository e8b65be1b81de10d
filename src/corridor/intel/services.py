"""Writes of intelligence records. Each one checks the actor, validates, saves and audits in one
transaction; the pages, the API, the imports and the seeder all come through here."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.accounts.models import Role
from corridor.audit.models import Action
from corridor.audit.services import audit_record, describe, node_text
from corridor.core import said
from corridor.intel import ingest, keys
from corridor.intel.models import (
    Decision,
    Entity,
    EntityKind,
    Event,
    EventKind,
    ImportBatch,
    ImportKind,
    ImportStatus,
    Link,
    LinkKind,
    MatchJudgement,
    Participation,
    Report,
)

INTEL_WRITERS = (Role.INVESTIGATOR,)


def _require_investigator(actor) -> None:
    """Only investigators write intelligence; ``actor=None`` is the node itself (seeding, the
    operator's management commands)."""
    if actor is not None and not actor.has_role(*INTEL_WRITERS):
        raise PermissionDenied(_("Only an investigator can record intelligence."))


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def node_region() -> str:
    return settings.NODE_COUNTRY


def entity_key(*, kind: str, name: str, region: str | None = None) -> str:
    """The natural key of an entity of ``kind`` named ``name`` ('' for kinds without one)."""
    region = region or node_region()
    try:
        if kind == EntityKind.PHONE:
            return keys.phone_e164(name, region=region)
        if kind == EntityKind.ACCOUNT:
            return keys.account_key(name, region=region)
        if kind == EntityKind.VEHICLE:
            return keys.plate_key(name)
        if kind == EntityKind.DOCUMENT:
            return keys.document_key(name)
        if kind == EntityKind.CASE_REF:
            return name.strip().upper()
    except keys.KeyError_ as error:
        raise ValidationError({"name": str(error)}) from None
    return ""


def _sourcing(values: dict) -> dict:
    return {
        "source": values.get("source") or "",
        "reliability": values.get("reliability") or "F",
        "credibility": values.get("credibility") or "6",
        "handling": values.get("handling") or "C",
        "report": values.get("report"),
        "batch": values.get("batch"),
    }


@transaction.atomic
def report_create(
    *,
    actor,
    title: str,
    received_on: dt.date,
    source: str,
    reliability: str,
    credibility: str,
    handling: str = "C",
    narrative: str = "",
) -> Report:
    _require_investigator(actor)
    report = Report(
        title=title,
        received_on=received_on,
        source=source,
        reliability=reliability,
        credibility=credibility,
        handling=handling,
        narrative=narrative,
        created_by=_user(actor),
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=report,
        summary=node_text(gettext_noop("intelligence report")),
        detail={"grading": report.grading},
    )
    return report


@transaction.atomic
def entity_create(
    *,
    actor,
    kind: str,
    name: str,
    source: str,
    reliability: str = "F",
    credibility: str = "6",
    handling: str = "C",
    country: str = "",
    aliases: Sequence[str] = (),
    roles: Sequence[str] = (),
    details: dict | None = None,
    notes: str = "",
    report: Report | None = None,
    batch: ImportBatch | None = None,
) -> Entity:
    """Record a new entity. A number, plate, document or case reference already recorded is
    refused with a message naming it, so the investigator links to it instead of duplicating."""
    _require_investigator(actor)
    name = (name or "").strip()
    key = entity_key(kind=kind, name=name)
    if kind == EntityKind.PHONE:
        name, country = key, country or keys.phone_country(key)
    if kind == EntityKind.CASE_REF:
        name = key
    if key and Entity.objects.filter(kind=kind, key=key).exists():
        raise ValidationError(
            {"name": _("%(key)s is already recorded; link to it instead.") % {"key": key}}
        )
    entity = Entity(
        kind=kind,
        name=name,
        key=key,
        country=(country or "").upper(),
        aliases=[a.strip() for a in aliases if a and a.strip()],
        roles=list(dict.fromkeys(roles)),
        details=details or {},
        notes=notes,
        created_by=_user(actor),
        **_sourcing(
            {
                "source": source,
                "reliability": reliability,
                "credibility": credibility,
                "handling": handling,
                "report": report,
                "batch": batch,
            }
        ),
    )
    entity.full_clean()
    entity.save()
    if batch is None:
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=entity,
            summary=entity.get_kind_display(),
            detail={"kind": kind, "grading": entity.grading},
        )
    return entity


def entity_get_or_create(*, actor, kind: str, name: str, **values) -> tuple[Entity, bool]:
    """The entity with this natural key (its survivor when merged), created when unknown."""
    key = entity_key(kind=kind, name=name)
    existing = Entity.objects.filter(kind=kind, key=key).first() if key else None
    if existing is not None:
        return existing.canonical, False
    return entity_create(actor=actor, kind=kind, name=name, **values), True


@transaction.atomic
def entity_update(*, actor, entity: Entity, **values) -> Entity:
    _require_investigator(actor)
    allowed = ("country", "aliases", "roles", "details", "notes", "reliability", "credibility")
    changed = {}
    for field in allowed:
        if field in values and getattr(entity, field) != values[field]:
            changed[field] = [str(getattr(entity, field)), str(values[field])]
            setattr(entity, field, values[field])
    if changed:
        entity.full_clean()
        entity.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            target=entity,
            summary=entity.get_kind_display(),
            detail={"fields": sorted(changed)},
        )
    return entity


@transaction.atomic
def link_create(
    *,
    actor,
    kind: str,
    source_entity: Entity,
    target_entity: Entity,
    source: str,
    reliability: str = "F",
    credibility: str = "6",
    handling: str = "C",
    start: dt.date | None = None,
    end: dt.date | None = None,
    description: str = "",
    report: Report | None = None,
    batch: ImportBatch | None = None,
) -> Link:
    _require_investigator(actor)
    if kind not in LinkKind.values:
        raise ValidationError({"kind": _("Unknown kind of link.")})
    link = Link(
        kind=kind,
        source_entity=source_entity,
        target_entity=target_entity,
        start=start,
        end=end,
        description=description,
        created_by=_user(actor),
        **_sourcing(
            {
                "source": source,
                "reliability": reliability,
                "credibility": credibility,
                "handling": handling,
                "report": report,
                "batch": batch,
            }
        ),
    )
    link.full_clean()
    link.save()
    if batch is None:
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=link,
            summary=link.get_kind_display(),
            detail={"from": source_entity.pk, "to": target_entity.pk, "grading": link.grading},
        )
    return link


@transaction.atomic
def event_create(
    *,
    actor,
    kind: str,
    at: dt.datetime,
    participants: Iterable[tuple[Entity, str]],
    source: str,
    reliability: str = "F",
    credibility: str = "6",
    handling: str = "C",
    place: str = "",
    description: str = "",
    amount: Decimal | None = None,
    currency: str = "",
    duration_seconds: int | None = None,
    reference: str = "",
    natural_key: str | None = None,
    report: Report | None = None,
    batch: ImportBatch | None = None,
) -> Event:
    """Record an event and who took part. An event needs at least one participant; a call or a
    payment needs two different ones (a number calling itself is an operator artefact)."""
    _require_investigator(actor)
    participants = [(e, r) for e, r in participants if e is not None]
    if not participants:
        raise ValidationError(_("An event needs at least one participant."))
    if kind in (EventKind.CALL, EventKind.PAYMENT):
        ids = {e.canonical.pk for e, _r in participants}
        if len(ids) < 2:
            raise ValidationError(_("A call or a payment needs two different parties."))
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    event = Event(
        kind=kind,
        at=at,
        place=place,
        description=description,
        amount=amount,
        currency=(currency or "").upper(),
        duration_seconds=duration_seconds,
        reference=reference,
        natural_key=natural_key,
        created_by=_user(actor),
        **_sourcing(
            {
                "source": source,
                "reliability": reliability,
                "credibility": credibility,
                "handling": handling,
                "report": report,
                "batch": batch,
            }
        ),
    )
    event.full_clean()
    event.save()
    for entity, role in dict.fromkeys(participants):
        Participation(event=event, entity=entity, role=role[:30]).save()
    if batch is None:
        audit_record(
            actor=actor,
            action=Action.CREATE,
            target=event,
            summary=event.get_kind_display(),
            detail={"participants": [e.pk for e, _r in participants], "grading": event.grading},
        )
    return event


# --- the judgement log and entity resolution -------------------------------------------------


def judgement_pair(left, right) -> tuple[str, str, str, str]:
    """Canonical order of a pair of records, so that (a, b) and (b, a) are one pair."""
    a, b = describe(left), describe(right)
    if (a[0], a[1].zfill(20)) > (b[0], b[1].zfill(20)):
        a, b = b, a
    return a[0], a[1], b[0], b[1]


@transaction.atomic
def judgement_record(*, actor, left, right, decision: str, comment: str = "") -> MatchJudgement:
    """Append a reviewer's decision on a pair of records; it supersedes earlier ones on the pair.

    Shared by every app that resolves records (intelligence entities here, tracing requests and
    children found in ``tracing``): the matching engine reads the same log to learn from it.
    """
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Unknown decision.")})
    if describe(left) == describe(right):
        raise ValidationError(_("A record cannot be judged against itself."))
    left_type, left_id, right_type, right_id = judgement_pair(left, right)
    judgement = MatchJudgement(
        left_type=left_type,
        left_id=left_id,
        right_type=right_type,
        right_id=right_id,
        decision=decision,
        user=_user(actor),
        at=timezone.now(),
        comment=comment,
    )
    judgement.full_clean()
    judgement.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=judgement,
        summary=node_text(
            gettext_noop("match judgement: %(decision)s"), decision=judgement.get_decision_display
        ),
        detail={"left": f"{left_type}:{left_id}", "right": f"{right_type}:{right_id}"},
    )
    return judgement


@transaction.atomic
def entity_merge(*, actor, survivor: Entity, duplicate: Entity, comment: str = "") -> Entity:
    """Merge ``duplicate`` into ``survivor`` on a reviewer's positive judgement.

    Nothing is rewritten: the duplicate keeps its links and events and points to its survivor,
    and every read resolves through ``merged_into``; that is what makes an unmerge exact.
    """
    _require_investigator(actor)
    survivor = Entity.objects.select_for_update().get(pk=survivor.pk).canonical
    duplicate = Entity.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.merged_into_id is not None:
        raise ValidationError(_("This entity is already merged into another one."))
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("An entity cannot be merged into itself."))
    if survivor.kind != duplicate.kind:
        raise ValidationError(_("Only entities of the same kind can be merged."))
    judgement_record(
        actor=actor, left=survivor, right=duplicate, decision=Decision.POSITIVE, comment=comment
    )
    duplicate.merged_into = survivor
    duplicate.full_clean()
    duplicate.save(update_fields=["merged_into"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=duplicate,
        summary=node_text(gettext_noop("merged")),
        detail={"merged_into": survivor.pk},
    )
    return survivor


@transaction.atomic
def entity_unmerge(*, actor, entity: Entity, comment: str = "") -> Entity:
    """Undo a merge: the entity stands alone again with everything it had, and the negative
    judgement records that the reviewer changed their mind."""
    _require_investigator(actor)
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    if entity.merged_into_id is None:
        raise ValidationError(_("This entity is not merged."))
    survivor = entity.merged_into
    judgement_record(
        actor=actor, left=survivor, right=entity, decision=Decision.NEGATIVE, comment=comment
    )
    entity.merged_into = None
    entity.save(update_fields=["merged_into"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=entity,
        summary=node_text(gettext_noop("unmerged")),
        detail={"was_merged_into": survivor.pk},
    )
    return entity


# --- imports ---------------------------------------------------------------------------------


def _batch_errors(errors: Sequence[ingest.RowError]) -> list[dict]:
    return [{"line": e.line, "message": e.message, "text": e.text[:200]} for e in errors]


@transaction.atomic
def import_run(
    *,
    actor,
    kind: str,
    filename: str,
    content: bytes,
    source: str = "",
    reliability: str = "B",
    credibility: str = "2",
    skip_bad: bool = False,
    region: str | None = None,
) -> ImportBatch:
    """Load one operator file (call detail records or mobile-money transactions).

    All or nothing by default: a file with any bad row imports nothing and its batch lists
    every bad line. With ``skip_bad`` the good rows are imported and the bad ones reported.
    Idempotent: the same file again is recognised by its hash and adds nothing, and each row
    has a content key (or the operator's reference), so overlapping files add only what is new.
    """
    _require_investigator(actor)
    if kind not in ImportKind.values:
        raise ValidationError(_("Unknown import kind: %(kind)s") % {"kind": kind})
    region = region or node_region()
    digest = hashlib.sha256(content).hexdigest()
    previous = (
        ImportBatch.objects.filter(kind=kind, sha256=digest)
        .exclude(status=ImportStatus.REJECTED)
        .first()
    )
    if previous is not None:
        return previous
    parsed = ingest.parse(kind=kind, content=content, region=region)
    batch = ImportBatch(
        kind=kind,
        filename=filename[:200],
        sha256=digest,
        source=(source or _("%(kind)s file %(name)s") % {"kind": kind.upper(), "name": filename})[
            :200
        ],
        reliability=reliability,
        credibility=credibility,
        rows_total=parsed.rows_total,
        rows_error=len(parsed.errors),
        errors=_batch_errors(parsed.errors),
        created_by=_user(actor),
    )
    rejected = parsed.fatal or (parsed.errors and not skip_bad)
    batch.status = (
        ImportStatus.REJECTED
        if rejected
        else (ImportStatus.PARTIAL if parsed.errors else ImportStatus.DONE)
    )
    batch.full_clean()
    batch.save()
    if not rejected:
        imported, duplicate = _import_rows(actor=actor, batch=batch, rows=parsed.rows)
        batch.rows_imported, batch.rows_duplicate = imported, duplicate
        batch.save(update_fields=["rows_imported", "rows_duplicate"])
    audit_record(
        actor=actor,
        action=Action.IMPORT if not rejected else Action.REJECT,
        target=batch,
        summary=f"{kind} {filename}"[:300],
        detail={
            "status": batch.status,
            "rows": batch.rows_total,
            "imported": batch.rows_imported,
            "duplicate": batch.rows_duplicate,
            "errors": batch.rows_error,
        },
    )
    return batch


def _import_rows(*, actor, batch: ImportBatch, rows: Sequence[ingest.Row]) -> tuple[int, int]:
    sourced = {
        "source": batch.source,
        "reliability": batch.reliability,
        "credibility": batch.credibility,
        "batch": batch,
    }
    known = set(
        Event.objects.filter(natural_key__in=[r.natural_key for r in rows]).values_list(
            "natural_key", flat=True
        )
    )
    cache: dict[tuple[str, str], Entity] = {}

    def entity(kind: str, number: str, details: dict | None = None) -> Entity:
        if (kind, number) not in cache:
            found, _created = entity_get_or_create(
                actor=actor,
                kind=kind,
                name=number,
                country=keys.phone_country(number),
                details=details or {},
                **sourced,
            )
            cache[(kind, number)] = found
        return cache[(kind, number)]

    imported = duplicate = 0
    for row in rows:
        if row.natural_key in known:
            duplicate += 1
            continue
        known.add(row.natural_key)
        if batch.kind == ImportKind.CDR:
            parties = [(entity("phone", row.a), "caller"), (entity("phone", row.b), "callee")]
            event_kind = EventKind.CALL
        else:
            wallets = []
            for number, part in ((row.a, "sender"), (row.b, "receiver")):
                wallet = entity("account", number, {"account_type": "mobile_money"})
                phone = entity("phone", number)
                if (
                    wallet.pk != phone.pk
                    and not Link.objects.filter(
                        kind=LinkKind.USES, source_entity=wallet, target_entity=phone
                    ).exists()
                ):
                    link_create(
                        actor=actor,
                        kind=LinkKind.USES,
                        source_entity=wallet,
                        target_entity=phone,
                        description=said.say(said.WALLET_ON_NUMBER),
                        **sourced,
                    )
                wallets.append((wallet, part))
            parties = wallets
            event_kind = EventKind.PAYMENT
        try:
            with transaction.atomic():
                event_create(
                    actor=actor,
                    kind=event_kind,
                    at=row.at,
                    participants=parties,
                    place=row.place,
                    amount=row.amount,
                    currency=row.currency,
                    duration_seconds=row.duration,
                    reference=row.reference,
                    natural_key=row.natural_key,
                    **sourced,
                )
        except IntegrityError:
            duplicate += 1
            continue
        imported += 1
    return imported, duplicate
