"""PDF documents issued by the court, rendered with WeasyPrint.

Chinese text needs a CJK font on the machine (Debian's fonts-noto-cjk, installed by
`make`); WeasyPrint subsets and embeds it (libharfbuzz-subset0 keeps that fast).
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

# Font lookups are reused across documents (a fresh configuration costs ~10 ms a PDF).
FONT_CONFIG = FontConfiguration()


def chinese_date(day):
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


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
        "qr_svg": mark_safe(qr.svg_inline(scale=3, dark="#000")),
    }


def certificate_pdf(certificate):
    """自动履行证明书 (Annex 4), filled from the application, as PDF bytes."""
    html = render_to_string("intake/documents/certificate.html", certificate_context(certificate))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=FONT_CONFIG)
