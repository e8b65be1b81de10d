"""Writes of cases, by subject; every write is a service that checks who may make it and
writes its audit entry in the same transaction.

- ``opening``: opening a case, an imported case's prior status, the victim context;
- ``workflow``: the single mover ``case_transition`` (transition tables, preconditions),
  assignment, the caregiver, approvals;
- ``consent``: consent and its withdrawal (with the hooks other apps register);
- ``records``: trafficking events, support plans, services provided, tasks, notes;
- ``caseload``: the caseload a case opens with (proposed from a screening or the facts) and the
  supervisor's decision that changes it;
- ``smuggling``: the smuggling facts of a smuggled migrant, and the smuggler passed to
  intelligence.

The names below are the app's service interface: other apps import them from here.
"""

from corridor.cases.services.caseload import (
    case_change_caseload,
    caseload_from_facts,
    caseload_proposed,
)
from corridor.cases.services.common import VICTIM_FIELDS, VICTIM_SINGLE_FIELDS
from corridor.cases.services.consent import (
    CONSENT_WITHDRAWN_HOOKS,
    consent_record,
    consent_withdraw,
)
from corridor.cases.services.opening import (
    OPENING_FIELDS,
    PRIOR_STATUS_STAGE,
    case_open,
    case_record_prior_status,
    case_update_victim_context,
)
from corridor.cases.services.records import (
    event_add,
    note_add,
    service_record,
    support_plan_add,
    task_complete,
    task_create,
)
from corridor.cases.services.smuggling import SMUGGLING_FIELDS, smuggling_facts_record
from corridor.cases.services.workflow import (
    APPROVAL_CHECKS,
    MOVE_CHECKS,
    allowed_moves,
    approval_decide,
    approval_prerequisites,
    approval_request,
    approved,
    case_assign,
    case_propose_trafficking_status,
    case_set_caregiver,
    case_transition,
    has_consent,
    latest_decided,
    procedure_steps,
)

__all__ = [
    "APPROVAL_CHECKS",
    "MOVE_CHECKS",
    "case_propose_trafficking_status",
    "approval_prerequisites",
    "CONSENT_WITHDRAWN_HOOKS",
    "OPENING_FIELDS",
    "PRIOR_STATUS_STAGE",
    "SMUGGLING_FIELDS",
    "VICTIM_FIELDS",
    "VICTIM_SINGLE_FIELDS",
    "allowed_moves",
    "approval_decide",
    "approval_request",
    "approved",
    "latest_decided",
    "case_assign",
    "case_change_caseload",
    "case_open",
    "case_record_prior_status",
    "case_set_caregiver",
    "case_transition",
    "case_update_victim_context",
    "caseload_from_facts",
    "caseload_proposed",
    "consent_record",
    "consent_withdraw",
    "event_add",
    "has_consent",
    "note_add",
    "procedure_steps",
    "service_record",
    "smuggling_facts_record",
    "support_plan_add",
    "task_complete",
    "task_create",
]
