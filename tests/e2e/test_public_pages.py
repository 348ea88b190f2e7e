"""A visitor on a phone: the home page, the notice, a standard page, the 404 page."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E


def test_home_page_is_usable_and_accessible(page, site, assert_accessible):
    page.goto(site + "/")
    expect(page).to_have_title(re.compile("七台河市中级人民法院"))
    expect(page.get_by_role("heading", level=1)).to_have_text("诚信履行光荣 抗拒执行可耻")
    expect(page.get_by_role("link", name=re.compile("申请自动履行证明书"))).to_be_visible()
    search = page.get_by_label("搜索典型案例")
    expect(search).to_be_visible()
    search.fill("民间借贷")
    with page.expect_navigation():
        search.press("Enter")
    assert page.url.endswith("/search/?q=%E6%B0%91%E9%97%B4%E5%80%9F%E8%B4%B7")
    page.goto(site + "/")
    assert_accessible(page)


def test_notice_page_shows_both_lists_and_is_accessible(page, site, assert_accessible):
    page.goto(site + "/notice/")
    expect(page.get_by_role("heading", level=1)).to_have_text("自动履行告知书")
    expect(page.get_by_role("heading", name="守信激励——自动履行的好处")).to_be_visible()
    expect(page.get_by_role("heading", name="失信惩戒——拒不履行的后果")).to_be_visible()
    expect(page.locator(".notice__items li")).to_have_count(6)
    assert_accessible(page)


def test_standard_page_and_404_are_accessible(page, site, assert_accessible):
    page.goto(site + "/how-to-apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("如何申请自动履行证明书")
    assert_accessible(page)
    response = page.goto(site + "/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(page, site):
    page.goto(site + "/notice/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
