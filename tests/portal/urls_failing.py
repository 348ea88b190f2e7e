"""A URLconf with a view that fails, to see what a visitor gets from a server error."""

from django.urls import include, path


def broken_view(request):
    raise RuntimeError("secret-internal-detail: applicant 230902199001011234")


urlpatterns = [path("broken/", broken_view), path("", include("portal.urls"))]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
