from portal.crypto import legacy_hash_key

from .base import *  # noqa: F403

DEBUG = True
# load_demo may create the demo accounts (known passwords) only in a local SQLite
# database, or where a developer asks for it on another database with PORTAL_DEMO=1.
PORTAL_DEMO_ALLOWED = DATABASES["default"]["ENGINE"].endswith("sqlite3") or env_bool("PORTAL_DEMO")
# Development only: a fixed key so sessions survive restarts. Never used in production.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-0b6d1b1f6a2c4e58a9c3"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

# A development key, made once by `make run` (Makefile: var/dev-field-encryption.key), not in git.
_dev_key_file = BASE_DIR / "var" / "dev-field-encryption.key"
if not FIELD_ENCRYPTION_KEYS and _dev_key_file.exists():
    FIELD_ENCRYPTION_KEYS = [_dev_key_file.read_text().strip()]
# The hash key a development database has always used (derived from its first key).
if not FIELD_HASH_KEY and FIELD_ENCRYPTION_KEYS:
    FIELD_HASH_KEY = legacy_hash_key(FIELD_ENCRYPTION_KEYS[-1])

# Staff second factor (portal/otp.py) stays on in development too; PORTAL_STAFF_OTP=0
# turns it off for a local session. Only this file reads the variable, never production.
STAFF_OTP_REQUIRED = env_bool("PORTAL_STAFF_OTP", True)

# runserver is one process: per-client limits count in its memory (production: Redis).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
