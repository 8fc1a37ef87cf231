"""Settings for the Partnership Portal, read from the environment.

Safe by default: DEBUG is off, and without DEBUG a missing SECRET_KEY or ALLOWED_HOSTS
stops the start-up. `make run` and `make test` pass the development values.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (a long random string); "
        "`make run` sets a development value."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set it to the host names this portal answers to, "
        "comma-separated (for example portal.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Index expressions with an operator class (the articles' trigram search indexes);
    # harmless on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "portal",
    "accounts",
    "partnerships",
    "funding",
    "internships",
    "governance",
    "associations",
    "discovery",
]

MIDDLEWARE = [
    "portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "portal.context_processors.shell",
                "accounts.context_processors.organizations",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL names another.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every web process), else per-process memory.
REDIS_URL = env.str("REDIS_URL", default="")
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down or frozen costs a request a second at most, never a
            # worker held for as long as Redis is away.
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes (the cookie is renewed on every request) and after
# 12 hours in all (portal.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock a username out for 15 minutes after 5 failed logins.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # JSON on the API, the page elsewhere
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
AXES_VERBOSE = True
# Lockout is per username, as asked: locking by IP address too would shut out a whole
# campus behind one NAT address after a few students mistype.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed when
# telling clients apart for throttling and lockouts; empty: the client is REMOTE_ADDR.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_error}") from _error

# Internationalization
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files: vendored libraries and our own, served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Attachments live outside the static and public media paths and are only sent through
# a view that checks access.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: the console unless an SMTP host is configured.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Partnership Portal <noreply@localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)

# Celery: without a broker, tasks run in-process when they are enqueued.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE = {
    "daily-jobs": {"task": "portal.tasks.run_daily_jobs", "schedule": crontab(hour=0, minute=30)},
    "retry-emails": {
        "task": "portal.tasks.send_pending_notification_emails",
        "schedule": crontab(minute="*/5"),
    },
}
# Enqueuing happens after a commit; with the broker away it gives up within seconds
# (the email stays pending in its notification and the retry task sends it later).
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.rest.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.PortalJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.rest.exception_handler",
    # No DRF throttle may trust X-Forwarded-For on its own: the token throttle reads the
    # client address through TRUSTED_PROXIES (accounts.client_address).
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {"token": env.str("TOKEN_THROTTLE_RATE", default="10/minute")},
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Input limits: a body nesting deeper or holding more values answers 400 before any
# serializer runs; a nested list (parties, budget lines, criteria, scores, members)
# longer than API_MAX_LIST_ITEMS answers 400 with a field error. No real client comes
# near them.
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=20)
API_MAX_JSON_VALUES = env.int("API_MAX_JSON_VALUES", default=20_000)
API_MAX_LIST_ITEMS = env.int("API_MAX_LIST_ITEMS", default=200)

SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership Portal API",
    "DESCRIPTION": "School-enterprise cooperation: organizations, agreements, funds, "
    "governance, alliances and associations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every app has its own "status" and "kind" choices; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "portal.roles.OrganizationKind",
        "RoleEnum": "portal.roles.Role",
        "IndustrySectionEnum": "accounts.models.IndustrySection",
        "SizeBandEnum": "accounts.models.SizeBand",
        "PartnershipKindEnum": "partnerships.models.PartnershipKind",
        "PartnershipStatusEnum": "partnerships.models.PartnershipStatus",
        "AgreementKindEnum": "partnerships.models.AgreementKind",
        "AgreementStatusEnum": "partnerships.models.AgreementStatus",
        "ClauseKindEnum": "partnerships.models.ClauseKind",
        "ClauseCategoryEnum": "partnerships.models.ClauseCategory",
        "ClauseStatusEnum": "partnerships.models.ClauseStatus",
        "ProgramStatusEnum": "funding.models.ProgramStatus",
        "FundingSourceEnum": "funding.models.FundingSource",
        "ApplicationStatusEnum": "funding.models.ApplicationStatus",
        "BudgetCategoryEnum": "funding.models.BudgetCategory",
        "RecommendationEnum": "funding.models.Recommendation",
        "TrancheStatusEnum": "funding.models.TrancheStatus",
        "ReportStatusEnum": "funding.models.ReportStatus",
        "RevisionStatusEnum": "funding.models.RevisionStatus",
        "QuestionKindEnum": "funding.models.QuestionKind",
        # A text compared word by word (article versions, fund application versions).
        "TextSegmentKindEnum": ["same", "added", "removed"],
        "PracticeBaseStatusEnum": "internships.models.PracticeBaseStatus",
        "PlacementStatusEnum": "internships.models.PlacementStatus",
        "StudentStatusEnum": "internships.models.StudentStatus",
        "InternshipTypeEnum": "internships.models.InternshipType",
        "InsurancePayerEnum": "internships.models.InsurancePayer",
        "VenueKindEnum": "internships.models.VenueKind",
        "OpenToEnum": "internships.models.OpenTo",
        "NominationStatusEnum": "internships.models.NominationStatus",
        "EvaluatorRoleEnum": "internships.models.EvaluatorRole",
        "VersionStatusEnum": "governance.models.VersionStatus",
        "BoardKindEnum": "governance.models.BoardKind",
        "MeetingKindEnum": "governance.models.MeetingKind",
        "MeetingStatusEnum": "governance.models.MeetingStatus",
        "ResolutionKindEnum": "governance.models.ResolutionKind",
        "ResolutionStatusEnum": "governance.models.ResolutionStatus",
        "AttendanceStatusEnum": "governance.models.AttendanceStatus",
        "VoteChoiceEnum": "governance.models.VoteChoice",
        "ConstituencyEnum": "governance.models.Constituency",
        "PositionEnum": "governance.models.Position",
        "ThresholdEnum": "governance.models.Threshold",
        "BoardPowersEnum": "governance.models.BoardPowers",
        "MembershipStatusEnum": "associations.models.MembershipStatus",
        "EntrustmentKindEnum": "associations.models.EntrustmentKind",
        "EntrustmentStatusEnum": "associations.models.EntrustmentStatus",
        "PublicationStatusEnum": "associations.models.ReportStatus",
        "CertificationStatusEnum": "associations.models.CertificationStatus",
        "InvestmentKindEnum": "associations.models.InvestmentKind",
        "AssessmentSubjectKindEnum": "associations.services.assessments.SubjectKind",
        "AssessmentEvidenceKindEnum": "associations.services.assessments.EvidenceKind",
        "CooperationNeedDirectionEnum": "discovery.models.NeedDirection",
        "CooperationNeedKindEnum": "discovery.models.NeedKind",
        "CooperationNeedStatusEnum": "discovery.models.NeedStatus",
    },
}
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)

# Security headers. HTTPS settings follow DEBUG unless set explicitly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Bootstrap and Swagger UI set style attributes; scripts stay strict.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

PORTAL_APP_LABELS = [
    "accounts",
    "partnerships",
    "funding",
    "internships",
    "governance",
    "associations",
    "discovery",
]
NAVIGATION_TITLE = _("Partnership Portal")
