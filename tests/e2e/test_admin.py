"""Staff sign in to the Wagtail admin, in Chinese."""

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E


def test_admin_login_is_in_chinese_and_lets_staff_in(page, site):
    page.goto(site + "/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill("xuanchuan")
    page.get_by_label("密码").fill("demo-xuanchuan-2025")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(site + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("七台河市中级人民法院 自动履行激励平台")
    expect(page.get_by_role("heading", name="网站摘要")).to_be_visible()


def test_admin_login_refuses_a_wrong_password_in_chinese(page, site):
    page.goto(site + "/admin/login/")
    page.get_by_label("用户名").fill("xuanchuan")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("status")).to_contain_text("密码不匹配，请重试")
    expect(page).to_have_url(site + "/admin/login/")
