"""A member of 立案审查 enrolls a phone in the browser: the password, then the QR code page,
where the key typed by hand into an authenticator gives the first code; then the queue."""

import re
from base64 import b32decode

from playwright.sync_api import expect

from tests.e2e.conftest import E2E
from tests.e2e.staff import log_in_to_admin
from tests.staff import totp_code

pytestmark = E2E


class TypedInKey:
    """What an authenticator app holds after the key is typed in: key, 30 s, 6 digits."""

    def __init__(self, secret):
        self.bin_key, self.step, self.t0, self.digits, self.drift = b32decode(secret), 30, 0, 6, 0


def test_intake_reviewer_enrolls_a_phone_then_verifies_next_time(page, site, assert_accessible):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/admin/intake/applications/")
    page.get_by_label("用户名").fill("lian")
    page.get_by_label("密码").fill("demo-lian-2025")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("绑定手机验证器")
    expect(page.get_by_role("img", name=re.compile("两步验证二维码"))).to_be_visible()
    secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
    assert_accessible(page)

    page.get_by_label("验证码").fill("000000" if totp_code(TypedInKey(secret)) != "000000" else "111111")
    page.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_role("status")).to_contain_text("验证码不正确")
    page.wait_for_timeout(1100)  # django-otp's one-second back-off after a wrong code
    page.get_by_label("验证码").fill(totp_code(TypedInKey(secret)))
    page.get_by_role("button", name="确认绑定").click()
    expect(page).to_have_url(site + "/admin/intake/applications/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("申请")

    # A new session (cookies gone): the code from the same phone, no new QR code.
    page.context.clear_cookies()
    log_in_to_admin(page, site, "lian", "demo-lian-2025")
