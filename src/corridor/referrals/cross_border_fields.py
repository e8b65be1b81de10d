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


# What a person reads for each field that may leave the node, and how its value is shown.
_LABELS = {
    "other_names": _("Other names"),
    "citizenships": _("Citizenships"),
    "languages": _("Languages"),
}
_VOCAB_LISTS = {
    "exploitation_types": "cases.exploitation",
    "vulnerabilities": "cases.vulnerabilities",
}


def _model_field(name: str):
    from corridor.cases.models import Case
    from corridor.people.models import Person

    for model in (Person, Case):
        try:
            return model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return None


def field_label(name: str) -> str:
    """The translated label of a shared field (``given_names`` → "Prénoms")."""
    from django.utils.text import capfirst

    if name in _LABELS:
        return str(_LABELS[name])
    field = _model_field(name)
    return str(capfirst(field.verbose_name)) if field is not None else name


def field_value(name: str, value) -> str:
    """A shared value as a person reads it: countries and languages by name, vocabulary codes
    by label, yes or no, dates in the reader's format."""
    from datetime import date

    from django.utils import formats
    from django.utils.translation import gettext

    from corridor.core.countries import country_name, language_name
    from corridor.core.vocab import vocabulary

    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if name == "citizenships":
        return ", ".join(country_name(c) for c in value)
    if name == "languages":
        return ", ".join(language_name(c) for c in value)
    if name in _VOCAB_LISTS:
        return ", ".join(vocabulary(_VOCAB_LISTS[name]).label(c) for c in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    field = _model_field(name)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def shared_rows(shared: dict) -> list[tuple[str, str]]:
    """(label, value) of every field a referral carried, person first, then case."""
    return [
        (field_label(name), field_value(name, value))
        for part in ("person", "case")
        for name, value in (shared.get(part) or {}).items()
    ]


def purpose_label(purpose: str) -> str:
    spec = PURPOSES.get(purpose)
    return str(spec["label"]) if spec else purpose


def purposes_for_people() -> list[dict]:
    """Each purpose with the labels of the fields it sends, for the "what leaves" table: the
    person's fields, then the case's (``parts``, each part's labels joined)."""
    return [
        {
            "label": spec["label"],
            "parts": [
                ", ".join(str(field_label(f)) for f in spec[part])
                for part in ("person", "case")
                if spec[part]
            ],
        }
        for spec in PURPOSES.values()
    ]


_BASES = {
    "consent": _("Consent of the person"),
    "guardian_consent": _("Consent of a parent or guardian"),
}


def basis_label(code: str) -> str:
    """The consent or legal ground a referral rests on, by name."""
    from corridor.core.vocab import vocabulary

    if code in _BASES:
        return str(_BASES[code])
    return vocabulary("cases.legal_ground").label(code) if code else ""
