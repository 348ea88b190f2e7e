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


def money(amount):
    from intake.fees import format_money  # half up, like every other amount the court prints

    return format_money(amount)


def fee_decision_context(decision):
    from intake import fees
    from intake.models import ApplicantRole

    application = decision.application
    return {
        "decision": decision,
        "court_name": decision.court.name,
        "case_number": application.case_number,
        # The decision is for the party who performed and bears the fee (the defendant),
        # whoever filed it; an agent is named as such.
        "party": application.defendant_name,
        "agent": application.applicant_name if application.applicant_role == ApplicantRole.AGENT else "",
        "plaintiff": application.plaintiff_name,
        "defendant": application.defendant_name,
        "cause": application.cause.name,
        "document_type": application.get_document_type_display(),
        "document_date": chinese_date(application.document_date),
        "performed_on": chinese_date(application.performed_on),
        "applied_on": chinese_date(application.submitted_at.date()),
        "issued_on": chinese_date(decision.issued_on),
        "fee_assessed": money(decision.fee_assessed),
        "fee_assessed_words": fees.amount_in_words(decision.fee_assessed),
        "fee_borne": money(decision.fee_borne),
        "fee_borne_words": fees.amount_in_words(decision.fee_borne),
        "granted": money(decision.granted_amount),
        "granted_words": fees.amount_in_words(decision.granted_amount),
        "remaining": money(decision.remaining),
        "remaining_words": fees.amount_in_words(decision.remaining) if decision.remaining else "零元",
    }


def fee_decision_pdf(decision):
    """减免诉讼费用决定书, issued by the case's court, amounts in figures and in capitals."""
    return render_pdf("intake/documents/fee_decision.html", fee_decision_context(decision))


def notice_pdf(case):
    """自动履行告知书 (Annex 2) for a case: `case` is a CaseDocumentsForm's cleaned data."""
    from portal.notice_text import NOTICE_SECTIONS

    return render_pdf(
        "intake/documents/notice.html",
        {**_case_context(case), "sections": NOTICE_SECTIONS},
    )


def commitment_pdf(case):
    """自动履行承诺书 (Annex 3), for the party who undertakes to perform."""
    return render_pdf("intake/documents/commitment.html", _case_context(case))


def _case_context(case):
    from intake.models import PartyKind

    return {
        "court_name": case["court"].name,
        "case_number": case["case_number"],
        "plaintiff": case["plaintiff_name"],
        "defendant": case["defendant_name"],
        "document_type": case["document_type_label"],
        "self": "本人" if case["committer_kind"] == PartyKind.PERSON else "本单位",
    }
