"""Settings for Renaksi, driven by environment variables.

Every variable is read through a small typed helper that refuses a value it cannot understand,
so a typo in a deployment fails at start-up instead of silently running with a default.
"""

import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists no value")
    return items


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


DEBUG = env_bool("DJANGO_DEBUG", False)


def secret_key() -> str:
    """DJANGO_SECRET_KEY, or the contents of the file DJANGO_SECRET_KEY_FILE names.

    The file is how `make serve` runs on a new machine with no hand-set variable: the Makefile
    writes a random key into var/secret_key once and names it here. Naming the file is an
    explicit choice; without either variable a production start still stops.
    """
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    path = os.environ.get("DJANGO_SECRET_KEY_FILE", "")
    if key and path:
        raise ImproperlyConfigured("set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE, not both")
    if path:
        try:
            key = Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE cannot be read: {exc}") from None
        if len(key) < 50:
            raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE {path}: the key is too short")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off")
    # Development only: a fixed key is fine because DEBUG never runs in production.
    return "dev-only-insecure-key-renaksi"


SECRET_KEY = secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tables2",
    "django_filters",
    "axes",
    "csp",
    "simple_history",
    # Background rendering of large documents: the Tasks framework (backport of Django 6's
    # django.tasks) and its ORM backend, whose queue is the database the servers already share.
    "django_tasks",
    "django_tasks_db",
    "renaksi",
]

MIDDLEWARE = [
    # First, so every log line of the request, and the access log, carry its id.
    "renaksi.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files answer here, before sessions and users: no database query, no no-store.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "renaksi.middleware.RejectNulInQueryMiddleware",
    "renaksi.uploads.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "renaksi.session_idle.IdleSessionMiddleware",
    "renaksi.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "renaksi.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who made a change in /admin/, for the plan's history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kesbangpol.urls"

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

WSGI_APPLICATION = "kesbangpol.wsgi.application"


# Without IMMEDIATE, two writers that both started reading deadlock on upgrade and one fails
# with "database is locked" regardless of the timeout. Every SQLite database gets these, the
# default file and one named by DATABASE_URL alike.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
    ),
}


def database_settings() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
            # Tests run on a file, not in memory, so WAL, IMMEDIATE transactions and the busy
            # timeout are what they test, as in production; one file per test process.
            "TEST": {
                "NAME": str(Path(tempfile.gettempdir()) / f"renaksi-test-{os.getpid()}.sqlite3")
            },
        }
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            "DATABASE_URL must start with postgres://, postgresql:// or sqlite://"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES = {"default": database_settings()}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out account+address before the password is checked.
# Every authenticate() call must pass the request (Django's login views and the admin do).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address lock that pair for 15 minutes. Per pair,
# not per account: a stranger guessing cannot lock a colleague out of their own office.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "renaksi.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "renaksi.lockout.client_ip"
AXES_USERNAME_CALLABLE = "renaksi.lockout.client_username"
# One line per lockout in the log is enough; axes' per-attempt chatter is not.
AXES_VERBOSE = False
# Axes' own admin pages would list every agency's attempts to anyone given the permission; locks
# are seen and lifted at /akun/terkunci/ instead, scoped to the agency (renaksi/lockout.py).
AXES_ENABLE_ADMIN = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jayapura"  # Maluku is on WIT (UTC+9).
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))


