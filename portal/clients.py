"""Who the client is behind the reverse proxy.

gunicorn only ever sees nginx's address in REMOTE_ADDR; nginx appends the address it saw to
X-Forwarded-For ($proxy_add_x_forwarded_for), after whatever the client itself sent there.
settings.TRUSTED_PROXY_COUNT says how many proxies in front of the application append to
that header (1: the shipped nginx; 0: nothing in front, REMOTE_ADDR is the client), so the
client is the entry that many places from the right; anything a client writes further left
is ignored. django-ipware reads the header (its `proxy_count` counts the proxies *after*
the client inside the header, hence one fewer, and `strict=False` lets a longer, spoofed
chain through to that same entry).

Every per-client limit (django-axes for staff sign-in, django-ratelimit for the public
forms, portal/throttle.py) and every log line naming an address takes it from here.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    address, _routable = get_client_ip(request, proxy_count=count - 1, strict=False)
    return address or remote
