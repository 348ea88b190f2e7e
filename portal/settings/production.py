from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY environment variable is required in production "
        "(生产环境必须设置 SECRET_KEY 环境变量，例如 50 位以上的随机字符串)."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS environment variable is required in production "
        "(生产环境必须设置 ALLOWED_HOSTS，例如 ALLOWED_HOSTS=www.qthzy.gov.cn)."
    )

if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS environment variable is required in production "
        "(生产环境必须设置 FIELD_ENCRYPTION_KEYS：用于加密身份证号和手机号的 Fernet 密钥)."
    )

# Behind a TLS-terminating reverse proxy (nginx) that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# The reverse proxy and monitoring probe /healthz over plain HTTP on the inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Links in admin emails point at the public host, not at localhost.
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_BASE_URL") or f"https://{ALLOWED_HOSTS[0]}"
# Without SMTP, mail would go to the console, i.e. into the logs: a password-reset link
# there is an account takeover. Staff reset passwords only where mail really leaves.
WAGTAIL_PASSWORD_RESET_ENABLED = bool(os.environ.get("EMAIL_HOST"))

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

CACHE_DIR = Path(os.environ.get("CACHE_DIR", "/var/tmp/qthcourt-cache"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": CACHE_DIR},
    # Public pages kept in each process (portal/caching.py); a publish changes the stamp
    # file in CACHE_DIR, which every process reads, and they forget them.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
PAGE_CACHE_STAMP = Path(os.environ.get("PAGE_CACHE_STAMP", CACHE_DIR / "page-cache-generation"))
