"""Settings shared by every environment; values come from the environment.

Every value has a safe development default so that a fresh checkout runs
without an ``.env`` file. ``production`` refuses those defaults where they
would be dangerous.
"""

import base64
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from rathaus.tenants.hosts import AllowedHosts

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Known to be public: used only where DEBUG is on; production refuses it.
DEVELOPMENT_SECRET_KEY = "rathaus-development-key-not-for-production"  # noqa: S105

SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Former keys, still accepted for signatures while a new SECRET_KEY rolls out.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)

# Every town lives at <slug>.<BASE_DOMAIN>; the vendor's pages at BASE_DOMAIN.
BASE_DOMAIN = env.str("BASE_DOMAIN", default="localhost")
PUBLIC_HOSTS = env.list("PUBLIC_HOSTS", default=[BASE_DOMAIN, f"www.{BASE_DOMAIN}"])
# The vendor's hosts and every town's subdomain; a town's custom domain is admitted by
# the tenant middleware once it has found it in the database (rathaus.tenants.hosts).
# (An empty variable, as compose passes one that is not set, means the default.)
ALLOWED_HOSTS = AllowedHosts(
    [host for host in env.list("ALLOWED_HOSTS", default=[]) if host]
    or [BASE_DOMAIN, f".{BASE_DOMAIN}"]
)
# Absolute links to a town (e.g. in e-mails): <scheme>://<host>[:<port>]/...
TOWN_URL_SCHEME = env.str("TOWN_URL_SCHEME", default="https")
TOWN_URL_PORT = env.str("TOWN_URL_PORT", default="")
# Ready town schemas kept waiting, so onboarding a town is a rename (rathaus.tenants.provisioning).
SCHEMA_POOL_SIZE = env.int("SCHEMA_POOL_SIZE", default=5)

# --- applications -----------------------------------------------------------


def _module_apps() -> list[str]:
    """Every service module is an app folder under rathaus/modules/; none is listed by name."""
    folder = BASE_DIR / "rathaus" / "modules"
    return [
        f"rathaus.modules.{app.name}"
        for app in sorted(folder.iterdir())
        if (app / "apps.py").exists()
    ]


SHARED_APPS = [
    "rathaus.tenants",
    "rathaus.vendor",
    "rathaus.modules",
    "rathaus.platform.identity",
    "rathaus.platform.portal",
    # KERN UX, the template components (django-cotton) and the one form renderer.
    "rathaus.platform.design",
    "django_cotton",
    # The service catalogue: no tables of its own; its migration makes pg_trgm for the search.
    "rathaus.platform.catalogue",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    # After the admin: django-tenants' admin templates (index, app list) expect a
    # tenant row on every request, and the vendor's hosts have none (request.tenant
    # is None), so they would break every admin page there.
    "django_tenants",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files served by the app (no CDN; the CSP allows 'self' only).
    "drf_spectacular_sidecar",
    "csp",
    # Vendor staff log in on the public schema too: lockout and TOTP tables there.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rathaus.platform.federation.presets",
    # The vendor's billing accounts (one Stripe customer per town).
    "rathaus.billing",
]

# Each town's schema gets its own accounts, sessions, audit log and module data.
TENANT_APPS = [
    "rathaus.platform.identity",
    "rathaus.platform.audit",
    "rathaus.platform.staff",
    "rathaus.platform.branding",
    # The outbox: every e-mail and SMS a town sends, once.
    "rathaus.platform.messaging",
    # Citizens' payments: the port modules ask through, the providers, the events.
    "rathaus.platform.payments",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    *_module_apps(),
    # Lockout state, TOTP devices and federation settings are each town's own.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rathaus.platform.federation",
    # Apps (the town's mobile app) act for a person with an OAuth 2.0 token of this
    # town: applications, grants and tokens live in each town's schema.
    "rathaus.platform.oauth",
    "oauth2_provider",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# Set the search_path once per connection and town, not before every query:
# it halves the round trips of every request. django-tenants forgets it on
# every switch of town, on rollback and on rollback to a savepoint.
TENANT_LIMIT_SET_CALLS = True
AUTH_USER_MODEL = "identity.User"

MIDDLEWARE = [
    # /healthz answers on every host, even one that is no town (load balancers).
    "rathaus.platform.health.middleware.HealthCheckMiddleware",
    "rathaus.tenants.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A service that needs a proven eIDAS level (set per town) lets others not in.
    "rathaus.modules.trust.TrustLevelMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # While an invoice is overdue: the back office reads only, or only billing (dunning).
    "rathaus.billing.staff.DunningMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout into its "locked" answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rathaus.config.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "rathaus.config.urls_public"
WSGI_APPLICATION = "rathaus.config.wsgi.application"
ASGI_APPLICATION = "rathaus.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "rathaus.platform.portal.context_processors.town",
                "rathaus.modules.context_processors.town_modules",
                "rathaus.platform.branding.context_processors.branding",
                "rathaus.platform.staff.context_processors.staff_menu",
            ],
        },
    },
]

