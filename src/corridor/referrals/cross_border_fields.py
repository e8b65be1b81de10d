"""What leaves the node with a cross-border referral: the minimal field set of each purpose.

A referral carries only what its purpose needs (DESIGN, "Cross-border exchange"). Narratives,
notes, phone numbers, documents, photos, trafficker details and case notes never leave. The
receiving node checks that nothing outside the declared set arrived (``check_minimal``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

IDENTITY = (
    "given_names",
    "family_name",
    "other_names",
    "gender",
    "birth_date",
    "birth_year",
    "estimated_age",
    "age_estimated_on",
)
PURPOSES: dict[str, dict] = {
    "protection": {
        "label": _("Protection and assistance in the other country"),
        "person": IDENTITY + ("citizenships", "languages", "unaccompanied"),
        "case": ("is_child", "identified_on", "exploitation_types", "vulnerabilities"),
    },
    "return": {
        "label": _("Return, reunification and reintegration"),
        "person": IDENTITY
        + ("citizenships", "languages", "unaccompanied", "place_of_origin", "origin_prefecture"),
        "case": ("is_child", "identified_on", "child_step", "stage", "vulnerabilities"),
    },
    "family_tracing": {
        "label": _("Family tracing in the country of origin"),
        "person": IDENTITY + ("languages", "place_of_origin", "origin_prefecture"),
        "case": ("is_child",),
    },
}
PERSON_FIELDS = sorted({f for spec in PURPOSES.values() for f in spec["person"]})
CASE_FIELDS = sorted({f for spec in PURPOSES.values() for f in spec["case"]})


def _value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def minimal_payload(case, purpose: str) -> dict:
    """The person and case fields of ``purpose``, empty values left out."""
    spec = PURPOSES[purpose]
    person = case.person
    out_person = {}
    for field in spec["person"]:
        if field == "other_names":
            value = list(person.other_names.values_list("name", flat=True))
        else:
            value = _value(getattr(person, field))
        if value not in (None, "", []):
            out_person[field] = value
    out_case = {}
    for field in spec["case"]:
        value = _value(getattr(case, field))
        if value not in (None, "", []):
            out_case[field] = value
    return {"person": out_person, "case": out_case}


def check_minimal(purpose: str, person: dict, case: dict) -> list[str]:
    """Fields that arrived but are not in the purpose's minimal set (should be none)."""
    spec = PURPOSES.get(purpose)
    if spec is None:
        return [purpose]
    return sorted((set(person) - set(spec["person"])) | (set(case) - set(spec["case"])))
