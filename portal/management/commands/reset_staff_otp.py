"""Reset a staff member's second factor when the phone is lost or replaced.

Removes every OTP device of the account and ends its open sessions, so the next admin
sign-in (password first) goes to the enrollment page, which is open for
STAFF_OTP_ENROLLMENT_DAYS from the reset (an unconfirmed device marks it). Logged, like the
sign-in lock-outs.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp import device_classes
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.otp import DEVICE_NAME

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "重置工作人员的两步验证（手机丢失或更换时）：删除其全部验证设备并结束其已登录会话，下次登录后台时须重新绑定手机验证器。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="工作人员的用户名")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"没有用户名为 {username} 的账号。") from None
        with transaction.atomic():
            removed = sum(model.objects.filter(user=user).delete()[0] for model in device_classes())
            # Opens the enrollment window (portal.otp.enrollment_device) from now.
            TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        sessions = self._end_sessions(user)
        logger.warning(
            "Staff second factor reset: account %r, %d device(s) removed, %d session(s) ended",
            user.get_username(),
            removed,
            sessions,
        )
        self.stdout.write(
            f"已重置 {user.get_username()} 的两步验证：删除验证设备 {removed} 个，结束已登录会话 {sessions} 个。"
            f"该账号须在 {settings.STAFF_OTP_ENROLLMENT_DAYS} 天内登录后台，用手机重新扫码绑定。"
        )

    def _end_sessions(self, user):
        """Sessions in the database (the project's session engine) that belong to `user`."""
        if settings.SESSION_ENGINE not in (
            "django.contrib.sessions.backends.db",
            "django.contrib.sessions.backends.cached_db",
        ):
            return 0
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        ended = 0
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                store.delete(session.session_key)
                ended += 1
        return ended
