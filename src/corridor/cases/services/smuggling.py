"""The smuggling facts of a smuggled migrant's case, and what they give the investigators.

The migrant is the object of the smuggling, never its author (UN Smuggling Protocol, art. 5):
the facts are recorded to protect and assist them and to pursue the smuggler. The smuggler named
in them is passed to intelligence as a person entity with its source and grading, by the node
itself: the caseworker writes no intelligence and gains no access to it, and nothing that
identifies the migrant (name, case reference) goes with it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.cases import caseloads as cl
from corridor.cases.models import Case, SmugglingFacts
from corridor.cases.services.caseload import check_group
from corridor.cases.services.common import _require_manager, unknown_values
from corridor.core import said
from corridor.core.vocab import vocabulary

SMUGGLING_LISTS = {
    "transport_means": "cases.transport_means",
    "documents": "cases.smuggling_documents",
    "protection_given": "cases.migrant_protection",
}
SMUGGLING_FIELDS = (
    "intermediary",
    "intermediary_phone",
    "amount_paid",
    "currency",
    "paid_to",
    "route",
    *SMUGGLING_LISTS,
    "endangered_life",
    "inhuman_treatment",
    "circumstances",
)

# How far the intelligence can trust a smuggler named by the migrant: a first-hand account whose
# source cannot be judged (F) and not confirmed by another (3), shared with conditions (C).
INTEL_GRADING = {"reliability": "F", "credibility": "3", "handling": "C"}


@transaction.atomic
def smuggling_facts_record(*, actor, case: Case, **facts) -> SmugglingFacts:
    """Record (or correct) the smuggling facts of a case of a caseload that takes them. A field
    left out keeps its value. A smuggler named for the first time, or renamed, is passed to
    intelligence (``_feed_intelligence``)."""
    unknown = set(facts) - set(SMUGGLING_FIELDS)
    if unknown:
        raise TypeError(f"not a smuggling field: {sorted(unknown)}")
    _require_manager(actor, case)
    check_group(case, cl.SMUGGLING, [_("smuggling facts")])
    errors = {}
    for field, name in SMUGGLING_LISTS.items():
        bad = [v for v in facts.get(field) or [] if v not in vocabulary(name)]
        if bad:
            errors[field] = unknown_values(bad)
    amount = facts.get("amount_paid")
    if amount is not None and Decimal(amount) < 0:
        errors["amount_paid"] = _("An amount cannot be negative.")
    currency = facts.get("currency")
    if currency and not (len(currency) == 3 and currency.isalpha()):
        errors["currency"] = _("Give the currency as its three-letter code (XOF, XAF, EUR).")
    if errors:
        raise ValidationError(errors)
    record = SmugglingFacts.objects.select_for_update().filter(case=case).first()
    created = record is None
    if created:
        record = SmugglingFacts(case=case, recorded_by=actor)
    before = record.intermediary
    changed = []
    for field, value in facts.items():
        if isinstance(value, str):
            value = value.strip().upper() if field == "currency" else value.strip()
        if getattr(record, field) != value:
            setattr(record, field, value)
            changed.append(field)
    record.recorded_by = actor
    record.full_clean(exclude=["case"])
    record.save()
    fed = False
    if record.intermediary and (record.intel_entity_id is None or record.intermediary != before):
        _feed_intelligence(record)
        fed = True
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        target=record,
        summary=node_text(gettext_noop("smuggling facts of %(ref)s"), ref=case.ref),
        detail={"fields": changed, "passed_to_intelligence": fed},
    )
    return record


def _feed_intelligence(record: SmugglingFacts) -> None:
    """The smuggler as an intelligence person entity (role Smuggler), filed under a report whose
    source is the social-service agency: by the node (``actor=None``), in the same transaction."""
    from corridor.intel import services as intel

    case = record.case
    source = said.say(said.SMUGGLED_ACCOUNT, agency=case.agency)
    details = {
        "amount_paid": str(record.amount_paid) if record.amount_paid is not None else "",
        "currency": record.currency,
        "paid_to": record.paid_to,
        "route": record.route,
        "transport_means": record.transport_means,
        "aggravating": record.aggravating,
    }
    report = intel.report_create(
        actor=None,
        title=said.say(said.SMUGGLER_NAMED),
        received_on=timezone.localdate(),
        source=source,
        narrative=said.say(
            said.SMUGGLING_FACTS,
            route=record.route or "—",
            amount=details["amount_paid"] or "—",
            currency=record.currency,
            to=record.paid_to or "—",
        ),
        **INTEL_GRADING,
    )
    entity = intel.entity_create(
        actor=None,
        kind="person",
        name=record.intermediary,
        source=source,
        roles=["Smuggler"],
        details=details,
        report=report,
        **INTEL_GRADING,
    )
    if record.intermediary_phone:
        try:
            phone, _new = intel.entity_get_or_create(
                actor=None,
                kind="phone",
                name=record.intermediary_phone,
                source=source,
                report=report,
                **INTEL_GRADING,
            )
        except ValidationError:
            phone = None  # a number the parser refuses stays in the case only
        if phone is not None:
            intel.link_create(
                actor=None,
                source_entity=entity,
                target_entity=phone,
                kind="uses",
                source=source,
                report=report,
                **INTEL_GRADING,
            )
    record.intel_entity_id, record.intel_reported_at = entity.pk, timezone.now()
    record.save(update_fields=["intel_entity_id", "intel_reported_at"])
