"""Settings, read from the environment (docs/operations.md "Settings (environment)").

Defaults give the embedded runtime: SQLite and a file-system Celery broker under var/, so that
`make run` works on a fresh machine. Without the environment saying otherwise the settings behave
as production does (DEBUG off, so SECRET_KEY is required): a deployment that forgets DEBUG=0
never shows a debug page. `make setup` writes `local.env` (git-ignored: DEBUG=1, a generated
key) for a developer's checkout; the real environment always wins over it. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS; nothing here exists only in production.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def load_local_env(path: Path) -> None:
    """KEY=VALUE lines of a developer's local.env, under whatever the environment already says."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())


load_local_env(Path(os.environ.get("LOCAL_ENV_FILE", BASE_DIR / "local.env")))
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [v.strip() for v in value.split(",") if v.strip()] if value else default


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
# Personal data (national ID numbers) is encrypted at rest with keys derived from SECRET_KEY
# and these salts (django-fernet-encrypted-fields); put a new salt first to rotate.
SALT_KEY = envlist("FIELD_ENCRYPTION_SALTS", [])
if not SALT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_SALTS must be set when DEBUG is off.")
    SALT_KEY = ["dev-only-field-salt"]
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "positions",
    "students",
    "ledger",
    "schedule",
    "dashboards",
    "summary",
    "reports",
    "outcomes",
    "safety",
    "universities",
    "api",
    "filestore",
    "demo",
    "helpcentre",
    "fanjiaxiang",  # the task outbox (fanjiaxiang/outbox.py)
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer a load balancer before any redirect, host check,
    # session or sign-in could turn its probe into something else (fanjiaxiang/health.py).
    "fanjiaxiang.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in and the idle lock (accounts/twofactor.py): right after the user is known.
    "django_otp.middleware.OTPMiddleware",
    "accounts.twofactor.IdleLockMiddleware",
    "accounts.twofactor.TwoFactorMiddleware",
    # After the second factor: a temporary password is changed before any other page opens.
    "accounts.password_reset.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside MessageMiddleware: tells the user when queued work waits for the broker.
    "fanjiaxiang.outbox.OutboxMessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.audit.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After auth (its page shows the user's nav) and the header middleware (its 400 carries them).
    "fanjiaxiang.security.RefuseNulMiddleware",
    # Gives a POST-only address opened by GET a page instead of an empty 405.
    "fanjiaxiang.security.MethodNotAllowedPageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login protection (django-axes): five wrong passwords lock that username *from that address*
# for 30 minutes, so someone guessing cannot lock a whole county office out (they share an
# address but not a username) nor one user out from everywhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PortalBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # lockouts are in the axes tables and the audit log, not on stdout
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "fanjiaxiang.security.client_ip"
# How many reverse proxies (nginx, a load balancer) stand in front of gunicorn: the client's
# address is then that many hops from the right of X-Forwarded-For. 0 trusts no header.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Registration forms one client address may send per hour (accounts/throttle.py, counted in the
# database): students sharing an address get through, probing ID numbers in bulk does not.
# Raise it where a whole campus registers from behind one address.
REGISTRATION_ATTEMPTS_PER_HOUR = envint("REGISTRATION_ATTEMPTS_PER_HOUR", 30)
# University type-ahead look-ups one client address may make per minute (the registration form
# asks once a keystroke pause): enough for a dormitory behind one address, not for scraping.
UNIVERSITY_SEARCHES_PER_MINUTE = envint("UNIVERSITY_SEARCHES_PER_MINUTE", 120)
# Certificate checks (/verify/, typed or scanned) one client address may make per minute: an
# office checking a pile of certificates gets through, walking the code space does not.
CERTIFICATE_CHECKS_PER_MINUTE = envint("CERTIFICATE_CHECKS_PER_MINUTE", 30)

# The open API (/api/v1/, api/): tokens only (no session, so no CSRF), JSON only, errors in
# Chinese naming the field; calls throttled per token and, without one, per address, on the
# cache. Unknown secrets are counted per address in the database (accounts/throttle.py).
API_TOKEN_CALLS_PER_MINUTE = envint("API_TOKEN_CALLS_PER_MINUTE", 120)
API_PUBLIC_CALLS_PER_MINUTE = envint("API_PUBLIC_CALLS_PER_MINUTE", 120)
API_UNKNOWN_TOKENS_PER_MINUTE = envint("API_UNKNOWN_TOKENS_PER_MINUTE", 10)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.auth.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "api_token": f"{API_TOKEN_CALLS_PER_MINUTE}/min",
        "api_public": f"{API_PUBLIC_CALLS_PER_MINUTE}/min",
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "返家乡社会实践平台开放接口",
    "DESCRIPTION": "高校第二课堂系统、县级团委与团省委按令牌读取本单位数据（docs/features.md“开放接口”）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Content Security Policy (django-csp): scripts and styles only from the portal itself, which
