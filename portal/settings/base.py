"""Settings shared by every environment.

Everything that differs between machines comes from environment variables:
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, ELASTICSEARCH_URL, EMAIL_*, SITE_BASE_URL.
"""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Overridden by dev/test; production.py refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The project's own apps (DESIGN.md "The parts").
    "portal",
    "publicity",
    "honorroll",
    "intake",
    "search",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Staff sign-in lock-out in Django's `authenticate` itself: every login form counts.
    "axes",
    # Per-client limits on the public forms (portal/throttle.py); its checks refuse a cache
    # that cannot count atomically across processes.
    "django_ratelimit",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    # Second factor (TOTP) for the staff who see applicants' data (portal/otp.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF: a cached public page skips them (portal/caching.py).
    "portal.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.otp.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After django-csp: the admin's own policy (portal/admin_csp.py) on admin responses.
    "portal.admin_csp.AdminContentSecurityPolicy",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Staff sessions: 30 minutes idle, 12 hours at most (portal/sessions.py).
    "portal.sessions.StaffSessionMiddleware",
    # Last: turns a locked-out sign-in into the lock-out page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

# django-axes first: a locked-out account or client is refused before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Content-Security-Policy (django-csp) on the public site: scripts only from this origin,
# never inline, so an injected <script> does not run. The Wagtail admin has its own policy
# (portal/admin_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Database: SQLite file in the project unless DATABASE_URL says otherwise
# (postgres://user:password@host:port/name in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent submissions on the embedded database: WAL lets readers run beside the one
    # writer, IMMEDIATE takes the write lock at BEGIN (no lock-upgrade deadlocks), and a
    # writer waits up to 20 s instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The public site and the Wagtail admin speak Chinese; the court is in Heilongjiang.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: console in development; SMTP in production when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "七台河市中级人民法院 <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs only; applicants' data travels in POST bodies, never logged.
        "django.request": {"level": "WARNING"},
        # Background tasks (search index, reference index) log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO ("Fetching and parsing CSS").
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The engine client warns on every failed request; search.engine logs an outage once.
        "elastic_transport": {"level": "ERROR"},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "七台河市中级人民法院 自动履行激励平台"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# Search. ELASTICSEARCH_URL / _INDEX_PREFIX are read by the public case search (search/).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "qthcourt_")
# The admin's searches (pages, choosers, snippets, images, documents) always use the
# database: Wagtail's database backend with jieba segmentation (search/wagtail_backend.py).
# After switching to it, `manage.py update_index` must run once to re-index existing text.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}

# The public case search (search/): the embedded database backend, or Elasticsearch 8 /
# an OpenSearch-compatible server when ELASTICSEARCH_URL is set (search/engine.py).
# ANALYZER: cjk (built in everywhere), smartcn or ik_max_word on clusters with those plugins.
# PLAIN_JSON: send plain application/json (OpenSearch 2/3 refuse Elasticsearch's
# compatibility media type; Elasticsearch 8 accepts both). TIMEOUT: seconds a search may
# take before the page answers from the embedded backend.
SEARCH_ENGINE = {
    "URL": ELASTICSEARCH_URL,
    "INDEX_PREFIX": ELASTICSEARCH_INDEX_PREFIX,
    "ANALYZER": os.environ.get("ELASTICSEARCH_ANALYZER", "cjk"),
    "PLAIN_JSON": env_bool("ELASTICSEARCH_PLAIN_JSON", True),
    "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2")),
    "BULK_TIMEOUT": float(os.environ.get("ELASTICSEARCH_BULK_TIMEOUT", "60")),
    # Shards and replicas of a new index (search_reindex); bulk requests in flight at once.
    "SHARDS": int(os.environ.get("ELASTICSEARCH_SHARDS", "1")),
    "REPLICAS": int(os.environ.get("ELASTICSEARCH_REPLICAS", "0")),
    "BULK_THREADS": int(os.environ.get("ELASTICSEARCH_BULK_THREADS", "4")),
}

