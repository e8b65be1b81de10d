"""The only writer of the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext as _

from corridor.audit import checkpoint
from corridor.audit.context import client_ip
from corridor.audit.models import (
    ERASED_KEY,
    GENESIS_HASH,
    Action,
    AuditEntry,
    PeerCheckpoint,
    RefusalCounter,
    content_digest,
)

_CHAIN_LOCK_KEY = 7_274_110  # PostgreSQL advisory lock that serialises appends to the chain


def _lock_chain() -> None:
    """Serialise writers so that two transactions never chain onto the same predecessor.

    SQLite already serialises writers (IMMEDIATE transactions); PostgreSQL needs a lock that is
    held until the surrounding transaction commits.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def describe(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    detail: dict | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction.

    Call it from the service that makes the change, so the change and its audit commit together
    or not at all.
    """
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if target is not None:
        object_type, object_id = describe(target)
    _lock_chain()
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        summary=summary[:300],
        detail=detail or {},
        ip=client_ip.get(),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    every = settings.CORRIDOR_AUDIT_CHECKPOINT_EVERY
    if every and entry.seq % every == 0:
        transaction.on_commit(lambda: checkpoint.write(entry))
    return entry


def audit_read(*, actor, target: models.Model, summary: str = "") -> AuditEntry:
    """Record that ``actor`` looked at a sensitive record."""
    return audit_record(actor=actor, action=Action.READ, target=target, summary=summary)


def _in_node_language(value) -> str:
    return str(value() if callable(value) else value)


def node_text(message, **values) -> str:
    """An audit summary in the node's language: the audit is the node's record, read later by
    the node's people, whoever (or whatever script) wrote it. ``message`` is a msgid marked
    with ``gettext_noop`` (or a callable giving a text); each value is a text, a lazy label or a
    callable giving one (``case.get_stage_display``), read in that language too."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message) if isinstance(message, str) else _in_node_language(message)
        if not values:
            return text
        return text % {name: _in_node_language(value) for name, value in values.items()}


def node_about(ref, message, **values) -> str:
    """ "TG-2026-000012 : Hébergement": a summary about one record, in the node's language."""
    return node_text(
        gettext_noop("%(label)s: %(value)s"), label=ref, value=node_text(message, **values)
    )


def node_move(ref, before, after) -> str:
    """ "TG-2026-000012 : Identification → Protection d'urgence", the labels of a move in the
    node's language (``before`` and ``after`` as ``node_text`` takes its values)."""
    return node_about(ref, gettext_noop("%(from)s → %(to)s"), **{"from": before, "to": after})


def choice_label(choices, code: str):
    """The (lazy) label of ``code`` among a model's choices, or the code when it is not one."""
    return dict(choices.choices).get(code, code)


def audit_read_many(*, actor, records, kind: str, query: str = "") -> AuditEntry | None:
    """Record that ``actor`` was shown a list of sensitive records: one entry per request, with
    the ids returned (``kind`` names what they are, e.g. ``people.person``). ``query`` is what was
    searched for, kept in the detail so that whoever may read this entry sees what was asked;
    nothing is recorded for an empty list."""
    ids = [str(getattr(record, "pk", record)) for record in records]
    if not ids:
        return None
    detail = {"ids": ids}
    if query:
        detail["query"] = query
    return audit_record(
        actor=actor,
        action=Action.READ,
        object_type=kind,
        summary=node_text(gettext_noop("list of %(n)s"), n=len(ids)),
        detail=detail,
    )


REFUSALS_RECORDED = 5  # per source, kind and window: each one an entry of the chain
REFUSAL_WINDOW = 15 * 60  # seconds, the lockout's own time


@transaction.atomic
def audit_refusal(*, source: str, action: str, object_type: str = "", **entry) -> AuditEntry | None:
    """Audit a refusal that anyone may provoke (a failed sign-in, a junk inbox POST) without
    letting anyone grow the chain without limit: the first ``REFUSALS_RECORDED`` refusals of a
    kind from ``source`` in a window are entries (``audit_record``'s keywords), the others add to
    a counter, and one entry per window records how many were counted
    (``audit_refusals_close``, at the next refusal after the window or by ``audit verify``)."""
    now = timezone.now()
    window = int(now.timestamp()) // REFUSAL_WINDOW * REFUSAL_WINDOW
    source = (source or "-")[:200]
    audit_refusals_close(before=window)
    counter, _created = RefusalCounter.objects.select_for_update().get_or_create(
        action=action,
        source=source,
        window=window,
        defaults={"first_at": now, "last_at": now, "object_type": object_type},
    )
    RefusalCounter.objects.filter(pk=counter.pk).update(count=models.F("count") + 1, last_at=now)
    if counter.count + 1 <= REFUSALS_RECORDED:
        return audit_record(action=action, object_type=object_type, **entry)
    return None


def audit_refusals_close(*, before: int | None = None) -> int:
    """One entry for each counter of a window that is over (before ``before``, by default now),
    naming how many refusals went uncounted in the chain; the counters go. Returns how many
    entries were written."""
    if before is None:
        before = int(timezone.now().timestamp()) // REFUSAL_WINDOW * REFUSAL_WINDOW
    ended = RefusalCounter.objects.filter(window__lt=before)
    written = 0
    for counter in ended.filter(count__gt=REFUSALS_RECORDED).order_by("window", "id"):
        extra = counter.count - REFUSALS_RECORDED
        audit_record(
            actor=None,
            action=counter.action,
            object_type=counter.object_type,
            summary=node_text(
                gettext_noop(
                    "%(n)s more refusals from %(source)s, counted, not recorded one by one"
                ),
                n=extra,
                source=counter.source,
            ),
            detail={
                "source": counter.source,
                "counted": extra,
                "from": counter.first_at.isoformat(),
                "to": counter.last_at.isoformat(),
            },
            username="audit",
        )
        written += 1
    ended.delete()
    return written


@transaction.atomic
def peer_checkpoint_store(*, peer: str, body: dict) -> PeerCheckpoint:
    """Keep a checkpoint of ``peer``'s chain (received signed by the peer); audited. A second
    copy of the same checkpoint changes nothing; a different hash for a sequence number already
    held is kept apart as evidence and refused."""
    held = PeerCheckpoint.objects.filter(peer=peer, seq=body["seq"]).first()
    if held is not None:
        if held.hash != body["hash"]:
            raise ValidationError(
                _("The peer sent another hash for its audit entry #%(seq)s.") % {"seq": held.seq}
            )
        return held
    stored = PeerCheckpoint.objects.create(
        peer=peer, **{k: body[k] for k in ("seq", "hash", "at", "mac")}
    )
    audit_record(
        actor=None,
        action=Action.RECEIVE,
        target=stored,
        summary=node_text(
            lambda: _("audit checkpoint of %(p)s at #%(seq)s") % {"p": peer, "seq": stored.seq}
        ),
        username=f"node:{peer}",
    )
    return stored


def audit_verify_against(*, seq: int, hash: str) -> ChainReport:
    """Hold this chain against a checkpoint kept elsewhere (the peer's copy, read there with
    ``corridor audit checkpoints``): entry ``seq`` must still exist with that MAC."""
    entry = AuditEntry.objects.filter(seq=seq).only("hash").first()
    if entry is None:
        return ChainReport(
            ok=False,
            checked=0,
            seq=seq,
            problem=_("entry #%(seq)s of the peer's checkpoint is missing: the chain was cut")
            % {"seq": seq},
        )
    if entry.hash != hash:
        return ChainReport(
            ok=False,
            checked=0,
            seq=seq,
            problem=_("entry #%(seq)s differs from the peer's checkpoint: the chain was rewritten")
            % {"seq": seq},
        )
    return ChainReport(ok=True, checked=seq)


@transaction.atomic
def audit_erase_content(*, actor, object_type: str, object_ids, reason: str) -> int:
    """Erase the content (summary and detail) of every entry about the given records, keeping
    each entry's place, hash and digest of what it said: the chain still verifies, and the
    erasure itself is recorded as a new entry listing the entries it emptied. Entries written
    before content was sealed as a digest cannot be emptied without breaking the chain and are
    left as they are (counted in the returned total as not erased)."""
    ids = [str(i) for i in object_ids]
    erased = []
    for entry in AuditEntry.objects.filter(object_type=object_type, object_id__in=ids).order_by(
        "seq"
    ):
        if entry.is_erased or entry.compute_hash() != entry.hash:
            continue
        digest = content_digest(entry.summary, entry.detail)
        AuditEntry.objects.filter(pk=entry.pk).update(summary="", detail={ERASED_KEY: digest})
        erased.append(entry.seq)
    if erased:
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type=object_type,
            summary=node_text(
                lambda: (
                    ngettext(
                        "content of %(n)s audit entry erased",
                        "content of %(n)s audit entries erased",
                        len(erased),
                    )
                    % {"n": len(erased)}
                )
            ),
            detail={"erased_entries": erased, "reason": reason},
        )
    return len(erased)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def audit_verify(*, batch_size: int = 5000, write_checkpoint: bool = True) -> ChainReport:
    """Walk the whole chain in order and name the first entry that was edited, deleted or moved,
    then hold the head against the last checkpoint (fewer entries, or a checkpointed entry
    changed, is a truncation or a rewrite). An intact chain is checkpointed at its head; refusals
    counted in windows that are over are recorded first (``audit_refusals_close``)."""
    if write_checkpoint:
        with transaction.atomic():
            _lock_chain()
            audit_refusals_close()
    report = _walk(batch_size)
    if not report.ok:
        return report
    try:
        last = checkpoint.read()
    except checkpoint.CheckpointTampered:
        return ChainReport(
            ok=False,
            checked=report.checked,
            problem=_("the checkpoint file %(path)s was altered (its signature does not match)")
            % {"path": checkpoint.path()},
        )
    if last is not None:
        if report.checked < last["seq"]:
            return ChainReport(
                ok=False,
                checked=report.checked,
                seq=report.checked + 1,
                problem=_(
                    "the chain ends at #%(end)s but was checkpointed at #%(seq)s: entries were "
                    "removed from the end"
                )
                % {"end": report.checked, "seq": last["seq"]},
            )
        held = AuditEntry.objects.filter(seq=last["seq"]).values_list("hash", flat=True).first()
        if held != last["hash"]:
            return ChainReport(
                ok=False,
                checked=report.checked,
                seq=last["seq"],
                problem=_(
                    "entry #%(seq)s is not the one checkpointed: the chain was cut and rewritten "
                    "from there"
                )
                % {"seq": last["seq"]},
            )
    if write_checkpoint:
        checkpoint.write_head()
    return report