# collectstatic writes hashed, compressed copies; whitenoise serves them with a one-year cache
# (the name changes whenever the content does). Under DEBUG the {% static %} tag keeps the plain
# names, so `make run` needs no collectstatic.
#
# "default" holds the evidence files and the signed documents, "exports" the cached renderings
# (renaksi/exports/pdf.py). Both go through Django's storage API only, so several app servers
# share them once RENAKSI_MEDIA_STORAGE / RENAKSI_EXPORT_STORAGE name a shared backend, e.g.
# '{"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "renaksi"}}'
# (django-storages, installed by the operator) or a FileSystemStorage on an NFS mount.
def env_backend(name: str, default: dict) -> dict:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        value = json.loads(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be JSON, not {raw!r}") from None
    if not isinstance(value, dict) or not isinstance(value.get("BACKEND"), str):
        raise ImproperlyConfigured(f'{name} must be a JSON object with a "BACKEND"')
    if not isinstance(value.get("OPTIONS", {}), dict):
        raise ImproperlyConfigured(f'{name}: "OPTIONS" must be a JSON object')
    return value


STORAGES = {
    "default": env_backend(
        "RENAKSI_MEDIA_STORAGE", {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "exports": env_backend("RENAKSI_EXPORT_STORAGE", {"BACKEND": "renaksi.storage.ExportStorage"}),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Pages name only the hashed files ({% static %}); keeping the plain copies too would double
# what collectstatic compresses (brotli on the fonts is most of its time). The PDFs read the
# fonts from static/ in the source tree, not from here.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Rendered PDFs are kept here, keyed by a digest of their HTML (see renaksi/exports/pdf.py).
# The public verification page answers at most this many requests per client address and hour
# (through Django's cache framework: set CACHES to a shared cache such as Redis or the
# database when several server processes run, or each counts on its own).
VERIFIKASI_PER_JAM = env_int("RENAKSI_VERIFIKASI_PER_JAM", 60)
if VERIFIKASI_PER_JAM < 1:
    raise ImproperlyConfigured("RENAKSI_VERIFIKASI_PER_JAM must be at least 1")
# Django's cache framework (the verification page's request counts). With several app servers
# name a shared one, e.g. '{"BACKEND": "django.core.cache.backends.db.DatabaseCache",
# "LOCATION": "renaksi_cache"}' (then `manage.py createcachetable`) or Redis.
CACHES = {
    "default": env_backend(
        "RENAKSI_CACHE", {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Where the default "exports" storage keeps rendered PDFs (see STORAGES).
EXPORT_CACHE_DIR = Path(os.environ.get("RENAKSI_EXPORT_CACHE_DIR", BASE_DIR / "var" / "exports"))

# Background rendering (renaksi/tasks.py, renaksi/services/render.py). The queue is a table of
# the database (django-tasks-db): every app server enqueues, every `manage.py db_worker` renders.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A PDF of at most this many rows renders in the request when it is not cached (the 2023 plan,
# 27 rows, takes about 0.5 s; 60 rows about 1.5 s); a larger one is rendered by a worker while
# the page shows its progress, so no request waits on WeasyPrint for more than about 2 s.
PDF_INLINE_ROWS = env_int("RENAKSI_PDF_INLINE_ROWS", 60)
# A table of more rows than this is rendered in chunks of about this many rows (cut between
# kegiatan), each in its own process, in parallel, then merged: memory per process stays bounded
# and every core helps. PDF_PROCESSES: how many rendering processes a worker starts (default:
# one per core).
PDF_CHUNK_ROWS = env_int("RENAKSI_PDF_CHUNK_ROWS", 150)
PDF_PROCESSES = env_int("RENAKSI_PDF_PROCESSES", os.cpu_count() or 1)
for _name, _value in (
    ("PDF_INLINE_ROWS", PDF_INLINE_ROWS),
    ("PDF_CHUNK_ROWS", PDF_CHUNK_ROWS),
    ("PDF_PROCESSES", PDF_PROCESSES),
):
    if _value < 1:
        raise ImproperlyConfigured(f"RENAKSI_{_name} must be at least 1")

# Where pg_dump and pg_restore are (manage.py backup / restore on PostgreSQL); empty: on PATH, else
# Debian's /usr/lib/postgresql/15/bin. They must be of the server's major version or newer.
PG_BINDIR = os.environ.get("RENAKSI_PG_BINDIR", "")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Behind a reverse proxy that terminates TLS, Django must be told the original scheme and which
# origins may POST, or every form (the login included) fails the CSRF origin check.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"DJANGO_CSRF_TRUSTED_ORIGINS: {origin!r} needs a scheme")
BEHIND_HTTPS_PROXY = env_bool("DJANGO_BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The proxy should redirect too; this catches a proxy that forgets. /healthz stays
    # reachable over plain HTTP for a monitor on the same host.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)

SILENCED_SYSTEM_CHECKS = [
    # HSTS for every subdomain and the browsers' preload list are decisions for the whole
    # domain (other agencies' sites under the province's domain may still be on plain HTTP),
    # not for this application.
    "security.W005",
    "security.W021",
]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Secure cookies only where the browser talks HTTPS: behind the TLS proxy, or when said so.
# `make serve` on http://127.0.0.1 would otherwise never get its CSRF cookie back (403 on login).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", BEHIND_HTTPS_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# A session ends after a working day (9 h) without a request: renaksi/session_idle.py moves the
# end forward as requests come, at most one session write per five minutes.
SESSION_COOKIE_AGE = 9 * 60 * 60

# Only the application's own files: scripts, style sheets and fonts are under /static/.
# One exception: the confirm buttons (submit a quarter, delete an evidence file) carry the inline
# handler onclick="return confirm(this.dataset.konfirmasi)"; 'unsafe-hashes' with its hash lets
# exactly that text run and no other inline code. Moving it into static/js would let the hash go.
# Likewise the <style> block of templates/renaksi/formulir_pratinjau.html (the spreadsheet
# preview table), by its hash until it moves to static/css; tests/test_security_headers.py fails
# when either text changes. frame-ancestors repeats X-Frame-Options for newer browsers.
PREVIEW_STYLE_HASH = "'sha256-P9uXVx26hP+yvjrw34bx9WGQWD4Re+1ua8VyYhFPNgM='"
CONFIRM_HANDLER_HASH = "'sha256-BwpkijAiYkSNZ6/HnTb5Pk1rMUj9+0PsKR+PZm2TsEo='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'unsafe-hashes'", CONFIRM_HANDLER_HASH],
        "style-src": [SELF, PREVIEW_STYLE_HASH],
        "font-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The quarterly entry page posts about nine fields per row and an admin sees every row: a
# 2,000-row plan needs far more than Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 40_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads are limited while they stream in (renaksi/uploads.py): a file past the largest we
# accept, and files past the request's count or byte cap, are dropped before they are stored.
FILE_UPLOAD_HANDLERS = [
    "renaksi.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A body declared larger than this is answered 413 unread: 50 MB of files and the page's fields.
RENAKSI_MAX_REQUEST_BYTES = 60 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# One line per event on stderr, each with the id of the request it belongs to (the same id is in
# gunicorn's access log line and the X-Request-ID response header). A traceback stays on its line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "renaksi.requestid.RequestIdFilter"}},
    "formatters": {
        "line": {
            "()": "renaksi.requestid.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s rid=%(request_id)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The app's own INFO lines (e.g. evidence deleted: who, which row, which file) are kept.
    "loggers": {"renaksi": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# The plan's history: a change reason such as "Diimpor dari <file> oleh <user>, N baris" may be
# longer than simple-history's default 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
