"""Caching of the public pages: what may be kept, for how long, and forgetting it on publish.

Two layers keep the same answers, the anonymous GETs of public pages:

- nginx in front (deploy/nginx/qthcourt.conf) stores only what the application marks with
  ``X-Accel-Expires`` (nginx hides that header from browsers). URLs without a query string
  are kept PAGE_CACHE_SECONDS and purged the moment content changes (Wagtail's frontend
  cache invalidation, ``NginxPurgeBackend`` below); a URL with a query string (filters,
  page 2, search) cannot be purged by name and is kept only PAGE_CACHE_QUERY_SECONDS.
- In the application, ``PageCacheMiddleware`` keeps the same answers in the "pages" cache
  of each process when CACHES has one (production: local memory), so that even with the
  proxy bypassed a cached page costs about what a constant response does.

An answer is kept only when it is the same for every visitor: a GET without a session,
CSRF or message cookie and without an Authorization header, outside the admin, forms, API,
documents and verification prefixes, answered 200 without Set-Cookie (a page that renders a
CSRF token sets the cookie, so it is never kept) and without a Cache-Control the view chose
itself (never_cache, the API's private answers). Elder mode and similar preferences are
applied in the browser, so the HTML holds nothing of the visitor.

Forgetting: every publish, unpublish or correction changes the *content generation*, a
token in the file PAGE_CACHE_STAMP that every process reads per cached request (a few
microseconds); in-process entries are keyed by it. After the transaction commits, the
generation changes first, then the affected URLs are purged from nginx. A response whose
rendering began under an older generation is neither kept nor marked for the proxy, so a
page rendered from data read before the commit cannot be stored after the purge.
(Several application servers need the stamp on a shared file system.)

The same generation keys a per-process *data* cache (``remembered``) for what every
public page reads before its own content: the site, the route from a URL to its page (with
the page's view restrictions and reference data), the site settings, the filter tables.
A page that is not in the page cache (a new query string, the first visit after a publish)
is then rendered from its own queries only. Everything those data come from forgets them
when it changes: publish, unpublish, move and delete of pages, view restrictions, sites,
the site settings and the reference tables (courts, causes, performance methods).
"""

import contextvars
import hashlib
import logging
import os
import uuid
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.cache import patch_cache_control
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
# Never kept, in nginx (the same list in deploy/nginx/qthcourt.conf) or here.
PRIVATE_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/apply/",
    "/status/",
    "/api/",
    "/documents/",
    "/verify/",
    "/healthz",
)
# Cookies that make an answer personal: a session (staff, a password-protected page), a
# CSRF token (a form was opened), a pending message. The same list in the nginx map.
PRIVATE_COOKIES = ("sessionid", "csrftoken", "messages")
# Bigger answers (the list exports) are left to nginx and to their own cache.
MAX_KEPT_BYTES = 512 * 1024


def content_generation():
    """The current content generation (bytes); changes after every publish."""
    try:
        with open(settings.PAGE_CACHE_STAMP, "rb") as stamp:
            return stamp.read(64)
    except FileNotFoundError:
        return b"0"


def new_generation():
    """Every cached page is stale from now on (all processes: they read the stamp file)."""
    path = Path(settings.PAGE_CACHE_STAMP)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    partial.write_bytes(uuid.uuid4().hex.encode())
    os.replace(partial, path)  # atomic: readers see the old token or the new one


# The generation read when the current anonymous public GET began (None outside one).
_request_generation = contextvars.ContextVar("page_cache_generation", default=None)
_MISSING = object()


def remembered(key, compute):
    """``compute()``, kept in this process until the content generation changes.

    Only while an anonymous public GET is answered with the "pages" cache configured (the
    same data for every visitor, read under the generation that request began with);
    anywhere else (staff, forms, commands, tests without the cache) computed each time.
    The value is stored pickled: every caller gets its own copy."""
    generation = _request_generation.get()
    cache = _cache() if generation is not None else None
    if cache is None:
        return compute()
    full_key = "data:" + hashlib.md5(generation + key.encode(), usedforsecurity=False).hexdigest()
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, settings.PAGE_CACHE_SECONDS)
    return value


def _cookie_names():
    return {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, *PRIVATE_COOKIES}


