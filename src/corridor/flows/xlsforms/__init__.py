"""The XLSForms of Corridor's field collection, as data (no Django here).

One definition per form serves two purposes: ``corridor forms xlsform`` writes it as an XLSForm
workbook for ODK Collect / KoboCollect (offline), and the submission importer validates answers
against the same field types and choice lists. The HTCDS 2.0 form (IOM's own XLSForm) is read
from ``vocab/htcds_form.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

VOCAB = Path(__file__).resolve().parent.parent / "vocab"


@dataclass(frozen=True)
class Field:
    type: str
    name: str
    en: str = ""
    fr: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    appearance: str = ""
    calculation: str = ""
    choice_filter: str = ""

    @property
    def base_type(self) -> str:
        return self.type.split()[0]

    @property
    def list_name(self) -> str:
        parts = self.type.split()
        return parts[1] if len(parts) > 1 else ""


@dataclass(frozen=True)
class FormSpec:
    form_id: str
    title_en: str
    title_fr: str
    versions: tuple[str, ...]
    fields: tuple[Field, ...]
    choices: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    kind: str = ""

    @property
    def version(self) -> str:
        return self.versions[-1]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def choice_names(self, list_name: str) -> set[str]:
        return {c[0] for c in self.choices.get(list_name, [])}


def _load(name: str):
    with open(VOCAB / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


YES_NO = [("yes", "Yes", "Oui"), ("no", "No", "Non")]
DIRECTION = [("in", "Entering", "Entrée"), ("out", "Leaving", "Sortie")]
SEX = [("f", "Female", "Féminin"), ("m", "Male", "Masculin")]
AGE_GROUP = [
    ("adult", "Adult", "Adulte"),
    ("child", "Child (under 18)", "Enfant (moins de 18 ans)"),
]
TRANSPORT = [
    ("foot", "On foot", "À pied"),
    ("motorbike", "Motorbike", "Moto"),
    ("car", "Car or taxi", "Voiture ou taxi"),
    ("bus", "Bus or minibus", "Bus ou minibus"),
    ("truck", "Truck", "Camion"),
    ("boat", "Boat", "Bateau"),
    ("plane", "Plane", "Avion"),
    ("other", "Other", "Autre"),
]
REASON = [
    ("economic", "Work or economic reasons", "Travail ou raisons économiques"),
    ("family", "Family visit or reunion", "Visite ou regroupement familial"),
    ("trade", "Trade", "Commerce"),
    ("education", "Education", "Études"),
    ("tourism", "Tourism", "Tourisme"),
    ("conflict", "Fleeing conflict or disaster", "Fuite d'un conflit ou d'une catastrophe"),
    ("return", "Return home", "Retour au pays"),
    ("other", "Other", "Autre"),
]
VULNERABILITY = [
    ("unaccompanied", "Unaccompanied children", "Enfants non accompagnés"),
    ("under5", "Children under 5", "Enfants de moins de 5 ans"),
    ("pregnant", "Pregnant women", "Femmes enceintes"),
    ("elderly", "Elderly persons", "Personnes âgées"),
    ("disability", "Persons with disabilities", "Personnes handicapées"),
]
NATIONALITY = [
    ("TG", "Togo", "Togo"),
    ("GA", "Gabon", "Gabon"),
    ("BJ", "Benin", "Bénin"),
    ("GH", "Ghana", "Ghana"),
    ("NG", "Nigeria", "Nigeria"),
    ("BF", "Burkina Faso", "Burkina Faso"),
    ("NE", "Niger", "Niger"),
    ("ML", "Mali", "Mali"),
    ("CI", "Côte d'Ivoire", "Côte d'Ivoire"),
    ("CM", "Cameroon", "Cameroun"),
    ("CG", "Congo", "Congo"),
    ("GQ", "Equatorial Guinea", "Guinée équatoriale"),
    ("XX", "Other", "Autre"),
]


def _points() -> list[tuple[str, str, str]]:
    return [(p["code"], p["name"], p["name"]) for p in _load("points")["points"]]


def _start() -> tuple[Field, ...]:
    return (
        Field("start", "start"),
        Field("end", "end"),
        Field("today", "today"),
        Field("deviceid", "deviceid"),
    )


def _count_form() -> FormSpec:
    n = "integer"
    small = ". >= 0 and . <= 5000"
    return FormSpec(
        form_id="corridor_flow_count",
        title_en="Flow monitoring – group count",
        title_fr="Suivi des flux – comptage d'un groupe",
        versions=("2026.1",),
        kind="flow_count",
        fields=(
            *_start(),
            Field("select_one point", "point", "Monitoring point", "Point de suivi", True),
            Field(
                "date",
                "day",
                "Day of the count",
                "Jour du comptage",
                True,
                constraint=". <= today()",
            ),
            Field("select_one direction", "direction", "Direction", "Sens", True),
            Field(
                "select_one nationality",
                "nationality",
                "Nationality of the group",
                "Nationalité du groupe",
                True,
            ),
            Field("select_one transport", "transport", "Transport", "Moyen de transport", True),
            Field(
                "select_one reason",
                "reason",
                "Main reason for travel",
                "Motif principal du voyage",
                True,
            ),
            Field(n, "adult_m", "Adult men", "Hommes adultes", True, constraint=small),
            Field(n, "adult_f", "Adult women", "Femmes adultes", True, constraint=small),
            Field(
                n, "child_m", "Boys (under 18)", "Garçons (moins de 18 ans)", True, constraint=small
            ),
            Field(
                n, "child_f", "Girls (under 18)", "Filles (moins de 18 ans)", True, constraint=small
            ),
            Field(
                n,
                "unaccompanied",
                "of whom unaccompanied children",
                "dont enfants non accompagnés",
                False,
                constraint=". <= ${child_m} + ${child_f}",
            ),
            Field(
                n,
                "under5",
                "of whom children under 5",
                "dont enfants de moins de 5 ans",
                False,
                constraint=". <= ${child_m} + ${child_f}",
            ),
            Field(
                n,
                "pregnant",
                "of whom pregnant women",
                "dont femmes enceintes",
                False,
                constraint=". <= ${adult_f} + ${child_f}",
            ),
            Field(
                n,
                "elderly",
                "of whom elderly persons",
                "dont personnes âgées",
                False,
                constraint=". <= ${adult_m} + ${adult_f}",
            ),
            Field(
                n,
                "disability",
                "of whom persons with disabilities",
                "dont personnes handicapées",
                False,
                constraint=small,
            ),
        ),
        choices={
            "point": _points(),
            "direction": DIRECTION,
            "nationality": NATIONALITY,
            "transport": TRANSPORT,
            "reason": REASON,
        },
    )


def _survey_form() -> FormSpec:
    return FormSpec(
        form_id="corridor_flow_survey",
        title_en="Flow monitoring survey",
        title_fr="Enquête de suivi des flux",
        versions=("2026.1",),
        kind="flow_survey",
        fields=(
            *_start(),
            Field("select_one point", "point", "Monitoring point", "Point de suivi", True),
            Field(
                "date",
                "day",
                "Day of the interview",
                "Jour de l'entretien",
                True,
                constraint=". <= today()",
            ),
            Field(
                "note",
                "consent_text",
                "Read out: who we are, why we ask, that answers are anonymous and that the "
                "traveller may refuse or stop at any time.",
                "Lire\u00a0: qui nous sommes, pourquoi nous posons ces questions, que les réponses "
                "sont anonymes et que le voyageur peut refuser ou arrêter à tout moment.",
            ),
            Field(
                "select_one yes_no",
                "consent",
                "Does the traveller agree to answer?",
                "Le voyageur accepte-t-il de répondre\u00a0?",
                True,
            ),
            Field(
                "select_one direction",
                "direction",
                "Direction",
                "Sens",
                True,
                relevant="${consent} = 'yes'",
            ),
            Field("select_one sex", "sex", "Sex", "Sexe", True, relevant="${consent} = 'yes'"),
            Field(
                "select_one age_group",
                "age_group",
                "Age group",
                "Tranche d'âge",
                True,
                relevant="${consent} = 'yes'",
            ),
            Field(
                "select_one nationality",
                "nationality",
                "Nationality",
                "Nationalité",
                True,
                relevant="${consent} = 'yes'",
            ),
            Field(
                "select_one nationality",
                "origin_country",
                "Country of departure",
                "Pays de départ",
                False,
                relevant="${consent} = 'yes'",
            ),
            Field(
                "select_one nationality",
                "destination_country",
                "Country of destination",
                "Pays de destination",
                False,
                relevant="${consent} = 'yes'",
            ),
            Field(
                "select_one transport",
                "transport",
                "Transport",
                "Moyen de transport",
                False,
                relevant="${consent} = 'yes'",
            ),
            Field(
                "select_one reason",
                "reason",
                "Main reason for travel",
                "Motif principal du voyage",
                False,
                relevant="${consent} = 'yes'",
            ),
            Field(
                "select_multiple vulnerability",
                "vulnerabilities",
                "Vulnerabilities observed",
                "Vulnérabilités observées",
                False,
                relevant="${consent} = 'yes'",
            ),
        ),
        choices={
            "point": _points(),
            "yes_no": YES_NO,
            "direction": DIRECTION,
            "sex": SEX,
            "age_group": AGE_GROUP,
            "nationality": NATIONALITY,
            "transport": TRANSPORT,
            "reason": REASON,
            "vulnerability": VULNERABILITY,
        },
    )


def _htcds_choices() -> dict[str, list[tuple[str, str, str]]]:
    return {k: [(v, v, v) for v in values] for k, values in _load("htcds_form")["choices"].items()}


def _screening_form() -> FormSpec:
    """First screening at a border post, in HTCDS 2.0 field names (so the same hand-off to
    people and cases serves it and the HTCDS form)."""
    htcds = _htcds_choices()
    return FormSpec(
        form_id="corridor_screening",
        title_en="First screening at a border post",
        title_fr="Premier repérage à un poste frontière",
        versions=("2026.1",),
        kind="htcds",
        fields=(
            *_start(),
            Field("select_one point", "point", "Monitoring point", "Point de suivi", True),
            Field(
                "date",
                "screening_date",
                "Day of the screening",
                "Jour du repérage",
                True,
                constraint=". <= today()",
            ),
            Field(
                "select_one consent",
                "con_Consent",
                "Consent to record personal data (the child's guardian or the adult)",
                "Consentement à l'enregistrement (tuteur de l'enfant ou adulte)",
                True,
            ),
            Field(
                "text",
                "prs_First_Name",
                "First name",
                "Prénom",
                True,
                relevant="${con_Consent} = 'TRUE'",
            ),
            Field(
                "text",
                "prs_Second_Name",
                "Surname",
                "Nom",
                False,
                relevant="${con_Consent} = 'TRUE'",
            ),
            Field("select_one gender", "prs_Gender", "Gender", "Genre", True),
            Field(
                "date",
                "prs_Birthdate",
                "Birth date, if known",
                "Date de naissance si connue",
                False,
                relevant="${con_Consent} = 'TRUE'",
            ),
            Field(
                "integer",
                "prs_EstimatedAge",
                "Estimated age (years)",
                "Âge estimé (années)",
                False,
                constraint=". >= 0 and . <= 110",
            ),
            Field("select_one citizenship", "prs_Citizenship", "Citizenship", "Nationalité", False),
            Field(
                "select_one yes_no",
                "unaccompanied",
                "Unaccompanied child?",
                "Enfant non accompagné\u00a0?",
                False,
            ),
            Field(
                "select_multiple typeofexploitation",
                "vic_TypeOfExploitation",
                "Suspected form of exploitation",
                "Forme d'exploitation soupçonnée",
                False,
            ),
            Field(
                "select_multiple methodsofcontrol",
                "vic_Methods_of_Control",
                "Means of control observed",
                "Moyens de contrôle observés",
                False,
            ),
            Field(
                "select_one traffickingstatus",
                "vic_TraffickingStatus",
                "Trafficking status",
                "Statut de traite",
                True,
            ),
        ),
        choices={
            "point": _points(),
            "yes_no": YES_NO,
            "consent": [("TRUE", "Yes", "Oui"), ("FALSE", "No", "Non")],
            "gender": htcds["gender"],
            "citizenship": htcds["citizenship"],
            "typeofexploitation": htcds["typeofexploitation"],
            "methodsofcontrol": htcds["methodsofcontrol"],
            "traffickingstatus": htcds["traffickingstatus"],
        },
    )


def _htcds_form() -> FormSpec:
    data = _load("htcds_form")
    return FormSpec(
        form_id=data["form_id"],
        title_en="HTCDS 2.0",
        title_fr="HTCDS 2.0",
        versions=tuple(data["versions"]),
        kind="htcds",
        fields=tuple(Field(f["type"], f["name"]) for f in data["fields"]),
        choices=_htcds_choices(),
    )


EXTRA_FORMS: list = []
"""Forms other capabilities add (``register_form``): factories of FormSpec."""


def register_form(factory) -> None:
    if factory not in EXTRA_FORMS:
        EXTRA_FORMS.append(factory)
        registry.cache_clear()


@cache
def registry() -> dict[str, FormSpec]:
    """Every form whose submissions this node accepts, by form id."""
    forms = [_count_form(), _survey_form(), _screening_form(), _htcds_form()]
    forms += [factory() for factory in EXTRA_FORMS]
    return {f.form_id: f for f in forms}


# The forms Corridor writes itself (the HTCDS workbook is IOM's, used as published).
WRITTEN = ("corridor_screening", "corridor_flow_count", "corridor_flow_survey")


def write_xlsform(spec: FormSpec, path: Path) -> Path:
    """Write ``spec`` as an XLSForm workbook (survey, choices, settings; English and French)."""
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            "label::English (en)",
            "label::French (fr)",
            "required",
            "relevant",
            "constraint",
            "constraint_message::English (en)",
            "constraint_message::French (fr)",
            "appearance",
            "calculation",
            "choice_filter",
        ]
    )
    for f in spec.fields:
        survey.append(
            [
                f.type,
                f.name,
                f.en,
                f.fr,
                "yes" if f.required else "",
                f.relevant,
                f.constraint,
                "Value out of range" if f.constraint else "",
                "Valeur hors limites" if f.constraint else "",
                f.appearance,
                f.calculation,
                f.choice_filter,
            ]
        )
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::French (fr)"])
    for list_name, items in spec.choices.items():
        for name, en, fr in items:
            choices.append([list_name, name, en, fr])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "instance_name"])
    settings.append(
        [
            spec.title_fr,
            spec.form_id,
            spec.version,
            "French (fr)",
            "concat(${" + _name_field(spec) + "}, ' ', ${start})",
        ]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _name_field(spec: FormSpec) -> str:
    return "point" if spec.field("point") else spec.fields[-1].name