def _walk(batch_size: int) -> ChainReport:
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    emptied: set[int] = set()  # entries whose content was erased…
    recorded: set[int] = set()  # …and those a later erasure entry lists
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(
                ok=False,
                checked=checked,
                seq=expected_seq,
                problem=_(
                    "entry #%(seq)s is missing (deleted or renumbered); the chain continues at #%(next)s"
                )
                % {"seq": expected_seq, "next": entry.seq},
            )
        if entry.prev_hash != expected_prev:
            return ChainReport(
                ok=False,
                checked=checked,
                seq=entry.seq,
                problem=_(
                    "entry #%(seq)s does not follow #%(prev)s (an entry was removed, inserted or reordered)"
                )
                % {"seq": entry.seq, "prev": entry.seq - 1},
            )
        if entry.compute_hash() != entry.hash and (
            entry.is_erased or entry.compute_legacy_hash() != entry.hash
        ):
            return ChainReport(
                ok=False,
                checked=checked,
                seq=entry.seq,
                problem=_("entry #%(seq)s was edited after it was written") % {"seq": entry.seq},
            )
        if entry.is_erased:
            emptied.add(entry.seq)
        elif entry.action == Action.DELETE and "erased_entries" in (entry.detail or {}):
            recorded.update(entry.detail["erased_entries"])
        expected_seq, expected_prev, checked = entry.seq + 1, entry.hash, checked + 1
    unrecorded = sorted(emptied - recorded)
    if unrecorded:
        return ChainReport(
            ok=False,
            checked=checked,
            seq=unrecorded[0],
            problem=_("entry #%(seq)s was emptied without a recorded erasure")
            % {"seq": unrecorded[0]},
        )
    return ChainReport(ok=True, checked=checked)
