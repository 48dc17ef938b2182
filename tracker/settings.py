"""Settings for the commitment tracker.

Every value that differs between a laptop and a server comes from the
environment (see README, "Configuration"). The defaults give a newcomer a
working development setup with nothing installed: SQLite in ``var/``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A checkout that `make run` set up keeps its development settings in .env
# (DEBUG=1), so every command the README shows works there as written. The
# environment wins over the file; a server has no such file.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# Without DEBUG a real secret is required; in development a fixed, clearly
# marked key keeps sessions valid across restarts.
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key")
else:
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "tracker.admin_site.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files, served from static (no CDN).
    "drf_spectacular_sidecar",
    "tracker",
    "commitments",
    "programs",
    "reports",
    "rpjmd",
    "jobs",
    "reminders",
    "notices",
    "conversations",
    "api",
    "transparency",
    "sitesearch",
    "demo",
]

MIDDLEWARE = [
    # First, so that every response carries the policy: HTTPS redirects and
    # WhiteNoise's static files too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that reads the database: /healthz and /readyz, and a 503
    # page when the database cannot be reached (tracker/outage.py).
    "tracker.outage.DatabaseOutageMiddleware",
    # NUL or bytes that are not UTF-8 in a query string or form field: a 400 before any view.
    "tracker.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tracker.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): did this session enter a one-time code?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Read-only pages read from the replica, if one is configured.
    "tracker.db_router.ReplicaMiddleware",
    # request.htmx: is this an htmx request (the job progress bar polls with htmx)?
    "django_htmx.middleware.HtmxMiddleware",
    # Superusers and Administrators set up and enter a one-time code before anything else.
    "tracker.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # APP_DIRS stays off so the cached loader below can be configured.
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tracker.context_processors.navigation",
            ],
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (one per gunicorn worker or thread), checked before
# reuse so a restarted database server costs one failed check, not an error page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that does not answer is given up on quickly (a 503 page,
# tracker/outage.py), instead of holding every gunicorn thread: seconds to
# connect, and the longest a single statement may run (0: no limit; a long
# migration may need DATABASE_STATEMENT_TIMEOUT=0).
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=30)
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if DATABASE_STATEMENT_TIMEOUT:
        _pg_options.setdefault(
            "options", f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}"
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for several people at once (`make run`): a transaction takes the
    # write lock when it begins (IMMEDIATE), so two saves queue instead of one
    # failing with "database is locked" when both upgrade from reading; a busy
    # writer is waited for up to 20 s; WAL lets readers go on while one
    # writes. PostgreSQL keeps its defaults (row locks, select_for_update).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses every login of a locked-out user name + address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "AnonymousUser" row: anonymous visitors get nothing from the
# permission policy, and a magic user row would only invite mistakes.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for
# one user name from one address within LOGIN_LOCKOUT_MINUTES, that pair is
# refused until the same time has passed without a new try, or until the
# Administrator lifts it (README, "Logging in"). Counted in the database, so
# every gunicorn worker sees the same count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.views.lockout"
AXES_CLIENT_IP_CALLABLE = "tracker.middleware.client_ip"
# Log failures and lockouts, not every successful login.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, TOTP): open to everyone from the account
# page, required for superusers and Administrators (tracker.middleware).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Monev Komitmen")
# The admin shows no device's secret key or QR code: whoever reads the admin
# must not be able to copy someone's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Internationalisation: Bahasa Indonesia first, English available.
LANGUAGE_CODE = env("LANGUAGE_CODE", default="id")
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Tests and `make run` serve straight from the finders; production runs
# collectstatic (see README, "Deploying").
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CRISPY_FAIL_SILENTLY = not DEBUG

# django-simple-history: reasons are free text, not 100-character strings.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="monev@localhost")
# How long an emailed invitation or password-reset link stays valid (seconds). A
# week: a newly invited official may not read their mail the same day.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=7 * 24 * 3600)

# Security: strict defaults outside DEBUG; `manage.py check --deploy` is clean
# with production values (see README).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks answer over plain HTTP too (a load balancer probes the backend directly).
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$"]
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4) on every response: everything from
# this site only, no inline script, no other origin. Inline style="" attributes
# (progress bars and timelines whose width is data) are allowed; <style>
# elements are not (style-src-elem). data: images: the favicon stub and the
# QR code on the two-factor setup page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Domain settings.
# The achievement bands are fixed by Permendagri 86/2017; the labels are not:
# some documents say "Sangat Tinggi ... Sangat Rendah", others "Sangat Baik ...
# Sangat Kurang". Choose "tinggi" or "baik".
ACHIEVEMENT_LABELS = env("ACHIEVEMENT_LABELS", default="tinggi")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Evidence files (signature scans, progress evidence): PDF, JPEG or PNG up to this size.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1000 * 1000)
# One upload (page or API) carries at most this many evidence files, this many bytes in all.
EVIDENCE_MAX_FILES_PER_REQUEST = env.int("EVIDENCE_MAX_FILES_PER_REQUEST", default=10)
EVIDENCE_MAX_BYTES_PER_REQUEST = env.int("EVIDENCE_MAX_BYTES_PER_REQUEST", default=50 * 1000 * 1000)
# Files kept from a refused save of the report form (PendingEvidence) wait this many days
# for the next save; older ones, and those of a locked quarter, are removed every night.
KEPT_EVIDENCE_DAYS = env.int("KEPT_EVIDENCE_DAYS", default=14)
# Largest RPJMD workbook accepted by the Excel import.
RPJMD_IMPORT_MAX_BYTES = env.int("RPJMD_IMPORT_MAX_BYTES", default=5 * 1000 * 1000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Quarterly reporting: deadlines in working days after the quarter ends
# (Monday-Friday, less Indonesian public holidays and the government's
# collective leave days: tracker/working_days.py). DOMAIN.md gives 5 for the
# units and 10 for Bappeda as usual practice, unconfirmed for every Pemda:
# hence settings.
SUBMISSION_WORKING_DAYS = env.int("SUBMISSION_WORKING_DAYS", default=5)
VERIFICATION_WORKING_DAYS = env.int("VERIFICATION_WORKING_DAYS", default=10)
# A milestone is "at risk" when its progress trails the time-proportional plan
# by more than this many percentage points.
AT_RISK_MARGIN = env.int("AT_RISK_MARGIN", default=15)

# Quarterly reports print a QR code and a link to their public verification
# page, so the PDF needs the address people reach the system at. The web
# uses the request's own address; the command line uses this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# A PDF uploaded on the public verification page may be at most this big.
REPORT_VERIFY_MAX_BYTES = env.int("REPORT_VERIFY_MAX_BYTES", default=20 * 1000 * 1000)
# ... and one address may upload at most this many files per window (seconds);
# counted in the default cache (per process unless CACHES names a shared one).
REPORT_VERIFY_RATE_LIMIT = env.int("REPORT_VERIFY_RATE_LIMIT", default=20)
REPORT_VERIFY_RATE_WINDOW = env.int("REPORT_VERIFY_RATE_WINDOW", default=10 * 60)

# --- Scaling out (README, "Scaling out") -----------------------------------------
# Every part below has an in-process default, so `make run` needs nothing but
# Python; a server names Redis, a broker, S3 and a replica in the environment.

# The cache: Redis (django-redis) when REDIS_URL is set, shared by every worker
# and machine; otherwise each process's memory. It is only a cache: the data
# versions that keep cached reads current, the sessions and the two-factor
# answer live in the database (tracker/data_version.py), so a Redis that is
# refused, hung or restarted with old data makes pages slower, never wrong.
REDIS_URL = env("REDIS_URL", default="")
# Seconds to wait for Redis to connect or answer: a cache slower than this is no help.
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.25)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="monev"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                # Pauses after a failure and logs it once a minute (tracker/cache_guard.py).
                "REDIS_CLIENT_CLASS": "tracker.cache_guard.GuardedRedis",
                # A cache that is down slows pages down; it does not break them.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# tracker/cache_guard.py logs failures, once a minute; django-redis would log
# a traceback for every ignored command.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
# Sessions live in the database only: a logout is final in every process,
# even one whose cache missed the logout (Redis down) or was restored with
# the session in it. One indexed read per request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Cached reads expire after this many seconds even if nothing changed (a
# safety net: correctness comes from the data version, not from this).
CACHE_SECONDS = env.int("CACHE_SECONDS", default=15 * 60)

# Background jobs (Celery). With CELERY_BROKER_URL unset, a job runs inside the
# request that starts it (eager), so a newcomer needs no broker and no worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# The job's own row (jobs.models.Job) carries state, progress and result.
CELERY_TASK_IGNORE_RESULT = True
# A job is acknowledged when it finished, so a worker that dies mid-job leaves
# it to another worker; one job at a time per worker process (they are long).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The schedule for `celery -A tracker beat` (or run `manage.py send_reminders`
# from cron at the same time): deadline reminders every morning, WIB.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "reminders.tasks.send_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # The notices' daily digest (or `manage.py send_notice_digest` from cron), before work.
    "send-notice-digest": {
        "task": "notices.tasks.send_notice_digest",
        "schedule": crontab(hour=6, minute=0),
    },
    "purge-old-jobs": {"task": "jobs.tasks.purge_old_jobs", "schedule": crontab(hour=2, minute=0)},
    "expire-kept-evidence": {
        "task": "programs.tasks.expire_kept_evidence",
        "schedule": crontab(hour=2, minute=30),
    },
    "expire-stuck-jobs": {"task": "jobs.tasks.expire_stuck_jobs", "schedule": 5 * 60},
}
# Finished background jobs, and the Excel files they made, are kept this many
# days (issued reports are kept for good: they are records of their own).
JOB_KEEP_DAYS = env.int("JOB_KEEP_DAYS", default=7)
# Jobs never stay stuck (jobs.services.expire_stuck_jobs, every few minutes and
# whenever a job page is viewed): a running job without a sign of life for
# JOB_STALE_MINUTES, or a job still queued after JOB_QUEUED_MINUTES, is marked
# failed with a retry button. A job may run JOB_TIME_LIMIT seconds; a worker
# that died (killed, out of memory) leaves its job to another worker once more.
JOB_TIME_LIMIT = env.int("JOB_TIME_LIMIT", default=10 * 60)
JOB_STALE_MINUTES = env.int("JOB_STALE_MINUTES", default=15)
JOB_QUEUED_MINUTES = env.int("JOB_QUEUED_MINUTES", default=30)
CELERY_TASK_SOFT_TIME_LIMIT = JOB_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT + 60
# Redis redelivers a message not acknowledged within this time: longer than a
# job may wait reserved by a busy worker plus its own run (else it would run
# twice); a killed worker's job comes back after it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * JOB_TIME_LIMIT + 5 * 60}
# A broker that is down fails the job at once (retry button), not after long retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Units are reminded this many working days before the submission deadline (and
# Bappeda before the verification deadline), again on the day, and once overdue.
REMINDER_WORKING_DAYS_BEFORE = env.int("REMINDER_WORKING_DAYS_BEFORE", default=3)

# Files: evidence, signature scans, issued reports and exports go through
# Django's storage API. STORAGE_BACKEND=s3 puts them on an S3-compatible store
# (django-storages); the filesystem (MEDIA_ROOT) is the default.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            # Private objects; downloads go through the app, which checks access.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND != "filesystem":
    raise environ.ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3'.")

# Read replica: with DATABASE_REPLICA_URL set, read-only pages read from it
# (tracker/db_router.py); writes, and every read after a write in the same
# request, go to the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    for _key in ("connect_timeout", "options"):
        if _key in DATABASES["default"].get("OPTIONS", {}):
            DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
                _key, DATABASES["default"]["OPTIONS"][_key]
            )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tracker.db_router.ReplicaRouter"]

# --- Operations (README, "Operations") ---------------------------------------------
# Seconds a 503 page (the database cannot be reached) asks the client to wait.
OUTAGE_RETRY_AFTER = env.int("OUTAGE_RETRY_AFTER", default=30)
# Seconds /readyz waits for the database, the cache and the broker (side by side).
READYZ_TIMEOUT = env.float("READYZ_TIMEOUT", default=2.0)

# --- REST API (README, "API") ----------------------------------------------------
# /api/v1/: personal API tokens (api.authentication) or the session, the same
# policy and services as the pages. Throttled per user (all their tokens together).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Requests per user (all their tokens and their session), e.g. "600/minute".
    "DEFAULT_THROTTLE_RATES": {"token": env("API_THROTTLE_RATE", default="600/minute")},
    "DEFAULT_FILTER_BACKENDS": ["api.filtering.PageFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    # JSON nested deeper than any body of ours is a 400, not a RecursionError (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# Active (not revoked, not expired) API tokens one user may hold at once.
API_MAX_TOKENS_PER_USER = env.int("API_MAX_TOKENS_PER_USER", default=5)
# "Forgot password?": at most this many emails per address, and per account, per hour.
PASSWORD_RESET_EMAILS_PER_HOUR = env.int("PASSWORD_RESET_EMAILS_PER_HOUR", default=3)
SPECTACULAR_SETTINGS = {
    "TITLE": "Monev API",
    "DESCRIPTION": (
        "Read and report the monitoring of commitments, programs and RPJMD targets. "
        "Authenticate with a personal API token (Authorization: Bearer monev_...), "
        "created on the account page; every answer shows only what the token's user "
        "may see on the pages."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "CommitmentStateEnum": "commitments.models.Commitment.State",
        "ProgramStateEnum": "programs.models.Program.State",
        "ReportStateEnum": "programs.models.ProgressReport.State",
        "PeriodStateEnum": "programs.models.ReportingPeriod.State",
        "UnitKindEnum": "tracker.models.Unit.Kind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Report seal (README, "The report's electronic seal") --------------------------
# Every issued PDF is sealed (PAdES, pyHanko) with this PKCS#12 certificate.
# Unset: reports are issued unsealed, and the page, the log and check --deploy say so.
REPORT_SIGNING_P12 = env("REPORT_SIGNING_P12", default="")
REPORT_SIGNING_PASSWORD = env("REPORT_SIGNING_PASSWORD", default="")
# Development: `make run` creates a demo certificate here (manage.py
# make_signing_certificate --if-missing, demo password); it is used when DEBUG
# is on and nothing else is configured.
if DEBUG and not REPORT_SIGNING_P12 and (VAR_DIR / "signing" / "demo-seal.p12").is_file():
    REPORT_SIGNING_P12 = str(VAR_DIR / "signing" / "demo-seal.p12")
    REPORT_SIGNING_PASSWORD = REPORT_SIGNING_PASSWORD or "demo-seal"
# A timestamp authority (RFC 3161) makes the seal PAdES B-T.
REPORT_SIGNING_TSA_URL = env("REPORT_SIGNING_TSA_URL", default="")
# Fetch OCSP/CRL data for the embedded validation information (B-LT) from the
# CA's servers; off by default (the demo CA has none, the network may be closed).
REPORT_SIGNING_FETCH_REVOCATION = env.bool("REPORT_SIGNING_FETCH_REVOCATION", default=False)
