from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import otp, signin, views

# No Django admin site: staff work in Wagtail's admin, the one sign-in page (a second login
# for superusers was a second door to guard); lock-outs are reset with `manage.py axes_reset`,
# lost phones with `manage.py reset_staff_otp`.
urlpatterns = [
    # The staff second factor (portal/otp.py), before the admin's catch-all.
    path("admin/second-factor/", otp.verify_view, name="staff_otp_verify"),
    path("admin/second-factor/setup/", otp.enroll_view, name="staff_otp_enroll"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms with the return URL kept on this site (portal/views.py).
    path("documents/authenticate_with_password/<int:restriction_id>/", views.document_password),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.page_password,
    ),
    # Wagtail's front-end login: not a second sign-in form, a way to the staff one.
    path("_util/login/", signin.frontend_login),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.health, name="health"),
    path("apply/", include("intake.urls")),
    path("honor-roll/", include("honorroll.urls")),
    # /verify/, /fee-calculator/, /api/v1/fee/ (by name: the project imports no app).
    path("", include("intake.site_urls")),
    path("api/v1/honor-roll/", include("honorroll.api_urls")),
    path("search/", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail serves every page not caught above; it must stay last. Its page view is
    # wrapped (the route from the data cache); its own patterns stay for its /_util/ views
    # (login for private pages) and for reverse().
    re_path(r"^(?!_util/)" + wagtail_urls.serve_pattern.removeprefix("^"), views.serve),
    path("", include(wagtail_urls)),
]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
