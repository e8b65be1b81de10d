"""Follow-up visits with ODK Collect or KoboCollect: the XLSForm, the entity list of assigned
cases that pre-fills it, and the import of its submissions.

* ``corridor_follow_up`` is an XLSForm whose first question picks the child from the entity list
  ``cases`` (``select_one_from_file cases.csv``), filtered to the phone's user name, and shows
  the child's name, age and village from the entity's properties.
* ``entities_push`` keeps that entity list on ODK Central up to date with the open children's
  cases and who carries them, through Central's documented Entities API
  (``/v1/projects/{p}/datasets/cases/entities``): new cases created, changed ones updated,
  nothing sent twice. Only what a visit needs leaves the node: reference, given name, age,
  village and the worker's user name.
* Submissions come back through ``corridor pull_submissions`` (or an uploaded export) and go
  through the same sync as the offline pages (``services.sync_one``): applied once, a conflict
  kept for a person, or refused with the reason (the submission stays on the server and is
  tried again at the next pull, for example once the supervisor reassigned the case).
"""

from __future__ import annotations

import json
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from corridor.flows.xlsforms import Field, FormSpec

FORM_ID = "corridor_follow_up"
VERSION = "2026.1"
DATASET = "cases"
NAMESPACE = uuid.UUID("6f1d3c1e-5b0a-4f63-9a53-7a0e8f3b2c41")
RATINGS_CONSTRAINT = ". >= 1 and . <= 5"


def _choices(choices) -> list[tuple[str, str, str]]:
    out = []
    for value, label in choices:
        with translation.override("en"):
            en = str(label)
        with translation.override("fr"):
            fr = str(label)
        out.append((str(value), en, fr))
    return out


def follow_up_form() -> FormSpec:
    from corridor.childcare import scoring
    from corridor.childcare.forms import RATING_LABELS
    from corridor.childcare.models import FollowUpVisit

    ratings = []
    for item in scoring.ITEMS:
        with translation.override("en"):
            en = str(RATING_LABELS[item])
        with translation.override("fr"):
            fr = str(RATING_LABELS[item])
        ratings.append(
            Field(
                "integer",
                item,
                f"{en} (1-5)",
                f"{fr} (1-5)",
                required=True,
                constraint=RATINGS_CONSTRAINT,
            )
        )
    return FormSpec(
        form_id=FORM_ID,
        title_en="Follow-up visit",
        title_fr="Visite de suivi",
        versions=(VERSION,),
        kind="follow_up",
        fields=(
            Field("start", "start"),
            Field("end", "end"),
            Field("username", "username"),
            Field(
                f"select_one_from_file {DATASET}.csv",
                "case",
                "Child",
                "Enfant",
                required=True,
                appearance="search",
                choice_filter="worker = ${username}",
            ),
            Field(
                "calculate",
                "child",
                calculation="jr:choice-name(${case}, '${case}')",
            ),
            Field("note", "child_note", "Visit to ${child}", "Visite à ${child}"),
            Field("select_one months", "month", "Visit", "Visite", required=True),
            Field(
                "date",
                "visited_on",
                "Visited on",
                "Date de la visite",
                required=True,
                constraint=". <= today()",
            ),
            Field("select_one living", "living_with", "Living with", "Vit avec", required=True),
            Field(
                "select_one schooling",
                "schooling",
                "School or apprenticeship",
                "École ou apprentissage",
                required=True,
            ),
            Field("select_one safety", "safety", "Safety", "Sécurité", required=True),
            Field("text", "wellbeing", "Well-being", "Bien-être"),
            Field("text", "childs_account", "The child's own account", "Ce que dit l'enfant"),
            *ratings,
        ),
        choices={
            "months": [("3", "3 months", "3 mois"), ("6", "6 months", "6 mois")]
            + [("12", "12 months", "12 mois")],
            "living": _choices(FollowUpVisit.LivingWith.choices),
            "schooling": _choices(FollowUpVisit.Schooling.choices),
            "safety": _choices(FollowUpVisit.Safety.choices),
        },
    )


