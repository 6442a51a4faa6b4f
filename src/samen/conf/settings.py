"""Django settings for Samen. Everything configurable comes from the environment (see env.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from samen.conf import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent
PRODUCTION = env.is_production()

DATA_DIR = Path(env.get_str("SAMEN_DATA_DIR") or "var")
if not DATA_DIR.is_absolute():
    DATA_DIR = (Path.cwd() / DATA_DIR).resolve()

# --- core -----------------------------------------------------------------------------------
_DEV_SECRET_KEY = "samen-development-only-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env.get_str("SECRET_KEY") or _DEV_SECRET_KEY
DEBUG = False
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")
REQUIRE_SECOND_FACTOR = env.get_bool("SAMEN_REQUIRE_2FA")

if PRODUCTION:
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters in production.")
    if not REQUIRE_SECOND_FACTOR:
        raise ImproperlyConfigured(
            "SAMEN_REQUIRE_2FA=false is only allowed in the local demo; production mode refuses to start with it."
        )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "samen.core",
    "samen.weten",
    "samen.vinden",
    "samen.ondersteunen",
    "samen.kwaliteit",
    "samen.samenwerken",
    "samen.informeren",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samen.core.middleware.PermissionsPolicyMiddleware",
    "samen.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "samen.core.middleware.SessionMiddleware",
    "samen.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samen.core.middleware.PolicyMemoMiddleware",
    "samen.core.middleware.InputGuardMiddleware",
    "samen.core.middleware.SecondFactorMiddleware",
    "samen.core.middleware.ForcedPasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samen.urls"
FORM_RENDERER = "samen.core.widgets.FormRenderer"  # plain inputs in Python, the rest Django's templates
WSGI_APPLICATION = "samen.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "informeren:index"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samen.core.context_processors.navigation",
                "samen.core.context_processors.public_site",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
_database_url = env.get_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'samen.sqlite3'}"
try:
    _db = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a valid database URL ({exc}). "
        "Expected e.g. postgres://postgres@127.0.0.1:5432/samen or sqlite:////path/to/samen.sqlite3."
    ) from None
if not _db.get("ENGINE") or _db["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://) or SQLite (sqlite:///).")
if _db["ENGINE"].endswith("postgresql") and not _db.get("NAME"):
    raise ImproperlyConfigured("DATABASE_URL has no database name (postgres://user@host:5432/NAME).")
if _db["ENGINE"].endswith("sqlite3"):
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db.pop("CONN_HEALTH_CHECKS", None)
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                      "transaction_mode": "IMMEDIATE"}
DATABASES = {"default": _db}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication and security ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600  # seconds: the "wachtwoord vergeten" link works for an hour, once

AXES_FAILURE_LIMIT = env.get_int("SAMEN_LOGIN_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("SAMEN_LOCKOUT_MINUTES"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# The client's address as the rate limits see it too (REST_FRAMEWORK["NUM_PROXIES"]; samen.core.client).
AXES_CLIENT_IP_CALLABLE = "samen.core.client.client_address"

SESSION_COOKIE_AGE = env.get_int("SAMEN_SESSION_IDLE_MINUTES") * 60
# The age counts from the last request (an idle timeout): samen.core.middleware.SessionMiddleware saves an
# unchanged session again when its last save is this many seconds ago (not on every request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
OTP_TOTP_ISSUER = "Samen"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

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

# --- internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- caches (ADR 22) ---------------------------------------------------------------------------
# Several app servers may share one database, so nothing shared lives in a local file:
# default: in the database (the table is made by a migration), shared by every worker and every server (the
#          monitor's tables, the wijken's order, the approach PDF). Rate limits are not a cache: they are
#          atomic counters in their own table (samen.core.ratelimit).
# routes: vinden's postcode -> buurt -> wijk -> zorgnetwerk lookups, per process and short-lived; a version
#          token in the database (core.CacheVersion) makes a change visible to every process at once.
CACHES = {
    "default": {"BACKEND": "samen.core.ratelimit.DatabaseCache", "LOCATION": "samen_cache",
                "TIMEOUT": 600, "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3}},
    "routes": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "samen-vinden-routes",
               "TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": 20000}},
    # Rendered charts (SVG), keyed by their specification: shared by the processes of one machine, so that a
    # chart drawn once (40-90 ms in vl-convert) is not drawn again by the next worker. A derived artefact: a
    # lost entry is simply drawn again; nothing personal beyond what the page shows is in it, and it goes with
    # the data directory.
    "charts": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
               "LOCATION": str(DATA_DIR / "cache" / "charts"), "TIMEOUT": 7 * 24 * 3600,
               "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4}},
}

# --- static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
_NODE = REPO_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/utrecht", _NODE / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "samen.core.storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz",
                                       "br", "swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v",
                                       "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map")

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "samen.core.api.auth.SamenTokenAuthentication",
        "samen.core.api.auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["samen.core.api.permissions.PolicyPermission"],
    # JSON that nests too deep or holds a NUL is a 400, not a 500 (samen.core.api.parsers).
    "DEFAULT_PARSER_CLASSES": ["samen.core.api.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "samen.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "samen.core.api.schema.SamenAutoSchema",
    "EXCEPTION_HANDLER": "samen.core.api.problems.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Atomic counters in the database (samen.core.ratelimit). Anonymous callers by address, users by account,
    # an organisation's machine channel by its API key's prefix (samen.vinden.throttling).
    "DEFAULT_THROTTLE_CLASSES": ["samen.vinden.throttling.AnonRateThrottle",
                                 "samen.vinden.throttling.UserRateThrottle",
                                 "samen.vinden.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "1200/minute", "apikey": "600/minute"},
    # Throttle on the client's address as samen.core.client reads it: the connection's own address, or behind
    # SAMEN_TRUSTED_PROXIES proxies the one they added to X-Forwarded-For (any other header is ignored, or a
    # client would escape the limit by sending one).
    "NUM_PROXIES": env.get_int("SAMEN_TRUSTED_PROXIES", minimum=0),
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.get_int("SAMEN_API_TOKEN_HOURS")),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samen API",
    "DESCRIPTION": "API of Samen, the platform for the local approach to loneliness. "
    "Errors are application/problem+json (RFC 9457).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents its problem+json error answers (samen.core.api.schema).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "samen.core.api.schema.document_errors"],
}

# --- e-mail -----------------------------------------------------------------------------------
_email_url = env.get_str("EMAIL_URL") or ""
if _email_url:
    from urllib.parse import unquote, urlparse

    _mail = urlparse(_email_url)
    if _mail.scheme == "file" and _mail.path:
        EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        EMAIL_FILE_PATH = unquote(_mail.path)
    elif _mail.scheme not in {"smtp", "smtps"} or not _mail.hostname:
        raise ImproperlyConfigured("EMAIL_URL must look like smtp://user:password@host:587 or file:///folder.")
    else:
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = _mail.hostname
        EMAIL_PORT = _mail.port or 587
        EMAIL_HOST_USER = unquote(_mail.username or "")
        EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
        EMAIL_USE_TLS = _mail.scheme == "smtp"
        EMAIL_USE_SSL = _mail.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL")
# The start of every link in an e-mail (samen.core.outbox.public_url); never CSRF_TRUSTED_ORIGINS.
SAMEN_PUBLIC_URL = (env.get_str("SAMEN_PUBLIC_URL") or "").rstrip("/")

# --- logging: the application log never holds personal data ----------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get_str("SAMEN_LOG_LEVEL")},
    "loggers": {"axes": {"level": "WARNING"}, "django.request": {"level": "ERROR"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

SILENCED_SYSTEM_CHECKS: list[str] = []