# --- data stores ------------------------------------------------------------

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default="postgres://rathaus:rathaus@127.0.0.1:5432/rathaus"
    ),
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Seconds a connection is kept for the next request; 0 closes it after each request,
# which session pooling through PgBouncer wants (docs/operations.md, "PgBouncer").
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Only behind a transaction-pooling PgBouncer, which the docs do not recommend.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
)
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# A Redis that is away answers fast as a miss (rathaus.platform.cache), not after the
# operating system's long connect timeout.
_REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
CACHES = {
    # Keys are prefixed with the current town's schema (django-tenants'
    # make_key), so one town can never read another town's cache entries.
    "default": {
        "BACKEND": "rathaus.platform.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": _REDIS_CACHE_OPTIONS,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    # Deployment-wide entries, not prefixed with the current schema: the host
    # -> town lookup, support-token nonces, and per-town lookups that the key
    # itself names (e.g. a town's active modules, keyed by the town's id).
    "platform": {
        "BACKEND": "rathaus.platform.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": _REDIS_CACHE_OPTIONS,
        "KEY_PREFIX": "platform",
    },
}

# Sessions live in each town's own schema and its own cache namespace; the
# cookie is host-only, so a browser never sends one town's cookie to another.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
# A form sent after its session ran out (or with cookies blocked) gets a page in the
# town's shell that says what to do, not Django's English developer page.
CSRF_FAILURE_VIEW = "rathaus.platform.portal.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- files --------------------------------------------------------------------

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
# KERN UX from node_modules (installed from package-lock.json by the set-up), served
# by the app under /static/kern/: no CDN.
STATICFILES_DIRS = [("kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist")]
# Every Django form renders the KERN/GOV.UK way (labels above, hints, errors, autocomplete).
FORM_RENDERER = "rathaus.platform.design.forms.KernFormRenderer"

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="eu-central-1")
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_S3_FILE_OVERWRITE = False

# Private files (application documents, official notices) are never served at
# MEDIA_URL: locally they lie outside MEDIA_ROOT, in S3 under private/<schema>/
# (in their own bucket, if given: it must block public access).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
PRIVATE_STORAGE_BUCKET_NAME = (
    env.str("PRIVATE_STORAGE_BUCKET_NAME", default="") or AWS_STORAGE_BUCKET_NAME
)
# How long a signed download link to a private file works.
PRIVATE_FILE_LINK_SECONDS = env.int("PRIVATE_FILE_LINK_SECONDS", default=5 * 60)

