"""Settings, read from environment variables (see the table in README.md).

With no environment at all the app runs on the embedded default: a SQLite file and
a filesystem Celery broker, so the quick start needs no database or broker server.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .file_storage import file_storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-only-for-debug-runs"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address used in links of emails and documents, e.g. https://governance.example.org
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's form widget templates, for FORM_RENDERER below.
    "django.forms",
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Signing in (mhhs_gov/signin.py): allauth's login stages for a second factor (TOTP,
    # passkeys, recovery codes) and OpenID Connect single sign-on.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "core",
    "notifications",
    "documents",
    "meetings",
    "actions",
    "decisions",
    "changerequests",
    "raid",
    "people",
    "demo",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (the policy is below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in the address is refused (400) before any view reads it (core.nul).
    "core.nul.RefuseNulInAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signs out a session idle for SESSION_IDLE_MINUTES and keeps each session's last use.
    "people.sessions.SessionActivityMiddleware",
    # allauth's login stages (the second factor asked between password and session).
    "allauth.account.middleware.AccountMiddleware",
    # Writes every refusal (403, a CSRF failure too) to the security log.
    "mhhs_gov.middleware.log_refusals",
    # Every page needs a login except those marked @login_not_required (login, /healthz).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # MFA_REQUIRED_ROLES: such a user sets up a second factor before anything else.
    "people.mfa.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A file store that is down gives a page saying so (503), not a server error.
    "mhhs_gov.middleware.StoreUnavailablePage",
]

ROOT_URLCONF = "mhhs_gov.urls"
WSGI_APPLICATION = "mhhs_gov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meetings.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through the templates above, so templates/django/forms/ can override
# Django's: the select writes its options in place, not through an include per option (a
# filter of 500 people's names took about 40 ms to render; docs/benchmarks.md), and a
# select of plain options is written by core/form_renderer.py (a tenth of that again).
FORM_RENDERER = "core.form_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start's web server and worker share one SQLite file. WAL lets readers go on
    # while one process writes; the timeout makes a writer wait for the lock rather than
    # fail at once; IMMEDIATE takes the write lock when a transaction begins, because a
    # transaction that read first and then wants to write while another process writes
    # gets "database is locked" at once, the busy timeout notwithstanding.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "meetings:home"
LOGOUT_REDIRECT_URL = "login"

# Signing in (mhhs_gov/signin.py, README "Single sign-on and a second factor").
# LOCAL_PASSWORDS=0 switches passwords off: only the OpenID Connect providers sign in.
LOCAL_PASSWORDS = env_bool("LOCAL_PASSWORDS", True)
# OIDC_PROVIDERS: a JSON list of OpenID Connect providers, each
# {"id": "entra", "name": "Contoso (Entra ID)", "issuer": "https://login.../v2.0",
#  "client_id": "...", "secret": "..."} (and "authorize_url" when browsers reach the
# provider at another address than the server does); the authorization code flow with
# PKCE. An identity signs in as the person whose email it verifies; an unknown email only
# with an invitation.
OIDC_PROVIDERS = json.loads(os.environ.get("OIDC_PROVIDERS", "") or "[]")


def oidc_apps(providers):
    return [
        {
            "provider_id": p["id"],
            "name": p.get("name", p["id"]),
            "client_id": p["client_id"],
            "secret": p.get("secret", ""),
            "settings": {
                "server_url": p["issuer"],
                # Where browsers are sent to sign in, when it is not the address the server
                # reaches the provider at (docker-compose's local provider).
                **(
                    {
                        "openid_configuration_overrides": {
                            "authorization_endpoint": p["authorize_url"]
                        }
                    }
                    if p.get("authorize_url")
                    else {}
                ),
            },
        }
        for p in providers
    ]


def oidc_origins(providers):
    urls = [p.get("authorize_url") or p["issuer"] for p in providers]
    return sorted({"{0.scheme}://{0.netloc}".format(urlsplit(url)) for url in urls})


SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": oidc_apps(OIDC_PROVIDERS)}
}
SOCIALACCOUNT_ADAPTER = "mhhs_gov.signin.SocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_QUERY_EMAIL = True
ACCOUNT_ADAPTER = "mhhs_gov.signin.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_SESSION_REMEMBER = None
# The account's owner is emailed (through the outbox) when a second factor is added or removed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Governance tracker: "
# MFA_REQUIRED_ROLES: comma-separated among secretariat, chair, administrator (programme
# administrator); such users set up a second factor before anything else. The demo: none.
MFA_REQUIRED_ROLES = set(env_list("MFA_REQUIRED_ROLES"))
MFA_ADAPTER = "mhhs_gov.signin.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Governance tracker")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", DEBUG)
# allauth's rate limits (in the cache, per client address / key / user): wrong second
# factors count as failed logins, 10 a minute from an address and 5 in 5 minutes per user.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("MFA_RATE_LIMIT", "10/m/ip,5/300s/key"),
    "login": "30/m/ip",
    "reauthenticate": "10/m/user",
}
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip", "webauthn_signup": "5/m/ip"}

# Login throttling (mhhs_gov/accounts.py): failures are counted per client address and per
# user name, each with growing delays (1 s, doubled at each failure up to the maximum)
# after the free failures, never a lockout. The client address is REMOTE_ADDR, or with
# TRUSTED_PROXY_COUNT proxies in front, the address the outermost of them saw.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
LOGIN_THROTTLE_IP_FREE = int(os.environ.get("LOGIN_THROTTLE_IP_FREE", "20"))
LOGIN_THROTTLE_USER_FREE = int(os.environ.get("LOGIN_THROTTLE_USER_FREE", "5"))
LOGIN_THROTTLE_MAX_DELAY = int(os.environ.get("LOGIN_THROTTLE_MAX_DELAY", "900"))
# Password reset: emails an hour per address asked for and requests an hour per client
# address; a link works for PASSWORD_RESET_TIMEOUT seconds and once.
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS", "3"))
PASSWORD_RESET_PER_IP = int(os.environ.get("PASSWORD_RESET_PER_IP", "10"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "3600"))
# Accounts (people/accounts.py, people/sessions.py): days an invitation link works;
# requests to the invitation page per client address in 10 minutes; minutes without a
# request after which a session is signed out (0: never).
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
INVITATION_RATE = int(os.environ.get("INVITATION_RATE", "30"))
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
# Requests to the update-by-email-link page per client address in 10 minutes.
UPDATE_LINK_RATE = int(os.environ.get("UPDATE_LINK_RATE", "30"))

# The throttles' counters live in the cache, shared by every web process: Redis when
# REDIS_URL is set, else files in VAR_DIR (the quick start runs one machine).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "mhhs",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
# UK conventions everywhere: dd/mm/yyyy on screen, "11 October 2023" in documents.
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"]
FORMAT_MODULE_PATH = ["mhhs_gov.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Stored files (rendered documents, papers): the filesystem under MEDIA_ROOT, or with
# S3_BUCKET set an S3 object store every node shares (mhhs_gov/file_storage.py).
STORAGES |= file_storages()
# Tests run without collectstatic; whitenoise then serves straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)

# Email
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Only read by the file-based backend, which the quick start uses instead of an SMTP server.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PMO <pmo@governance.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. With REDIS_URL unset the broker is a folder on disk (kombu's filesystem
# transport), so the quick start runs a real worker and beat without a broker server.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu would otherwise keep its exchange tables in ./control, wherever it was started.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    # kombu does not create these folders itself.
    for _folder in ("out", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
# Autodiscovery only finds <app>.tasks; the project package and the outbox are imported here.
CELERY_IMPORTS = ["mhhs_gov.tasks", "notifications.outbox"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Tasks queued by the app (and by tasks) go here; a worker serves it with --queues.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# The app never reads task results; the worker round-trip test stores them in Redis.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Reminders (actions/reminders.py): the daily run at REMINDER_HOUR on UK working days, the
# weekly escalation on REMINDER_ESCALATION_WEEKDAY (0 = Monday) of actions overdue by more
# than REMINDER_ESCALATION_DAYS, and update links in the emails valid for REMINDER_LINK_DAYS.
REMINDER_HOUR = int(os.environ.get("REMINDER_HOUR", "8"))
REMINDER_ESCALATION_WEEKDAY = int(os.environ.get("REMINDER_ESCALATION_WEEKDAY", "0"))
REMINDER_ESCALATION_DAYS = int(os.environ.get("REMINDER_ESCALATION_DAYS", "14"))
REMINDER_LINK_DAYS = int(os.environ.get("REMINDER_LINK_DAYS", "14"))
# The outbox (notifications/outbox.py): tries per email, the first back-off in seconds (doubled
# after each failure), when a still-pending email never claimed by a worker is queued again,
# and the lease in seconds of a worker on the rows it sends: the sweeper (every minute)
# queues the rows of a worker that died once its lease is over, so they go out again within
# two minutes.
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "5"))
EMAIL_RETRY_DELAY = int(os.environ.get("EMAIL_RETRY_DELAY", "60"))
EMAIL_RESEND_AFTER_MINUTES = int(os.environ.get("EMAIL_RESEND_AFTER_MINUTES", "30"))
EMAIL_CLAIM_SECONDS = int(os.environ.get("EMAIL_CLAIM_SECONDS", "45"))
CELERY_BEAT_SCHEDULE = {
    # The task itself skips England & Wales bank holidays.
    "daily-reminders": {
        "task": "actions.tasks.send_daily_reminders",
        "schedule": crontab(minute=0, hour=REMINDER_HOUR, day_of_week="mon-fri"),
    },
    # Members who have not answered a correspondence round, two working days before its
    # deadline (decisions/services.py); the outbox key keeps it to one reminder each.
    "correspondence-reminders": {
        "task": "decisions.tasks.send_correspondence_reminders",
        "schedule": crontab(minute=15, hour=REMINDER_HOUR, day_of_week="mon-fri"),
    },
    # Every minute: a dead worker's rows go out again within two minutes (its lease, then
    # this sweep); rows whose dispatch was lost, after EMAIL_RESEND_AFTER_MINUTES.
    "resend-pending-emails": {
        "task": "notifications.outbox.resend_pending",
        "schedule": crontab(minute="*"),
    },
}

# What a request may send (README, "Limits on uploads"). Django's own limits, set here so
# they are seen and kept: a form's fields (not its files) up to 2.5 MB and 2,000 fields, at
# most 5 files a request, and files over 2.5 MB spooled to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", "2000"))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", "5"))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
FILE_UPLOAD_HANDLERS = [
    "core.uploads.UploadSizeLimitHandler",  # keeps no more than UPLOAD_MAX_BYTES of a file
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# core.uploads: the largest file an import form accepts, and the child process that parses
# a spreadsheet or document: its extra address space and the seconds it may take.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
UPLOAD_PARSE_MEMORY_BYTES = int(os.environ.get("UPLOAD_PARSE_MEMORY_BYTES", 512 * 1024 * 1024))
UPLOAD_PARSE_SECONDS = int(os.environ.get("UPLOAD_PARSE_SECONDS", "20"))

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Container and load-balancer health checks call plain http on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if env_bool("BEHIND_TLS_PROXY", False):
        # Only a proxy we put in front may say the request came over https: without one,
        # any client could send the header and be taken for a secure request.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Preloading binds the whole registrable domain to HTTPS for months and is hard to undo,
    # so it is the operator's choice, not a warning on every `check --deploy`.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The decision log's covering index (INCLUDE columns) is a PostgreSQL speed-up; SQLite,
    # the quick start's database, builds the index without them, which is all it needs.
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "models.W040"]

# The REST API (api/, README "REST API"): personal tokens or the browser's session, errors
# as JSON, cursor pages, API_RATE requests per token (or user) in the cache shared by the
# web processes.
API_RATE = os.environ.get("API_RATE", "1200/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.access.TokenScope",
        "api.access.RecordPermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.access.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.RegisterCursor",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.RegisterFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Governance tracker API",
    "DESCRIPTION": (
        "Groups, people, meetings, actions, decisions, change requests, RAID items and "
        "documents, with the permissions of the pages. Send a personal token as "
        "`Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Each register's statuses under their own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "actions.models.ActionStatus",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "AttendanceStatusEnum": "meetings.models.AttendanceStatus",
        "DecisionStatusEnum": "decisions.models.DecisionStatus",
        "RaidStatusEnum": "raid.models.RaidStatus",
        "DocumentStatusEnum": "documents.models.DocumentStatus",
    },
}

# Content Security Policy (django-csp): the browser runs only scripts and styles served by
# the app itself (static/, htmx from django-htmx's static files), so an injected <script>,
# style="" or onclick="" does nothing. No inline code anywhere, no eval: htmx is told so by
# the htmx-config meta tag in base.html. PDFs (WeasyPrint) and emails are not web pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        # A single sign-on button posts to the tracker, which redirects the browser to the
        # provider: form-action covers the redirect, so the providers' origins are allowed.
        "form-action": [SELF, *oidc_origins(OIDC_PROVIDERS)],
        "frame-ancestors": [NONE],
    },
}

# The security log (core/security.py): one JSON object a line, to SECURITY_LOG_FILE or,
# when unset, standard error with the rest. A calendar feed's secret address is logged
# redacted (mhhs_gov/log_redaction.py), and the development server's request lines go
# through the same handler.
SECURITY_LOG_FILE = os.environ.get("SECURITY_LOG_FILE", "")
# Error pages and reports hide the frames' variables named like secrets too (S3 keys).
DEFAULT_EXCEPTION_REPORTER_FILTER = "mhhs_gov.log_redaction.SecretsReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json_line": {"format": "%(message)s"}},
    "filters": {"redact_secrets": {"()": "mhhs_gov.log_redaction.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "security": (
            {
                "class": "logging.FileHandler",
                "filename": SECURITY_LOG_FILE,
                "formatter": "json_line",
                "filters": ["redact_secrets"],
            }
            if SECURITY_LOG_FILE
            else {
                "class": "logging.StreamHandler",
                "formatter": "json_line",
                "filters": ["redact_secrets"],
            }
        ),
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # boto3's debug lines carry the S3 request headers (the access key's id): never
        # logged, whatever LOG_LEVEL says.
        **{name: {"level": "WARNING"} for name in ("boto3", "botocore", "s3transfer")},
    },
}
