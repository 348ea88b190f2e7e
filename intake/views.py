"""Public pages: apply for a certificate, follow the application."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from intake.documents import certificate_pdf
from intake.forms import CertificateApplicationForm
from intake.models import Application, ApplicationEvent
from intake.services import submit_application
from intake.throttle import FailureThrottle

# 10 failed look-ups per client per 15 minutes.
STATUS_THROTTLE = FailureThrottle("intake-status", attempts=10, window=15 * 60)


@never_cache
def apply_certificate(request):
    if request.method == "POST":
        form = CertificateApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            application, access_code = submit_application(form.cleaned_data)
            # Shown once, in this response; only a hash of the code is stored.
            return render(
                request,
                "intake/submitted.html",
                {"application": application, "access_code": access_code},
            )
    else:
        form = CertificateApplicationForm()
    return render(request, "intake/apply_certificate.html", {"form": form})


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


@never_cache
def certificate_download(request):
    """The certificate PDF, for the applicant who holds the tracking number and code."""
    form = StatusForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "intake/status.html", {"form": form}, status=400 if request.method == "POST" else 405
        )
    application, status = _find_application(request, form)
    certificate = getattr(application, "certificate", None) if application else None
    if certificate is None or certificate.is_revoked:
        if application is not None:
            form.add_error(None, "该申请没有可下载的有效证明书。")
        return render(
            request, "intake/status.html", {"form": form}, status=status if application is None else 404
        )
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.serial}.pdf"'
    return response


@never_cache
def application_status(request):
    form = StatusForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        application, status = _find_application(request, form)
        if application is None:
            return render(request, "intake/status.html", context, status=status)
        context["application"] = application
        context["access_code"] = form.cleaned_data["access_code"]
        context["events"] = application.events.filter(action__in=ApplicationEvent.PUBLIC_ACTIONS)
    return render(request, "intake/status.html", context)
