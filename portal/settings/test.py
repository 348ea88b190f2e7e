from .base import *  # noqa: F403

DEBUG = False
PORTAL_DEMO_ALLOWED = True
SECRET_KEY = "test-only-insecure-key-5f0d2a7e9b"
ALLOWED_HOSTS = ["*"]
# Fast hashing and an in-process cache keep the suite quick (bakerydemo settings/test.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
LOGGING["root"]["level"] = "WARNING"
# A fixed test key (never used elsewhere) and private files in a throwaway folder.
FIELD_ENCRYPTION_KEYS = ["b3Zc2m0F8h0bYtq2o0l8c3J0Wm5nS2xQbU5xZ0p3X1E="]
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