STORAGES = {
    "default": {
        "BACKEND": (
            "rathaus.platform.storage.TownS3Storage"
            if AWS_STORAGE_BUCKET_NAME
            else "rathaus.platform.storage.TownFileSystemStorage"
        ),
    },
    "private": {
        "BACKEND": (
            "rathaus.platform.storage.private.PrivateTownS3Storage"
            if PRIVATE_STORAGE_BUCKET_NAME
            else "rathaus.platform.storage.private.PrivateTownFileSystemStorage"
        ),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- auth ---------------------------------------------------------------------

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- accounts and federation (issue 5) ------------------------------------------

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout against guessing. The attempts table is in each town's schema, so
# failures on one town's host never lock an account of another town.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Per address only: an office behind one NAT address must not lock itself out.
# Requests per IP are limited by django-ratelimit on the login view instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "rathaus.platform.identity.login.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "identity/locked_out.html"
AXES_VERBOSE = False
RATELIMIT_USE_CACHE = "default"  # keys carry the town's schema (make_key)
# While Redis is away, requests are not counted and not limited (the login lockout,
# django-axes, counts in the database and still holds); else every form would refuse.
RATELIMIT_FAIL_OPEN = True
# Load balancers or proxies in front of the app that append to X-Forwarded-For (AWS:
# the ALB, 1). Limits per visitor count the address they report, not theirs.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
RATELIMIT_IP_META_KEY = "rathaus.platform.abuse.limits.client_address"
PHONENUMBER_DEFAULT_REGION = "DE"
OTP_TOTP_ISSUER = "Rathaus"
# Where SMS go: the console/file backend in development and tests; a provider
# adapter (rathaus.platform.messaging.contrib.sms.backends.HttpSmsBackend) in production.
SMS_BACKEND = env.str(
    "SMS_BACKEND", default="rathaus.platform.messaging.contrib.sms.backends.ConsoleSmsBackend"
)
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))
SMS_PROVIDER_URL = env.str("SMS_PROVIDER_URL", default="")
SMS_PROVIDER_TOKEN = env.str("SMS_PROVIDER_TOKEN", default="")
SMS_SENDER = env.str("SMS_SENDER", default="Rathaus")
# Secrets of federation settings are encrypted at rest with Fernet keys derived
# from SECRET_KEY (and SECRET_KEY_FALLBACKS, for rotation) and this salt.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALT", default=["rathaus-federation-secrets"])
XMLSEC_BINARY = env.str("XMLSEC_BINARY", default="/usr/bin/xmlsec1")
# Tolerated clock difference to an identity provider, in seconds.
FEDERATION_CLOCK_SKEW = env.int("FEDERATION_CLOCK_SKEW", default=120)

# --- language -----------------------------------------------------------------

# German first; message ids in templates and code are the German text.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- API ----------------------------------------------------------------------

REST_FRAMEWORK = {
    # Documents the error answers each operation can give (400, 401, 403, 404, 415).
    "DEFAULT_SCHEMA_CLASS": "rathaus.platform.api.schema.RathausAutoSchema",
    # Every error answer in one shape: {"code", "detail", "errors": [{"path", ...}]}.
    "EXCEPTION_HANDLER": "rathaus.platform.api.errors.api_exception_handler",
    # A bearer token of the town's OAuth 2.0 server (rathaus.platform.oauth) first, so a
    # missing or bad one answers 401 with WWW-Authenticate; then the browser's session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rathaus.platform.oauth.authentication.AppTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies only (a view that takes files says so): form encodings read a missing
    # field as false or empty, so a malformed request would be accepted as valid.
    # No NUL characters either: PostgreSQL cannot store them (a 400, not a 500).
    "DEFAULT_PARSER_CLASSES": ["rathaus.platform.api.parsers.StrictJSONParser"],
}
SPECTACULAR_SETTINGS = {
    # Swagger UI from the app (drf-spectacular-sidecar), not a CDN the CSP would block.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "Rathaus API",
    "DESCRIPTION": "The digital town hall: REST API of one town.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["rathaus.modules.openapi.drop_inactive_module_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rathaus.modules.openapi.drop_empty_email_defaults",
    ],
}

# --- apps: OAuth 2.0 (rathaus.platform.oauth, django-oauth-toolkit) -------------

# The toolkit's own application model (named, so migrations can depend on it).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "rathaus.platform.oauth.scopes.AppScopes",
    "OAUTH2_VALIDATOR_CLASS": "rathaus.platform.oauth.validators.TownOAuth2Validator",
    # Authorization code with PKCE, S256 only ("plain" is refused).
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    # Tokens are stored as their SHA-256 only; a leaked table holds no usable token.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # Tokens only in the Authorization header, never in a URL's query.
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    # No implicit and no password grant (RFC 9700 §2.1.2, §2.4), and the authorization
    # response names its issuer (RFC 9207), so an app cannot be sent another server's code.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH_ACCESS_TOKEN_SECONDS", default=60 * 60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int(
        "OAUTH_REFRESH_TOKEN_SECONDS", default=90 * 24 * 60 * 60
    ),
    # Each refresh gives a new refresh token; the used one is refused, and using it
    # again (a stolen copy) revokes the whole chain.
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Once a person allowed an app these scopes, the app's next login skips the consent page.
    "REQUEST_APPROVAL_PROMPT": "auto",
    # Redirect URIs an app may register: https (claimed links) and the private-use
    # schemes of the native apps (RFC 8252, reverse domain names), never plain http.
    "ALLOWED_REDIRECT_URI_SCHEMES": env.list(
        "OAUTH_REDIRECT_URI_SCHEMES", default=["https", "de.rathaus.app"]
    ),
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
}

