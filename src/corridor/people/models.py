"""People: victims, children, family members, as HTCDS ``prs_`` plus what the corridor needs.

A child rarely has papers or an exact birth date, and gives her name in several spellings: names
are many, birth dates may be exact, a year, or an age estimated on a date, and every name is
indexed by its keys (``PersonKey``) so that "KOSSI Ama" finds "Ama Cossi".
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.crypto import EncryptedTextField
from corridor.core.vocab import choices, vocabulary
from corridor.people.keys import KEY_LENGTH, index_birth_year

ADULT_AGE = 18


class BirthPrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Age estimated on a date")
    UNKNOWN = "unknown", _("Unknown")


class Person(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    name_on_document = models.CharField(
        _("name as written on a document"), max_length=300, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=30, choices=choices("people.gender"), default="NonSpecifiedUnknown"
    )
    birth_precision = models.CharField(
        _("birth date known as"),
        max_length=10,
        choices=BirthPrecision.choices,
        default=BirthPrecision.UNKNOWN,
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    citizenships = models.JSONField(_("citizenships (ISO 3166)"), default=list, blank=True)
    languages = models.JSONField(_("languages (ISO 639-3)"), default=list, blank=True)
    migrant_status = models.CharField(
        _("migrant status"), max_length=30, choices=choices("people.migrant_status"), blank=True
    )
    unaccompanied = models.BooleanField(_("unaccompanied or separated child"), default=False)
    place_of_origin = models.CharField(_("place of origin"), max_length=120, blank=True)
    origin_prefecture = models.CharField(
        _("prefecture / province of origin"), max_length=120, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    photo = EncryptedTextField(_("photo"), blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("registering agency"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["agency", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_age__isnull=True) | models.Q(estimated_age__lte=120),
                name="person_estimated_age_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Family name first in capitals, as West African registers write it."""
        return " ".join(p for p in [self.family_name.upper(), self.given_names] if p) or str(
            _("(no name)")
        )

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day``, from the best information there is."""
        if self.birth_date:
            years = day.year - self.birth_date.year
            return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        if self.birth_year:
            return day.year - self.birth_year
        if self.estimated_age is not None and self.age_estimated_on:
            return self.estimated_age + (day - self.age_estimated_on).days // 365
        return None

    def index_birth_year(self) -> int | None:
        """The birth year the name index files with the person's keys (``people.keys``)."""
        return index_birth_year(
            birth_date=self.birth_date,
            birth_year=self.birth_year,
            estimated_age=self.estimated_age,
            age_estimated_on=self.age_estimated_on,
            registered_on=timezone.localtime(self.created_at).date() if self.created_at else None,
        )

    @property
    def age_today(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def age_is_approximate(self) -> bool:
        return self.birth_precision != BirthPrecision.EXACT

    @property
    def is_child(self) -> bool:
        """A person whose age is unknown or uncertain near 18 is treated as a child (DESIGN)."""
        age = self.age_today
        if age is None:
            return True
        if self.age_is_approximate and age < ADULT_AGE + 2:
            return True
        return age < ADULT_AGE

    @property
    def needs_international_protection(self) -> bool:
        term = next(
            (t for t in vocabulary("people.migrant_status").terms if t.code == self.migrant_status),
            None,
        )
        return bool(term and term.extra.get("protection"))


class PersonKey(models.Model):
    """The one index of a person's names (``people.services.person_reindex`` writes it): a row
    per key (``people.keys``) of every name the person bears, the names on the record and the
    other names. Person search, duplicate detection and tracing look keys up by equality, which
    stays fast on both databases at 100,000s of people where a substring scan would not."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=KEY_LENGTH)
    # The person's birth year (``Person.index_birth_year``), copied on each row so that tracing
    # blocks a name within a birth interval in one read of this index, never of the people.
    born = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["key", "born", "person"], name="people_key_born")]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_key_unique")]


class PersonName(models.Model):
    """Other names: nicknames, aliases and spellings heard or seen; all are searched."""

    class Kind(models.TextChoices):
        ALIAS = "alias", _("Alias / other name")
        NICKNAME = "nickname", _("Nickname")
        SPELLING = "spelling", _("Other spelling")
        DOCUMENT = "document", _("Name on a document")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SPELLING)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        verbose_name = _("other name")


class PersonPhone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = EncryptedTextField(_("phone number (E.164)"))
    number_index = models.CharField(max_length=64, db_index=True, editable=False)
    label = models.CharField(_("label"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("phone number")


class PersonDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(
        _("document type"), max_length=30, choices=choices("people.document_type")
    )
    number = EncryptedTextField(_("number"), blank=True)
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity document")


class Relationship(models.Model):
    """A family member or guardian: another registered person, or only a name for now."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(
        _("relationship"), max_length=20, choices=choices("people.relationship")
    )
    relative = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="relatives_of"
    )
    relative_name = models.CharField(_("name"), max_length=300, blank=True)
    is_guardian = models.BooleanField(_("guardian"), default=False)
    contact = EncryptedTextField(_("contact details"), blank=True)
    whereabouts = models.CharField(_("last known whereabouts"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("relationship")

    @property
    def name(self) -> str:
        return self.relative.display_name if self.relative_id else self.relative_name

    @property
    def written_name(self) -> str:
        """The relative's names for matching and the person index: a registered relative's own
        names (empty once erased, where ``name`` reads "(no name)"), else the name written."""
        if self.relative_id:
            return f"{self.relative.given_names} {self.relative.family_name}".strip()
        return self.relative_name
