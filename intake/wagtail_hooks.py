from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from intake import admin_views


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return admin_views.ApplicationViewSet("certificate_applications", url_prefix="intake/applications")


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("intake/applications/<int:pk>/review/", admin_views.review_view, name="intake_review"),
        path(
            "intake/applications/<int:pk>/document.pdf",
            admin_views.document_pdf_view,
            name="intake_pdf",
        ),
        path("intake/evidence/<int:pk>/", admin_views.evidence_view, name="intake_evidence"),
        path("intake/case-documents/", admin_views.case_documents_view, name="intake_case_documents"),
    ]


class CaseDocumentsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("intake.view_application")


@hooks.register("register_admin_menu_item")
def register_case_documents_menu_item():
    return CaseDocumentsMenuItem(
        "告知书与承诺书", reverse("intake_case_documents"), icon_name="doc-full", order=215
    )