def is_anonymous_public_get(request):
    """A request whose answer may come from, and go into, a shared cache."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(PRIVATE_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not (request.COOKIES and _cookie_names().intersection(request.COOKIES))


def is_shareable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and getattr(response, "is_rendered", True)
    )


def _cache():
    if CACHE_ALIAS in settings.CACHES:
        return caches[CACHE_ALIAS]
    return None


class PageCacheMiddleware:
    """Marks the answers nginx may keep and keeps them in this process too.

    Placed right after WhiteNoise, so that a hit skips sessions, CSRF, authentication and
    the other middleware; the stored answer already carries the headers they added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_public_get(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and not response.has_header("Cache-Control"):
                # A staff member's view of a public page (the Wagtail user bar) stays in their browser.
                patch_cache_control(response, private=True)
            return response

        generation = content_generation()
        cache = _cache() if request.method == "GET" else None
        key = None
        if cache is not None:
            url = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
            key = hashlib.md5(generation + url.encode(), usedforsecurity=False).hexdigest()
            kept = cache.get(key)
            if kept is not None:
                return kept

        token = _request_generation.set(generation)
        try:
            prime_site(request)
            response = self.get_response(request)
        finally:
            _request_generation.reset(token)
        if not is_shareable(response) or content_generation() != generation:
            return response
        seconds = settings.PAGE_CACHE_QUERY_SECONDS if request.META.get("QUERY_STRING") else None
        seconds = settings.PAGE_CACHE_SECONDS if seconds is None else seconds
        if seconds <= 0:
            return response
        patch_cache_control(response, public=True, max_age=0)
        response["X-Accel-Expires"] = str(seconds)
        if key is not None and len(response.content) <= MAX_KEPT_BYTES:
            # Here every entry is dropped by the next generation, so it may live as long
            # as a purged URL does in nginx, query string or not.
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response


# ---------------------------------------------------------------------------
# The data every public page reads first, from the generation's data cache
# ---------------------------------------------------------------------------


def prime_site(request):
    """The request's Wagtail site and site settings from the data cache: Wagtail and the
    settings context processor look for them on the request before querying."""
    from django.core.exceptions import DisallowedHost
    from wagtail.models import Site

    from portal.models import CourtSiteSettings

    if _cache() is None:
        return
    try:
        host, port = request.get_host(), request.get_port()
    except DisallowedHost:
        return  # answered 400 further in
    site = remembered(f"site:{host}:{port}", lambda: Site.find_for_request(request))
    request._wagtail_site = site  # what Site.find_for_request(request) looks for first
    if site is not None:
        court = remembered(f"settings:{site.pk}", lambda: CourtSiteSettings.for_site(site))
        court._request = request  # as BaseSiteSetting.for_request leaves it
        setattr(request, CourtSiteSettings.get_cache_attr_name(), court)


def public_pages(queryset):
    """``queryset.public()``: the pages outside every private section (Wagtail's view
    restrictions), the sections read from the data cache."""
    from django.db.models import Q
    from wagtail.models import PageViewRestriction

    paths = remembered(
        "private-sections",
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )
    private = Q()
    for path in paths:
        private |= Q(path__startswith=path)
    return queryset.exclude(private) if private else queryset


def _serve_restrictions(restrictions):
    def get_view_restrictions():
        return restrictions

    return get_view_restrictions


def prime_route(request, path):
    """Wagtail's route for ``path`` (the serve view's argument) from the data cache: the
    page found for the path (its reference data loaded, see ``cached_relations``), how
    many path components led to it and its view restrictions. The rest of the path is
    routed by the page itself (a routable page's sub-URLs). Wagtail's serve view takes the
    route from ``request._wagtail_route_for_request`` (Page.route_for_request)."""
    from django.http import Http404
    from wagtail.models import Site

    if _request_generation.get() is None or _cache() is None:
        return
    site = Site.find_for_request(request)
    if site is None:
        return
    components = [component for component in path.split("/") if component]

    def find():
        root = site.root_page.localized.specific
        page = root.route(request, components).page  # Http404: nothing is kept
        for name in getattr(page, "cached_relations", ()):
            getattr(page, name)
        restrictions = list(page.get_view_restrictions())
        return page, page.depth - root.depth, restrictions

    try:
        # Only paths that lead to a page are kept: made-up paths cannot fill the cache.
        page, consumed, restrictions = remembered(f"route:{site.pk}:{'/'.join(components)}", find)
    except Http404:
        return  # Wagtail routes it again and answers 404
    # check_view_restrictions (Wagtail's on_serve_page hook) asks the page for them.
    page.get_view_restrictions = _serve_restrictions(restrictions)
    try:
        request._wagtail_route_for_request = page.route(request, components[consumed:])
    except Http404:
        request._wagtail_route_for_request = None


class NginxPurgeBackend(HTTPBackend):
    """Wagtail's HTTP purge backend for nginx's cache-purge module (deploy/nginx/): a
    timeout, non-ASCII paths percent-encoded, and "not in the cache" (404) is no error."""

    TIMEOUT = 5

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        target = urlunsplit(
            (self.cache_scheme, self.cache_netloc, quote(parts.path, safe="/%"), parts.query, "")
        )
        request = PurgeRequest(url=target, headers={"Host": host, "User-Agent": "Wagtail-frontendcache"})
        try:
            with urlopen(request, timeout=self.TIMEOUT):  # LOCATION comes from settings
                pass
        except HTTPError as error:
            if error.code != 404:
                logger.error("Couldn't purge '%s' from the nginx cache: HTTP %d", url, error.code)
        except (URLError, OSError) as error:
            logger.error("Couldn't purge '%s' from the nginx cache: %s", url, error)


# ---------------------------------------------------------------------------
# What to forget when content changes
# ---------------------------------------------------------------------------


def site_root_url():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def page_urls(page):
    """The public URLs of `page` (its routes: see get_cached_paths)."""
    page_url = page.get_full_url()
    if page_url is None:
        return []
    return [page_url + path.lstrip("/") for path in page.specific_deferred.get_cached_paths()]


def urls_showing(page):
    """The URLs whose content shows `page`: its own, the index pages above it (home, the
    case or news list and their feeds), the pages that list it beside themselves (a
    typical case's related cases) and the search page."""
    page = page.specific
    urls = set(page_urls(page))
    for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
        urls.update(page_urls(ancestor))
    dependents = getattr(page, "cached_dependents", None)
    if dependents is not None:
        for other in dependents():
            urls.update(page_urls(other))
    urls.add(site_root_url() + "/search/")
    return urls


def forget_after_commit(urls=(), paths=()):
    """Once the current transaction commits (at once outside one): a new content
    generation for the application's cache, then the URLs and site paths purged from nginx."""
    urls = set(urls)

    def forget():
        new_generation()
        if paths:
            root = site_root_url()
            urls.update(root + path for path in paths)
        if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
            from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

            purge_urls_from_cache(sorted(urls))

    transaction.on_commit(forget, robust=True)


def page_changed(sender, instance, **kwargs):
    """page_published / page_unpublished (any page type)."""
    forget_after_commit(urls_showing(instance))


def urls_of(pages):
    """The public URLs of every page in the queryset `pages`."""
    urls = set()
    for page in pages.specific().iterator(chunk_size=500):
        urls.update(page_urls(page))
    return urls


def urls_of_subtree(page):
    """`urls_showing(page)` and the URLs of every live page under it."""
    from wagtail.models import Page

    return urls_showing(page) | urls_of(Page.objects.descendant_of(page).live())


def every_live_page_url():
    from wagtail.models import Page

    return urls_of(Page.objects.live().filter(depth__gt=1))


def site_settings_changed(sender, instance, **kwargs):
    """The court's name, address and hotline are on every page: purge every live page."""
    forget_after_commit(every_live_page_url(), paths=("/honor-roll/", "/search/"))


def site_changed(sender, instance, **kwargs):
    """A site's host name or root page: every route and every page may change."""
    forget_after_commit(every_live_page_url())


def page_moved(sender, instance, url_path_before="", **kwargs):
    """The page is at a new URL; the old one (and its subtree) must stop answering."""
    from wagtail.models import Site

    urls = urls_of_subtree(instance)
    for root in Site.get_site_root_paths():
        if url_path_before.startswith(root.root_path):
            urls.add(root.root_url + "/" + url_path_before.removeprefix(root.root_path))
    forget_after_commit(urls)


def restriction_changed(sender, instance, **kwargs):
    """A page made private (or public again): it and every page under it."""
    from wagtail.models import Page

    try:
        page = instance.page
    except Page.DoesNotExist:  # deleted together with its page
        forget_after_commit()
        return
    forget_after_commit(urls_of_subtree(page))


def connect_signals():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from portal.models import CourtSiteSettings

    page_published.connect(page_changed, dispatch_uid="portal.caching.published")
    page_unpublished.connect(page_changed, dispatch_uid="portal.caching.unpublished")
    post_page_move.connect(page_moved, dispatch_uid="portal.caching.moved")
    post_save.connect(site_settings_changed, sender=CourtSiteSettings, dispatch_uid="portal.caching.settings")
    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        signal.connect(site_changed, sender=Site, dispatch_uid=f"portal.caching.site.{name}")
        signal.connect(
            restriction_changed, sender=PageViewRestriction, dispatch_uid=f"portal.caching.restriction.{name}"
        )
