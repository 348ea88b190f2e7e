"""A visitor on a phone searches from the home page, narrows by a facet; axe-core checks the page.

The demo pages are published through Wagtail (load_demo), so the embedded index is filled
by the publish signals after each commit, not by a rebuild.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E


def test_search_on_a_phone_and_narrow_by_facet(page, site, assert_accessible):
    page.goto(site + "/")
    page.get_by_label("搜索典型案例").fill("履行")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("heading", level=1)).to_have_text("站内搜索")
    expect(page.locator("mark").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^民间借贷纠纷（3）")).click()
    expect(page).to_have_url(re.compile(r"cause=\d+"))
    expect(page.get_by_role("heading", name=re.compile("共 3 条结果"))).to_be_visible()
    expect(page.get_by_role("link", name="李某诉杨某民间借贷纠纷案")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="李某诉杨某民间借贷纠纷案").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("李某诉杨某民间借贷纠纷案")


def test_search_with_no_result_suggests_dropping_the_filter(page, site, assert_accessible):
    page.goto(site + "/search/?q=履行")
    page.get_by_role("link", name=re.compile("^民间借贷纠纷（3）")).click()
    page.get_by_label("搜索典型案例和新闻").fill("物业费")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_text("没有找到符合条件的内容")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="去掉“案由：民间借贷纠纷”").click()
    expect(page.get_by_role("link", name="某物业服务有限公司诉陈某物业服务合同纠纷案")).to_be_visible()
