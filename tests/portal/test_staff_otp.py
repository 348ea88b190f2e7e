"""The second factor for staff who see applicants' data (portal/otp.py): superusers, 立案审查
and 名单管理 give a TOTP code after the password before any admin page; 宣传 is not asked.
Codes are computed from the device's key with django-otp's RFC 6238 code, never mocked."""

import io
import logging
from base64 import b32decode
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.management.commands.load_demo import DEMO_ACCOUNTS
from portal.otp import ENROLLMENT_KEY
from tests.factories import UserFactory
from tests.portal.test_settings import run_python
from tests.staff import confirmed_device, enrollment_code, log_in_verified, totp_code

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
VERIFY = "/admin/second-factor/"
ENROLL = "/admin/second-factor/setup/"
QUEUE = "/admin/intake/applications/"
LIST_ADMIN = "/admin/honorroll/batches/"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def password_login(client, username, groups=(), **extra):
    UserFactory(username=username, groups=list(groups), **extra)
    response = client.post(LOGIN, {"username": username, "password": "correct-horse-battery", "next": QUEUE})
    assert response.status_code == 302 and response.url == QUEUE
    return get_user_model().objects.get(username=username)


def redirect_target(response):
    assert response.status_code == 302, response.status_code
    parts = urlsplit(response.url)
    return parts.path, parse_qs(parts.query).get("next", [None])[0]


