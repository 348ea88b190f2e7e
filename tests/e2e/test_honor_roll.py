"""A visitor on a phone opens the good-faith performance list, a batch, searches it by a
public name and downloads it; axe-core checks each page. Staff publish a batch and decide
an objection, each through its confirmation step."""

import datetime
import re
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from honorroll import publishing
from honorroll.models import ListBatch, ListEntry
from portal.models import CauseOfAction, Court
from tests.e2e.conftest import E2E
from tests.e2e.staff import log_in_to_admin
from tests.factories import UserFactory

pytestmark = E2E

PEOPLE = ["欧阳娜娜", "买买提·艾力", "张三", "张四", "李小明"]
ORGANISATION = ("七台河市某建设工程有限公司", "91230900MA1B2C3D4J")


def draft_batch():
    court = Court.objects.get(code="黑0902")
    cause = CauseOfAction.objects.get(name="民间借贷纠纷")
    batch = ListBatch.objects.create(court=court, year=2025, number=3)
    parties = [(name, "person", "") for name in PEOPLE] + [
        (*ORGANISATION[:1], "organisation", ORGANISATION[1])
    ]
    for serial, (name, kind, code) in enumerate(parties, start=1):
        ListEntry.objects.create(
            batch=batch,
            party_kind=kind,
            party_name=name,
            credit_code=code,
            court=court,
            case_number=f"（2025）黑0902民初{serial}号",
            cause=cause,
            performed_on=datetime.date(2025, 6, serial),
            source="import",
            consented_at=timezone.now() if kind == "person" else None,
            consent_record="书面同意书" if kind == "person" else "",
        )
    return batch


def published_batch():
    batch = draft_batch()
    return publishing.publish(batch, actor=UserFactory(username="mingdan-e2e", groups=["名单管理"]))


def test_browse_search_and_download_the_list_on_a_phone(page, site, assert_accessible):
    published_batch()
    page.goto(site + "/honor-roll/")
    expect(page.get_by_role("heading", level=1)).to_have_text("诚信履行名单")
    newest = page.locator(".batch-item").first  # the demo content has a batch of its own
    expect(newest).to_contain_text("七台河市新兴区人民法院 2025年第3期")
    expect(newest).to_contain_text("共 6 条")
    assert_accessible(page)

    page.get_by_role("link", name="七台河市新兴区人民法院 2025年第3期").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "七台河市新兴区人民法院诚信履行名单（2025年第3期）"
    )
    table = page.get_by_role("table", name="七台河市新兴区人民法院诚信履行名单（2025年第3期）")
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(table).to_contain_text("欧阳某某")
    expect(table).to_contain_text(ORGANISATION[1])
    assert "欧阳娜娜" not in page.content()
    assert_accessible(page)

    page.get_by_label("当事人名称").fill("张某")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="符合条件的共 2 条")).to_be_visible()
    expect(table.locator("tbody th")).to_have_text(["张某1", "张某2"])
    expect(page.get_by_label("当事人名称")).to_have_value("张某")
    assert_accessible(page)

    page.get_by_label("当事人名称").fill("娜娜")  # the real given name finds nothing
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("没有符合条件的当事人")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV 文件").click()
    assert download.value.suggested_filename == "七台河市新兴区人民法院诚信履行名单2025年第3期.csv"
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert (
        text.splitlines()[0] == "序号,当事人,统一社会信用代码,案号,案由,审理法院,履行完毕日期,履行金额（元）"
    )
    assert "张某1" in text and ORGANISATION[1] in text
    assert not [name for name in (*PEOPLE, "娜娜", "艾力", "小明") if name in text]


def test_staff_publish_and_decide_an_objection_after_confirming(page, site):
    batch = draft_batch()
    staff = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_to_admin(staff, site, "mingdan", "demo-mingdan-2025")
    staff.goto(site + f"/admin/honorroll/batches/{batch.pk}/manage/")

    # The first click only names what publishing freezes; going back changes nothing.
    staff.get_by_role("button", name="发布（公开名称将按下表冻结）").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("确认发布名单")
    expect(
        staff.get_by_text("欧阳某某、买某、张某1、张某2、李某某、七台河市某建设工程有限公司")
    ).to_be_visible()
    staff.get_by_role("link", name="返回，不作更改").click()
    expect(staff.locator("[data-batch-status]")).to_contain_text("草稿")
    staff.get_by_role("button", name="发布（公开名称将按下表冻结）").click()
    staff.get_by_role("button", name="确认发布").click()
    expect(staff.get_by_text("2025年第3期已发布。")).to_be_visible()

    row = staff.get_by_role("row", name=re.compile("李小明"))
    row.get_by_text("登记异议").click()
    row.get_by_label("异议人").fill("李小明")
    row.get_by_label("异议理由").fill("该案已改判。")
    row.get_by_role("button", name="登记").click()
    expect(staff.get_by_text("已登记异议，待处理（条目显示“异议处理中”）。")).to_be_visible()

    staff.get_by_label("处理意见").fill("经核实，该案已改判。\n条目移除。")
    staff.get_by_role("button", name="异议成立，移除并重新发布").click()
    expect(staff.get_by_text("异议成立，移除条目并重新发布第 2 版", exact=True)).to_be_visible()
    staff.get_by_role("button", name="确认作出决定").click()
    expect(
        staff.get_by_text("异议成立，批次已重新发布为第 2 版；已报送的接收单位将显示“待重新报送”。")
    ).to_be_visible()
    expect(staff.get_by_text(re.compile("经核实，该案已改判。\\s*条目移除。"))).to_be_visible()

    page.goto(site + f"/honor-roll/{batch.pk}/")
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(5)
    expect(page.get_by_role("table")).not_to_contain_text("李某某")
