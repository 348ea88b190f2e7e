import logging

from django import forms
from wagtail.admin.forms.auth import LoginForm

from portal.throttle import FailureThrottle

logger = logging.getLogger(__name__)

# Per account wherever the attempts come from, and per address whatever account they try.
ACCOUNT_THROTTLE = FailureThrottle("staff-login-account", attempts=5, window=15 * 60)
ADDRESS_THROTTLE = FailureThrottle("staff-login-address", attempts=20, window=15 * 60)


class StaffLoginForm(LoginForm):
    """Wagtail's login form, with the password field labelled in Chinese and failed
    attempts throttled: after 5 failures for an account (or 20 from one address) within
    15 minutes, sign-in is refused for the rest of the window, and the lock-out is logged.

    Wagtail's form declares the password field without a label, so Django derives the
    English "Password" from the field name, which no translation catalogue covers.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"

    def clean(self):
        username = (self.data.get("username") or "").strip().lower()[:150]
        if ACCOUNT_THROTTLE.blocked(None, username) or ADDRESS_THROTTLE.blocked(self.request):
            raise forms.ValidationError(
                "登录失败次数过多，账号已暂时锁定，请 15 分钟后再试或联系系统管理员。"
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            ACCOUNT_THROTTLE.failed(None, username)
            ADDRESS_THROTTLE.failed(self.request)
            if ACCOUNT_THROTTLE.blocked(None, username) or ADDRESS_THROTTLE.blocked(self.request):
                # Staff user names and addresses only: no applicant data reaches this log.
                logger.warning(
                    "Staff login locked: account %r from %s",
                    username,
                    self.request.META.get("REMOTE_ADDR", ""),
                )
            raise
        ACCOUNT_THROTTLE.reset(None, username)
        return cleaned
