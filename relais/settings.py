"""Relais settings: one file, driven by environment variables with safe defaults.

Without any variable set, Relais runs on an SQLite file under ``var/`` with DEBUG off;
``make demo`` turns DEBUG on. Production sets ``SECRET_KEY``, ``DATABASE_URL`` and
``ALLOWED_HOSTS`` (see docs/deployment.md).
"""

import datetime
import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RELAIS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY doit être défini quand DEBUG est désactivé (production)."
        )
    # The demo keeps one generated key so that sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "relais.accounts",
    "relais.audit",
    "relais.crypto",
    "relais.people",
    "relais.cases",
    "relais.partners",
    "relais.budget",
    "relais.groups",
    "relais.stats",
    "relais.reports",
    "relais.documents",
    "relais.security",
    "relais.api",
    "relais.drafts",
    "relais.www",
    "relais.demo",
    "relais.scale",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "relais.security.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "relais.security.middleware.SessionKeepAliveMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "relais.security.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "relais.policy.cache.PolicyCacheMiddleware",
    "relais.drafts.middleware.ClearDraftsOnSuccessMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Benchmark instrumentation (make bench): a query-count header and a one-query floor
# endpoint. Off unless RELAIS_BENCH is set; never set it in production.
RELAIS_BENCH = env_bool("RELAIS_BENCH", False)
if RELAIS_BENCH:
    MIDDLEWARE.insert(0, "relais.scale.middleware.QueryCountMiddleware")

ROOT_URLCONF = "relais.urls"
WSGI_APPLICATION = "relais.wsgi.application"

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
                "relais.www.context_processors.membership",
            ],
            # A faster ``date`` filter for the numeric formats (relais/www/templatetags).
            "builtins": ["relais.www.templatetags.dates"],
        },
    },
    # Fragments that a page repeats many times (relais/www/jinja2.py says why).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "relais.www.jinja2.environment"},
    },
]

# Database: DATABASE_URL, or the embedded SQLite file.
SQLITE_PATH = VAR_DIR / "relais.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if "DATABASE_URL" not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Connections are kept (CONN_MAX_AGE) on SQLite too: opening the file and running
    # the PRAGMAs below costs about 4 ms, paid on every request otherwise.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the
        # busy timeout instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-64000;"
            "PRAGMA mmap_size=268435456;"
        ),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters bound by the server, and a statement run twice on a connection is
    # prepared: PostgreSQL then parses and plans it once per connection. The pages' reads
    # have a fixed SQL text (relais.scale.prepared): the case page costs PostgreSQL 4 ms of
    # processor instead of 11. Behind a pooler in transaction mode that does not carry
    # prepared statements (PgBouncer before 1.21), set DATABASE_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
# Tests create their own database; each checkout gets its own name so that two
# test runs on one PostgreSQL server never collide.
_checkout = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
DATABASES["default"].setdefault("TEST", {})["NAME"] = (
    os.environ.get("RELAIS_TEST_DB_NAME") or f"test_relais_{_checkout}"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # In memory for speed; the browser tests' live server shares it.
    DATABASES["default"]["TEST"]["NAME"] = None

# Read replica (optional): statistics read from it, everything else from the primary.
# Without DATABASE_REPLICA_URL the router has nothing to route to and changes nothing.
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Tests see the primary through the replica alias (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["relais.scale.routers.ReplicaRouter"]
# A report's statistics queries run on this many connections at once (relais.stats.parallel):
# about the processor cores the database can give one report. 1: one after the other.
STATISTICS_PARALLEL_QUERIES = int(os.environ.get("STATISTICS_PARALLEL_QUERIES", "2"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "relais.accounts.validators.CharacterClassesValidator"},
    {"NAME": "relais.security.validators.FrenchCommonPasswordValidator"},
]

# django-axes watches login attempts first; the model backend then checks the password
# (Django's, with its read of the session's user prepared: relais.security.backends).
AUTHENTICATION_BACKENDS = [
    "relais.security.backends.LockoutBackend",
    "relais.security.backends.AccountBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Django's database sessions, with their read prepared (relais.security.sessions).
SESSION_ENGINE = "relais.security.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
# Inactivity expiry: each request pushes it back, writing the session at most once a
# minute (relais.security.middleware.SessionKeepAliveMiddleware).
SESSION_TOUCH_INTERVAL = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS (docs/security.md). Behind a reverse proxy that terminates TLS, set
# TRUSTED_PROXY_SSL_HEADER=1 so that Django knows the request came over HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]  # load balancers probe over plain HTTP
if env_bool("TRUSTED_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy: only this site's own scripts, styles and images; no inline
# script or style (templates carry none: tests/security/test_csp.py checks them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Second factor (django-otp): the issuer shown in the authenticator app.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Relais")

# Login throttling (django-axes): after 5 failures for one account from one address, that
# pair waits 15 minutes (CNIL: slow down guessing without letting a stranger lock a
# colleague out from elsewhere).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "relais.security.backends.normalised_login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
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
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploaded documents (scans): larger files are refused with a French message.
RELAIS_DOCUMENT_MAX_BYTES = int(os.environ.get("RELAIS_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# A whole request body (uploads included) above this is refused with a 413 before it is read.
RELAIS_MAX_REQUEST_SIZE = int(os.environ.get("RELAIS_MAX_REQUEST_SIZE", str(20 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Encryption at rest: master keys live outside the database (see relais/crypto).
RELAIS_MASTER_KEYS = os.environ.get("RELAIS_MASTER_KEYS", "")
RELAIS_MASTER_KEY_FILE = Path(os.environ.get("RELAIS_MASTER_KEY_FILE", VAR_DIR / "master.keys"))
# How long a process keeps using an organisation's data key before checking for a newer
# one: after `relais crypto rotate-data-key`, every process follows within this delay.
RELAIS_DATA_KEY_CACHE_SECONDS = int(os.environ.get("RELAIS_DATA_KEY_CACHE_SECONDS", "60"))

# API: requests per minute and per token (429 beyond, see relais/api/auth.py).
RELAIS_API_RATE_LIMIT = int(os.environ.get("RELAIS_API_RATE_LIMIT", "300"))

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# Server logs carry no personal data: no request bodies, no SQL parameters, no exception
# messages (they can quote a value); errors are not mailed. See relais/security/logging.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "relais.security.logging.NoPersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # At DEBUG this logger prints every query with its parameters (names, notes…).
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
