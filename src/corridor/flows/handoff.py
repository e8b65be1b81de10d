"""Hand-off of a validated HTCDS (or screening) submission to people and cases.

``htcds_handoff`` is the one place where a field submission becomes a Person and a Case, through
the case-management services ``people.services.person_create``, ``cases.services.case_open``
and ``cases.services.consent_record``. A submission stays *pending* (validated, kept in
``Submission``, nothing created) when the hand-off cannot be done from the field: no consent to
record personal data, no name, or an importer who cannot open cases (the operator's command
without ``--as``). A caseworker then registers the person from the submission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from corridor.accounts.models import Role

# HTCDS vic_* field → Case field (cases app); multi-selects are lists.
VICTIM_MAP = {
    "vic_TypeOfExploitation": "exploitation_types",
    "vic_Methods_of_Control": "methods_of_control",
    "vic_ForcedLabourIndustry": "industries",
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "status_decision_org",
}
# A child's consent is the guardian's, with the child's own views: the caseworker records those;
# until then the field record rests on the anti-trafficking law's public task.
CHILD_LEGAL_GROUND = "public_task"
HANDOFF_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR)


@dataclass
class HtcdsRecord:
    """The HTCDS answers of one submission, validated (names as in HTCDS 2.0)."""

    consent: bool
    person: dict = field(default_factory=dict)  # prs_* fields
    victim: dict = field(default_factory=dict)  # vic_* fields
    case: dict = field(default_factory=dict)  # cas_* fields
    point_code: str = ""
    point_name: str = ""
    screening_date: date | None = None
    estimated_age: int | None = None
    unaccompanied: bool | None = None

    def can_hand_off(self, actor) -> bool:
        names = self.person.get("prs_First_Name") or self.person.get("prs_Second_Name")
        return bool(self.consent and names and actor is not None and actor.has_role(*HANDOFF_ROLES))


def htcds_handoff(*, actor, record: HtcdsRecord, agency) -> tuple[str, str] | None:
    """Create the person, open the case and record the consent to data processing; return
    ("cases.case", id), or None when the record must wait for a caseworker (see module doc)."""
    if not record.can_hand_off(actor):
        return None
    from corridor.cases.services import case_open, consent_record
    from corridor.people.services import person_create

    p = record.person
    person = person_create(
        actor=actor,
        agency=agency,
        given_names=p.get("prs_First_Name") or "",
        family_name=(p.get("prs_Second_Name") or "").upper(),
        gender=p.get("prs_Gender") or "NonSpecifiedUnknown",
        birth_date=p.get("prs_Birthdate"),
        estimated_age=record.estimated_age,
        citizenships=[p["prs_Citizenship"]] if p.get("prs_Citizenship") else [],
        unaccompanied=bool(record.unaccompanied),
    )
    victim = {VICTIM_MAP[k]: v for k, v in record.victim.items() if k in VICTIM_MAP and v}
    case = case_open(
        actor=actor,
        person=person,
        agency=agency,
        identified_on=record.screening_date,
        identified_at_place=record.point_name,
        **victim,
    )
    consent_record(
        actor=actor,
        case=case,
        purpose="data_processing",
        given=True,
        # Field screening records the consent of the adult or the guardian; a child's guardian
        # and views are completed by the caseworker, under the legal ground of child protection.
        legal_ground="" if not case.is_child else CHILD_LEGAL_GROUND,
    )
    return case._meta.label_lower, str(case.pk)
