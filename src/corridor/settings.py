"""Django settings for one Corridor node (see ``corridor.node``)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from corridor.node import get_node

BASE_DIR = Path(__file__).resolve().parent
NODE = get_node()
NODE.ensure_private()
NODE_NAME = NODE.name
NODE_COUNTRY = NODE.country

SECRET_KEY = os.environ.get("CORRIDOR_SECRET_KEY") or NODE.secret("django")
# Extra keys of the encrypted fields, newest first (see corridor.core.crypto).
CORRIDOR_FIELD_KEYS = [
    k.strip() for k in os.environ.get("CORRIDOR_FIELD_KEYS", "").split(",") if k.strip()
]
DEBUG = os.environ.get("CORRIDOR_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("CORRIDOR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
# The reverse proxies (addresses or networks) whose X-Forwarded-For / -Proto / -Host are believed
# (corridor.core.middleware.TrustedProxyMiddleware); from anyone else those headers are dropped.
CORRIDOR_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("CORRIDOR_TRUSTED_PROXIES", "").split(",") if p.strip()
]

INSTALLED_APPS = [
    "django.forms",  # its widget templates, under the project's own overrides (FORM_RENDERER)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "corridor.core",
    "corridor.accounts",
    "corridor.audit",
    "corridor.people",
    "corridor.screening",
    "corridor.cases",
    "corridor.childcare",
    "corridor.referrals",
    "corridor.tracing",
    "corridor.intel",
    "corridor.flows",
    "corridor.reports",
    "corridor.intake",
    "corridor.justice",
    "corridor.governance",
    "corridor.fieldwork",
    "corridor.federation",
]

MIDDLEWARE = [
    "corridor.core.middleware.TrustedProxyMiddleware",
    "corridor.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corridor.core.middleware.ContentSecurityPolicyMiddleware",
    "corridor.audit.context.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corridor.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "corridor.core.middleware.SessionExpiryNoticeMiddleware",
    "corridor.accounts.middleware.RequireMfaMiddleware",
    "corridor.accounts.middleware.RequirePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "corridor.urls"
WSGI_APPLICATION = "corridor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "corridor.core.context_processors.node",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        if not NODE.db_path.exists():  # SQLite gives its -wal/-shm files the database's mode
            os.close(os.open(NODE.db_path, os.O_CREAT | os.O_WRONLY, 0o600))
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(NODE.db_path),
            # WAL: readers never wait for the writer, and a commit costs one fsync instead of
            # the rollback journal's several; FULL keeps every commit durable across a power
            # cut (a receipt sent is never for a message the node then loses). See
            # docs/benchmarks.md, "Federation".
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed ({exc}). Expected for example "
            "postgres://user@127.0.0.1:5432/corridor_togo or sqlite:////path/to/db.sqlite3."
        ) from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no database. Expected for example "
            "postgres://user@127.0.0.1:5432/corridor_togo."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: usernames, no self sign-up (administrators create staff accounts).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "corridor.accounts.adapter.CorridorAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = False  # lockout is django-axes' job, per username and address
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "corridor.accounts.adapter.CorridorMfaAdapter"
MFA_FORMS = {
    "authenticate": "corridor.accounts.forms.SecondFactorForm",
    "activate_totp": "corridor.accounts.forms.SecondFactorActivateForm",
}
# Wrong second-factor codes from one address (any account) within AXES_COOLOFF_TIME before that
# address may give no more codes; per account, wrong codes count with wrong passwords in axes.
CORRIDOR_SECOND_FACTOR_ADDRESS_LIMIT = 20
# A code shown in the 30 seconds before the present ones still signs in: the phone's clock may run
# a little behind the node's, and a code may turn over while it is typed. allauth keeps a used code
# from being given twice over the whole window.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = f"Corridor {NODE_NAME}"

# Lockout after repeated failures, per username from any address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Field offices share one NAT address: locking by address would lock a whole office out, and
# locking by username alone already stops guessing whatever the User-Agent or cookies.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "corridor.accounts.adapter.axes_username"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "password"]
AXES_VERBOSE = False

# Idle timeout: the session lives CORRIDOR_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = int(os.environ.get("CORRIDOR_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = f"corridor_{NODE_NAME}_session"
CSRF_COOKIE_NAME = f"corridor_{NODE_NAME}_csrf"
LANGUAGE_COOKIE_NAME = "corridor_language"
CSRF_FAILURE_VIEW = "corridor.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = os.environ.get("CORRIDOR_HTTPS") == "1"
if HTTPS:
    # Served over HTTPS (TLS at the reverse proxy, named in CORRIDOR_TRUSTED_PROXIES, which
    # redirects plain HTTP): cookies never travel in clear, and browsers remember to use HTTPS.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("CORRIDOR_HSTS_SECONDS", str(365 * 24 * 3600)))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["corridor.formats"]
COUNTRY_TIME_ZONES = {"TG": "Africa/Lome", "GA": "Africa/Libreville"}
"""The corridor's calendars: a node's own, and the one its peer's dates are written in (at 23:30
UTC it is already tomorrow in Libreville and still today in Lomé)."""
TIME_ZONE = COUNTRY_TIME_ZONES["TG"] if NODE_COUNTRY == "TG" else COUNTRY_TIME_ZONES["GA"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = NODE.data_dir / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Static files under content-hashed names, gzip-compressed, cached for a year by browsers
# (`corridor serve` collects them into STATIC_ROOT at start; docs/operations.md).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "corridor.core.storage.StaticStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# No request body above this is read at all (413); each upload form has its own, smaller limit.
# Tracing requests of the peer node whose look-ups this node answers in 24 hours.
CORRIDOR_LOOKUPS_PER_DAY = int(os.environ.get("CORRIDOR_LOOKUPS_PER_DAY", "50"))
# Deliveries a minute the federation inbox opens from one address (beyond: 429, retried later).
CORRIDOR_INBOX_RATE = int(os.environ.get("CORRIDOR_INBOX_RATE", "120"))
CORRIDOR_MAX_REQUEST_BYTES = int(os.environ.get("CORRIDOR_MAX_REQUEST_BYTES", str(32 * 2**20)))

# The audit chain's head is checkpointed outside the database every this many entries (0: only
# at `corridor audit verify` and `corridor audit checkpoint`).
CORRIDOR_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("CORRIDOR_AUDIT_CHECKPOINT_EVERY", "1000"))
# API tokens (corridor.accounts.tokens) expire this many days after they are issued.
CORRIDOR_API_TOKEN_DAYS = int(os.environ.get("CORRIDOR_API_TOKEN_DAYS", "90"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "corridor.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "corridor.core.api.exception_handler",
    # JSON only: DRF's browsable HTML pages ("Case Instance", "Case List") are an English
    # developer's view of every endpoint; developers read /api/docs/ instead.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "corridor.core.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Corridor API",
    "DESCRIPTION": "Corridor node API: the same services and scopes as the pages.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The document and its Swagger UI map every endpoint: staff only, like the rest of /api/.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI's files come from the node itself (the security policy allows no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets that several fields share, or whose field names (kind, sex, decision …)
    # other choice sets use too, get one name each (docs/api.md).
    "ENUM_NAME_OVERRIDES": {
        "ApprovalKindEnum": "corridor.cases.models.Approval.Kind",
        "ApprovalVerdictEnum": ["approved", "rejected"],
        "BestInterestOptionEnum": "corridor.childcare.models.Option",
        "FamilyRecommendationEnum": "corridor.childcare.models.FamilyAssessment.Recommendation",
        "CaseVulnerabilityEnum": "corridor.cases.api.CASE_VULNERABILITIES",
        "ConsentPurposeEnum": "corridor.cases.api_records.CONSENT_PURPOSES",
        "DecisionOrgEnum": "corridor.cases.api.DECISION_ORGS",
        "FlowDirectionEnum": "corridor.flows.vocab.Direction",
        "FlowReasonEnum": "corridor.flows.vocab.Reason",
        "FlowSexEnum": "corridor.flows.vocab.Sex",
        "FlowVulnerabilityEnum": "corridor.flows.vocab.Vulnerability",
        "IntelEntityKindEnum": "corridor.intel.models.EntityKind",
        "IntelEventKindEnum": "corridor.intel.models.EventKind",
        "IntelImportKindEnum": "corridor.intel.models.ImportKind",
        "IntelLinkKindEnum": "corridor.intel.models.LinkKind",
        "MatchDecisionEnum": "corridor.intel.models.Decision",
        "NationalityEnum": "corridor.flows.models.NATIONALITY_CHOICES",
        "OtherNameKindEnum": "corridor.people.models.PersonName.Kind",
        "PublicationKindEnum": "corridor.reports.models.PublicationKind",
        "RelationshipEnum": "corridor.people.api.RELATIONSHIPS",
        "SupportTypeEnum": "corridor.cases.api_records.SUPPORT_TYPES",
        "TracingSexEnum": "corridor.tracing.models.Sex",
        "TraffickingStatusEnum": "corridor.cases.api.TRAFFICKING_STATUSES",
        "TrainingSexEnum": "corridor.reports.models.Sex",
        "ReferralAnswerEnum": "corridor.referrals.services.ANSWERS",
        "CrossBorderDecisionEnum": "corridor.referrals.models.DECISIONS",
        "CrossBorderDirectionEnum": "corridor.referrals.models.CrossBorderReferral.Direction",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CORRIDOR_LOG_LEVEL", "WARNING")},
}

# Widgets render through the project's templates, so that one override serves every form:
# templates/django/forms/widgets/select_option.html shows an empty choice as "—", not "---------".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