# Public page caching (portal/caching.py, deploy/nginx/): nginx keeps anonymous GETs of
# public pages PAGE_CACHE_SECONDS (URLs without a query string, purged on every publish
# through FRONTEND_CACHE_PURGE_URL, e.g. http://127.0.0.1:8081; unset = no purging) or
# PAGE_CACHE_QUERY_SECONDS (filters, page 2, search: these cannot be purged by name).
# Production also keeps them in each process (CACHES["pages"]); PAGE_CACHE_STAMP is the
# file whose change after a publish makes every process forget them.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_QUERY_SECONDS = int(os.environ.get("PAGE_CACHE_QUERY_SECONDS", "1"))
PAGE_CACHE_STAMP = Path(os.environ.get("PAGE_CACHE_STAMP", BASE_DIR / "var" / "page-cache-generation"))
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
WAGTAILFRONTENDCACHE = {}
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "portal.caching.NginxPurgeBackend", "LOCATION": FRONTEND_CACHE_PURGE_URL}
    }

WAGTAILADMIN_USER_LOGIN_FORM = "portal.forms.StaffLoginForm"
# One sign-in page for staff: Wagtail's front-end login (/_util/login/, for pages restricted
# to logged-in users) sends there too (portal/urls.py).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL = "/admin/login/"
# Staff avatars come from the account, never from gravatar.com: the intranet calls out to nobody.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# The client behind the reverse proxy (portal/clients.py): how many proxies in front of the
# application append to X-Forwarded-For. 0 = none (REMOTE_ADDR is the client); production
# behind the shipped nginx: 1. Never more than really are there: each one more lets a
# client choose the address it is counted under.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Staff sign-in (django-axes, in `authenticate`: /admin/login/ and any other form that signs
# in): 5 failures for an account, or from one client address, within 15 minutes lock it for
# 15 minutes, whatever the password; failures, lock-outs and sign-ins are logged (with the
# address, never the password) and kept in the database (axes' access logs).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.signin.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_ENABLE_ADMIN = False
# The log names the account and the address tried (what a security review reads); the
# password, never.
AXES_SENSITIVE_PARAMETERS = ["password"]

# Per-client limits on the public forms (django-ratelimit, portal/throttle.py): counters in
# the "ratelimit" cache, which must increment atomically and be shared by every process
# (Redis in production: REDIS_URL); the client address from portal/clients.py.
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "portal.clients.client_ip"

# Staff sessions (portal/sessions.py): signed out after 30 minutes without a request and 12
# hours after signing in, whatever the activity (ASVS 3.3.2); the second factor is asked
# again with the password.
STAFF_SESSION_IDLE_SECONDS = 30 * 60
STAFF_SESSION_MAX_SECONDS = 12 * 3600
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_SECONDS

# Second factor (portal/otp.py): superusers and these groups, who see applicants' data,
# confirm each admin session with a TOTP code from a phone app after the password.
# Required in every environment; only settings/dev.py may turn it off (PORTAL_STAFF_OTP=0).
STAFF_OTP_REQUIRED = True
STAFF_OTP_GROUPS = ["立案审查", "名单管理"]
# Days after an account's creation (or `manage.py reset_staff_otp`) in which its phone can be
# bound at sign-in; later only after a reset by an administrator.
STAFF_OTP_ENROLLMENT_DAYS = int(os.environ.get("STAFF_OTP_ENROLLMENT_DAYS", "7"))
OTP_TOTP_ISSUER = "七台河市中级人民法院"
# The Django admin's device pages show no keys or QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Intake: applicants' ID and phone numbers are encrypted at rest (portal/crypto.py).
# Comma-separated Fernet keys, newest first; production.py refuses to start without them.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
# The key of the lookup hashes (access codes, ID and phone numbers): separate from the
# encryption keys and never rotated (portal/crypto.py; `manage.py field_hash_key`).
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "")

# Evidence files live outside MEDIA_ROOT and are served only to authorised staff.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
# Spreadsheets waiting between an import's preview and its confirmation (real names): private.
PENDING_UPLOAD_DIR = PRIVATE_MEDIA_ROOT / "pending-imports"
# How applicants are told their tracking number and code: a dotted path to a notifier.
# The subset font PDF documents use first (built by `manage.py build_document_font`).
DOCUMENT_FONT = Path(os.environ.get("DOCUMENT_FONT", BASE_DIR / "var" / "fonts" / "court-serif-sc.otf"))

INTAKE_NOTIFIER = os.environ.get("INTAKE_NOTIFIER", "intake.notifiers.EmailNotifier")