# is also what a government intranet without Internet access needs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

ROOT_URLCONF = "fanjiaxiang.urls"
WSGI_APPLICATION = "fanjiaxiang.wsgi.application"

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
                "accounts.context_processors.notices",
                "accounts.context_processors.capabilities",
                "accounts.context_processors.navigation",
                "helpcentre.context_processors.help_link",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("CONN_MAX_AGE", 60),
        # A persistent connection is pinged before each request uses it, so a restarted or
        # failed-over PostgreSQL costs the next visitor a reconnect, not a 500.
        conn_health_checks=True,
        # Behind PgBouncer in transaction pooling a cursor cannot outlive its transaction:
        # exports then read their rows client-side (docs/operations.md "Behind PgBouncer").
        disable_server_side_cursors=envbool("DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded runtime has a Celery worker writing beside the web process: take the write
    # lock at BEGIN and wait for it, instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's rules with Chinese messages of our own (accounts/passwords.py): Django's catalogue
# leaves some of its newer texts in English.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.validators.MixedCharactersValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]
# Forgotten passwords (accounts/password_reset.py): the e-mailed link works for an hour and
# once (Django's token is made from the password hash, which the reset changes). Requests are
# counted per client address and mails per account, so the form neither floods an inbox nor
# serves to probe for accounts at speed.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3600)
PASSWORD_RESET_REQUESTS_PER_HOUR = envint("PASSWORD_RESET_REQUESTS_PER_HOUR", 5)
PASSWORD_RESET_MAILS_PER_HOUR = envint("PASSWORD_RESET_MAILS_PER_HOUR", 5)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A session ends 8 hours after sign-in (a working day), or when the user signs out, which
# deletes it on the server too; cookies are HttpOnly, SameSite=Lax, and Secure in production.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# 等保2.0 三级 (docs/security.md "Two-factor sign-in, idle lock, separated admin duties"): staff
# and the three admin roles sign in with a password and a TOTP code (an authenticator app);
# students may turn it on for themselves. `make run`'s demo turns it off and says so.
STAFF_TWO_FACTOR = envbool("STAFF_TWO_FACTOR", True)
# Staff sessions also end after this many idle minutes (登录连接超时自动退出); 0 turns it off.
STAFF_IDLE_MINUTES = envint("STAFF_IDLE_MINUTES", 30)
# Wrong codes one account may try per TWO_FACTOR_WINDOW_MINUTES (on top of django-otp's own
# doubling delay after each failure).
TWO_FACTOR_ATTEMPTS = envint("TWO_FACTOR_ATTEMPTS", 10)
TWO_FACTOR_WINDOW_MINUTES = envint("TWO_FACTOR_WINDOW_MINUTES", 15)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "返家乡")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from the npm registry at setup and are served by the portal itself:
# it must work on a government intranet, so nothing is loaded from a CDN at run time.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
STORAGES = {
    # Uploads live in the database, so any number of web and worker hosts share them.
    "default": {"BACKEND": "filestore.storage.DatabaseStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"  # only where uploads were kept before filestore (copied in)
MEDIA_URL = "media/"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@fanjiaxiang.local")
# The mail server, under Django's own names. A server that accepts and never answers holds a
# sender no longer than EMAIL_TIMEOUT seconds per attempt.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)  # TLS from the first byte, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: STARTTLS (port 587) is "
        "EMAIL_USE_TLS, TLS from the first byte (port 465) is EMAIL_USE_SSL."
    )
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
# The portal's address as people outside it reach it: links in e-mails (a ledger notice's).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The cache: each process's own memory unless CACHE_URL names a Redis (redis://host:6379/1: a
# database of its own, never the broker's, since clearing the cache empties its database). A
# Redis cache fails open (fanjiaxiang/cache.py): unreachable, pages are served uncached.
# Sessions and sign-in throttling live in the database and never depend on it.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "fanjiaxiang.cache.FailOpenRedisCache", "LOCATION": CACHE_URL}}

# Celery: Redis when REDIS_URL is set (production, CI), otherwise an embedded broker on the
# file system under var/, which needs no server and still lets a separate worker process run.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # How long a task taken by a worker that died stays invisible before Redis redelivers it.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 3600),
        # A Redis that is down fails a publish at once, one that does not answer within 2 s
        # (measured: refused 0.01 s, silent 2 s), so a request never hangs on it: kombu would
        # otherwise retry the connection for about 6 s. The task waits in the outbox
        # (fanjiaxiang/outbox.py); the worker reconnects by its own rules
        # (broker_connection_retry). socket_timeout stays above the worker's 1 s BRPOP poll.
        "max_retries": 0,
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
    }
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
else:
    CELERY_RESULT_BACKEND = f"file://{CELERY_QUEUE_DIR / 'results'}"
    CELERY_BROKER_URL = "filesystem://"
    # kombu's file-system transport, but a message appears in the folder only once written whole
    CELERY_BROKER_TRANSPORT = "fanjiaxiang.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True  # tasks whose progress is shown opt in
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message to be redelivered
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Tasks recorded while the broker was down (fanjiaxiang/outbox.py).
    "resend-waiting-tasks": {
        "task": "fanjiaxiang.tasks.resend_waiting_tasks",
        "schedule": crontab(minute="*"),
    },
    # Mails due for another try (accounts/mail.py); new ones are queued as they are written.
    "send-mails": {
        "task": "accounts.tasks.send_mails",
        "schedule": crontab(minute="*"),
    },
    # Just after midnight in Asia/Shanghai, so a deadline's day has fully passed.
    "enforce-calendar": {
        "task": "schedule.tasks.enforce_calendar",
        "schedule": crontab(hour=0, minute=20),
    },
    "close-finished-posts": {
        "task": "positions.tasks.close_finished_posts",
        "schedule": crontab(hour=0, minute=30),
    },
    "prune-login-records": {
        "task": "accounts.tasks.prune_login_records",
        "schedule": crontab(hour=3, minute=15),
    },
    # Audit events past AUDIT_RETENTION_DAYS, behind a signed checkpoint; then every chain is
    # walked and its status shown on the audit log page.
    "prune-audit-events": {
        "task": "accounts.tasks.prune_audit_events",
        "schedule": crontab(hour=3, minute=20),
    },
    "verify-audit-chains": {
        "task": "accounts.tasks.verify_audit_chains",
        "schedule": crontab(hour=4, minute=15),
    },
    "retention-sweep": {
        "task": "students.tasks.retention_sweep",
        "schedule": crontab(hour=3, minute=30),
    },
    "prune-ledger-imports": {
        "task": "ledger.tasks.prune_imports",
        "schedule": crontab(hour=3, minute=45),
    },
    # Dashboards read counts recounted here rather than scanning millions of rows per view.
    "refresh-dashboards": {
        "task": "dashboards.tasks.refresh_all_stats",
        "schedule": crontab(minute="*/10"),
    },
    "expire-offers": {
        "task": "students.tasks.expire_offers",
        "schedule": crontab(minute="*/15"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs each failed sign-in (username and address masked, its default); its
    # tables and the audit log keep what staff need.
    "loggers": {"axes": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Form fields (not files) over this are refused before a view reads them; files are spooled to
# disk above FILE_UPLOAD_MAX_MEMORY_SIZE, and every upload field checks its own type and size
# (fanjiaxiang/uploads.py). The request body as a whole is capped by nginx client_max_body_size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o640
LOGIN_RECORD_DAYS = envint("LOGIN_RECORD_DAYS", 180)  # successful sign-ins kept (axes AccessLog)
# Audit events are kept this long, then pruned nightly behind a signed checkpoint
# (accounts/auditchain.py). 等保2.0 三级 and the Cybersecurity Law ask for at least six months.
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        f"AUDIT_RETENTION_DAYS={AUDIT_RETENTION_DAYS}: 审计日志至少保存 180 天（等保2.0 三级）。"
    )
# Keys the audit chain's head signatures, checkpoints and personal-field digests. Empty: derived
# from SECRET_KEY. Set it to keep verifying old events across a SECRET_KEY rotation.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "")
# Students who neither sign in nor take part for this long are anonymised (students/privacy.py).
PERSONAL_DATA_RETENTION_YEARS = envint("PERSONAL_DATA_RETENTION_YEARS", 3)
MATCHING_INLINE_LIMIT = envint("MATCHING_INLINE_LIMIT", 3000)  # larger rounds run on a worker
