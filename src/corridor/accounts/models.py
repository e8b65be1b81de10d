"""Users, the agencies they belong to, their role and the scope of what they may see."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.accounts.roles import ROLE_NAMES


class Country(models.TextChoices):
    TOGO = "TG", _("Togo")
    GABON = "GA", _("Gabon")


class OrgType(models.TextChoices):
    """HTCDS 2.0 ``org_Type`` value names."""

    NGO = "NGO", _("NGO")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH = "HealthServiceOrganisation", _("Health service organisation")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government organisation")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government organisation")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL = "LegalService", _("Legal service")
    BUSINESS = "CorporateBusiness", _("Corporate business")
    SCHOOL = "SchoolOrCollege", _("School or college")
    INTERNATIONAL = "InternationalOrganisation", _("International organisation")


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    org_type = models.CharField(_("type (HTCDS org_Type)"), max_length=40, choices=OrgType.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _(ROLE_NAMES["caseworker"])
    SUPERVISOR = "supervisor", _(ROLE_NAMES["supervisor"])
    COORDINATOR = "coordinator", _(ROLE_NAMES["coordinator"])
    BORDER_OFFICER = "border_officer", _(ROLE_NAMES["border_officer"])
    INVESTIGATOR = "investigator", _(ROLE_NAMES["investigator"])
    PARTNER = "partner", _(ROLE_NAMES["partner"])
    ADMINISTRATOR = "administrator", _(ROLE_NAMES["administrator"])
    JUDICIAL_POLICE = "judicial_police", _(ROLE_NAMES["judicial_police"])
    PROSECUTOR = "prosecutor", _(ROLE_NAMES["prosecutor"])
    CALL_TAKER = "call_taker", _(ROLE_NAMES["call_taker"])


class Scope(models.TextChoices):
    OWN = "own", _("Own records")
    AGENCY = "agency", _("Agency")
    NATIONAL = "national", _("National")


DEFAULT_SCOPE = {
    Role.CASEWORKER: Scope.OWN,
    Role.SUPERVISOR: Scope.AGENCY,
    Role.COORDINATOR: Scope.NATIONAL,
    Role.BORDER_OFFICER: Scope.AGENCY,
    Role.INVESTIGATOR: Scope.NATIONAL,
    Role.PARTNER: Scope.OWN,
    Role.ADMINISTRATOR: Scope.NATIONAL,
    Role.JUDICIAL_POLICE: Scope.AGENCY,
    Role.PROSECUTOR: Scope.AGENCY,
    Role.CALL_TAKER: Scope.AGENCY,
}

MFA_REQUIRED_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.INVESTIGATOR, Role.JUDICIAL_POLICE, Role.PROSECUTOR}
)


class User(AbstractUser):
    """A member of staff: one agency in one country, one role, one scope.

    A user without an agency or role belongs nowhere and therefore sees nothing (fail closed).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, blank=True)
    # A password an administrator chose (a new account, a forgotten one) is for the first
    # sign-in only: every page then asks the person to choose their own (RequirePasswordChange).
    must_change_password = models.BooleanField(_("must choose their own password"), default=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def country(self) -> str | None:
        return self.agency.country if self.agency_id else None

    @property
    def mfa_required(self) -> bool:
        return self.role in MFA_REQUIRED_ROLES

    @property
    def is_home_staff(self) -> bool:
        """Active, in an agency of this node's own country. Anyone else gets nothing."""
        return (
            self.is_active
            and self.agency_id is not None
            and self.agency.country == settings.NODE_COUNTRY
            and bool(self.role)
        )

    def has_role(self, *roles: str) -> bool:
        return self.is_home_staff and self.role in roles


def _token_digest(key: str) -> str:
    """HMAC-SHA256 of a key under a node secret the database does not hold: a copy of the
    table neither signs in nor lets anyone test a guessed key offline."""
    secret = settings.NODE.secret("api-tokens").encode()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


class ApiTokenManager(models.Manager):
    def mint(
        self,
        *,
        user: User,
        label: str = "",
        second_factor: bool = False,
        operator: bool = False,
        days: int | None = None,
    ) -> tuple[ApiToken, str]:
        """A new token and its key (``crd_<prefix>_<secret>``), which is shown once and never
        stored: the table keeps its prefix (to find it) and its keyed digest (to check it)."""
        prefix = secrets.token_hex(6)
        key = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        now = timezone.now()
        token = self.create(
            user=user,
            label=label,
            prefix=prefix,
            digest=_token_digest(key),
            created_at=now,
            expires_at=now + timedelta(days=days or settings.CORRIDOR_API_TOKEN_DAYS),
            second_factor=second_factor or operator,
            issued_by_operator=operator,
        )
        return token, key

    def find(self, key: str) -> ApiToken | None:
        """The live token whose key this is, or None (unknown, wrong, revoked or expired)."""
        if not key.startswith(TOKEN_PREFIX) or key.count("_") < 2:
            return None
        prefix = key[len(TOKEN_PREFIX) :].split("_", 1)[0]
        token = self.select_related("user__agency").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.digest, _token_digest(key)):
            return None
        return token if token.is_live else None


TOKEN_PREFIX = "crd_"


class ApiToken(models.Model):
    """A key for the REST API (``Authorization: Token crd_…``). Stored as a keyed digest, with an
    expiry; revoked rather than deleted, so the list keeps its history."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    second_factor = models.BooleanField(
        _("issued after the second factor"),
        default=False,
        help_text=_("A member of an MFA role can use only a token issued after their code."),
    )
    issued_by_operator = models.BooleanField(_("issued by the operator"), default=False)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{TOKEN_PREFIX}{self.prefix}…"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
