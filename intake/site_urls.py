"""The intake's public pages outside /apply/: certificate verification for banks, the fee
calculator and its API. Included by the project's URLconf by name (portal imports no app)."""

from django.urls import path

from intake import fee_views, verification

urlpatterns = [
    path("verify/", verification.verify, name="verify_certificate"),
    path("fee-calculator/", fee_views.fee_calculator, name="fee_calculator"),
    path("api/v1/fee/", fee_views.fee_api, name="fee_api"),
]