def apply_follow_up(*, actor, answers: dict):
    """A follow-up visit submitted from ODK: recorded as the phone's user, through the sync."""
    from corridor.accounts.models import User
    from corridor.cases.models import Case
    from corridor.childcare import scoring
    from corridor.fieldwork.models import Operation
    from corridor.fieldwork.services import sync_one

    worker = User.objects.filter(username=answers.get("username") or "", is_active=True).first()
    if worker is None:
        raise ValidationError(
            _(
                "The phone's user name “%(u)s” is no account of this node: set it in ODK "
                "Collect's settings (User and device identity)."
            )
            % {"u": answers.get("username") or ""}
        )
    case = Case.objects.filter(ref=answers.get("case") or "").first()
    if case is None:
        raise ValidationError(_("Unknown case: %(ref)s.") % {"ref": answers.get("case") or ""})
    fields = {
        "month": answers["month"],
        "visited_on": answers["visited_on"].isoformat(),
        "living_with": answers["living_with"],
        "schooling": answers["schooling"],
        "safety": answers["safety"],
        "wellbeing": answers.get("wellbeing") or "",
        "childs_account": answers.get("childs_account") or "",
        **{item: str(answers.get(item) or "") for item in scoring.ITEMS},
    }
    answer = sync_one(
        worker,
        {
            "id": str(uuid.uuid5(NAMESPACE, f"odk:{answers['_instance']}")),
            "form": "visit",
            "case": case.pk,
            "fields": fields,
        },
    )
    if answer["status"] == Operation.Status.REFUSED:
        raise ValidationError(answer["message"])
    return Operation.objects.get(uid=answer["id"]), "imported"


def entity_rows() -> list[dict]:
    """The entity list: every open child's case with a worker, as Central's Entities API takes
    them (``uuid``, ``label``, ``data``)."""
    from corridor.cases.models import Case

    rows = []
    cases = (
        Case.objects.filter(is_child=True)
        .exclude(status="closed")
        .select_related("person", "owner", "assigned_to")
        .order_by("ref")
    )
    for case in cases:
        worker = case.assigned_to or case.owner
        if worker is None:
            continue
        person = case.person
        rows.append(
            {
                "uuid": str(uuid.uuid5(NAMESPACE, f"{settings.NODE_NAME}:case:{case.pk}")),
                "label": f"{case.ref} · {person.given_names}".strip(),
                "data": {
                    "ref": case.ref,
                    "worker": worker.get_username(),
                    "age": str(person.age_today if person.age_today is not None else ""),
                    "village": person.place_of_origin or "",
                },
            }
        )
    return rows


def entities_push(*, source, opener=None) -> dict:
    """Create the entities Central lacks and update those that changed; return the counts."""
    from corridor.flows import remote

    token = remote._central_token(source, opener)
    dataset = f"{source.url.rstrip('/')}/v1/projects/{source.project}/datasets/{DATASET}"
    base = f"{dataset}/entities"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # What Central holds, with each entity's properties: the dataset's OData document.
    listed = remote._json(
        urllib.request.Request(f"{dataset}.svc/Entities", headers=headers), opener
    )
    held = {
        item["__id"]: item
        for item in listed.get("value") or []
        if isinstance(item, dict) and "__id" in item
    }
    created = updated = unchanged = 0
    for row in entity_rows():
        current = held.get(row["uuid"])
        if current is None:
            body = json.dumps(row).encode()
            remote._json(
                urllib.request.Request(base, data=body, headers=headers, method="POST"), opener
            )
            created += 1
            continue
        if current.get("label") == row["label"] and all(
            str(current.get(k, "")) == v for k, v in row["data"].items()
        ):
            unchanged += 1
            continue
        body = json.dumps({"label": row["label"], "data": row["data"]}).encode()
        remote._json(
            urllib.request.Request(
                f"{base}/{row['uuid']}?force=true", data=body, headers=headers, method="PATCH"
            ),
            opener,
        )
        updated += 1
    return {"created": created, "updated": updated, "unchanged": unchanged}


def register() -> None:
    from corridor.flows.services.submissions import register_submission_kind
    from corridor.flows.xlsforms import register_form

    register_form(follow_up_form)
    register_submission_kind("follow_up", apply_follow_up, kept=("case", "month", "username"))
