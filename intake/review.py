"""Review of applications (certificate, fee reduction): the only way their state changes.

Each step checks who may act and whether the step is allowed from the current state, and
writes an `ApplicationEvent` in the same transaction. Illegal steps raise `ReviewError`
with a Chinese message for the member of staff.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from honorroll.nominations import nominate, withdraw
from intake.models import (
    FEN,
    Application,
    ApplicationEvent,
    ApplicationKind,
    Certificate,
    Confirmation,
    FeeDecision,
    PartyKind,
    ReviewerCourt,
)

Status = Application.Status
Action = ApplicationEvent.Action


class ReviewError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def courts_of(user):
    """The courts whose applications `user` may act on; None means every court."""
    if user.is_superuser or user.has_perm("intake.review_any_court"):
        return None
    try:
        return set(user.reviewer_courts.courts.values_list("pk", flat=True))
    except ReviewerCourt.DoesNotExist:
        return set()


def may_act(user, application):
    courts = courts_of(user)
    return courts is None or application.court_id in courts


def _check(user, application, allowed_statuses, verb):
    if not may_act(user, application):
        raise ReviewError(f"您无权办理{application.court.name}的申请。")
    if application.status not in allowed_statuses:
        raise ReviewError(f"申请当前状态为“{application.get_status_display()}”，不能{verb}。")


def _locked(application):
    return Application.objects.select_for_update().select_related("court").get(pk=application.pk)


def assign(application, reviewer, *, actor):
    with transaction.atomic():
        application = _locked(application)
        _check(actor, application, Application.PENDING, "分配承办人")
        if not may_act(reviewer, application):
            raise ReviewError(f"{reviewer} 不能办理{application.court.name}的申请。")
        application.assigned_to = reviewer
        application.save(update_fields=["assigned_to"])
        application.record(Action.ASSIGNED, actor, f"承办人：{reviewer.get_full_name() or reviewer.username}")
    return application


def record_confirmation(application, *, actor, method, confirmed_by, confirmed_on):
    """经原告确认 — a required step before approval."""
    if not confirmed_by.strip():
        raise ReviewError("请填写确认人。")
    if confirmed_on > timezone.localdate():
        raise ReviewError("确认日期不能晚于今天。")
    with transaction.atomic():
        application = _locked(application)
        _check(actor, application, (Status.SUBMITTED,), "记录原告确认")
        confirmation = Confirmation.objects.create(
            application=application,
            method=method,
            confirmed_by=confirmed_by.strip(),
            confirmed_on=confirmed_on,
            recorded_by=actor,
        )
        application.status = Status.CONFIRMED
        application.save(update_fields=["status"])
        application.record(
            Action.CONFIRMED,
            actor,
            f"{confirmation.get_method_display()}，确认人：{confirmation.confirmed_by}",
        )
    return application


def approve(application, *, actor, granted_amount=None, legal_basis=""):
    """Approve after the creditor's confirmation: a certificate for a certificate
    application; a fee decision (the amount and basis staff set) for a fee reduction.
    Numbers are unique per court and year; two approvals racing for one retry."""
    for _attempt in range(3):
        try:
            if application.kind == ApplicationKind.FEE_REDUCTION:
                return _decide_fee_reduction(application, actor, granted_amount, legal_basis)
            return _approve(application, actor)
        except IntegrityError:  # two approvals in the same court and year raced for a number
            continue
    raise ReviewError("编号分配冲突，请重试。")


def _lock_for_approval(application, actor):
    application = _locked(application)
    if application.status == Status.SUBMITTED:
        raise ReviewError("须先记录原告确认（经原告确认），才能批准。")
    _check(actor, application, (Status.CONFIRMED,), "批准")
    return application


def _issue(model, application, actor, mark, describe, **fields):
    """The approval's document (certificate or fee decision), numbered per court and year
    (YEAR-CODE-[mark]NNNNN); the application becomes approved, the event says what was
    issued, and a consenting party is nominated for the list."""
    year = timezone.localdate().year
    last = model.objects.filter(court=application.court, year=year).aggregate(n=Max("sequence"))["n"]
    sequence = (last or 0) + 1
    document = model.objects.create(
        application=application,
        court=application.court,
        year=year,
        sequence=sequence,
        serial=f"{year}-{application.court.code[1:]}-{mark}{sequence:05d}",
        issued_by=actor,
        **fields,
    )
    application.status = Status.APPROVED
    application.save(update_fields=["status"])
    application.record(Action.APPROVED, actor, describe(document))
    _nominate_if_consented(application, document)
    return document


def _approve(application, actor):
    with transaction.atomic():
        application = _lock_for_approval(application, actor)
        return _issue(
            Certificate, application, actor, "", lambda certificate: f"证书编号：{certificate.serial}"
        )


def check_granted_amount(request, granted_amount):
    """The legal bounds of a reduction (减交) or waiver (免交), in Chinese for staff."""
    if granted_amount is None:
        raise ReviewError("请填写准予减免的金额。")
    if granted_amount != granted_amount.quantize(FEN) or granted_amount <= 0:
        raise ReviewError("减免金额应为大于 0 的金额，最多保留两位小数。")
    if granted_amount > request.fee_borne:
        raise ReviewError(f"减免金额不能超过申请人负担的受理费 {request.fee_borne} 元。")
    if granted_amount < request.minimum_reduction:
        raise ReviewError(
            f"减交比例不得低于 30%（《诉讼费用交纳办法》第四十六条），即不少于 {request.minimum_reduction} 元。"
        )
    if granted_amount == request.fee_borne and not request.waiver_allowed:
        raise ReviewError(
            "诉讼费用的免交只适用于自然人（《诉讼费用交纳办法》第四十四条第二款），单位只能减交。"
        )


def _decide_fee_reduction(application, actor, granted_amount, legal_basis):
    if not (legal_basis or "").strip():
        raise ReviewError("请填写减免的法律依据。")
    with transaction.atomic():
        application = _lock_for_approval(application, actor)
        request = application.fee_request
        check_granted_amount(request, granted_amount)
        return _issue(
            FeeDecision,
            application,
            actor,
            "J",
            lambda decision: (
                f"决定书编号：{decision.serial}，"
                f"准予{'免交' if decision.is_waiver else '减交'} {decision.granted_amount} 元"
            ),
            fee_assessed=request.fee_assessed,
            fee_borne=request.fee_borne,
            granted_amount=granted_amount,
            legal_basis=legal_basis.strip(),
        )


def _nominate_if_consented(application, document):
    """The performing party (never an agent or the creditor), with its own consent to
    publication; its identity goes to the agencies only with its second consent."""
    if application.list_consent_problem:
        return
    certificate = document if isinstance(document, Certificate) else _certificate_of_case(application)
    if certificate is not None and certificate.is_revoked:
        return
    organisation = application.performer_kind == PartyKind.ORGANISATION
    identity = application.performer_id
    nominate(
        party_name=application.performer_name,
        party_kind=application.performer_kind,
        credit_code=identity if organisation else "",
        court=application.court,
        case_number=application.case_number,
        cause=application.cause,
        performed_on=application.performed_on,
        source=f"{application.get_kind_display()}申请 {application.tracking_number}",
        consented_at=application.submitted_at,
        reference=application.tracking_number,
        certificate_serial=certificate.serial if certificate is not None else "",
        identity=identity,
        identity_consented_at=application.submitted_at if application.consents_to_identity else None,
    )


def _certificate_of_case(application):
    """The latest certificate issued for the same case and performing party (a fee
    reduction's nomination stands on it, and falls with its revocation)."""
    return (
        Certificate.objects.filter(
            court=application.court,
            application__case_number=application.case_number,
            application__performer_name=application.performer_name,
        )
        .order_by("-pk")
        .first()
    )


def reject(application, *, actor, reason):
    """不予批准, with a reason the applicant sees (written reasons)."""
    if not reason.strip():
        raise ReviewError("请填写不予批准的理由，申请人将看到该理由。")
    with transaction.atomic():
        application = _locked(application)
        _check(actor, application, Application.PENDING, "不予批准")
        application.status = Status.REJECTED
        application.decision_reason = reason.strip()
        application.save(update_fields=["status", "decision_reason"])
        application.record(Action.REJECTED, actor, reason.strip())
    return application


def revoke(certificate, *, actor, reason):
    if not reason.strip():
        raise ReviewError("请填写撤销理由。")
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("application__court")
            .get(pk=certificate.pk)
        )
        application = certificate.application
        if not may_act(actor, application):
            raise ReviewError(f"您无权办理{application.court.name}的申请。")
        if certificate.is_revoked:
            raise ReviewError("该证明书已撤销。")
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor
        certificate.revocation_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        application.record(Action.REVOKED, actor, reason.strip())
        # The list follows at once: the candidate is withdrawn, a published entry gets a
        # correction for 名单管理 (in this transaction: a revocation never half happens).
        opened = withdraw(certificate_serial=certificate.serial, reason=reason.strip())
        if opened:
            application.record(
                Action.LIST_CORRECTION, actor, f"已登记名单更正 {len(opened)} 项，待名单管理人员处理"
            )
    return certificate


def record_id_view(application, *, actor):
    """Each display of the full ID number is written to the audit trail."""
    application.record(Action.VIEWED_ID, actor)
    return application.id_number
