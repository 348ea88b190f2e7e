from functools import wraps

from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found as django_page_not_found
from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtail_document_views

from portal import caching
from portal.throttle import FailureThrottle

# Wrong passwords for protected pages and documents, per client: 10 in 15 minutes.
PASSWORD_THROTTLE = FailureThrottle("view-restriction-password", attempts=10, window=15 * 60)


def page_not_found(request, exception=None):
    """A Chinese 404 page in the site's layout (the site settings are in its context)."""
    return django_page_not_found(request, exception, template_name="404.html")


def server_error(request):
    """A Chinese 500 page rendered without a request context.

    Nothing from the failed request (and no traceback) reaches the page, and rendering it
    cannot fail on the database that may have caused the error.
    """
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())


def serve(request, path):
    """Wagtail's page view; for an anonymous visitor the route comes from the data cache
    (portal/caching.py)."""
    caching.prime_route(request, path)
    return wagtail_views.serve(request, path)


@never_cache
def health(request):
    """For the reverse proxy and monitoring: the application answers and its database too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "数据库不可用"}, status=503)
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _local_return_url(view):
    """Wagtail's password forms (private pages and documents) pass the hidden `return_url`
    to `redirect()`, which takes a value without "/" or "." for a URL name: a tampered
    value such as "abc" then fails with NoReverseMatch (a 500), and an off-site one goes to
    LOGIN_REDIRECT_URL, a page this site does not have. Anything but a path on this site
    becomes the home page; a missing value still gets the form's own error. Wrong
    passwords are counted per client (PASSWORD_THROTTLE): guessing is refused after 10."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and PASSWORD_THROTTLE.blocked(request):
            return HttpResponse(
                "密码错误次数过多，请 15 分钟后再试。", status=429, content_type="text/plain; charset=utf-8"
            )
        if request.method == "POST" and request.POST.get("return_url"):
            url = request.POST["return_url"]
            if not (
                url.startswith("/")
                and url_has_allowed_host_and_scheme(url, request.get_host(), request.is_secure())
            ):
                request.POST = request.POST.copy()
                request.POST["return_url"] = "/"
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code == 200:
            # The form again: a wrong (or missing) password.
            PASSWORD_THROTTLE.failed(request)
        return response

    return wrapped


page_password = _local_return_url(wagtail_views.authenticate_with_password)
document_password = _local_return_url(wagtail_document_views.authenticate_with_password)
