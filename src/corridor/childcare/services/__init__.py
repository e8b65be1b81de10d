"""Writes of the child's case in depth, one module per subject (best interests, family tracing
and assessment, alternative care, the return hand-over, follow-up visits). Each service takes
plain, validated data (so an offline sync or an ODK submission can call it as the pages do),
checks who may write, refuses bad input with a translated message naming the field, writes in
one transaction and audits there.

Updates take ``expected_version``: the version the editor started from. When the record changed
since, the update is refused as a conflict for a person to resolve, never silently overwritten.
"""

from corridor.childcare.services.best_interests import (
    assessment_record,
    determination_approval_check,
    determination_move_check,
    determination_record,
    latest_assessment,
    usable_family_assessment,
)
from corridor.childcare.services.care import occupancy, placement_start, placement_update
from corridor.childcare.services.common import (
    FAMILY_ASSESSMENT,
    HANDOVER_COUNTERSIGNED,
    OUTGOING_HANDOVER,
    SHELTER_SERVICE,
    actor_name,
)
from corridor.childcare.services.family import (
    _family_assessment_save,
    family_assessment_record,
    tracing_action_record,
    tracing_action_update,
)
from corridor.childcare.services.handover import (
    family_assessment_share,
    handover_countersign,
    handover_payload,
    handover_sign,
    open_referral,
)
from corridor.childcare.services.visits import visit_record, visit_update

__all__ = [
    "FAMILY_ASSESSMENT",
    "HANDOVER_COUNTERSIGNED",
    "OUTGOING_HANDOVER",
    "SHELTER_SERVICE",
    "_family_assessment_save",
    "actor_name",
    "assessment_record",
    "determination_approval_check",
    "determination_move_check",
    "determination_record",
    "family_assessment_record",
    "family_assessment_share",
    "handover_countersign",
    "handover_payload",
    "handover_sign",
    "latest_assessment",
    "occupancy",
    "open_referral",
    "placement_start",
    "placement_update",
    "tracing_action_record",
    "tracing_action_update",
    "usable_family_assessment",
    "visit_record",
    "visit_update",
]
