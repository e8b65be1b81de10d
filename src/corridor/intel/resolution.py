"""Entity resolution proposals: pairs that may be one phone, vehicle, document or person.

Proposals only: a reviewer decides, and the decision goes to the judgement log. Each proposal
says why it was made, so the reviewer judges evidence rather than a score. Names use the matching
engine's normalisation (variant families and phonetic keys for West African and French names).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from corridor.i18n import _
from corridor.intel import keys
from corridor.intel.models import Decision, Entity, EntityKind, LinkKind
from corridor.matching.normalise import name_keys

MAX_BLOCK = 30


@dataclass
class Proposal:
    left: Entity
    right: Entity
    reasons: list[str] = field(default_factory=list)
    current: str | None = None

    @property
    def strength(self) -> int:
        return len(self.reasons)


def _pairs(groups: dict, reason) -> dict[tuple[int, int], list[str]]:
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    for value, members in groups.items():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for a, b in combinations(sorted(members, key=lambda e: e.pk), 2):
            found[(a.pk, b.pk)].append(reason(a, b, value))
    return found


def propose(*, entities, links=None, decisions: dict | None = None) -> list[Proposal]:
    """Pairs of active entities of one kind that may be the same, strongest evidence first.

    Phones: the same eight national digits under two country codes (a number keyed in the wrong
    country). Plates and documents: equal once look-alike characters are folded (O/0, I/1, S/5,
    B/8). People and organisations: every name token in the same variant family or phonetic key
    (Kossi / Cossi / Kwasi), or the use of one same phone. Pairs whose current judgement is
    positive or negative are left out; unsure ones stay, marked.
    """
    active = [e for e in entities if e.merged_into_id is None]
    by_pk = {e.pk: e for e in active}
    found: dict[tuple[int, int], list[str]] = defaultdict(list)

    def merge(more):
        for pair, reasons in more.items():
            found[pair].extend(reasons)

    phones = defaultdict(list)
    plates = defaultdict(list)
    documents = defaultdict(list)
    names = defaultdict(list)
    for entity in active:
        if entity.kind == EntityKind.PHONE:
            phones[keys.national_digits(entity.key)].append(entity)
        elif entity.kind == EntityKind.VEHICLE:
            plates[keys.confusable_key(entity.key)].append(entity)
        elif entity.kind == EntityKind.DOCUMENT:
            documents[keys.confusable_key(entity.key)].append(entity)
        elif entity.kind in (EntityKind.PERSON, EntityKind.ORGANISATION):
            tokens = frozenset(name_keys(entity.name))
            if tokens:
                names[(entity.kind, tokens)].append(entity)
    merge(
        _pairs(
            phones,
            lambda a, b, v: (
                _("same national number %(digits)s under two country codes") % {"digits": v}
            ),
        )
    )
    merge(
        _pairs(
            plates,
            lambda a, b, v: (
                _("plates %(a)s and %(b)s differ only by look-alike characters")
                % {"a": a.key, "b": b.key}
            ),
        )
    )
    merge(
        _pairs(
            documents,
            lambda a, b, v: (
                _("document numbers %(a)s and %(b)s differ only by look-alike characters")
                % {"a": a.key, "b": b.key}
            ),
        )
    )
    merge(
        _pairs(
            names,
            lambda a, b, v: (
                _("both are named “%(a)s”") % {"a": a.name}
                if a.name.casefold() == b.name.casefold()
                else _("names “%(a)s” and “%(b)s” are spelling variants of each other")
                % {"a": a.name, "b": b.name}
            ),
        )
    )
    if links is not None:
        users = defaultdict(list)
        for link in links.filter(kind=LinkKind.USES, target_entity__kind=EntityKind.PHONE):
            source = by_pk.get(link.source_entity_id)
            if source is not None and source.kind in (EntityKind.PERSON, EntityKind.ORGANISATION):
                users[link.target_entity.name].append(source)
        merge(
            _pairs(
                users,
                lambda a, b, v: _("both use the phone %(phone)s") % {"phone": v},
            )
        )
    proposals = []
    for (a, b), reasons in found.items():
        if a not in by_pk or b not in by_pk:
            continue
        left, right = by_pk[a], by_pk[b]
        if left.kind != right.kind:
            continue
        current = (decisions or {}).get((a, b))
        if current in (Decision.POSITIVE, Decision.NEGATIVE):
            continue
        proposals.append(Proposal(left=left, right=right, reasons=reasons, current=current))
    proposals.sort(key=lambda p: (-p.strength, p.left.kind, p.left.pk, p.right.pk))
    return proposals


def entity_decisions(judgements) -> dict[tuple[int, int], str]:
    """Current decision per pair of entity ids, from the judgement log (latest wins)."""
    current: dict[tuple[int, int], str] = {}
    for j in judgements.filter(left_type="intel.entity", right_type="intel.entity").order_by(
        "at", "id"
    ):
        a, b = sorted((int(j.left_id), int(j.right_id)))
        current[(a, b)] = j.decision
    return current
