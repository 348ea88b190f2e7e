from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found as django_page_not_found


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


@never_cache
def health(request):
    """For the reverse proxy and monitoring: the application answers and its database too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "数据库不可用"}, status=503)
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
