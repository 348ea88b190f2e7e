"""Staff sessions (portal/sessions.py): out after 30 minutes idle or 12 hours in all, and
the second factor is asked again; a fresh TOTP secret on every enrolment page (portal/otp.py);
password-protected pages are throttled; the admin loads no avatar from gravatar.com."""

import time

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.otp import ENROLLMENT_KEY
from portal.sessions import LAST_SEEN, SIGNED_IN
from tests.factories import UserFactory
from tests.staff import enrollment_code, log_in_verified

pytestmark = pytest.mark.django_db
QUEUE = "/admin/intake/applications/"
ENROLL = "/admin/second-factor/setup/"


def shift(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.mark.parametrize(("key", "seconds"), [(LAST_SEEN, 31 * 60), (SIGNED_IN, 12 * 3600 + 60)])
def test_an_idle_or_old_staff_session_signs_out_and_asks_for_both_factors(client, key, seconds):
    user = UserFactory(username="lian", groups=["立案审查"])
    log_in_verified(client, user)
    assert client.get(QUEUE).status_code == 200
    shift(client, key, seconds)
    out = client.get(QUEUE)
    assert out.status_code == 302 and out.url.startswith("/admin/login/")
    assert "_auth_user_id" not in client.session
    login_page = client.get(out.url).content.decode()
    assert "已自动退出，请重新登录" in login_page
    # The password again, then the second factor again: the verification went with the session.
    client.post("/admin/login/", {"username": "lian", "password": "correct-horse-battery"})
    assert client.get(QUEUE).url.startswith("/admin/second-factor/")


def test_activity_keeps_a_session_alive_within_the_day(client):
    log_in_verified(client, UserFactory(username="lian", groups=["立案审查"]))
    client.get(QUEUE)
    shift(client, LAST_SEEN, 25 * 60)
    shift(client, SIGNED_IN, 11 * 3600)
    assert client.get(QUEUE).status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5  # written again


def test_a_secret_seen_by_someone_else_is_never_the_one_bound(client, django_user_model):
    """Whoever opens the enrolment page first with the password gets a secret of their own;
    the owner enrolling later binds another, and the first one never works."""
    from django.test import Client

    UserFactory(username="lian", groups=["立案审查"], email="lian@court.example")
    thief = Client()
    thief.post("/admin/login/", {"username": "lian", "password": "correct-horse-battery"})
    thief.get(ENROLL)
    stolen = thief.session[ENROLLMENT_KEY]

    client.post("/admin/login/", {"username": "lian", "password": "correct-horse-battery"})
    client.get(ENROLL)
    assert client.session[ENROLLMENT_KEY] != stolen
    assert client.post(ENROLL, {"token": enrollment_code(client), "next": QUEUE}).url == QUEUE
    (device,) = TOTPDevice.objects.filter(user__username="lian")
    assert device.confirmed and device.key != stolen
    # The account is told by mail that a phone was bound.
    (notice,) = mail.outbox
    assert notice.to == ["lian@court.example"] and "绑定手机验证器" in notice.subject
    # The thief's secret is worth nothing.
    late = thief.post(ENROLL, {"token": enrollment_code(thief), "next": QUEUE})
    assert late.status_code == 302 and "second-factor" in late.url
    assert (
        TOTPDevice.objects.filter(user__username="lian").count() == 1 and thief.get(QUEUE).status_code == 302
    )


def test_the_admin_loads_no_avatar_from_gravatar(client):
    log_in_verified(client, UserFactory(username="xuanchuan", groups=["宣传"], email="x@court.example"))
    assert "gravatar" not in client.get("/admin/").content.decode()
