"""Storing an application: one transaction, then the notification after commit.

The application is committed before anyone is notified, so a failure (or a crash) while
sending loses nothing: the row stays with `notified_at` empty for a retry.

Evidence files are staged (intake/storage.py) before the commit, under a `.pending`
marker removed after it: a killed server leaves no row without its file, and no file
without its row that is not marked as pending (`manage.py clean_pending_uploads`).
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from intake import storage
from intake.models import (
    TRACKING_PREFIXES,
    Application,
    ApplicationEvent,
    ApplicationKind,
    EvidenceFile,
    FeeReductionRequest,
    new_access_code,
    new_tracking_number,
    submission_key_hash,
)
from intake.notifiers import get_notifier

logger = logging.getLogger(__name__)


def submit_application(data, kind=ApplicationKind.CERTIFICATE):
    """Create the application from a valid form's cleaned data; returns (application, code)."""
    access_code = new_access_code()
    file_field = EvidenceFile._meta.get_field("file")
    staged = []
    with transaction.atomic():
        try:
            application = _new_application(data, kind, access_code, file_field, staged)
        except BaseException:
            # Not committed, so no row names them. (A failure of the commit itself leaves
            # them marked: clean_pending_uploads asks the database which rows exist.)
            storage.discard(file_field.storage, staged)
            raise
        # The markers go first: the notification may fail or take its time.
        transaction.on_commit(lambda: storage.settle(file_field.storage, staged))
        transaction.on_commit(lambda: notify_submitted(application, access_code))
    return application, access_code


def _new_application(data, kind, access_code, file_field, staged):
    """The rows of one application, inside the caller's transaction; the names of the
    evidence files staged for it are appended to `staged` as they are written."""
    application = Application(
        kind=kind,
        tracking_number=new_tracking_number(TRACKING_PREFIXES[kind]),
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
        performer_name=data["performer_name"],
        performer_kind=data["performer_kind"],
        handler_name=data.get("handler_name", "").strip(),
        consents_to_list=bool(data.get("consent_list")),
        consents_to_identity=bool(data.get("consent_identity")),
    )
    application.performer_id = data.get("performer_id_number", "")
    application.id_number = data["id_number"]
    application.phone = data["phone"]
    application.set_access_code(access_code)
    if data.get("submission_key"):
        application.submission_key_hash = submission_key_hash(data["submission_key"])
    application.save()
    if kind == ApplicationKind.FEE_REDUCTION:
        FeeReductionRequest.objects.create(
            application=application,
            case_kind=data["case_kind"],
            claim_amount=data.get("claim_amount"),
            fee_assessed=data["fee_assessed"],
            fee_borne=data["fee_borne"],
            payment_method=data["payment_method"],
            reason=data["reason"].strip(),
        )
    uploads = [(EvidenceFile.Kind.EVIDENCE, upload) for upload in data["evidence"]]
    if data.get("authorization"):
        uploads.append((EvidenceFile.Kind.AUTHORIZATION, data["authorization"]))
    for kind, upload in uploads:
        name, sha256 = storage.stage(file_field, upload)
        staged.append(name)
        EvidenceFile.objects.create(
            application=application,
            kind=kind,
            file=name,
            original_name=upload.name[:255],
            content_type=upload.sniffed_type,
            size=upload.size,
            sha256=sha256,
        )
    application.record(ApplicationEvent.Action.SUBMITTED)
    return application


def receipt_again(application):
    """The same form was sent again after the application was stored (the answer was lost
    on the way, or a second click): a new access code for the same application, shown and
    sent again; the old code stops working, since only this answer will be seen."""
    access_code = new_access_code()
    with transaction.atomic():
        application.set_access_code(access_code)
        application.save(update_fields=["access_code_hash", "pending_notice_encrypted"])
        application.record(ApplicationEvent.Action.RESUBMITTED)
        transaction.on_commit(lambda: notify_submitted(application, access_code))
    return access_code


def notify_submitted(application, access_code):
    """Tell the applicant their tracking number and access code. On success (or when there
    is no channel to reach them) the stored copy of the code is erased; on failure it stays
    for `retry_notifications`. Returns True when a message went out."""
    try:
        sent = get_notifier().submitted(application, access_code)
    except Exception:
        # Only the tracking number: no personal data in logs.
        logger.exception("Notification failed for application %s", application.tracking_number)
        return False
    now = timezone.now() if sent else None
    Application.objects.filter(pk=application.pk).update(notified_at=now, pending_notice_encrypted="")
    if sent:
        application.record(ApplicationEvent.Action.NOTIFIED)
    return sent


def retry_failed_notifications(older_than=datetime.timedelta(minutes=5)):
    """Send the notifications that failed (a mail server down, a crash after the commit).
    Applications younger than `older_than` are left to the request that stored them.
    Returns (sent, still_failing)."""
    cutoff = timezone.now() - older_than
    sent = failing = 0
    pending = Application.objects.exclude(pending_notice_encrypted="").filter(
        notified_at__isnull=True, submitted_at__lt=cutoff
    )
    for application in pending.order_by("submitted_at").iterator():
        if notify_submitted(application, application.pending_access_code):
            sent += 1
        elif Application.objects.filter(pk=application.pk).exclude(pending_notice_encrypted="").exists():
            failing += 1
    return sent, failing
