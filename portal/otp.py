"""Second factor (TOTP, django-otp) for the staff who see applicants' data.

Superusers and members of the groups in settings.STAFF_OTP_GROUPS (立案审查 sees the
applicants, 名单管理 the real names on the list) sign in with their password and then,
once per session, with a 6-digit code from an authenticator app on their phone.
`StaffSecondFactorMiddleware` sends such a user whose session is not OTP-verified from
any admin page (/admin/) to the second-factor page: the verify form when
the user has a confirmed TOTP device, else the enrollment page (QR code of the otpauth://
URI plus the key in base32 for manual entry, confirmed with a first code) — within
STAFF_OTP_ENROLLMENT_DAYS of the account's creation or of a reset only. The codes are
checked by django-otp (RFC 6238, replay-protected, with its own per-device back-off);
failures are also counted per account with portal.throttle like the password sign-in,
and logged without the code. `manage.py reset_staff_otp <username>` clears a lost phone.

settings.STAFF_OTP_REQUIRED (True in every environment; only the dev settings read an
environment variable for it) switches the requirement off as a whole.
"""

import logging
import re
import unicodedata
from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from portal.clients import client_ip
from portal.throttle import FailureThrottle

logger = logging.getLogger(__name__)

# Per account, like the password sign-in (portal/forms.py): 5 wrong codes in 15 minutes
# lock the second step for the rest of the window.
OTP_THROTTLE = FailureThrottle("staff-otp-account", attempts=5, window=15 * 60)
LOCKED_MESSAGE = "验证码错误次数过多，两步验证已暂时锁定，请 15 分钟后再试或联系系统管理员。"
WRONG_CODE_MESSAGE = "验证码不正确，请输入手机验证器当前显示的 6 位数字。"
BACKOFF_MESSAGE = "尝试过于频繁，请稍候几秒，待验证器显示新的验证码后再试。"
DEVICE_NAME = "手机验证器"
ENROLLMENT_KEY = "staff_otp_enrollment_key"

# Admin views an unverified user may still reach: signing in and out, password reset,
# the icon sprite and translation catalogue the admin pages load, and this module's pages.
EXEMPT_VIEW_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "staff_otp_verify",
    "staff_otp_enroll",
}
EXEMPT_VIEW_PREFIXES = ("wagtailadmin_password_reset",)


def second_factor_required(user):
    """True for an authenticated superuser or member of a group in STAFF_OTP_GROUPS."""
    if not getattr(settings, "STAFF_OTP_REQUIRED", True) or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.STAFF_OTP_GROUPS).exists()


def is_verified(user):
    # OTPMiddleware (before ours) installs is_verified(); without it nobody is verified.
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_devices(user):
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"))


def _admin_prefixes():
    return (reverse("wagtailadmin_home"),)


def second_factor_url(user, next_path):
    name = "staff_otp_verify" if confirmed_devices(user) else "staff_otp_enroll"
    return f"{reverse(name)}?{urlencode({'next': next_path})}"


class StaffSecondFactorMiddleware:
    """Redirects an admin request of a user who needs a second factor and has not given
    it in this session to the verify or enrollment page. Must come after
    django_otp.middleware.OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(_admin_prefixes()):
            return None
        match = request.resolver_match
        view_name = match.view_name if match else ""
        if view_name in EXEMPT_VIEW_NAMES or view_name.startswith(EXEMPT_VIEW_PREFIXES):
            return None
        user = request.user
        if not second_factor_required(user) or is_verified(user):
            return None
        return redirect(second_factor_url(user, request.get_full_path()))


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=32,
        help_text="手机验证器应用中当前显示的 6 位数字，每 30 秒更新一次。",
        error_messages={"required": "请输入验证码。", "max_length": "验证码应为 6 位数字。"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_token(self):
        # Full-width digits from a Chinese input method count; spaces are ignored.
        token = re.sub(r"\s", "", unicodedata.normalize("NFKC", self.cleaned_data["token"]))
        if not re.fullmatch(r"[0-9]{6}", token):
            raise forms.ValidationError("验证码应为 6 位数字。")
        return token


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _check_code(request, form, devices, key=None):
    """The device among `devices` that accepts the form's code, or None with the reason
    added to the form. Wrong codes count towards the per-account lock and are logged
    (account and address, never the code). `key`: the secret shown to this session, for
    the device being enrolled."""
    user = request.user
    scope = str(user.pk)
    valid = form.is_valid()
    if OTP_THROTTLE.blocked(request, scope):
        form.add_error(None, LOCKED_MESSAGE)
        return None
    if not valid:
        return None
    candidates = [device for device in devices if device.verify_is_allowed()[0]]
    if not candidates:
        # django-otp's own back-off after a failure (1 s, 2 s, 4 s …): not a new guess.
        form.add_error(None, BACKOFF_MESSAGE)
        return None
    with transaction.atomic():
        for device in candidates:
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            if key:
                locked.key = key
            if locked.verify_token(form.cleaned_data["token"]):
                return locked
    OTP_THROTTLE.failed(request, scope)
    address = client_ip(request)
    if OTP_THROTTLE.blocked(request, scope):
        logger.warning("Staff second factor locked: account %r from %s", user.get_username(), address)
        form.add_error(None, LOCKED_MESSAGE)
    else:
        logger.warning("Staff second factor failed: account %r from %s", user.get_username(), address)
        form.add_error("token", WRONG_CODE_MESSAGE)
    return None


def _not_applicable(request):
    """The redirect for a request that has nothing to do on these pages, else None."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not second_factor_required(request.user) or is_verified(request.user):
        return redirect(_next_url(request))
    return None


