"""/verify/: a bank checks a certificate by serial and verification code."""

import hmac

from django import forms
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from honorroll.masking import mask_person_name
from intake.models import Certificate, PartyKind
from portal.throttle import FailureThrottle

# 20 failed checks per client per 15 minutes.
VERIFY_THROTTLE = FailureThrottle("verify", attempts=20, window=15 * 60)


class VerifyForm(forms.Form):
    serial = forms.CharField(label="证书编号", max_length=30, error_messages={"required": "请填写证书编号。"})
    code = forms.CharField(label="验证码", max_length=12, error_messages={"required": "请填写验证码。"})


def public_party_name(application):
    """The party who performed, as the public may see it."""
    if application.defendant_kind == PartyKind.PERSON:
        return mask_person_name(application.defendant_name)
    return application.defendant_name


@never_cache
def verify(request):
    form = VerifyForm(request.GET or None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        if VERIFY_THROTTLE.blocked(request):
            form.add_error(None, "查询次数过多，请 15 分钟后再试。")
            return render(request, "intake/verify.html", context, status=429)
        serial = form.cleaned_data["serial"].strip()
        code = form.cleaned_data["code"].strip().upper()
        certificate = (
            Certificate.objects.select_related("application__cause", "court").filter(serial=serial).first()
        )
        # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
        if certificate is None or not hmac.compare_digest(
            certificate.verification_code.encode(), code.encode()
        ):
            VERIFY_THROTTLE.failed(request)
            context["result"] = "not_found"
        else:
            context["result"] = "revoked" if certificate.is_revoked else "valid"
            context["certificate"] = certificate
            context["party"] = public_party_name(certificate.application)
    return render(request, "intake/verify.html", context)
