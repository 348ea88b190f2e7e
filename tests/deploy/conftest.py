"""The shipped nginx configuration (deploy/nginx/) rendered for loopback in front of the
live server: nginx is started per test (fresh cache), purges go to its PURGE server. The
application's own caches (portal/caching.py) are on as in production: the "pages" cache of
the process and a content-generation stamp of the test's own."""

import os

import pytest
import requests

from deploy.nginx import loopback

# The live server sees committed data; the migrations' data is restored after each test.
DEPLOY = [pytest.mark.deploy, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page_cache(settings, tmp_path):
    """CACHES["pages"] (local memory) and a PAGE_CACHE_STAMP of this test, as in production
    (portal/settings/production.py): public pages and the data cache are kept in the
    process. Returns the (empty) cache."""
    from django.core.cache import caches

    from portal import caching

    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"},
    }
    settings.PAGE_CACHE_STAMP = tmp_path / "page-cache-generation"
    caching.new_generation()  # a generation no earlier test kept anything under
    caches["pages"].clear()
    return caches["pages"]


@pytest.fixture
def proxy(live_server, page_cache, settings, tmp_path):
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
    # As in production, the site's host name is the one visitors use: nginx caches and
    # Wagtail purges pages under it.
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname = loopback.SITE_HOST
    site.save()
    host = live_server.url.removeprefix("http://")
    nginx = loopback.LoopbackProxy(host, tmp_path / "static", tmp_path / "media", tmp_path / "private")
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