# --- e-mail -------------------------------------------------------------------

# SMTP by default; a provider's Django backend can replace it (EMAIL_BACKEND).
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"noreply@{BASE_DOMAIN}")

# --- messaging (rathaus.platform.messaging) -----------------------------------

# Every e-mail of a town comes from "<town name> <address of DEFAULT_FROM_EMAIL>"
# (the address SPF and DKIM are set up for); an address here replaces it, and
# "{host}" in it becomes the town's primary host, e.g. "rathaus@{host}" where each
# town's own domain may send.
MESSAGING_FROM_EMAIL = env.str("MESSAGING_FROM_EMAIL", default="")
# E-mails handed over on one SMTP connection.
MESSAGING_EMAIL_BATCH_SIZE = env.int("MESSAGING_EMAIL_BATCH_SIZE", default=200)
# Back-off while a mail server or SMS provider is down: 30 s, doubling, at most an
# hour; after the last attempt a message has failed (about three hours in all).
MESSAGING_RETRY_BASE = env.int("MESSAGING_RETRY_BASE", default=30)
MESSAGING_RETRY_MAX = env.int("MESSAGING_RETRY_MAX", default=3600)
MESSAGING_MAX_ATTEMPTS = env.int("MESSAGING_MAX_ATTEMPTS", default=10)
# A claim or hand-over older than this (seconds) belongs to a dead worker; a message
# due for longer than MESSAGING_LOST_AFTER lost its task and beat queues it again.
MESSAGING_CLAIM_TIMEOUT = env.int("MESSAGING_CLAIM_TIMEOUT", default=600)
MESSAGING_LOST_AFTER = env.int("MESSAGING_LOST_AFTER", default=600)

# --- bulk notices (rathaus.modules.notices) ------------------------------------

# The postage of one standard letter in euros (the run page's estimate).
NOTICES_POSTAGE = env.str("NOTICES_POSTAGE", default="0.95")
# The print-and-mail partner the letters go to, and its API (Pingen's v2).
NOTICES_PRINT_PARTNER = env.str("NOTICES_PRINT_PARTNER", default="pingen")
NOTICES_PINGEN_API_URL = env.str("NOTICES_PINGEN_API_URL", default="https://api.pingen.com")
NOTICES_PINGEN_IDENTITY_URL = env.str(
    "NOTICES_PINGEN_IDENTITY_URL", default="https://identity.pingen.com"
)
NOTICES_PINGEN_CLIENT_ID = env.str("NOTICES_PINGEN_CLIENT_ID", default="")
NOTICES_PINGEN_CLIENT_SECRET = env.str("NOTICES_PINGEN_CLIENT_SECRET", default="")
NOTICES_PINGEN_ORGANISATION = env.str("NOTICES_PINGEN_ORGANISATION", default="")

