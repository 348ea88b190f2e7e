"""Certificates: rendering the Annex 4 PDF (goal: < 100 ms warm, Chinese font embedded)."""

import datetime

from bench.harness import benchmark
from bench.sample_application import ID_NUMBER, PARTIES, PHONE


def _certificate():
    from django.contrib.auth import get_user_model

    from intake.models import Application, Certificate
    from portal.models import CauseOfAction, Court

    court = Court.objects.get(code="黑0902")
    application = Application(
        court=court,
        case_number="（2025）黑0902民初123号",
        document_type="mediation",
        document_date=datetime.date(2025, 6, 10),
        cause=CauseOfAction.objects.get(name="民间借贷纠纷"),
        **PARTIES,
        performed_on=datetime.date(2025, 6, 18),
        consented_processing_at=datetime.datetime.now(datetime.UTC),
    )
    application.id_number = ID_NUMBER
    application.phone = PHONE
    application.set_access_code("BENCH234")
    application.save()
    return Certificate.objects.create(
        application=application,
        court=court,
        year=2025,
        sequence=1,
        serial="2025-0902-00001",
        issued_by=get_user_model().objects.get(username="lian"),
    )


@benchmark("certificate PDF render (Annex 4, warm)", repeat=30)
def certificate_pdf_render():
    from intake.documents import certificate_pdf

    certificate = _certificate()

    def run():
        pdf = certificate_pdf(certificate)
        assert pdf.startswith(b"%PDF")

    return run