def _render(request, template, form, **context):
    return TemplateResponse(
        request,
        template,
        {"form": form, "next": _next_url(request), "username": request.user.get_username(), **context},
    )


@never_cache
@sensitive_post_parameters("token")
def verify_view(request):
    if response := _not_applicable(request):
        return response
    devices = confirmed_devices(request.user)
    if not devices:
        return redirect(second_factor_url(request.user, _next_url(request)))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (device := _check_code(request, form, devices)):
        django_otp.login(request, device)
        return redirect(_next_url(request))
    return _render(request, "portal/otp/verify.html", form, issuer=settings.OTP_TOTP_ISSUER)


def enrollment_device(user):
    """The unconfirmed device to enroll, or None when the account may not enroll now.

    A phone can be bound only within STAFF_OTP_ENROLLMENT_DAYS of the account's creation
    or of `manage.py reset_staff_otp` (which leaves an unconfirmed device behind for that):
    otherwise a password stolen from an account that never enrolled would be enough to
    bind the thief's phone."""
    opened_after = timezone.now() - timedelta(days=settings.STAFF_OTP_ENROLLMENT_DAYS)
    stale = TOTPDevice.objects.filter(user=user, confirmed=False, created_at__lt=opened_after)
    stale.delete()
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None and user.date_joined >= opened_after:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@never_cache
@sensitive_post_parameters("token")
def enroll_view(request):
    if response := _not_applicable(request):
        return response
    user = request.user
    if confirmed_devices(user):
        # A new device only through the reset command: a password alone never adds one.
        return redirect(second_factor_url(user, _next_url(request)))
    device = enrollment_device(user)
    if device is None:
        logger.warning(
            "Staff second factor enrollment refused (window closed): account %r from %s",
            user.get_username(),
            client_ip(request),
        )
        return TemplateResponse(
            request,
            "portal/otp/enroll_closed.html",
            {"username": user.get_username(), "days": settings.STAFF_OTP_ENROLLMENT_DAYS},
            status=403,
        )
    # A fresh secret for every enrolment page shown, kept in this session only until it is
    # confirmed: a secret seen by someone else (who opened the page first with the password)
    # is never the one bound.
    key = request.session.get(ENROLLMENT_KEY) if request.method == "POST" else None
    if not key:
        key = request.session[ENROLLMENT_KEY] = random_hex(20)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (confirmed := _check_code(request, form, [device], key=key)):
        confirmed.confirmed = True
        confirmed.save(update_fields=["key", "confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        request.session.pop(ENROLLMENT_KEY, None)
        django_otp.login(request, confirmed)
        logger.warning(
            "Staff second factor enrolled: account %r from %s", user.get_username(), client_ip(request)
        )
        _tell_account(request, user)
        return redirect(_next_url(request))
    shown = TOTPDevice(user=user, name=DEVICE_NAME, key=key, digits=device.digits, step=device.step)
    secret = b32encode(shown.bin_key).decode()
    qr = segno.make(shown.config_url, error="m")
    return _render(
        request,
        "portal/otp/enroll.html",
        form,
        issuer=settings.OTP_TOTP_ISSUER,
        # An <img> with a data: URI: no script, no extra request, fine under a strict CSP.
        qr_data_uri=qr.svg_data_uri(scale=5, border=4),
        qr_size=qr.symbol_size(scale=5, border=4)[0],
        secret_groups=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        digits=device.digits,
        step=device.step,
    )


def _tell_account(request, user):
    """Mail the account that a phone was bound to it: if it was not its owner, they know."""
    if not user.email:
        return
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    body = (
        f"{user.get_full_name() or user.get_username()}：\n\n"
        f"您的后台账号 {user.get_username()} 已于 {when} 绑定手机验证器"
        f"（来自地址 {client_ip(request)}）。今后登录后台须输入该验证器显示的验证码。\n\n"
        "如非本人操作，说明您的密码可能已泄露：请立即联系系统管理员重置两步验证并修改密码。\n"
    )
    try:
        send_mail("后台账号已绑定手机验证器", body, None, [user.email])
    except Exception:
        logger.exception("Could not mail account %r about its new second-factor device", user.get_username())
