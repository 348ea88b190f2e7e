"""Staff sessions end after STAFF_SESSION_IDLE_SECONDS without a request (30 minutes) and
STAFF_SESSION_MAX_SECONDS after signing in (12 hours), however active (ASVS 3.3.1/3.3.2).

Signing out flushes the session, the second factor's verification with it: the next sign-in
asks for the password and the code again. The times are kept in the session (server side);
the last request is written at most once a minute, not on every click.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

SIGNED_IN = "staff_signed_in_at"
LAST_SEEN = "staff_last_seen_at"
WRITE_EVERY = 60


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request):
        session, now = request.session, int(time.time())
        signed_in, last_seen = session.get(SIGNED_IN), session.get(LAST_SEEN)
        if signed_in is None:
            session[SIGNED_IN] = signed_in = now
        idle = last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_SECONDS
        if idle or now - signed_in > settings.STAFF_SESSION_MAX_SECONDS:
            logout(request)
            reason = "长时间未操作" if idle else "登录已超过 12 小时"
            messages.info(request, f"{reason}，为保护当事人信息已自动退出，请重新登录。")
            return
        if last_seen is None or now - last_seen >= WRITE_EVERY:
            session[LAST_SEEN] = now
