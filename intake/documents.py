"""The certificate of voluntary performance (Annex 4) as a PDF (see portal/documents.py)."""

import segno
from django.conf import settings

from portal.documents import chinese_date, render_pdf


def certificate_context(certificate):
    application = certificate.application
    verify_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + certificate.verification_path()
    qr = segno.make(verify_url, error="m")
    return {
        "certificate": certificate,
        "court_name": certificate.court.name,
        "case_number": application.case_number,
        "plaintiff": application.plaintiff_name,
        "defendant": application.defendant_name,
        "cause": application.cause.name,
        "document_date": chinese_date(application.document_date),
        "document_type": application.get_document_type_display(),
        "performed_on": chinese_date(application.performed_on),
        "issued_on": chinese_date(certificate.issued_on),
        "verify_url": verify_url,
        # A PNG (10 px a module, ~300 dpi at 26 mm) draws faster than the same code as SVG paths.
        "qr_png": qr.png_data_uri(scale=10, border=0),
    }


def certificate_pdf(certificate):
    """自动履行证明书 (Annex 4), filled from the application, as PDF bytes."""
    return render_pdf("intake/documents/certificate.html", certificate_context(certificate))
