"""The shipped nginx configuration (deploy/nginx/) rendered for loopback in front of the
live server: nginx is started per test (fresh cache), purges go to its PURGE server."""

import os

import pytest
import requests

from deploy.nginx import loopback

# The live server sees committed data; the migrations' data is restored after each test.
DEPLOY = [pytest.mark.deploy, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def proxy(live_server, settings, tmp_path):
    """nginx in front of the live server; publishing purges through it. Returns the proxy."""
    reason = loopback.missing()
    if reason:
        if (
            os.environ.get("PORTAL_REQUIRE_BROWSER")
            or os.environ.get("PORTAL_REQUIRE_NGINX")
            or os.environ.get("CI")
        ):
            pytest.fail(reason)
        pytest.skip(reason)
    for name in ("static", "media", "private"):
        (tmp_path / name).mkdir()
    host = live_server.url.removeprefix("http://")
    nginx = loopback.LoopbackProxy(host, tmp_path / "static", tmp_path / "media", tmp_path / "private")
    settings.PAGE_CACHE_STAMP = tmp_path / "page-cache-generation"
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "portal.caching.NginxPurgeBackend", "LOCATION": nginx.purge_url}
    }
    with nginx:
        yield nginx


@pytest.fixture
def get(proxy):
    """GET through the proxy as a new visitor each time (no cookie jar)."""

    def get(path, **kwargs):
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return requests.get(proxy.base + path, **kwargs)

    get.base = proxy.base
    return get
