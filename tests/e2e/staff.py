"""Staff sign-in in the browser: the password, then for superusers, 立案审查 and 名单管理
the 6-digit code of their (test) phone, computed from the device's key and typed into the
second-factor form like a person reads it off the authenticator app."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from portal.otp import second_factor_required
from tests.staff import confirmed_device, unused_code


def log_in_to_admin(page, site, username, password):
    user = get_user_model().objects.get(username=username)
    device = confirmed_device(user) if second_factor_required(user) else None
    page.goto(site + "/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("两步验证")
        page.get_by_label("验证码").fill(unused_code(device))
        page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(site + "/admin/")
