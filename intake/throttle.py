"""Counting failed look-ups per client (status page, certificate verification)."""

from django.core.cache import cache


class FailureThrottle:
    def __init__(self, name, attempts, window):
        self.name, self.attempts, self.window = name, attempts, window

    def _key(self, request):
        return f"{self.name}-failures:{request.META.get('REMOTE_ADDR', '')}"

    def blocked(self, request):
        return cache.get(self._key(request), 0) >= self.attempts

    def failed(self, request):
        key = self._key(request)
        cache.set(key, cache.get(key, 0) + 1, self.window)