def messages_of(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(
        node.get_text(" ", strip=True) for node in soup.select(".messages, .error-message, .w-field__errors")
    )


def test_an_intake_reviewer_enrolls_a_phone_before_seeing_the_queue(client, caplog):
    user = password_login(client, "lian", ["立案审查"])
    # The password alone reaches neither the queue, nor a review page, nor the list admin.
    assert redirect_target(client.get(QUEUE)) == (ENROLL, QUEUE)
    assert redirect_target(client.get("/admin/intake/applications/1/review/"))[0] == ENROLL
    assert redirect_target(client.get("/admin/intake/case-documents/"))[0] == ENROLL
    assert redirect_target(client.get(LIST_ADMIN))[0] == ENROLL
    assert redirect_target(client.get("/admin/"))[0] == ENROLL

    page = client.get(ENROLL, {"next": QUEUE})
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.h1.get_text() == "绑定手机验证器"
    qr = soup.select_one("img[data-otp-qr]")
    assert qr["src"].startswith("data:image/svg+xml") and "二维码" in qr["alt"]
    assert not soup.select("script:not([src]):not([type='application/json'])"), "no inline script"
    label = soup.find("label", attrs={"for": "id_token"})
    assert label.get_text(strip=True).startswith("验证码")
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = soup.select_one("[data-otp-secret]").get_text().replace(" ", "")
    shown = TOTPDevice(key=client.session[ENROLLMENT_KEY])
    assert b32decode(secret) == shown.bin_key  # what a person types in by hand
    assert shown.key != device.key  # the secret stays in this session until confirmed

    # A wrong code: refused in Chinese, logged without the code.
    with caplog.at_level(logging.WARNING, logger="portal.otp"):
        wrong = client.post(
            ENROLL, {"token": "000000" if enrollment_code(client) != "000000" else "111111", "next": QUEUE}
        )
    assert wrong.status_code == 200 and "验证码不正确" in messages_of(wrong)
    assert "Staff second factor failed: account 'lian'" in caplog.text
    device.refresh_from_db()
    device.throttle_reset()  # django-otp's 1-second back-off after a failure

    confirmed = client.post(ENROLL, {"token": enrollment_code(client), "next": QUEUE})
    assert confirmed.status_code == 302 and confirmed.url == QUEUE
    device.refresh_from_db()
    assert (
        device.confirmed
        and device.bin_key == b32decode(secret)
        and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    )
    assert client.get(QUEUE).status_code == 200

    # Next session: the verify form, not a second enrollment.
    client.logout()
    client.post(LOGIN, {"username": "lian", "password": "correct-horse-battery"})
    assert redirect_target(client.get(QUEUE)) == (VERIFY, QUEUE)
    assert redirect_target(client.get(ENROLL))[0] == VERIFY  # a password never adds a device
    assert TOTPDevice.objects.filter(user=user).count() == 1
    verify = client.get(VERIFY, {"next": QUEUE})
    assert BeautifulSoup(verify.content, "html.parser").h1.get_text() == "两步验证"
    # The code just used is not accepted twice; the next one is.
    replay = client.post(VERIFY, {"token": totp_code(device), "next": QUEUE})
    assert replay.status_code == 200
    device.refresh_from_db()
    device.throttle_reset()
    verified = client.post(VERIFY, {"token": totp_code(device, steps_ahead=1), "next": QUEUE})
    assert verified.status_code == 302 and verified.url == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_a_list_manager_must_verify_before_the_list_admin(client):
    user = password_login(client, "mingdan", ["名单管理"])
    device = confirmed_device(user)
    assert redirect_target(client.get(LIST_ADMIN)) == (VERIFY, LIST_ADMIN)
    response = client.post(VERIFY, {"token": totp_code(device), "next": LIST_ADMIN})
    assert response.status_code == 302 and response.url == LIST_ADMIN
    assert client.get(LIST_ADMIN).status_code == 200


def test_wrong_codes_are_refused_in_chinese_and_locked_after_five(client, settings, caplog):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no back-off between tries: only our own lock counts
    user = password_login(client, "lian", ["立案审查"])
    device = confirmed_device(user)
    right = totp_code(device)
    wrong = f"{(int(right) + 500000) % 1000000:06d}"
    not_digits = client.post(VERIFY, {"token": "12ab56"})
    assert "验证码应为 6 位数字" in messages_of(not_digits)
    with caplog.at_level(logging.WARNING, logger="portal.otp"):
        for attempt in range(5):
            response = client.post(VERIFY, {"token": wrong})
            assert response.status_code == 200
            expected = "验证码不正确" if attempt < 4 else "两步验证已暂时锁定"
            assert expected in messages_of(response)
    assert "Staff second factor locked: account 'lian'" in caplog.text
    assert right not in caplog.text and wrong not in caplog.text
    locked = client.post(VERIFY, {"token": right})
    assert locked.status_code == 200 and "两步验证已暂时锁定" in messages_of(locked)
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert redirect_target(client.get(QUEUE))[0] == VERIFY


def test_full_width_digits_and_spaces_are_accepted(client):
    user = password_login(client, "lian", ["立案审查"])
    device = confirmed_device(user)
    code = totp_code(device)
    typed = " ".join(chr(ord(digit) + 0xFEE0) for digit in code)  # １ ２ ３ …
    assert client.post(VERIFY, {"token": typed}).status_code == 302


def test_propaganda_staff_are_never_asked(client):
    password_login(client, "xuanchuan", ["宣传"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200
    # The second-factor pages just send them on.
    assert client.get(VERIFY, {"next": "/admin/pages/"}).url == "/admin/pages/"
    assert not TOTPDevice.objects.exists()


def test_a_superuser_is_asked_and_there_is_no_second_admin(client):
    password_login(client, "root", is_superuser=True, is_staff=True)
    assert redirect_target(client.get("/admin/")) == (ENROLL, "/admin/")
    # No Django admin site: no second door (and no second sign-in page) to guard.
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


def test_signing_out_and_the_public_site_are_not_held_up(client, home_page):
    password_login(client, "lian", ["立案审查"])
    assert client.get("/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
    response = client.post("/admin/logout/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_verification(client):
    user = UserFactory(username="lian", groups=["立案审查"])
    log_in_verified(client, user)
    assert client.get(QUEUE).status_code == 200
    client.post("/admin/logout/")
    client.post(LOGIN, {"username": "lian", "password": "correct-horse-battery"})
    assert redirect_target(client.get(QUEUE))[0] == VERIFY


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "http:evil.example", "/\\evil.example"]
)
def test_next_cannot_leave_the_site(client, next_url):
    user = password_login(client, "lian", ["立案审查"])
    device = confirmed_device(user)
    response = client.post(VERIFY + "?next=x", {"token": totp_code(device), "next": next_url})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get(VERIFY, {"next": next_url}).url == "/admin/"  # already verified


def test_anonymous_visitors_go_to_the_sign_in_page(client):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert client.get(ENROLL).url.startswith(LOGIN)


def test_the_setting_switches_the_requirement_off(client, settings):
    settings.STAFF_OTP_REQUIRED = False
    password_login(client, "lian", ["立案审查"])
    assert client.get(QUEUE).status_code == 200


def test_the_reset_command_removes_the_devices_and_ends_the_sessions(client, caplog):
    user = UserFactory(username="lian", groups=["立案审查"])
    log_in_verified(client, user)
    assert client.get(QUEUE).status_code == 200
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="portal.management.commands.reset_staff_otp"):
        call_command("reset_staff_otp", "lian", stdout=out)
    assert "已重置 lian 的两步验证" in out.getvalue()
    assert "Staff second factor reset: account 'lian', 1 device(s) removed, 1 session(s) ended" in caplog.text
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get(QUEUE).url.startswith(LOGIN)  # signed out
    client.post(LOGIN, {"username": "lian", "password": "correct-horse-battery"})
    assert redirect_target(client.get(QUEUE))[0] == ENROLL  # enrolls the new phone
    with pytest.raises(CommandError, match="没有用户名为 nobody 的账号"):
        call_command("reset_staff_otp", "nobody", stdout=io.StringIO())


def test_an_account_that_never_bound_a_phone_cannot_bind_one_after_the_window(client, caplog, settings):
    # Created long ago, never enrolled: its password alone (perhaps stolen) binds nothing.
    old = timezone.now() - timedelta(days=settings.STAFF_OTP_ENROLLMENT_DAYS + 1)
    user = password_login(client, "lian", ["立案审查"], date_joined=old)
    assert redirect_target(client.get(QUEUE))[0] == ENROLL
    with caplog.at_level(logging.WARNING, logger="portal.otp"):
        closed = client.get(ENROLL, {"next": QUEUE})
    assert closed.status_code == 403
    page = BeautifulSoup(closed.content, "html.parser")
    assert page.h1.get_text(strip=True) == "无法绑定手机验证器"
    assert "联系系统管理员" in page.get_text() and not page.select("img[data-otp-qr], [data-otp-secret]")
    assert "enrollment refused (window closed): account 'lian'" in caplog.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(QUEUE).status_code == 302  # still no queue

    # An administrator's reset opens the window again, from now.
    call_command("reset_staff_otp", "lian", stdout=io.StringIO())
    client.post(LOGIN, {"username": "lian", "password": "correct-horse-battery"})
    page = BeautifulSoup(client.get(ENROLL, {"next": QUEUE}).content, "html.parser")
    assert page.h1.get_text(strip=True) == "绑定手机验证器"
    assert TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    assert client.post(ENROLL, {"token": enrollment_code(client), "next": QUEUE}).url == QUEUE
    assert client.get(QUEUE).status_code == 200

    # A reset left unused past the window closes again.
    call_command("reset_staff_otp", "lian", stdout=io.StringIO())
    TOTPDevice.objects.filter(user=user).update(created_at=old)
    client.post(LOGIN, {"username": "lian", "password": "correct-horse-battery"})
    assert client.get(ENROLL, {"next": QUEUE}).status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_passwords_need_twelve_characters_and_the_demo_passwords_pass():
    User = get_user_model()
    for username, password, _group, _role in DEMO_ACCOUNTS:
        validate_password(password, User(username=username, email=f"{username}@demo.invalid"))
    for weak in ("Short-pw-1", "123456789012", "password1234"):
        with pytest.raises(ValidationError):
            validate_password(weak, User(username="lian"))


def test_production_keeps_the_second_factor_whatever_the_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STAFF_OTP_REQUIRED, settings.STAFF_OTP_GROUPS)",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="court.example",
        PORTAL_STAFF_OTP="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['立案审查', '名单管理']"
