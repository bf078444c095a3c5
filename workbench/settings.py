"""Settings come from the environment; the defaults suit a developer's machine with the
local PostgreSQL and Redis on their standard ports."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("WORKBENCH_REQUIRE_SECRET_KEY"):
        raise RuntimeError("Set SECRET_KEY in the environment.")
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105
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
    # In the order of the layers (DESIGN.md): each app imports only from those above it here.
    "workbench.projects",
    "workbench.documents",
    "workbench.jobs",
    "workbench.memory",
    "workbench.translation",
    "workbench.feedback",
    "workbench.drafting",
    "workbench.dashboard",
    "workbench.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Every model call is a ModelCall row already; the HTTP client need not log each one.
    "loggers": {"httpx": {"level": "WARNING"}, "httpx2": {"level": "WARNING"}},
}
