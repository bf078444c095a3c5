"""Settings come from the environment; the defaults suit a developer's machine with the
local PostgreSQL and Redis on their standard ports."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Sessions, password-reset links and signed values all rest on this key. Without DEBUG
# nothing runs on a key that is not set: a published development key would let anyone
# forge them. `make run`, `make test` and CI set a development key of their own.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment to a long random value (e.g. "
            "the output of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or set DEBUG=1 on a developer machine."
        )
    SECRET_KEY = "dev-only-insecure-key-for-DEBUG-1"  # noqa: S105
# Demo mode (`make run`, docker compose's demo profile): `seed_demo` may create the demo
# logins, whose password the README publishes. Off everywhere else.
WORKBENCH_DEMO = env_bool("WORKBENCH_DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "django_rq",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # In the order of the layers (DESIGN.md): each app imports only from those above it here.
    "workbench.projects",
    "workbench.audit",
    "workbench.accounts",
    "workbench.documents",
    "workbench.jobs",
    "workbench.memory",
    "workbench.translation",
    "workbench.feedback",
    "workbench.drafting",
    "workbench.dashboard",
    "workbench.api",
    "workbench.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "workbench.api.middleware.ApiCallerMiddleware",
    # Before anything reads the body: an anonymous request may not send a large one.
    "workbench.middleware.AnonymousBodyLimitMiddleware",
    "workbench.middleware.BadQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "workbench.middleware.IdleTimeoutMiddleware",
    "workbench.audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "workbench.middleware.NoStoreMiddleware",
    "workbench.middleware.StatementTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

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
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/workbench")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
# A web request's statements are stopped after this many seconds, so one slow query
# cannot hold a PostgreSQL backend for minutes. Only the web server sets it: wsgi.py
# sets WORKBENCH_WEB before the settings load, so workers, migrations and commands
# (whose long statements are expected) run without it.
WEB_STATEMENT_TIMEOUT_SECONDS = int(os.environ.get("WORKBENCH_WEB_STATEMENT_TIMEOUT_SECONDS", "30"))
if os.environ.get("WORKBENCH_WEB") and WEB_STATEMENT_TIMEOUT_SECONDS:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={WEB_STATEMENT_TIMEOUT_SECONDS * 1000}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Wrong passwords: an account is locked after this many in a row, for the cool-off time
# (hours), or until it is unlocked (a password reset by e-mail, the admin, or `manage.py
# axes_reset_username NAME`). An address that sends this many wrong passwords in a row,
# whatever the accounts, is locked too (one password tried on every account); any
# successful login from it starts its count again, so an office behind one address is
# not locked out by a few people's typing.
AXES_FAILURE_LIMIT = int(os.environ.get("WORKBENCH_LOGIN_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("WORKBENCH_LOGIN_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "workbench.audit.address.client_address"
AXES_VERBOSE = False
# How many proxies in front of the web server append to X-Forwarded-For; 0 (direct):
# the address is the connection's. Logins, lockouts and the audit log use it.
WORKBENCH_PROXY_COUNT = int(os.environ.get("WORKBENCH_PROXY_COUNT", "0"))

# A session ends after this many minutes without the person doing anything (polling
# for a job's progress does not count), and after SESSION_COOKIE_AGE in any case.
WORKBENCH_SESSION_IDLE_MINUTES = int(os.environ.get("WORKBENCH_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(os.environ.get("WORKBENCH_SESSION_MAX_HOURS", "12")) * 3600

# Password-reset mail: printed on the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "workbench@localhost")
PASSWORD_RESET_TIMEOUT = 3600
OTP_TOTP_ISSUER = os.environ.get("WORKBENCH_TOTP_ISSUER", "Legal translation workbench")

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Hong_Kong")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Uploads: the workbench's own limit is checked per file; Django's request limits sit
# just above it so that an oversized file is refused with our message, not a 400.
MAX_UPLOAD_MB = int(os.environ.get("WORKBENCH_MAX_UPLOAD_MB", "50"))
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Nobody logged in has anything large to send: a login form is a few hundred bytes.
WORKBENCH_ANONYMOUS_MAX_BODY_BYTES = 64 * 1024
# Confidential files are readable by the workbench's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Export files are deleted this many days after they were written (0 keeps them);
# `manage.py sweep_exports`, and every worker once an hour.
WORKBENCH_EXPORT_RETENTION_DAYS = int(os.environ.get("WORKBENCH_EXPORT_RETENTION_DAYS", "30"))
WORKBENCH_EXPORT_SWEEP_SECONDS = int(os.environ.get("WORKBENCH_EXPORT_SWEEP_SECONDS", "3600"))
# A segment longer than this is cut at sentence or clause breaks on import; a run
# without any break that is longer still is refused.
WORKBENCH_MAX_SEGMENT_CHARS = int(os.environ.get("WORKBENCH_MAX_SEGMENT_CHARS", "3000"))
# Units each process keeps in its fuzzy match indexes (about 270 bytes each in English)
# before it drops the indexes used longest ago (workbench/memory/match_index.py).
WORKBENCH_TM_INDEX_UNITS = int(os.environ.get("WORKBENCH_TM_INDEX_UNITS", "5000000"))

# Model endpoints for the agents: any OpenAI-compatible server. OPENAI_BASE_URL (with
# OPENAI_API_KEY) is the endpoint "default"; WORKBENCH_ENDPOINTS (JSON) or the JSON file
# WORKBENCH_ENDPOINTS_FILE define more (agents/endpoints.py), and a project's Agents page
# chooses one per role. Keys come from the environment only.
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_ENDPOINT_LABEL = os.environ.get("OPENAI_ENDPOINT_LABEL", "")
WORKBENCH_ENDPOINTS = os.environ.get("WORKBENCH_ENDPOINTS", "")
WORKBENCH_ENDPOINTS_FILE = os.environ.get("WORKBENCH_ENDPOINTS_FILE", "")
OPENAI_MODEL = os.environ.get("OPENAI_MODEL", "gpt-4.1-mini")  # per role: Project.agent_models
OPENAI_TIMEOUT_SECONDS = float(os.environ.get("OPENAI_TIMEOUT_SECONDS", "120"))
WORKBENCH_AGENT_CONCURRENCY = int(os.environ.get("WORKBENCH_AGENT_CONCURRENCY", "4"))
# Background jobs one person, and one project, may have queued or running at once.
WORKBENCH_MAX_JOBS_PER_USER = int(os.environ.get("WORKBENCH_MAX_JOBS_PER_USER", "5"))
WORKBENCH_MAX_JOBS_PER_PROJECT = int(os.environ.get("WORKBENCH_MAX_JOBS_PER_PROJECT", "20"))
# Requests and tokens per minute each model endpoint allows, shared by every worker
# through Redis (empty: no limit of our own; the endpoint's 429s still pace the calls).
WORKBENCH_MODEL_RPM = int(os.environ.get("WORKBENCH_MODEL_RPM") or 0) or None
WORKBENCH_MODEL_TPM = int(os.environ.get("WORKBENCH_MODEL_TPM") or 0) or None
# What a model costs when nobody has entered its price on the dashboard's prices page:
# {model name or "*": (input, output)} in US$ per million tokens. The default model's list
# price is here so the demo's cost is not shown as nothing; managers set the rest.
WORKBENCH_MODEL_PRICES = {"gpt-4.1-mini": (0.40, 1.60)}

# Background work: the job row is the truth, the queue only a signal.
WORKBENCH_QUEUE = os.environ.get("WORKBENCH_QUEUE", "celery")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# RQ workers sweep stale jobs between jobs, as Celery workers do on a timer.
RQ = {"WORKER_CLASS": "workbench.jobs.workers.SweepingRQWorker"}
WORKBENCH_JOB_STALE_SECONDS = int(os.environ.get("WORKBENCH_JOB_STALE_SECONDS", "60"))
WORKBENCH_JOB_HEARTBEAT_SECONDS = int(os.environ.get("WORKBENCH_JOB_HEARTBEAT_SECONDS", "10"))
WORKBENCH_JOB_SWEEP_SECONDS = int(os.environ.get("WORKBENCH_JOB_SWEEP_SECONDS", "30"))
WORKBENCH_JOB_RESIGNAL_SECONDS = int(os.environ.get("WORKBENCH_JOB_RESIGNAL_SECONDS", "300"))

# The REST API (/api/v1/): calls per token per minute, and webhook deliveries, each tried
# this many times with exponential backoff (1, 2, 4… × the base seconds between tries).
# Deliveries go to public addresses only unless private ones are allowed (a receiver on
# the same network, or tests).
WORKBENCH_API_CALLS_PER_MINUTE = int(os.environ.get("WORKBENCH_API_CALLS_PER_MINUTE", "120"))
WORKBENCH_WEBHOOK_ATTEMPTS = int(os.environ.get("WORKBENCH_WEBHOOK_ATTEMPTS", "5"))
WORKBENCH_WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("WORKBENCH_WEBHOOK_BACKOFF_SECONDS", "5"))
WORKBENCH_WEBHOOK_ALLOW_PRIVATE = env_bool("WORKBENCH_WEBHOOK_ALLOW_PRIVATE", False)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind HTTPS (WORKBENCH_HTTPS=1) the browser is told to use nothing else (HSTS), plain
# HTTP is redirected and cookies travel only over HTTPS; each can be set on its own.
# Behind a proxy that ends TLS, WORKBENCH_PROXY_SSL_HEADER names the header it sets
# (e.g. X-Forwarded-Proto); it must be one the proxy always overwrites.
HTTPS = env_bool("WORKBENCH_HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if os.environ.get("WORKBENCH_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["WORKBENCH_PROXY_SSL_HEADER"].upper().replace("-", "_"),
        "https",
    )

# Content-Security-Policy: scripts, styles and everything else from the workbench
# itself only; no inline script or style, no eval (htmx's allowEval is off, see
# base.html), no frames, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Every model call is a ModelCall row already; the HTTP client need not log each one.
    # django-axes logs every login at INFO; the audit log has them.
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