# --- background work ----------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/1")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="redis://127.0.0.1:6379/2")
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="rathaus")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
# Redis hands a task nobody acknowledged to another worker after this long. A task
# waiting for its retry (up to MESSAGING_RETRY_MAX) is unacknowledged all that time,
# so the timeout is longer; the outbox never relies on it (a claim is per run).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * MESSAGING_RETRY_MAX)
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "rathaus.config.beat.TownAwareScheduler"
CELERY_BEAT_SCHEDULE = {
    "platform-heartbeat": {
        "task": "platform.heartbeat",
        "schedule": 30.0,
        "options": {"expires": 30},
        "tenant_schemas": ["public"],
    },
    # In every active town: messages whose task was lost are queued again, and
    # stale hand-overs become unconfirmed; idempotent.
    "messaging-requeue": {
        "task": "messaging.requeue",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Once a night, outside the towns' schemas: the head of each town's audit chain.
    "vendor-audit-anchor": {
        "task": "vendor.audit_anchor",
        "schedule": crontab(hour=3, minute=17),
        "options": {"expires": 3600},
        "tenant_schemas": ["public"],
    },
    # Towns past due move on to read-only and suspended as their grace periods run out.
    "billing-dunning-advance": {
        "task": "billing.dunning_advance",
        "schedule": 3600.0,
        "options": {"expires": 3600},
        "tenant_schemas": ["public"],
    },
    # The letters each town posted go to Stripe's billing meter (metered usage).
    "billing-letters-report": {
        "task": "billing.letters_report",
        "schedule": 3600.0,
        "options": {"expires": 3600},
        "tenant_schemas": ["public"],
    },
    # Stripe events whose apply task was lost (worker gone before it ran) are queued again.
    "billing-events-pending": {
        "task": "billing.events_requeue",
        "schedule": 600.0,
        "options": {"expires": 600},
        "tenant_schemas": ["public"],
    },
    # In every active town, once a night: the payment providers are asked about every
    # payment not final yet, and webhook events whose task was lost are applied.
    "payments-reconcile": {
        "task": "payments.reconcile",
        "schedule": crontab(hour=2, minute=41),
        "options": {"expires": 3600},
    },
    # Each module's periodic tasks join at start-up (Module.periodic_tasks).
}

# --- billing ------------------------------------------------------------------

# A test-mode key by default; STRIPE_API_BASE empty means Stripe's real API
# (development points it at localstripe, tests at their own localstripe).
STRIPE_API_KEY = env.str("STRIPE_API_KEY", default="sk_test_rathaus")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# The signing secret of the webhook endpoint /billing/webhooks/stripe/ (Stripe dashboard).
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="whsec_test_rathaus")
# The vendor as the seller on its XRechnung invoices, and the VAT on its net prices.
BILLING_SELLER = {
    "name": env.str("BILLING_SELLER_NAME", default="Rathaus Digital GmbH"),
    "street": env.str("BILLING_SELLER_STREET", default="Breiter Weg 1"),
    "postcode": env.str("BILLING_SELLER_POSTCODE", default="39104"),
    "city": env.str("BILLING_SELLER_CITY", default="Magdeburg"),
    "email": env.str("BILLING_SELLER_EMAIL", default="rechnung@rathaus.example"),
    "phone": env.str("BILLING_SELLER_PHONE", default="+49 391 000000"),
    "vat_id": env.str("BILLING_SELLER_VAT_ID", default="DE123456789"),
}
BILLING_VAT_RATE = Decimal(env.str("BILLING_VAT_RATE", default="19.00"))
# How old (seconds) a signed event may be: replayed captures are refused after that.
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)

# --- observability ------------------------------------------------------------

SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Imported last: it needs the settings above.
from rathaus.platform.observability import init_sentry  # noqa: E402

init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)


# --- security headers -----------------------------------------------------------

# A strict Content-Security-Policy on every page: scripts and styles from this host,
# or inline only with the response's nonce (the town's colours in base.html). Templates
# have no inline scripts, event-handler or style attributes (tests/platform/design).
_FILE_ORIGINS = (
    [AWS_S3_ENDPOINT_URL.rstrip("/")]
    if AWS_S3_ENDPOINT_URL
    else [
        f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com",
        f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com",
    ]
    if AWS_STORAGE_BUCKET_NAME
    else []
)


def _inline_style_hash(template: Path) -> str:
    """The CSP source of the one inline <style> of ``template`` (the 500 page, which is
    rendered without a request and so without a nonce)."""
    style = re.search(r"<style>(.*?)</style>", template.read_text(), re.DOTALL)
    digest = hashlib.sha256(style.group(1).encode() if style else b"").digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


ERROR_PAGE_STYLE = _inline_style_hash(
    BASE_DIR / "rathaus" / "platform" / "portal" / "templates" / "500.html"
)
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],  # Django's admin has style attributes of its own
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE, ERROR_PAGE_STYLE],
        # data: for Swagger UI's and KERN's inline SVG icons; coats of arms may lie in S3.
        "img-src": [SELF, "data:", *_FILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page uses are off; passkeys (WebAuthn) only on the page's own host.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}
