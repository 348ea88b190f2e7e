from portal.crypto import legacy_hash_key

from .base import *  # noqa: F403

DEBUG = False
PORTAL_DEMO_ALLOWED = True
SECRET_KEY = "test-only-insecure-key-5f0d2a7e9b"
ALLOWED_HOSTS = ["*"]
# Fast hashing and an in-process cache keep the suite quick (bakerydemo settings/test.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # One test process: local memory is shared by every request and increments atomically.
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
LOGGING["root"]["level"] = "WARNING"
# A fixed test key (never used elsewhere) and private files in a throwaway folder.
FIELD_ENCRYPTION_KEYS = ["b3Zc2m0F8h0bYtq2o0l8c3J0Wm5nS2xQbU5xZ0p3X1E="]
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
PENDING_UPLOAD_DIR = PRIVATE_MEDIA_ROOT / "pending-imports"
FIELD_HASH_KEY = legacy_hash_key(FIELD_ENCRYPTION_KEYS[0])
