"""Settings for Tête-à-tête, all from the environment with defaults that just work.

Every setting is documented in docs/settings.md.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from platformdirs import user_data_dir

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("TETE_DATA_DIR") or user_data_dir("tete", appauthor=False))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key from TETE_SECRET_KEY, or one generated once and kept in the data dir."""
    if key := os.environ.get("TETE_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written with O_EXCL so two processes starting together agree on one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# A key generated in the data dir is this machine's own: every app server would make its own
# (checks.py warns on PostgreSQL, where several app servers are the point).
TETE_SECRET_KEY_GENERATED = not os.environ.get("TETE_SECRET_KEY")
DEBUG = env_bool("TETE_DEBUG")
ALLOWED_HOSTS = env_list("TETE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("TETE_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("TETE_SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, unable to show one-on-one content (tete/admin_site.py).
    "tete.admin_site.TeteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "tete.accounts",
    "tete.people",
    "tete.oneonones",
    "tete.surveys",
    "tete.reports",
    "tete.mydata",
    "tete.leaders",
    "tete.backups",
    "tete.recordings",
    "tete.demo",
    "tete.api",
    # django-ninja, for the API documentation's static files (Swagger UI, no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which answers static files itself: they keep their long cache.
    "tete.middleware.PrivateCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets access-log entries written by signal receivers say who acted.
    "tete.mydata.middleware.CurrentRequestMiddleware",
    # Before any view reads the body (the CSRF check reads the form): 413 for a body
    # larger than any form takes.
    "tete.uploads.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tete.accounts.middleware.ViewerTimezoneMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tete.urls"
WSGI_APPLICATION = "tete.wsgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "tete.leaders.context_processors.leaders_nav",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": _CONTEXT_PROCESSORS,
            "builtins": ["tete.template_urls", "tete.jinja_tags"],
        },
    },
    {
        # The busiest pages (tete/jinja.py): the same HTML, in a fraction of the time.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "tete.jinja.environment",
            "context_processors": [*_CONTEXT_PROCESSORS, "tete.jinja.csrf_once"],
        },
    },
]

