"""Storing an application: one transaction, then the notification after commit.

The application is committed before anyone is notified, so a failure (or a crash) while
sending loses nothing: the row stays with `notified_at` empty for a retry.
"""

import hashlib
import logging

from django.db import transaction
from django.utils import timezone

from intake.models import ApplicationEvent, CertificateApplication, EvidenceFile, new_access_code
from intake.notifiers import get_notifier

logger = logging.getLogger(__name__)


def submit_application(data):
    """Create the application from a valid form's cleaned data; returns (application, code)."""
    access_code = new_access_code()
    with transaction.atomic():
        application = CertificateApplication(
            court=data["court"],
            case_number=data["case_number"],
            document_type=data["document_type"],
            document_date=data["document_date"],
            cause=data["cause"],
            plaintiff_name=data["plaintiff_name"].strip(),
            plaintiff_kind=data["plaintiff_kind"],
            defendant_name=data["defendant_name"].strip(),
            defendant_kind=data["defendant_kind"],
            applicant_role=data["applicant_role"],
            applicant_name=data["applicant_name"].strip(),
            applicant_kind=data["applicant_kind"],
            email=data.get("email", ""),
            performed_on=data["performed_on"],
            consented_processing_at=timezone.now(),
            consents_to_list=bool(data.get("consent_list")),
        )
        application.id_number = data["id_number"]
        application.phone = data["phone"]
        application.set_access_code(access_code)
        application.save()
        for upload in data["evidence"]:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            EvidenceFile.objects.create(
                application=application,
                file=upload,
                original_name=upload.name[:255],
                content_type=upload.sniffed_type,
                size=upload.size,
                sha256=digest.hexdigest(),
            )
        application.record(ApplicationEvent.Action.SUBMITTED)
        transaction.on_commit(lambda: notify_submitted(application, access_code))
    return application, access_code


def notify_submitted(application, access_code):
    try:
        sent = get_notifier().submitted(application, access_code)
    except Exception:
        # Only the tracking number: no personal data in logs.
        logger.exception("Notification failed for application %s", application.tracking_number)
        return
    if sent:
        CertificateApplication.objects.filter(pk=application.pk).update(notified_at=timezone.now())
        application.record(ApplicationEvent.Action.NOTIFIED)
