"""What the child's file gives the governance of personal data: its records in a subject-access
export, its narratives erased when a retention rule anonymises the case, and a legal hold while
the child is in a placement."""

from __future__ import annotations

from django.utils.translation import gettext as _

NARRATIVES = {
    "bias": {
        "childs_views": "",
        "safety_risks": "",
        "family_situation": "",
        "health": "",
        "education": "",
    },
    "bids": {"reasons": "", "dissent": "", "panel": []},
    "family_assessments": {
        "household": "",
        "caregiver_name": "",
        "living_conditions": "",
        "risks": "",
        "support_needed": "",
        "assessor": "",
    },
    "tracing_actions": {"notes": "", "who": "", "action": ""},
    "placements": {"caregivers": [], "end_reason": ""},
    "handovers": {"escort": "", "remarks": "", "handed_by": "", "received_by": ""},
    "follow_ups": {"wellbeing": "", "childs_account": ""},
}


def anonymise(case) -> None:
    """Keep dates, codes and scores (the figures need them); erase what names or tells."""
    for relation, blanks in NARRATIVES.items():
        getattr(case, relation).update(**blanks)


def subject_section(person) -> list[dict]:
    from corridor.governance.rights import record_dict

    rows = []
    for case in person.cases.filter(is_child=True).order_by("pk"):
        entry = {"case": case.ref}
        for relation in NARRATIVES:
            entry[relation] = [
                record_dict(r, skip=("case",)) for r in getattr(case, relation).all()
            ]
        rows.append(entry)
    return rows


def placement_hold(*, person, case) -> str:
    if case is not None and case.placements.filter(end_on__isnull=True).exists():
        return _("the child is in an alternative-care placement")
    return ""


def register() -> None:
    from corridor.governance.holds import register_legal_hold
    from corridor.governance.retention import register_case_anonymiser
    from corridor.governance.rights import register_subject_section

    register_case_anonymiser(anonymise)
    register_subject_section("childcare", subject_section)
    register_legal_hold(placement_hold)
