"""Per-client and per-account limits on django-ratelimit: counters in a shared cache with
atomic increments (settings.RATELIMIT_USE_CACHE: Redis in production, where every gunicorn
worker counts in the same place), the client address from portal.clients (the visitor
behind nginx, not nginx). Windows are fixed (django-ratelimit's), staggered per key.

`FailureThrottle` counts failures only (wrong status look-ups, wrong verification codes,
wrong second-factor codes): `blocked()` once `attempts` failures are in the window.
`SubmissionLimit` counts every accepted submission and the bytes it stored. Staff sign-in
is django-axes's (settings.AXES_*), which sits in Django's `authenticate` itself.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django_ratelimit.core import get_usage

from portal.clients import client_ip


def _scope_key(scope):
    # The scope is user input (an account id, a name): hashed, so that any text makes a valid key.
    digest = hashlib.sha256(str(scope).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return lambda group, request: digest


class FailureThrottle:
    def __init__(self, name, attempts, window):
        self.group, self.attempts, self.rate = name, attempts, f"{attempts}/{window}s"

    def _usage(self, request, scope, increment):
        key = _scope_key(scope) if scope else "ip"
        usage = get_usage(request, group=self.group, key=key, rate=self.rate, increment=increment)
        # None: the counter store is unreachable (logged by django-redis): fail open.
        return (usage or {}).get("count") or 0

    def blocked(self, request, scope=""):
        return self._usage(request, scope, increment=False) >= self.attempts

    def failed(self, request, scope=""):
        self._usage(request, scope, increment=True)


class SubmissionLimit:
    """What one client may submit in `window` seconds: at most `count` accepted submissions
    (django-ratelimit's counter), or at most `max_bytes` stored (uploads included; an atomic
    INCRBY in the same cache). Either may be None."""

    def __init__(self, name, count=None, window=3600, max_bytes=None):
        self.group, self.count, self.window, self.max_bytes = name, count, window, max_bytes
        self.rate = f"{count}/{window}s" if count else None

    def _bytes_key(self, request):
        return f"{self.group}:{client_ip(request)}"

    def refused(self, request, incoming_bytes=0):
        """Why this client may not submit now ("count" or "bytes"), or None."""
        if self.rate:
            usage = get_usage(request, group=self.group, key="ip", rate=self.rate, increment=False)
            if ((usage or {}).get("count") or 0) >= self.count:
                return "count"
        if self.max_bytes is not None:
            stored = self._cache().get(self._bytes_key(request)) or 0
            if stored + incoming_bytes > self.max_bytes:
                return "bytes"
        return None

    def accepted(self, request, stored_bytes=0):
        if self.rate:
            get_usage(request, group=self.group, key="ip", rate=self.rate, increment=True)
        if self.max_bytes is not None and stored_bytes:
            cache, key = self._cache(), self._bytes_key(request)
            if not cache.add(key, stored_bytes, self.window):
                try:
                    cache.incr(key, stored_bytes)  # atomic: Redis INCRBY, or under a lock in memory
                except ValueError:  # expired between add and incr: this is the window's first
                    cache.add(key, stored_bytes, self.window)

    @staticmethod
    def _cache():
        return caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
