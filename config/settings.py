"""All settings, read from the environment in this one place.

Defaults are the embedded ones of `make run`: SQLite and local files under var/. Set
DATABASE_URL for PostgreSQL, REDIS_URL for Redis (channel layer, Celery broker, cache).
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded database and uploads live here


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "plumbing",
    "storyboard_app",
    "elements_app",
    "jobs",
    "sharing",
    "activity",
    "discussion",
    "moderation",
    "moderation_desk",
    "exports",
    "accounts",
    "editor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so the static files it answers get the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

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
                "discussion.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL (as `make test-sqlite` sets it) means the default too.
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests on a file, like `make run`: the in-memory shared cache locks whole tables across
    # the live server's threads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI each request runs in a fresh thread, so CONN_MAX_AGE never reuses a
    # connection; psycopg's pool does (a new connection per request doubled GET latency).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "20")),
        "timeout": 10,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis carries the channel layer and the Celery broker; set REDIS_URL="" for in-memory ones
# (a single process only, e.g. unit tests).
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The layer is Redis pub/sub: an event is published once and each ASGI process hands it to its
# open sockets in memory (the list-based layer pushes one copy per socket through Redis). It
# keeps nothing for a socket that is not listening; the per-project sequence numbers let a
# client see such a gap and catch up with a snapshot. Pub/sub channels ignore the database
# number, so the prefix carries it: two apps on one Redis (a dev server, the tests) stay apart.
CHANNEL_PREFIX = os.environ.get(
    "CHANNEL_PREFIX", f"sb{urlparse(REDIS_URL).path.strip('/') or '0'}:"
)
CHANNEL_LAYERS = {
    "default": (
        {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": CHANNEL_PREFIX},
        }
        if REDIS_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}

# The cache holds the attempt counters of rate limits (invitation links, logins): Redis, so
# every process counts the same attempts.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Invitations by e-mail: printed on the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Storyboard Director <noreply@localhost>")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Two queues: `render` for CPU-bound local rendering (a prefork worker, one process per core)
# and `io` for provider calls, polls and downloads (a worker with many threads).
CELERY_TASK_DEFAULT_QUEUE = "io"
CELERY_TASK_ROUTES = {"jobs.tasks.render_job": {"queue": "render"}}
# Priorities on the Redis broker (0 is the most urgent): a finished video's delivery, prompted
# by the provider's callback, goes before the backlog of submissions and routine polls.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "priority_steps": list(range(10)),
    "sep": ":",
    "queue_order_strategy": "priority",
    # A message taken by a worker that died whole (SIGKILL, a lost machine) is handed out again
    # after this long; it must outlast the longest countdown (a poll with callbacks) and render,
    # or waiting tasks are delivered twice. A killed pool child's message comes back at once
    # (CELERY_TASK_REJECT_ON_WORKER_LOST), and the reaper takes a silent render over long
    # before this (JOBS_RENDER_STALE_SECONDS).
    "visibility_timeout": 3600,
}
CELERY_TASK_DEFAULT_PRIORITY = 6

# Generation jobs (jobs/). Times in seconds.
CREDITS_STARTING_BALANCE = int(os.environ.get("CREDITS_STARTING_BALANCE", "100"))
JOBS_MAX_IN_FLIGHT_PER_USER = int(os.environ.get("JOBS_MAX_IN_FLIGHT_PER_USER", "5"))
JOBS_INSTANT_PROVIDER = env_bool("JOBS_INSTANT_PROVIDER", False)
# Polling: the first poll after POLL_FIRST, then each wait 1.5 times longer up to POLL_MAX.
# With provider callbacks (PUBLIC_BASE_URL set) polls are only a safety net, so they are rarer.
JOBS_POLL_FIRST_SECONDS = float(os.environ.get("JOBS_POLL_FIRST_SECONDS", "10"))
JOBS_POLL_MAX_SECONDS = float(os.environ.get("JOBS_POLL_MAX_SECONDS", "60"))
JOBS_POLL_WITH_CALLBACKS_FIRST_SECONDS = float(
    os.environ.get("JOBS_POLL_WITH_CALLBACKS_FIRST_SECONDS", "60")
)
JOBS_POLL_WITH_CALLBACKS_MAX_SECONDS = float(
    os.environ.get("JOBS_POLL_WITH_CALLBACKS_MAX_SECONDS", "300")
)
# Transient provider errors: exponential backoff with jitter, from RETRY_BASE up to RETRY_MAX,
# for as long as GIVE_UP after the job was made.
JOBS_RETRY_BASE_SECONDS = float(os.environ.get("JOBS_RETRY_BASE_SECONDS", "1"))
JOBS_RETRY_MAX_SECONDS = float(os.environ.get("JOBS_RETRY_MAX_SECONDS", "60"))
JOBS_GIVE_UP_SECONDS = float(os.environ.get("JOBS_GIVE_UP_SECONDS", str(2 * 3600)))
# A job whose owner task showed no sign of life for this long is resumed by the reaper; it
# must exceed the longest wait between two steps (poll or retry).
JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", "300"))
# A running render heartbeats every half second (jobs/local.py): one silent this long lost its
# worker and is taken over (jobs/lost_renders.py). The reaper runs often enough to notice soon.
JOBS_RENDER_STALE_SECONDS = float(os.environ.get("JOBS_RENDER_STALE_SECONDS", "20"))
JOBS_REAPER_SECONDS = float(os.environ.get("JOBS_REAPER_SECONDS", "5"))

# The Kling API (docs/kling_api.md): an API key, or an access key with its secret key.
KLING_BASE_URL = os.environ.get("KLING_BASE_URL", "https://api-singapore.klingai.com")
KLING_API_KEY = os.environ.get("KLING_API_KEY", "")
KLING_ACCESS_KEY = os.environ.get("KLING_ACCESS_KEY", "")
KLING_SECRET_KEY = os.environ.get("KLING_SECRET_KEY", "")
KLING_WEBHOOK_SECRET = os.environ.get("KLING_WEBHOOK_SECRET", "")
KLING_TIMEOUT_SECONDS = float(os.environ.get("KLING_TIMEOUT_SECONDS", "30"))
# Where providers can reach this server for callbacks (e.g. https://storyboard.example.com);
# empty: no callbacks, jobs are polled.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

# Argon2 first (new and changed passwords); the others still verify older hashes, which are
# upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes gzip copies that WhiteNoise serves to browsers that accept them.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads larger than this are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an unauthenticated request a 401.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "plumbing.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "EXCEPTION_HANDLER": "plumbing.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Storyboard Director API",
    "DESCRIPTION": "Projects, sequences, shots and their timeline. See docs/API.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "storyboard_app.choices.Language",
        "RoleEnum": "storyboard_app.choices.Role",
        "ShareableRoleEnum": "sharing.serializers.ROLE_CHOICES",
        "ReviewStateEnum": "storyboard_app.choices.ReviewState",
        "JobStateEnum": "jobs.choices.JobState",
    },
}

# Secret tokens in paths (invitation, review and reset links) are redacted from every line:
# declared on LOGGING's handlers, and put on the others (Django's, uvicorn's) once it is applied.
LOGGING_CONFIG = "config.log_redaction.configure_logging"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "config.log_redaction.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"

# The Content-Security-Policy of every response (django-csp): scripts, styles, pictures and sound
# only from this origin, so markup slipped into a page runs nothing. No inline script or style
# anywhere: pages load static modules and style sheets, behaviours hang on data-* attributes
# (static/js/page_behaviours.js), boot data is JSON (`json_script`). Styles set from scripts
# through the CSSOM (el.style.width) are not inline styles and stay allowed. 'self' in
# connect-src covers ws:/wss: to this host (CSP 3: the editor's socket goes live under it in
# tests/test_pages_keep_to_their_policy_in_browser.py). data: pictures are Swagger UI's icons;
# blob: is for pictures and sound a page makes itself (a preview before an upload).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# PRODUCTION=1: served over HTTPS (usually behind a proxy that says so in X-Forwarded-Proto);
# cookies only over HTTPS, HSTS, and no start with the development key.
# `PRODUCTION=1 SECRET_KEY=… manage.py check --deploy` passes (tests/test_production_settings.py).
PRODUCTION = env_bool("PRODUCTION", False)
if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Set SECRET_KEY to a random value of 50 characters or more.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "jobs.tasks.clear_expired_sessions", "schedule": 6 * 3600},
    "resume-stalled-jobs": {
        "task": "jobs.tasks.resume_stalled_jobs",
        "schedule": JOBS_REAPER_SECONDS,
    },
    "remove-stray-part-files": {"task": "jobs.tasks.remove_stray_part_files", "schedule": 3600},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
