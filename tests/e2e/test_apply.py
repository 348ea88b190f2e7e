"""A litigant applies on a phone-sized browser and follows the application."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import E2E

pytestmark = E2E

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_apply_on_a_phone_then_check_the_status(page, site, assert_accessible, tmp_path):
    receipt = tmp_path / "付款凭证.pdf"
    receipt.write_bytes(PDF)
    page.goto(site + "/apply/certificate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申请自动履行证明书")
    assert_accessible(page)

    page.get_by_label("审理法院").select_option(label="七台河市新兴区人民法院")
    page.get_by_label("案号").fill("(2025)黑0902民初123号")
    page.get_by_label("法律文书类型").select_option(label="民事调解书")
    page.get_by_label("法律文书制作日期").fill("2025-06-10")
    page.get_by_label("案由").select_option(label="民间借贷纠纷")
    page.get_by_label("原告（申请执行人）").fill("李某")
    page.get_by_label("被告（被执行人）").fill("杨某")
    page.get_by_label("履行完毕日期").fill("2025-06-18")
    page.get_by_label("申请人身份").select_option(value="defendant")
    page.get_by_label("申请人姓名或名称").fill("杨某")
    page.get_by_label("身份证号码或统一社会信用代码").fill("110105194912310021")  # wrong check digit
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("履行凭证").set_input_files(str(receipt))
    page.get_by_label(re.compile("同意法院为办理本申请处理")).check()
    page.get_by_role("button", name="提交申请").click()

    # The mistake is named next to the field; everything else is still filled in.
    expect(page.get_by_text("居民身份证号码校验位不正确")).to_be_visible()
    expect(page.get_by_label("申请人姓名或名称")).to_have_value("杨某")
    assert_accessible(page)

    page.get_by_label("身份证号码或统一社会信用代码").fill("11010519491231002X")
    page.get_by_label("履行凭证").set_input_files(str(receipt))
    page.get_by_label(re.compile("同意法院为办理本申请处理")).check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    number = page.locator("[data-tracking-number]").inner_text().strip()
    code = page.locator("[data-access-code]").inner_text().strip()
    assert_accessible(page)

    page.goto(site + "/apply/status/")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("已提交，待审查")
    assert_accessible(page)