FORM_RENDERER = "tete.form_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'tete.sqlite3'}",
        conn_max_age=int(os.environ.get("TETE_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL, so that a query a connection has run a few times
    # is prepared once in PostgreSQL and then only executed: no parsing and planning on each
    # request. The pages run the same dozen queries on every view, and PostgreSQL's share of
    # a page fell from 3.7–5.2 to 1.1–2.1 ms of processor time (benchmarks/page_cpu.py).
    # TETE_DB_PREPARE_THRESHOLD=off turns preparing off, for a connection pooler that cannot
    # keep prepared statements (PgBouncer before 1.21, or in transaction mode without
    # max_prepared_statements).
    _prepare = os.environ.get("TETE_DB_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=None if _prepare == "off" else int(_prepare),
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked"
    # when two requests upgrade a read transaction to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while its email and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the person's leaders' view role with them.
    "tete.leaders.backends.PersonBackend",
    # Sessions begun before it was added still name this one.
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Guessing passwords (django-axes): after this many failed sign-ins for one email from one
# address, that pair is refused for a while. The pair, not the email alone, so that nobody
# can lock a colleague out from elsewhere; a success clears the count.
AXES_FAILURE_LIMIT = max(3, int(os.environ.get("TETE_SIGN_IN_ATTEMPTS", "5")))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("TETE_SIGN_IN_PAUSE_MINUTES", "15")))
# Trying a few passwords on many accounts ("spraying"): after this many failed sign-ins from
# one address, whatever the emails, signing in from there is refused for as long. Higher, as
# one address may be a whole office (accounts/sign_in_guard.py gives each count its limit).
TETE_SIGN_IN_ADDRESS_ATTEMPTS = max(
    AXES_FAILURE_LIMIT, int(os.environ.get("TETE_SIGN_IN_ADDRESS_ATTEMPTS", "20"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "tete.accounts.sign_in_guard.SignInGuardHandler"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The sign-in form's field (Django's AuthenticationForm calls it "username"; it holds the email).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "tete.accounts.sign_in_guard.attempted_email"
AXES_CLIENT_IP_CALLABLE = "tete.accounts.sign_in_guard.client_address"
AXES_LOCKOUT_CALLABLE = "tete.accounts.sign_in_guard.locked_out"
# Failed attempts only: no record of every sign-in (who signed in when, from where).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# The interface is written in English only. Without the translation machinery every date,
# number and form label a page renders skips a per-thread language lookup (pages −10 to −15 %
# processor time); formats still come from the English locale.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide static files (tete.css, htmx) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the package: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root
MEDIA_ROOT = DATA_DIR / "media"
# One line per erasure carried out (ids only), read by `tete manage restore`: keep it apart
# from the database, where the backups are or safer (docs/deploy.md, "Backups").
TETE_ERASURE_LEDGER = Path(os.environ.get("TETE_ERASURE_LEDGER") or DATA_DIR / "erasures.jsonl")

# Refuse oversized requests before they reach a form (tete/uploads.py): fields of a form,
# and each uploaded file, counted as they stream in; files past the memory size go to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("TETE_MAX_REQUEST_BYTES", 5 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
TETE_MAX_UPLOAD_BYTES = int(os.environ.get("TETE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
FILE_UPLOAD_HANDLERS = [
    "tete.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Transcript uploads per person per hour (tete/throttle.py).
TETE_UPLOADS_PER_HOUR = int(os.environ.get("TETE_UPLOADS_PER_HOUR", "20"))
TETE_MAX_TEXT_CHARS = 50_000

EMAIL_BACKEND = os.environ.get(
    "TETE_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("TETE_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("TETE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TETE_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("TETE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TETE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TETE_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("TETE_FROM_EMAIL", "Tête-à-tête <noreply@localhost>")

TETE_INVITATION_DAYS = int(os.environ.get("TETE_INVITATION_DAYS", "7"))
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Background tasks: queued in the database for `tete worker` (which `tete serve` starts
# beside the web server); "immediate" runs them inside the request (tests, debugging).
TETE_TASKS = os.environ.get("TETE_TASKS", "database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TETE_TASKS == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

# Survey results are shown only for groups at least this large (never below 3).
TETE_MIN_GROUP_SIZE = max(3, int(os.environ.get("TETE_MIN_GROUP_SIZE", "5")))
# Days a transcript's text is kept; its figures stay. 0 keeps it for good.
TETE_TRANSCRIPT_RETENTION_DAYS = int(os.environ.get("TETE_TRANSCRIPT_RETENTION_DAYS", "0"))
# Analysing a transcript (reports/isolation.py): each analysis runs in a child process of
# the worker with this much memory beyond the worker's own and this much time.
TETE_ANALYSIS_MEMORY_MB = int(os.environ.get("TETE_ANALYSIS_MEMORY_MB", "1024"))
TETE_ANALYSIS_TIME_LIMIT_SECONDS = int(os.environ.get("TETE_ANALYSIS_TIME_LIMIT_SECONDS", "120"))
# A running analysis renews its lease every few seconds; one whose lease ran out (its
# worker died) is queued again by any worker, at most TETE_ANALYSIS_ATTEMPTS times in all.
TETE_ANALYSIS_LEASE_SECONDS = int(os.environ.get("TETE_ANALYSIS_LEASE_SECONDS", "40"))
TETE_ANALYSIS_ATTEMPTS = max(1, int(os.environ.get("TETE_ANALYSIS_ATTEMPTS", "3")))
# Seconds after which a transcript still queued and never started is taken for a lost task.
TETE_ANALYSIS_TIMEOUT_SECONDS = int(os.environ.get("TETE_ANALYSIS_TIMEOUT_SECONDS", "900"))
# What a transcript may hold (tete.conversation.limits): cues and hours.
TETE_TRANSCRIPT_MAX_CUES = int(os.environ.get("TETE_TRANSCRIPT_MAX_CUES", "100000"))
TETE_TRANSCRIPT_MAX_HOURS = float(os.environ.get("TETE_TRANSCRIPT_MAX_HOURS", "24"))
# Each person's own data (docs/my-data.md): how long their access log keeps an entry, how
# long a data export can be downloaded, and how long a staff-started erasure waits for a
# second staff person before it is carried out anyway.
TETE_ACCESS_LOG_DAYS = int(os.environ.get("TETE_ACCESS_LOG_DAYS", "365"))
TETE_EXPORT_HOURS = int(os.environ.get("TETE_EXPORT_HOURS", "24"))
TETE_ERASURE_DELAY_DAYS = int(os.environ.get("TETE_ERASURE_DELAY_DAYS", "14"))
# Recordings (tete/recordings, docs/recordings.md): the largest file and the longest
# recording taken, the analysis's time limit, how long voice samples of a one-microphone
# recording are kept, and after how long a browser recording left unfinished is deleted.
TETE_MAX_RECORDING_BYTES = int(os.environ.get("TETE_MAX_RECORDING_BYTES", 500 * 1024 * 1024))
TETE_RECORDING_MAX_HOURS = float(os.environ.get("TETE_RECORDING_MAX_HOURS", "4"))
TETE_RECORDING_TIME_LIMIT_SECONDS = int(os.environ.get("TETE_RECORDING_TIME_LIMIT_SECONDS", "1800"))
TETE_VOICE_SAMPLE_HOURS = float(os.environ.get("TETE_VOICE_SAMPLE_HOURS", "24"))
TETE_UNFINISHED_RECORDING_HOURS = float(os.environ.get("TETE_UNFINISHED_RECORDING_HOURS", "24"))


def _cache_from_url(url: str) -> dict[str, Any]:
    """TETE_CACHE_URL: redis://… (needs the `redis` package), db://table_name, locmem://."""
    scheme, _, rest = url.partition("://")
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "tete_cache",
            # Django's default, 300 entries, would cull rate-limit counts (one entry per use)
            # and pages all the time; every entry expires anyway.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    raise ValueError(f"TETE_CACHE_URL: unknown cache {url!r} (redis://, db://, locmem://)")


# The page cache (oneonones/page_cache.py). Its keys carry content versions, so the default
# memory cache, one per process, stays correct with several workers and app servers.
TETE_CACHE_URL = os.environ.get("TETE_CACHE_URL", "")
CACHES = {"default": _cache_from_url(TETE_CACHE_URL or "locmem://tete")}
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 1000}
# Rate-limit counts (tete/throttle.py): in the shared cache when there is one; else in a memory
# cache of their own, large enough for every slot (about 300 bytes each), which rendered pages
# never push out.
CACHES["limits"] = (
    _cache_from_url(TETE_CACHE_URL)
    if TETE_CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tete-limits",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)
# Abuse limits (tete/limits.py, docs/deploy.md): (how many, per how many seconds), counted in
# the cache above, so across app servers when TETE_CACHE_URL is shared.
TETE_RATE_LIMITS: dict[str, tuple[int, int]] = {
    # Per person: the requests that cost the most work.
    "downloads": (30, 600),
    "searches": (60, 600),
    "report_rebuilds": (10, 3600),
    "data_exports": (3, 3600),
    # Asking for a password reset email: per address asked for, and per client address.
    "password_resets_per_email": (3, 3600),
    "password_resets_per_client": (20, 3600),
    # Per personal access token (the REST API), and per calendar feed address.
    "api_requests": (
        int(os.environ.get("TETE_API_REQUESTS_PER_MINUTE", "120")),
        60,
    ),
    "calendar_feeds": (60, 3600),
}
TETE_PAGE_CACHE = env_bool("TETE_PAGE_CACHE", True)
TETE_PAGE_CACHE_SECONDS = int(os.environ.get("TETE_PAGE_CACHE_SECONDS", "300"))

# Security headers (docs/deploy.md).
# Content-Security-Policy (django-csp): scripts and styles come from our own static files only,
# never inline. The one exception is a page's own <style> carrying the request's nonce (the
# conditional questions of a survey form); the nonce joins the header only on such a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Nothing here uses these; the microphone is for our own pages only (recording a meeting).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "microphone": ["self"],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
    "browsing-topics": [],
}
# Links leaving the app do not carry its addresses (which name one-on-ones and meetings).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with a query compiled once.
SESSION_ENGINE = "tete.accounts.sessions"

# Behind the HTTPS proxy TETE_HTTPS announces: secure cookies, the scheme from
# X-Forwarded-Proto, and the client's address is the last one the proxy added to
# X-Forwarded-For (accounts/sign_in_guard.py).
TETE_BEHIND_PROXY = env_bool("TETE_HTTPS")
if TETE_BEHIND_PROXY:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Opt-in, as both outlive a misconfigured proxy: a redirect loop when the proxy does not send
# X-Forwarded-Proto, and browsers that refuse plain HTTP for as long as HSTS said.
SECURE_SSL_REDIRECT = env_bool("TETE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("TETE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TETE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("TETE_HSTS_PRELOAD")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TETE_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
