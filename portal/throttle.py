"""Counting failures per client (status page, certificate verification, staff login) in
the cache; `scope` narrows the count further (e.g. per username)."""

import hashlib

from django.core.cache import cache


class FailureThrottle:
    def __init__(self, name, attempts, window):
        self.name, self.attempts, self.window = name, attempts, window

    def _key(self, request, scope):
        client = request.META.get("REMOTE_ADDR", "") if request is not None else ""
        # The scope is user input (a username): hashed, so that any text makes a valid key
        # for every cache backend and no username is written into cache file names.
        digest = hashlib.sha256(str(scope).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"{self.name}-failures:{client}:{digest}"

    def blocked(self, request, scope=""):
        return cache.get(self._key(request, scope), 0) >= self.attempts

    def failed(self, request, scope=""):
        key = self._key(request, scope)
        cache.set(key, cache.get(key, 0) + 1, self.window)

    def reset(self, request, scope=""):
        cache.delete(self._key(request, scope))
