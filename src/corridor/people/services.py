"""Writes of people. Names are indexed for search whenever they change."""

from __future__ import annotations

import base64
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.audit.models import Action
from corridor.audit.services import audit_record
from corridor.core.crypto import blind_index
from corridor.core.vocab import vocabulary
from corridor.matching.normalise import name_keys
from corridor.people.models import (
    BirthPrecision,
    Person,
    PersonDocument,
    PersonKey,
    PersonName,
    PersonPhone,
    Relationship,
)
from corridor.people.validation import country_codes, e164, language_codes, not_in_future

PERSON_WRITERS = ("caseworker", "supervisor", "coordinator", "border_officer")
PERSON_FIELDS = (
    "given_names",
    "family_name",
    "name_on_document",
    "gender",
    "birth_date",
    "birth_year",
    "estimated_age",
    "age_estimated_on",
    "citizenships",
    "languages",
    "migrant_status",
    "unaccompanied",
    "place_of_origin",
    "origin_prefecture",
    "notes",
)


def _require_writer(actor) -> None:
    if actor is not None and not actor.has_role(*PERSON_WRITERS):
        raise PermissionDenied(_("Your role cannot register or change people."))


def _birth_precision(person: Person) -> str:
    if person.birth_date:
        return BirthPrecision.EXACT
    if person.birth_year:
        return BirthPrecision.YEAR
    if person.estimated_age is not None:
        return BirthPrecision.ESTIMATED
    return BirthPrecision.UNKNOWN


def _clean(person: Person) -> None:
    errors = {}
    if not (person.given_names.strip() or person.family_name.strip()):
        errors["given_names"] = _("Give at least one name (a nickname will do).")
    try:
        person.citizenships = country_codes(person.citizenships)
    except ValidationError as exc:
        errors["citizenships"] = exc.messages
    try:
        person.languages = language_codes(person.languages)
    except ValidationError as exc:
        errors["languages"] = exc.messages
    try:
        not_in_future(person.birth_date, label=_("The birth date"))
        not_in_future(person.age_estimated_on, label=_("The date of the age estimate"))
    except ValidationError as exc:
        errors["birth_date"] = exc.messages
    if person.birth_year and person.birth_year > timezone.localdate().year:
        errors["birth_year"] = _("The birth year cannot be in the future.")
    if person.estimated_age is not None and not person.age_estimated_on:
        person.age_estimated_on = timezone.localdate()
    if person.gender not in vocabulary("people.gender"):
        errors["gender"] = _("Unknown gender value “%(v)s”.") % {"v": person.gender}
    if errors:
        raise ValidationError(errors)
    person.birth_precision = _birth_precision(person)
    person.full_clean(exclude=["search_keys", "registered_by", "photo"])


def _keys(person: Person) -> set[str]:
    names = [person.given_names, person.family_name, person.name_on_document]
    if person.pk:
        names += list(person.other_names.values_list("name", flat=True))
    keys = set()
    for name in names:
        keys |= name_keys(name)
    return {k[:40] for k in keys if k}


def reindex(person: Person) -> None:
    """Recompute the person's search keys; the key rows are rewritten once the person is saved."""
    person.search_keys = " " + " ".join(sorted(_keys(person))) + " "


def _find_duplicates(person: Person) -> None:
    """Propose possible duplicates of a new person for review (the tracing app's job)."""
    from corridor.tracing.services import duplicates_for

    duplicates_for(person)


def _write_keys(person: Person) -> None:
    PersonKey.objects.filter(person=person).delete()
    PersonKey.objects.bulk_create(
        [PersonKey(person=person, key=k) for k in person.search_keys.split()]
    )


