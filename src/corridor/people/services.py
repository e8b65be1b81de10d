"""Writes of people. Every write that changes a name re-indexes the person's names
(``person_reindex``), and every write checks the actor's scope as well as their role: a person
the actor cannot see (``selectors.visible_persons``) cannot be changed. ``actor=None`` is the
node itself (an import by command, a federation handler)."""

from __future__ import annotations

import base64
import io
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core.crypto import blind_index
from corridor.core.vocab import vocabulary
from corridor.people.keys import person_index_keys
from corridor.people.models import (
    BirthPrecision,
    Person,
    PersonDocument,
    PersonKey,
    PersonName,
    PersonPhone,
    Relationship,
)
from corridor.people.registry import person_created
from corridor.people.selectors import visible_persons
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
NAME_FIELDS = ("given_names", "family_name", "name_on_document")
BIRTH_FIELDS = ("birth_date", "birth_year", "estimated_age", "age_estimated_on")
"""What the birth year filed with a person's name keys is read from (``Person.index_birth_year``):
a change re-files the keys, as a change of name does."""
MOTHER = "mother"
"""The relationship whose names the person index files as mother keys (``people.keys``)."""


def _require_writer(actor) -> None:
    if actor is not None and not actor.has_role(*PERSON_WRITERS):
        raise PermissionDenied(_("Your role cannot register or change people."))


def _require_visible(actor, *persons: Person) -> None:
    """Refuse a change to a person outside the actor's scope (another agency's, the other
    country's, one merged away)."""
    if actor is None:
        return
    ids = {p.pk for p in persons}
    if visible_persons(actor).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied(_("You cannot see this person."))


def _require_editor(actor, person: Person) -> None:
    _require_writer(actor)
    _require_visible(actor, person)


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
    person.full_clean(exclude=["registered_by", "photo"])


@transaction.atomic
def person_reindex(*, person: Person) -> set[str]:
    """Make the person's rows of the name-key index (``PersonKey``) those of every name they bear
    now: the names on the record and the other names, and the name of their mother; then the
    rows of the people whose registered mother they are, whose mother keys are their names. The
    one index that person search, duplicate detection and tracing read; every write that adds,
    moves or removes a name (or a mother), or changes the birth (filed with every key), calls it
    in its own transaction (the write's audit entry says what changed). Returns the person's
    keys."""
    keys = _write_keys(person)
    children_reindex(mother=person)
    return keys


def children_reindex(*, mother: Person) -> None:
    """Re-file the mother keys of the people whose registered mother is ``mother``: after her
    names changed, or were erased."""
    for child in Person.objects.filter(
        relationships__relative=mother, relationships__kind=MOTHER
    ).distinct():
        _write_keys(child)


def _write_keys(person: Person) -> set[str]:
    names = [getattr(person, field) for field in NAME_FIELDS]
    names += PersonName.objects.filter(person=person).values_list("name", flat=True)
    mothers = [
        mother.written_name
        for mother in Relationship.objects.filter(person=person, kind=MOTHER).select_related(
            "relative"
        )
    ]
    keys = person_index_keys(names, mothers=mothers, born_on=person.birth_date)
    born = person.index_birth_year()
    rows = PersonKey.objects.filter(person=person)
    have = dict(rows.values_list("key", "born"))
    if stale := set(have) - keys:
        rows.filter(key__in=stale).delete()
    if any(have[key] != born for key in set(have) & keys):
        rows.update(born=born)
    if missing := keys - set(have):
        PersonKey.objects.bulk_create(
            [PersonKey(person=person, key=key, born=born) for key in sorted(missing)]
        )
    return keys


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
    person.save()
    for kind, name in other_names or []:
        if name.strip():
            PersonName.objects.create(person=person, kind=kind, name=name.strip())
    for number in numbers:
        PersonPhone.objects.create(person=person, number=number, number_index=blind_index(number))
    person_reindex(person=person)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        target=person,
        summary=node_text(gettext_noop("person record")),
    )
    transaction.on_commit(lambda: person_created(person))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **values) -> Person:
    _require_editor(actor, person)
    changed = []
    for field in PERSON_FIELDS:
        if field in values and getattr(person, field) != values[field]:
            setattr(person, field, values[field])
            changed.append(field)
    if not changed:
        return person
    _clean(person)
    person.save()
    if set(changed) & {*NAME_FIELDS, *BIRTH_FIELDS}:
        person_reindex(person=person)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=node_text(gettext_noop("person updated")),
        detail={"fields": changed},
    )
    return person


@transaction.atomic
def person_add_name(
    *, actor, person: Person, name: str, kind: str = PersonName.Kind.SPELLING
) -> PersonName:
    _require_editor(actor, person)
    if not name.strip():
        raise ValidationError({"name": _("The name is empty.")})
    other = PersonName(person=person, kind=kind, name=name.strip())
    other.full_clean()
    other.save()
    person_reindex(person=person)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=node_text(gettext_noop("name added")),
        detail={"kind": kind},
    )
    return other


@transaction.atomic
def person_add_phone(*, actor, person: Person, number: str, label: str = "") -> PersonPhone:
    _require_editor(actor, person)
    try:
        normalised = e164(number)
    except ValidationError as exc:
        raise ValidationError({"number": exc.messages}) from exc
    phone = PersonPhone.objects.create(
        person=person, number=normalised, number_index=blind_index(normalised), label=label
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=node_text(gettext_noop("phone added")),
    )
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
    """A relative of ``person``: a registered person (whom the actor must see too) or a name."""
    _require_editor(actor, person)
    if relative is not None and relative.pk != person.pk:
        _require_visible(actor, relative)
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
    if kind == MOTHER:
        person_reindex(person=person)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=node_text(gettext_noop("relationship added")),
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
    _require_editor(actor, person)
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
        summary=node_text(gettext_noop("document added")),
        detail={"type": doc_type},
    )
    return document


PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000


def _photo_without_metadata(content: bytes, kind: str) -> bytes:
    """The picture re-encoded from its pixels alone: EXIF (the GPS position of where it was
    taken, the camera, the time), XMP, comments and PNG text chunks are dropped. A JPEG is
    first turned upright as its EXIF orientation said, since that tag goes too."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise ValidationError({"photo": _("The photo has too many pixels.")})
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "image/jpeg":
                upright.convert("RGB").save(out, format="JPEG", quality=90)
            else:
                upright.save(out, format="PNG")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"photo": _("The picture cannot be read.")}) from exc
    return out.getvalue()


@transaction.atomic
def person_set_photo(*, actor, person: Person, content: bytes) -> Person:
    """Keep a photograph, encrypted like the other sensitive fields. Only JPEG and PNG up to
    2 MB are accepted, recognised by their content, not by the file name; what is kept is the
    picture alone, without the metadata the camera wrote into it (``_photo_without_metadata``)."""
    _require_editor(actor, person)
    if len(content) > PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photo": _("The photo is larger than 2 MB. Send a smaller picture.")}
        )
    kind = next((t for magic, t in PHOTO_TYPES.items() if content.startswith(magic)), None)
    if kind is None:
        raise ValidationError({"photo": _("Only JPEG and PNG pictures are accepted.")})
    person.photo = base64.b64encode(_photo_without_metadata(content, kind)).decode()
    person.photo_type = kind
    person.save(update_fields=["photo", "photo_type", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        target=person,
        summary=node_text(gettext_noop("photo added")),
    )
    return person
