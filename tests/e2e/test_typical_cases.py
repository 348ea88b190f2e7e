"""The path of a typical case: an editor imports it, an approver publishes it, a visitor
finds it on /cases/ through the filters. axe-core checks the list and the case page."""

import re

import openpyxl
from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E

TITLE = "欧阳某诉某物业公司物业服务合同纠纷案"


def sheet(path):
    workbook = openpyxl.Workbook()
    rows = workbook.active
    rows.append(
        [
            "标题",
            "案号",
            "法院",
            "案由",
            "履行方式",
            "裁判日期",
            "履行日期",
            "标的额",
            "关键词",
            "基本案情",
            "履行情况",
            "典型意义",
        ]
    )
    rows.append(
        [
            TITLE,
            "(2025)黑0921民初321号",
            "勃利县人民法院",
            "物业服务合同纠纷",
            "基层组织督促履行",
            "2025-08-01",
            "2025-08-12",
            "4860",
            "物业费、网格员",
            "欧阳某拖欠物业费三年，物业公司起诉。",
            "网格员上门释法后，欧阳某十日内付清。",
            "基层组织参与督促，小额纠纷不进执行。",
        ]
    )
    workbook.save(path)
    return path


def log_in(page, site, username, password):
    page.goto(site + "/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(site + "/admin/")


def test_editor_imports_approver_publishes_visitor_finds(page, site, assert_accessible, tmp_path):
    # The editor imports the case: preview first, then confirm; it arrives as a draft.
    log_in(page, site, "xuanchuan", "demo-xuanchuan-2025")
    page.goto(site + "/admin/publicity/cases/import/")
    page.get_by_label("案例表格").set_input_files(str(sheet(tmp_path / "cases.xlsx")))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("可以导入")
    page.get_by_role("button", name=re.compile("确认导入 1 个案例")).click()
    expect(page.get_by_text("已导入 1 个案例，均为草稿")).to_be_visible()

    # ... and submits it to the 宣传审核 workflow from the page editor.
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.get_by_role("status")).to_contain_text("已经提交进行审核")
    page.goto(site + "/cases/")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    # The approver approves, which publishes it.
    page.context.clear_cookies()
    log_in(page, site, "shenhe", "demo-shenhe-2025")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=re.compile("批准")).first.click()
    expect(page.get_by_role("status")).to_contain_text("已被更新")

    # A visitor narrows the list down to it with the filters.
    page.context.clear_cookies()
    page.goto(site + "/cases/")
    filters = page.get_by_role("complementary", name="筛选")
    filters.get_by_role("link", name=re.compile("物业服务合同纠纷")).click()
    filters.get_by_role("link", name=re.compile("勃利县人民法院")).click()
    expect(page.get_by_role("heading", name=re.compile("共 1 个案例"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name="履行情况")).to_be_visible()
    assert "（2025）黑0921民初321号" not in page.content()  # 公开案号 not ticked on import
    assert_accessible(page)


def test_news_list_and_article_are_accessible(page, site, assert_accessible):
    page.goto(site + "/news/")
    expect(page.get_by_role("heading", level=1)).to_have_text("新闻动态")
    assert_accessible(page)
    page.locator(".news-item h2 a").first.click()
    expect(page.locator("p.lead")).to_be_visible()
    assert_accessible(page)
