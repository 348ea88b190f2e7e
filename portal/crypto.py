"""Encryption at rest for personal numbers (applicants' ID and phone numbers, the identity
numbers of listed parties that recipient agencies receive with consent), and keyed hashes.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with keys from the environment
(`FIELD_ENCRYPTION_KEYS`: comma-separated, newest first, so keys can be rotated:
`manage.py rotate_field_keys` re-encrypts every stored value under the newest one).

The lookup hashes (access codes, ID and phone numbers, submission keys) are HMAC-SHA256
under `FIELD_HASH_KEY`, a separate key that is never rotated: a hash cannot be recomputed
without the value (an access code is stored only as its hash), so a hash key that changed
with the encryption keys would lock every applicant out. `manage.py field_hash_key` prints
a new one, or (`--legacy`) the key that deployments before the split derived from their
newest encryption key, so their stored hashes keep matching.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _keys():
    keys = [key.strip() for key in settings.FIELD_ENCRYPTION_KEYS if key.strip()]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: set it from the environment.")
    return keys


@cache
def _fernet():
    return MultiFernet([Fernet(key.encode()) for key in _keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("Encrypted field cannot be read with the configured keys.") from None


def legacy_hash_key(encryption_key: str) -> str:
    """The hash key a deployment derived from its (then newest) encryption key before
    FIELD_HASH_KEY existed, in FIELD_HASH_KEY's form."""
    digest = hashlib.sha256(b"lookup:" + encryption_key.strip().encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def new_hash_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@cache
def _hash_key():
    value = (getattr(settings, "FIELD_HASH_KEY", "") or "").strip()
    if not value:
        raise ImproperlyConfigured("FIELD_HASH_KEY is empty: set it from the environment.")
    try:
        key = base64.urlsafe_b64decode(value.encode())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            "FIELD_HASH_KEY must be 32 bytes in URL-safe base64 (manage.py field_hash_key)."
        )
    return key


def keyed_hash(text: str) -> str:
    return hmac.new(_hash_key(), text.encode(), hashlib.sha256).hexdigest()


def rotate(token: str) -> str:
    """`token` encrypted under the newest key (MultiFernet.rotate); "" stays ""."""
    if not token:
        return token
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("Encrypted field cannot be read with the configured keys.") from None


def reset_caches():
    """Forget the keys read from settings (after the settings change: tests, key rotation)."""
    for function in (_keys, _fernet, _hash_key):
        function.cache_clear()


def mask_identifier(text: str) -> str:
    """For lists: 2309**********123X — the first four and the last four characters."""
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]
