"""A URLconf with views that fail, to see what a visitor gets from a server error or a refusal."""

from django.core.exceptions import PermissionDenied
from django.urls import include, path


def broken_view(request):
    raise RuntimeError("secret-internal-detail: applicant 230902199001011234")


def forbidden_view(request):
    raise PermissionDenied


urlpatterns = [
    path("broken/", broken_view),
    path("forbidden/", forbidden_view),
    path("", include("portal.urls")),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
