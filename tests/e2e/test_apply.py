"""A litigant applies on a phone-sized browser and follows the application."""

import re
import subprocess

from playwright.sync_api import expect

from tests.e2e.conftest import E2E
from tests.e2e.forms import fill_case_and_applicant
from tests.e2e.staff import log_in_to_admin

pytestmark = E2E

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_apply_on_a_phone_then_check_the_status(page, site, assert_accessible, tmp_path):
    receipt = tmp_path / "付款凭证.pdf"
    receipt.write_bytes(PDF)
    page.goto(site + "/apply/certificate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申请自动履行证明书")
    assert_accessible(page)

    fill_case_and_applicant(
        page,
        case_number="(2025)黑0902民初123号",
        document_type="民事调解书",
        document_date="2025-06-10",
        performed_on="2025-06-18",
        id_number="110105194912310021",  # wrong check digit
    )
    page.get_by_label("履行凭证").set_input_files(str(receipt))
    page.get_by_label(re.compile("同意法院为办理本申请处理")).check()
    page.get_by_role("button", name="提交申请").click()

    # The mistake is named next to the field; everything else is still filled in.
    expect(page.get_by_text("居民身份证号码校验位不正确")).to_be_visible()
    expect(page.get_by_label("申请人姓名或名称")).to_have_value("杨某")
    expect(page.get_by_label("履行完毕日期")).to_have_value("2025-06-18")
    assert_accessible(page)

    page.get_by_label("身份证号码或统一社会信用代码", exact=True).fill("11010519491231002X")
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

    # Staff record the creditor's confirmation and approve in the admin.
    staff = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_to_admin(staff, site, "lian", "demo-lian-2025")
    staff.goto(site + "/admin/intake/applications/")
    staff.get_by_role("link", name=number).click()
    staff.get_by_label("确认人（原告或申请执行人）").fill("李某")
    staff.get_by_role("button", name="记录确认").click()
    expect(staff.get_by_text("已记录原告确认")).to_be_visible()
    staff.get_by_role("button", name="批准并出具证明书").click()
    # A second step names what will be issued; nothing is issued until it is confirmed.
    expect(staff.get_by_role("heading", level=1)).to_contain_text("确认批准并出具证明书")
    expect(
        staff.get_by_text("将批准该申请，为七台河市新兴区人民法院编号出具自动履行证明书。")
    ).to_be_visible()
    staff.get_by_role("button", name="确认批准并出具证明书").click()
    expect(staff.get_by_text(re.compile("已批准，证明书编号"))).to_be_visible()
    serial = re.search(
        r"证明书编号 (\S+)。", staff.get_by_text(re.compile("已批准，证明书编号")).inner_text()
    ).group(1)

    # The applicant downloads the PDF from the status page.
    page.goto(site + "/apply/status/")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-status]")).to_have_text("已批准，证明书已出具")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载自动履行证明书（PDF）").click()
    pdf = download.value.path()
    with open(pdf, "rb") as handle:
        assert handle.read(4) == b"%PDF"
    verification = re.search(
        r"验证码：(\w+)", subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    )
    code_on_pdf = verification.group(1)

    # A bank verifies it, staff revoke it, the bank sees 已撤销.
    bank = page.context.browser.new_page()
    bank.goto(site + "/verify/")
    bank.get_by_label("证书编号").fill(serial)
    bank.get_by_label("验证码").fill(code_on_pdf)
    bank.get_by_role("button", name="核验").click()
    expect(bank.locator("[data-verify-result]")).to_have_text("有效")
    expect(bank.get_by_text("杨某")).to_be_visible()
    assert_accessible(bank)
    staff.get_by_label("理由（申请人可见）").last.fill("原告反映款项被银行退回。")
    staff.get_by_role("button", name="撤销证明书").click()
    expect(staff.get_by_text(f"将撤销自动履行证明书 {serial}。")).to_be_visible()
    bank.reload()
    expect(bank.locator("[data-verify-result]")).to_have_text("有效")  # not before it is confirmed
    staff.get_by_role("button", name="确认撤销证明书").click()
    expect(staff.get_by_text("证明书已撤销")).to_be_visible()
    bank.reload()
    expect(bank.locator("[data-verify-result]")).to_have_text("已撤销")
