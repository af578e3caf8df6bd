"""One settings module, read from the environment through django-environ.

With nothing set, the platform runs embedded: a SQLite file beside the code and Celery tasks
executed in-process. Set ``DATABASE_URL`` and ``REDIS_URL`` for PostgreSQL and a real broker.
Every variable is listed in README.md and ``.env.example``.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

from matchmaking.engine.records import DEFAULT_WEIGHTS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for a local run)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "import_export",
    "simple_history",
    "django_htmx",
    "core.apps_third_party.AxesConfig",  # django-axes, with a translated name
    "core",
    "catalog",
    "accounts",
    "listings",
    "matchmaking",
    "seeds",
]

MIDDLEWARE = [
    # Probes first: no Host check, HTTPS redirect or session between a prober and the answer.
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Oversized bodies are refused from Content-Length before anything reads them.
    "core.protection.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it needs the authenticated user and answers lockouts itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site frame (base.html, error pages): the one template that links every app.
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reuse connections, but check them before use so a restarted server costs no request.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Fail fast (and let readiness say so) instead of hanging on an unreachable server.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env("REDIS_URL", default="")
# Seconds any connection to Redis may take to open: an outage costs a request this much at most.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)
if REDIS_URL:
    # Throttle counters only: when Redis is down the cache fails open (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_CONNECT_TIMEOUT,
                "retry": Retry(NoBackoff(), 0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- auth -----------------------------------------------------------------------------------
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "listings:mine"
LOGOUT_REDIRECT_URL = "home"

# Failed logins of one username from one address before a lockout; an address that fails
# AXES_IP_FAILURE_RATE logins across any usernames is locked out too (core.protection).
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_IP_FAILURE_RATE = env("AXES_IP_FAILURE_RATE", default="30/h")
AXES_FAILURE_LIMIT = "core.protection.failure_limit"
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The API gets JSON (429 + Retry-After), pages the lockout message; a locked-out login never 500s.
AXES_LOCKOUT_CALLABLE = "core.protection.lockout_response"
# Count the same client as the API throttles do (X-Forwarded-For trusted NUM_PROXIES deep).
AXES_CLIENT_IP_CALLABLE = "core.protection.client_ip"

# How long an Idempotency-Key (API) or a form's one-time token (pages) is remembered.
IDEMPOTENCY_TTL_SECONDS = env.int("IDEMPOTENCY_TTL_SECONDS", default=24 * 3600)

# Repeated reads (listings and matches in the API, the listing and inbox pages) served from the
# cache while none of the tables they read changed (core.readcache, PostgreSQL); 0 = off.
READ_CACHE_SECONDS = env.int("READ_CACHE_SECONDS", default=60)

# Accounts created per client address (page and API), counted in the cache.
SIGNUP_RATE = env("SIGNUP_RATE", default="5/10m")

# Reverse proxies of our own in front of the app (load balancer, nginx): 0 = use REMOTE_ADDR.
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our catalog first; then Vietnamese for Django and packages that ship none (hand-kept).
LOCALE_PATHS = [BASE_DIR / "core" / "locale", BASE_DIR / "core" / "locale" / "third_party"]
# Dates day first in both languages: 07/04/2027 and "07 Apr 2027" (core/formats/).
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- static ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    # Uploaded files (certificate documents). A deployment may name another backend, e.g.
    # django-storages' "storages.backends.s3.S3Storage" configured by its own variables.
    "default": {
        "BACKEND": env(
            "DJANGO_DEFAULT_STORAGE", default="django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Files shipped inside installed packages (plotly.js for the outcome charts).
    "core.staticfinders.PackageFilesFinder",
]
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Request bodies: imports are the largest thing anyone posts.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_MAX_BODY_BYTES", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Files with more rows are imported by a worker (a job page with progress), not in the request.
IMPORT_SYNC_ROWS = env.int("IMPORT_SYNC_ROWS", default=300)
# A certificate's document (PDF/JPEG/PNG); uploads fit within the multipart allowance above.
CERTIFICATE_MAX_BYTES = env.int("CERTIFICATE_MAX_BYTES", default=5 * 1024 * 1024)

# --- email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Absolute address of the site, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kết nối cung cầu <no-reply@localhost>")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    # DRF's three, with a nesting limit on JSON (a 1,000-deep body was a RecursionError 500).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="1200/minute"),
    },
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kết nối cung cầu API",
    "DESCRIPTION": "Supply–demand matchmaking for Vietnam's regional trade cooperation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"OrganizationKindEnum": "accounts.models.Organization.Kind"},
    # Swagger UI from the installed drf-spectacular-sidecar package, served as our own static
    # files: no CDN script on the session-authenticated origin, and it works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker, tasks run in-process so the embedded run shows matches at once.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# One queue name per deployment (tests give each run its own so parallel runs never mix).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
# Nobody reads a task's return value (the chord's chunks opt back in): sending a task then never
# waits on the result store, which hung a page save ~19 s in its reconnect loop with Redis down.
CELERY_TASK_IGNORE_RESULT = True
# Sending fails within about a second when Redis is down (core/tasks.py logs it; sweeps retry).
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT * 2
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every task unless
# this is set: a worker would connect again (and PostgreSQL start a cold backend, its catalog
# caches empty) for every saved listing, about a fifth of a listing's matching time at 100k ×
# 100k. With it the connection is kept, closed by the fixup only every N tasks, and checked
# before and after each task as Django checks it around a request (config.celery):
# CONN_MAX_AGE and the health check apply, and a broken one is replaced.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
# The longest task (a full re-match chunk; 100k × 100k takes well under a minute) is
# killed at CELERY_TASK_TIME_LIMIT; the soft limit a minute earlier lets it record why.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT - 60, CELERY_TASK_TIME_LIMIT // 2)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose broker went away retries for as long as it takes (Celery's default gives up
# after 100 attempts, about 50 minutes, and the worker then stays down until restarted).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged message to another worker after this: longer than the
    # longest task may run, so no task runs twice at once (a test checks every task).
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 120,
    # A connection that silently died is noticed within seconds, not at the next TCP timeout.
    "socket_timeout": 10,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "health_check_interval": 10,
    "retry_on_timeout": True,
    # Sending a task: one quick retry of the connection, not kombu's 2 s back-off.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs; django-celery-beat copies them into its tables, where officers can tune them.
CELERY_BEAT_SCHEDULE = {
    "listings-expire": {
        "task": "listings.tasks.expire_listings",
        "schedule": crontab(hour=0, minute=10),
    },
    "matchmaking-nightly-rematch": {
        "task": "matchmaking.tasks.nightly_rematch",
        "schedule": crontab(hour=1, minute=0),
    },
    "matchmaking-sweep-unmatched": {
        # Listings saved while the broker was down are matched once it is back.
        "task": "matchmaking.tasks.sweep_unmatched",
        "schedule": 300.0,
    },
    "matchmaking-reap-stale-runs": {
        # Full re-match chunks whose worker stopped reporting are sent again (or the run fails).
        "task": "matchmaking.tasks.reap_stale_runs",
        "schedule": 60.0,
    },
    "matchmaking-expire-and-remind": {
        "task": "matchmaking.tasks.expire_and_remind",
        "schedule": crontab(minute=20),
    },
    "matchmaking-expire-pools": {
        # Proposed pools unanswered by their deadline are withdrawn as expired.
        "task": "matchmaking.tasks.expire_pools",
        "schedule": crontab(minute=25),
    },
    "matchmaking-expire-certificates": {
        # Withdraws the proposals an expired certificate supported; reminders 30 days ahead.
        "task": "matchmaking.tasks.expire_certificates",
        "schedule": crontab(hour=0, minute=30),
    },
    "matchmaking-send-digests": {
        "task": "matchmaking.tasks.send_digests",
        "schedule": crontab(minute="*/15"),
    },
    "matchmaking-expire-meeting-requests": {
        "task": "matchmaking.tasks.expire_meeting_requests",
        "schedule": crontab(minute=40),
    },
    "matchmaking-sweep-unsent-agendas": {
        # First agendas that could not be sent when the schedule was published.
        "task": "matchmaking.tasks.sweep_unsent_agendas",
        "schedule": crontab(minute="5-59/15"),
    },
    "matchmaking-remind-quiet-deals": {
        # Deals with no change for 30 days: both sides reminded, once per quiet stretch.
        "task": "matchmaking.tasks.remind_quiet_deals",
        "schedule": crontab(hour=7, minute=0),
    },
    "matchmaking-compact-outcome-changes": {
        # The outcome figures' change stamps: one row per database session and concern, folded
        # every 10 minutes into one per concern (the sums stay, so nothing is counted again).
        "task": "matchmaking.tasks.compact_outcome_changes",
        "schedule": crontab(minute="*/10"),
    },
    "core-compact-table-marks": {
        # The read cache's table marks (core.readcache): one row per database session and
        # table, folded into one per table (the sums stay, so kept reads stay valid).
        "task": "core.tasks.compact_table_marks",
        "schedule": crontab(minute="*/10"),
    },
    "matchmaking-warm-outcome-figures": {
        # The dashboard's one-filter views counted ahead (only the parts changed since).
        "task": "matchmaking.tasks.warm_outcome_figures",
        "schedule": crontab(minute="5-55/10"),
    },
    "matchmaking-flag-overdue-contracts": {
        # Signed contracts past their delivery date with nothing delivered: officers told.
        "task": "matchmaking.tasks.flag_overdue_contracts",
        "schedule": crontab(hour=7, minute=15),
    },
}

# --- matching -------------------------------------------------------------------------------
MATCHING = {
    # One source for the defaults: the engine's (each overridable from the environment).
    "WEIGHTS": {
        "product": env.float("MATCH_WEIGHT_PRODUCT", default=DEFAULT_WEIGHTS["product"]),
        "quantity": env.float("MATCH_WEIGHT_QUANTITY", default=DEFAULT_WEIGHTS["quantity"]),
        "price": env.float("MATCH_WEIGHT_PRICE", default=DEFAULT_WEIGHTS["price"]),
        "distance": env.float("MATCH_WEIGHT_DISTANCE", default=DEFAULT_WEIGHTS["distance"]),
        "programme": env.float("MATCH_WEIGHT_PROGRAMME", default=DEFAULT_WEIGHTS["programme"]),
        "time": env.float("MATCH_WEIGHT_TIME", default=DEFAULT_WEIGHTS["time"]),
        "trust": env.float("MATCH_WEIGHT_TRUST", default=DEFAULT_WEIGHTS["trust"]),
    },
    "MAX_PER_DEMAND": env.int("MATCH_MAX_PER_DEMAND", default=10),
    "MAX_PER_SUPPLY": env.int("MATCH_MAX_PER_SUPPLY", default=20),
    "MIN_SCORE": env.float("MATCH_MIN_SCORE", default=0.35),
    # Fair exposure: the largest ranking bonus for a supply's best candidates (0 = off).
    "EXPOSURE_BONUS": env.float("MATCH_EXPOSURE_BONUS", default=0.05),
    "REVIEW_DAYS": env.int("MATCH_REVIEW_DAYS", default=14),
    # Pools: several suppliers together for a demand none covers alone (at most K members).
    "POOLS": env.bool("MATCH_POOLS", default=True),
    "POOL_MAX_MEMBERS": env.int("MATCH_POOL_MAX_MEMBERS", default=5),
    # Full re-match chunks beat every RUN_HEARTBEAT_SECONDS; one silent for RUN_STALE_SECONDS
    # is sent again, at most RUN_CHUNK_ATTEMPTS times before the run fails.
    "RUN_HEARTBEAT_SECONDS": env.float("MATCH_RUN_HEARTBEAT_SECONDS", default=10.0),
    "RUN_STALE_SECONDS": env.int("MATCH_RUN_STALE_SECONDS", default=120),
    "RUN_CHUNK_ATTEMPTS": env.int("MATCH_RUN_CHUNK_ATTEMPTS", default=3),
    # The sweep (every 5 minutes) matches open listings unmatched for this many seconds.
    "SWEEP_AFTER_SECONDS": env.int("MATCH_SWEEP_AFTER_SECONDS", default=60),
}

# --- health -------------------------------------------------------------------------------
# /readyz: seconds each of Redis and the worker ping may take; whether a silent worker pool
# takes the web process out of rotation (set 0 to only report it).
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)
HEALTH_WORKER_REQUIRED = env.bool("HEALTH_WORKER_REQUIRED", default=True)

# --- production -----------------------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        # stdout, where gunicorn's access log and the container runtime's log collector look.
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
