from django.urls import path
from wagtail import hooks

from intake import admin_views


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return admin_views.ApplicationViewSet("certificate_applications", url_prefix="intake/applications")


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("intake/applications/<int:pk>/review/", admin_views.review_view, name="intake_review"),
        path(
            "intake/applications/<int:pk>/certificate.pdf",
            admin_views.certificate_pdf_view,
            name="intake_pdf",
        ),
        path("intake/evidence/<int:pk>/", admin_views.evidence_view, name="intake_evidence"),
    ]
