import os

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

if not FIELD_HASH_KEY:
    raise ImproperlyConfigured(
        "FIELD_HASH_KEY environment variable is required in production "
        "(生产环境必须设置 FIELD_HASH_KEY：查询码、证件号码检索用的散列密钥，与加密密钥分开且永不轮换；"
        "新部署用 manage.py field_hash_key 生成，已有部署用 manage.py field_hash_key --legacy 取得原值)."
    )

# Per-client limits count in Redis (portal/throttle.py): shared by every gunicorn worker,
# incremented atomically. A file or database cache cannot do that (django-ratelimit's own
# checks refuse them), so production does not start without it.
REDIS_URL = os.environ.get("REDIS_URL", "")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL environment variable is required in production "
        "(生产环境必须设置 REDIS_URL，例如 redis://127.0.0.1:6379/0：按客户端限流的计数器)."
    )
# Behind the shipped nginx (deploy/nginx/): one proxy appends the client's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))

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

# Applicants are told their tracking number and access code by mail: a console or file
# backend (the fallback without EMAIL_HOST) would write those codes into the logs and count
# the notice as sent. Production needs SMTP (EMAIL_HOST) or a named real backend.
_LOGGING_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
if EMAIL_BACKEND in _LOGGING_MAIL_BACKENDS:
    raise ImproperlyConfigured(
        "A real mail transport is required in production: set EMAIL_HOST (SMTP) or EMAIL_BACKEND "
        "(生产环境必须配置真实的邮件发送方式：设置 EMAIL_HOST 等 SMTP 参数；"
        "不得使用把邮件写入日志的 console/file 后端，否则查询码会进入日志)."
    )

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
CACHES["ratelimit"] = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": REDIS_URL,
    # Redis down: the counters read as empty (the forms stay open, logged) rather than
    # every visitor getting an error page; staff sign-in lock-outs live in the database.
    "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
PAGE_CACHE_STAMP = Path(os.environ.get("PAGE_CACHE_STAMP", CACHE_DIR / "page-cache-generation"))
