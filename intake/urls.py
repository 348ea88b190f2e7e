from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("certificate/", views.apply_certificate, name="apply_certificate"),
    path("fee-reduction/", views.apply_fee_reduction, name="apply_fee_reduction"),
    path("status/", views.application_status, name="status"),
    path("status/certificate.pdf", views.certificate_download, name="certificate_download"),
    path("status/decision.pdf", views.decision_download, name="decision_download"),
]
