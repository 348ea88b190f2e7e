"""Encryption at rest for personal numbers (applicants' ID and phone numbers, the identity
numbers of listed parties that recipient agencies receive with consent), and keyed hashes.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with keys from the environment
(`FIELD_ENCRYPTION_KEYS`: comma-separated, newest first, so keys can be rotated). The
lookup hash is HMAC-SHA256 under a key derived from the newest key, so equal numbers can
be matched (duplicate applications) without decrypting every row.
"""

import hashlib
import hmac
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


def keyed_hash(text: str) -> str:
    lookup_key = hashlib.sha256(b"lookup:" + _keys()[0].encode()).digest()
    return hmac.new(lookup_key, text.encode(), hashlib.sha256).hexdigest()


def mask_identifier(text: str) -> str:
    """For lists: 2309**********123X — the first four and the last four characters."""
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]
