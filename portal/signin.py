"""Staff sign-in: one page (/admin/login/), locked out by django-axes.

django-axes sits in Django's `authenticate` (AUTHENTICATION_BACKENDS), so every form that
signs anyone in counts: the admin's login, Wagtail's front-end login (which only sends
here), and any added later. `locked_out` is its AXES_LOCKOUT_CALLABLE: the page a locked
account or client gets, in Chinese, with status 429.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def locked_out(request, original_response=None, credentials=None):
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    # Rendered here: axes returns it from its middleware, after the view, where a lazy
    # TemplateResponse would never be rendered.
    return render(
        request, "portal/signin/locked.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def frontend_login(request):
    """Wagtail's /_util/login/ (pages restricted to signed-in users): the staff sign-in page,
    with the page to return to when it is one on this site."""
    target = reverse("wagtailadmin_login")
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        target += "?" + urlencode({"next": next_url})
    return redirect(target)
