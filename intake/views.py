"""Public pages: apply for a certificate or a fee reduction, follow the application."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from intake.documents import certificate_pdf, fee_decision_pdf
from intake.forms import CertificateApplicationForm, FeeReductionApplicationForm
from intake.models import Application, ApplicationEvent, ApplicationKind, FeePolicySettings, expected_fee
from intake.services import receipt_again, submit_application
from portal.throttle import FailureThrottle, SubmissionLimit

# 10 failed look-ups per client per 15 minutes.
STATUS_THROTTLE = FailureThrottle("intake-status", attempts=10, window=15 * 60)
# Accepted applications per client: 5 an hour; evidence stored: 100 MB a day.
SUBMISSIONS = SubmissionLimit("intake-submissions", count=5, window=3600)
UPLOADS = SubmissionLimit("intake-upload-bytes", count=None, window=24 * 3600, max_bytes=100 * 1024 * 1024)
REFUSED = {
    "count": "同一网络地址提交申请过于频繁，请 1 小时后再试。如确有多件案件需要申请，请拨打 12368 联系法院。",
    "bytes": "今天从同一网络地址上传的材料已超过 100MB，请明天再试，或到法院诉讼服务中心现场提交。",
}


PAGES = {
    ApplicationKind.CERTIFICATE: {
        "heading": "申请自动履行证明书",
        "lead": "生效法律文书确定的义务已经履行完毕的，可在线申请。法院向原告（申请执行人）核实后出具证明书，"
        "可作为信用评价与信用修复的依据。",
    },
    ApplicationKind.FEE_REDUCTION: {
        "heading": "申请减免诉讼费用",
        "lead": "自动履行生效法律文书确定义务的当事人，可依照《诉讼费用交纳办法》申请减交或者免交案件受理费。"
        "法院向原告（申请执行人）核实履行情况后作出决定，决定书可在进度查询页面下载。",
    },
}


def _apply(request, form_class):
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        incoming = sum(upload.size for _name, uploads in request.FILES.lists() for upload in uploads)
        refused = SUBMISSIONS.refused(request) or UPLOADS.refused(request, incoming)
        if refused:
            # Nothing is stored; what was typed is shown again (files must be chosen again).
            form.full_clean()
            form.add_error(None, REFUSED[refused])
            return render(request, "intake/apply.html", {"form": form, **PAGES[form_class.kind]}, status=429)
        if form.is_valid():
            application = form.resubmission_of
            again = application is not None
            if again:
                access_code = receipt_again(application)
            else:
                application, access_code = submit_application(form.cleaned_data, form_class.kind)
            SUBMISSIONS.accepted(request)
            UPLOADS.accepted(request, 0 if again else incoming)
            # Shown once, in this response; the stored copy is encrypted and erased once sent.
            return render(
                request,
                "intake/submitted.html",
                {"application": application, "access_code": access_code, "again": again},
            )
    else:
        form = form_class()
    context = {"form": form, **PAGES[form_class.kind]}
    if form_class.kind == ApplicationKind.FEE_REDUCTION:
        context["fee_estimate"] = _estimate(form)
    return render(request, "intake/apply.html", context)


def _estimate(form):
    """The calculator's fee for the kind and claim entered (re-shown with the form's errors)."""
    if not form.is_bound:
        return None
    claim = (form["claim_amount"].value() or "").strip() or None
    return expected_fee(form["case_kind"].value(), claim, form["document_type"].value(), fee_schedule())


def fee_schedule():
    """The court's figures (one court site: the default site's settings)."""
    return FeePolicySettings.current().schedule()


@never_cache
def apply_certificate(request):
    return _apply(request, CertificateApplicationForm)


@never_cache
def apply_fee_reduction(request):
    return _apply(request, FeeReductionApplicationForm)


class StatusForm(forms.Form):
    tracking_number = forms.CharField(
        label="受理编号", max_length=20, error_messages={"required": "请填写受理编号。"}
    )
    access_code = forms.CharField(
        label="查询码", max_length=20, error_messages={"required": "请填写查询码。"}
    )


def _find_application(request, form):
    """The application for a valid tracking number + code, or an error on the form;
    failures are counted per client (STATUS_THROTTLE)."""
    if STATUS_THROTTLE.blocked(request):
        form.add_error(None, "查询次数过多，请 15 分钟后再试。如忘记查询码，请拨打 12368 联系法院。")
        return None, 429
    number = form.cleaned_data["tracking_number"].strip().upper()
    application = Application.objects.filter(tracking_number=number).first()
    if application is None or not application.check_access_code(form.cleaned_data["access_code"]):
        STATUS_THROTTLE.failed(request)
        form.add_error(None, "受理编号或查询码不正确，请核对后重新输入。")
        return None, 200
    return application, 200


def _download(request, document_of, render_pdf, filename):
    """A document for the applicant who holds the tracking number and code (POST only, so
    the code never sits in a URL or a log)."""
    # Bound on every POST: an empty body is told what is missing, like any other.
    form = StatusForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "intake/status.html", {"form": form}, status=400 if request.method == "POST" else 405
        )
    application, status = _find_application(request, form)
    document = document_of(application) if application else None
    if document is None:
        if application is not None:
            form.add_error(None, f"该申请没有可下载的有效{application.document_name}。")
        return render(
            request, "intake/status.html", {"form": form}, status=status if application is None else 404
        )
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(document)}"'
    return response


def _valid_certificate(application):
    certificate = getattr(application, "certificate", None)
    return None if certificate is None or certificate.is_revoked else certificate


@never_cache
def certificate_download(request):
    """The certificate PDF (Annex 4), unless revoked."""
    return _download(
        request,
        _valid_certificate,
        certificate_pdf,
        lambda certificate: f"certificate-{certificate.serial}.pdf",
    )


@never_cache
def decision_download(request):
    """The fee-reduction decision PDF (减免诉讼费用决定书)."""
    return _download(
        request,
        lambda application: getattr(application, "fee_decision", None),
        fee_decision_pdf,
        lambda decision: f"fee-decision-{decision.serial}.pdf",
    )


@never_cache
def application_status(request):
    form = StatusForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        application, status = _find_application(request, form)
        if application is None:
            return render(request, "intake/status.html", context, status=status)
        context["application"] = application
        context["access_code"] = form.cleaned_data["access_code"]
        context["events"] = application.events.filter(action__in=ApplicationEvent.PUBLIC_ACTIONS)
    return render(request, "intake/status.html", context)
