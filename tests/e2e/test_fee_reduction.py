"""A litigant computes the fee, applies for a reduction on a phone, staff decide it in the
admin, and the applicant downloads the decision."""

import re
import subprocess

from playwright.sync_api import expect

from tests.e2e.conftest import E2E
from tests.e2e.forms import fill_case_and_applicant
from tests.e2e.staff import log_in_to_admin

pytestmark = E2E

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_fee_calculator_on_a_phone(page, site, assert_accessible):
    page.goto(site + "/fee-calculator/")
    expect(page.get_by_role("heading", level=1)).to_have_text("诉讼费用计算器")
    assert_accessible(page)
    page.get_by_label("案件类型").select_option(label="财产案件")
    page.get_by_label("金额（元）").fill("-5")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_text("金额不能为负数。")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("金额（元）").fill("150000")
    page.get_by_label(re.compile("调解结案或者撤诉")).check()
    page.get_by_role("button", name="计算").click()
    expect(page.locator("[data-fee]")).to_have_text("3300.00 元（叁仟叁佰元整）")
    expect(page.locator("[data-payable]")).to_have_text("1650.00 元（壹仟陆佰伍拾元整）")
    expect(page.locator(".breakdown tbody tr")).to_have_count(3)
    assert_accessible(page)


def test_apply_for_a_fee_reduction_staff_decide_applicant_downloads(page, site, assert_accessible, tmp_path):
    receipt = tmp_path / "付款凭证.pdf"
    receipt.write_bytes(PDF)
    page.goto(site + "/apply/fee-reduction/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申请减免诉讼费用")
    assert_accessible(page)

    fill_case_and_applicant(
        page,
        case_number="(2025)黑0902民初321号",
        document_type="民事判决书",
        document_date="2025-05-20",
        performed_on="2025-06-01",
        id_number="11010519491231002X",
    )
    page.get_by_label("案件类型").select_option(label="财产案件")
    page.get_by_label("诉讼请求金额（元，选填）").fill("150000")
    # The calculator's figure appears while the applicant types.
    expect(page.locator("[data-fee-estimate]")).to_contain_text("本案受理费应为 3300.00 元")
    page.get_by_label("案件受理费（元）").fill("3300")
    page.get_by_label("其中由申请人负担（元）").fill("5000")  # more than the fee
    page.get_by_label("交纳方式").select_option(label="网上缴费")
    page.get_by_label("申请理由").fill("判决确定的款项已在履行期限内一次性付清。")
    page.get_by_label("履行凭证").set_input_files(str(receipt))
    page.get_by_label(re.compile("同意法院为办理本申请处理")).check()
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_text("由申请人负担的部分不能超过案件受理费 3300.00 元。")).to_be_visible()
    expect(page.get_by_label("申请理由")).to_have_value("判决确定的款项已在履行期限内一次性付清。")
    assert_accessible(page)
    page.get_by_label("其中由申请人负担（元）").fill("3300")
    page.get_by_label("履行凭证").set_input_files(str(receipt))
    page.get_by_label(re.compile("同意法院为办理本申请处理")).check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    number = page.locator("[data-tracking-number]").inner_text().strip()
    code = page.locator("[data-access-code]").inner_text().strip()
    assert number.startswith("JM")

    # Staff confirm with the creditor, then decide: the policy proposes 50% of 3,300.
    staff = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_to_admin(staff, site, "lian", "demo-lian-2025")
    staff.goto(site + "/admin/intake/applications/?kind=fee_reduction")
    staff.get_by_role("link", name=number).click()
    staff.get_by_label("确认人（原告或申请执行人）").fill("李某")
    staff.get_by_role("button", name="记录确认").click()
    expect(staff.get_by_text("已记录原告确认")).to_be_visible()
    expect(staff.get_by_label("准予减免金额（元）")).to_have_value("1650.00")
    staff.get_by_label("准予减免金额（元）").fill("500")  # below the 30% floor
    staff.get_by_role("button", name="作出减免决定").click()
    expect(staff.get_by_text(re.compile("减交比例不得低于 30%"))).to_be_visible()
    staff.get_by_label("准予减免金额（元）").fill("1650")
    staff.get_by_role("button", name="作出减免决定").click()
    expect(staff.get_by_text("将作出减免诉讼费用决定：准予减交 1650.00 元。")).to_be_visible()
    staff.get_by_role("button", name="确认作出减免决定").click()
    expect(staff.get_by_text(re.compile("已作出减免决定，决定书编号"))).to_be_visible()

    page.goto(site + "/apply/status/")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("已批准，减免决定书已出具")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="下载减免诉讼费用决定书（PDF）").click()
    text = subprocess.run(["pdftotext", download.value.path(), "-"], capture_output=True, text=True).stdout
    squeezed = "".join(text.split())
    assert (
        "准予申请人减交案件受理费1,650.00元（壹仟陆佰伍拾元整），申请人尚应负担1,650.00元（壹仟陆佰伍拾元整）"
        in squeezed
    )