@transaction.atomic
def person_create(
    *,
    actor,
    given_names: str = "",
    family_name: str = "",
    agency=None,
    other_names: list[tuple[str, str]] | None = None,
    phones: list[str] | None = None,
    **fields,
) -> Person:
    """Register a person. ``other_names`` are (kind, name) pairs; phones are parsed to E.164."""
    _require_writer(actor)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(
        given_names=given_names.strip(),
        family_name=family_name.strip(),
        agency=agency or actor.agency,
        registered_by=actor,
        **fields,
    )
    _clean(person)
    numbers = [e164(p) for p in phones or [] if p.strip()]
    reindex(person)
    person.save()
    for kind, name in other_names or []:
        if name.strip():
            PersonName.objects.create(person=person, kind=kind, name=name.strip())
    for number in numbers:
        PersonPhone.objects.create(person=person, number=number, number_index=blind_index(number))
    if other_names:
        reindex(person)
        person.save(update_fields=["search_keys"])
    _write_keys(person)
    audit_record(actor=actor, action=Action.CREATE, target=person, summary=person.display_name)
    transaction.on_commit(lambda: _find_duplicates(person))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **values) -> Person:
    _require_writer(actor)
    changed = []
    for field in PERSON_FIELDS:
        if field in values and getattr(person, field) != values[field]:
            setattr(person, field, values[field])
            changed.append(field)
    if not changed:
        return person
    _clean(person)
    reindex(person)
    person.save()
    _write_keys(person)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=person.display_name,
        detail={"fields": changed},
    )
    return person


@transaction.atomic
def person_add_name(
    *, actor, person: Person, name: str, kind: str = PersonName.Kind.SPELLING
) -> PersonName:
    _require_writer(actor)
    if not name.strip():
        raise ValidationError({"name": _("The name is empty.")})
    other = PersonName(person=person, kind=kind, name=name.strip())
    other.full_clean()
    other.save()
    reindex(person)
    person.save(update_fields=["search_keys"])
    _write_keys(person)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=_("name added"),
        detail={"kind": kind},
    )
    return other


@transaction.atomic
def person_add_phone(*, actor, person: Person, number: str, label: str = "") -> PersonPhone:
    _require_writer(actor)
    try:
        normalised = e164(number)
    except ValidationError as exc:
        raise ValidationError({"number": exc.messages}) from exc
    phone = PersonPhone.objects.create(
        person=person, number=normalised, number_index=blind_index(normalised), label=label
    )
    audit_record(actor=actor, action=Action.UPDATE, target=person, summary=_("phone added"))
    return phone


@transaction.atomic
def person_add_relationship(
    *,
    actor,
    person: Person,
    kind: str,
    relative: Person | None = None,
    relative_name: str = "",
    contact: str = "",
    whereabouts: str = "",
    is_guardian: bool | None = None,
) -> Relationship:
    _require_writer(actor)
    if relative is None and not relative_name.strip():
        raise ValidationError(
            {"relative_name": _("Name the relative or choose a registered person.")}
        )
    if relative is not None and relative.pk == person.pk:
        raise ValidationError({"relative": _("A person cannot be their own relative.")})
    vocab = vocabulary("people.relationship")
    if kind not in vocab:
        raise ValidationError({"kind": _("Unknown relationship “%(v)s”.") % {"v": kind}})
    if is_guardian is None:
        is_guardian = bool(next(t for t in vocab.terms if t.code == kind).extra.get("guardian"))
    relationship = Relationship(
        person=person,
        kind=kind,
        relative=relative,
        relative_name=relative_name.strip(),
        contact=contact,
        whereabouts=whereabouts,
        is_guardian=is_guardian,
    )
    relationship.full_clean()
    relationship.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=_("relationship added"),
        detail={"kind": kind},
    )
    return relationship


@transaction.atomic
def person_add_document(
    *,
    actor,
    person: Person,
    doc_type: str,
    number: str = "",
    issuing_country: str = "",
    expires_on: date | None = None,
) -> PersonDocument:
    _require_writer(actor)
    country = country_codes([issuing_country])[0] if issuing_country else ""
    document = PersonDocument(
        person=person,
        doc_type=doc_type,
        number=number,
        issuing_country=country,
        expires_on=expires_on,
    )
    document.full_clean()
    document.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=_("document added"),
        detail={"type": doc_type},
    )
    return document


PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024


@transaction.atomic
def person_set_photo(*, actor, person: Person, content: bytes) -> Person:
    """Keep a photograph, encrypted like the other sensitive fields. Only JPEG and PNG up to
    2 MB are accepted, recognised by their content, not by the file name."""
    _require_writer(actor)
    if len(content) > PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photo": _("The photo is larger than 2 MB. Send a smaller picture.")}
        )
    kind = next((t for magic, t in PHOTO_TYPES.items() if content.startswith(magic)), None)
    if kind is None:
        raise ValidationError({"photo": _("Only JPEG and PNG pictures are accepted.")})
    person.photo = base64.b64encode(content).decode()
    person.photo_type = kind
    person.save(update_fields=["photo", "photo_type", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=person, summary=_("photo added"))
    return person
