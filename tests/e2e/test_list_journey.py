"""Issue 15, end to end in a browser: a lawyer applies for the defendant company; intake
staff approve; 名单管理 publish the company (never the lawyer) from the dashboard and export
it to four agencies; the certificate is revoked after publication; 名单管理 decide the
correction the system registered, which republishes the batch as version 2, flags every
agency 待重新报送 and shows in an agency's feed as a withdrawal."""

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.identifiers import credit_code_check_character
from tests.e2e.conftest import E2E
from tests.e2e.staff import log_in_to_admin

pytestmark = E2E

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COURT = "七台河市新兴区人民法院"
CASE_NUMBER = "（2025）黑0902民初815号"
LAWYER = "王某律师"
LAWYER_ID = "11010519491231002X"  # in conftest.PERSONAL_DATA: it must never reach a log line
PHONE = "13912345678"
COMPANY = "七台河市某某建材有限公司"
CREDIT_CODE = "91230900MA1CK8QX3" + credit_code_check_character("91230900MA1CK8QX3")
# Four of the demo's five recipient agencies receive the batch.
AGENCIES = (
    "七台河市发展和改革委员会",
    "七台河市市场监督管理局",
    "国家税务总局七台河市税务局",
    "中国人民银行七台河市分行",
)
DESKTOP = {"width": 1280, "height": 900}


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def new_page(page):
    """Another person's browser (own cookies), closed after the test."""
    opened = []

    def open_page(**options):
        opened.append(page.context.browser.new_page(**options))
        return opened[-1]

    yield open_page
    for other in opened:
        other.context.close()


def check_admin_page(page, assert_accessible):
    """axe-core on a Wagtail admin page once its short animations are over: mid-fade, a
    flash message fails the contrast check. (The sidebar badge pings for 25 seconds.)"""
    # Polled with evaluate(): wait_for_function evaluates a string with eval, which the
    # admin's Content-Security-Policy (no 'unsafe-eval') refuses.
    settled = """() => document.getAnimations().every(
        a => a.playState !== "running" || a.effect.getComputedTiming().activeDuration > 5000
    )"""
    for _ in range(100):
        if page.evaluate(settled):
            break
        page.wait_for_timeout(100)
    assert_accessible(page)


def look_up_status(page, site, number, code):
    page.goto(site + "/apply/status/")
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()


def apply_as_the_companys_lawyer(page, site, tmp_path, assert_accessible):
    """Step 1: the agent applies; the performing party is the defendant company."""
    receipt, power_of_attorney = tmp_path / "付款凭证.pdf", tmp_path / "授权委托书.pdf"
    receipt.write_bytes(PDF)
    power_of_attorney.write_bytes(PDF)
    page.goto(site + "/apply/certificate/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申请自动履行证明书")
    page.get_by_label("审理法院").select_option(label=COURT)
    page.get_by_label("案号").fill(CASE_NUMBER)
    page.get_by_label("法律文书类型").select_option(label="民事调解书")
    page.get_by_label("法律文书制作日期").fill("2025-06-10")
    page.get_by_label("案由").select_option(label="买卖合同纠纷")
    page.get_by_label("原告（申请执行人）", exact=True).fill("李某")
    page.get_by_label("被告（被执行人）", exact=True).fill(COMPANY)
    page.get_by_role("group", name="被告类型").get_by_label("法人或其他组织").check()
    page.get_by_label("履行完毕日期").fill("2025-06-18")
    page.get_by_label("申请人身份").select_option(label="委托代理人")
    page.get_by_label("申请人姓名或名称").fill(LAWYER)
    page.get_by_label("身份证号码或统一社会信用代码", exact=True).fill(LAWYER_ID)
    page.get_by_label("手机号码").fill(PHONE)
    # The principal's name is left empty: it defaults to the defendant.
    page.get_by_label("履行义务的当事人身份证号码或统一社会信用代码", exact=True).fill(CREDIT_CODE)
    page.get_by_label("授权委托书", exact=True).set_input_files(str(power_of_attorney))
    page.get_by_label("履行凭证", exact=True).set_input_files(str(receipt))
    page.get_by_label(re.compile("同意法院为办理本申请处理")).check()
    page.get_by_label(re.compile("同意将其自动履行情况列入诚信履行名单")).check()
    page.get_by_label(re.compile("提供给名单接收单位")).check()
    assert_accessible(page)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    number = page.locator("[data-tracking-number]").inner_text().strip()
    code = page.locator("[data-access-code]").inner_text().strip()
    assert number and code

    look_up_status(page, site, number, code)
    expect(page.locator("[data-status]")).to_have_text("已提交，待审查")
    expect(page.locator("[data-list-status]")).to_have_text(f"批准后，将推荐{COMPANY}列入诚信履行名单。")
    return number, code


def approve(staff, site, number):
    """Step 2: intake staff record the creditor's confirmation, then approve (confirmed)."""
    staff.goto(site + "/admin/intake/applications/")
    staff.get_by_role("link", name=number).click()
    expect(staff.locator("[data-performer]")).to_have_text(f"{COMPANY}（法人或其他组织），证件号码已登记")
    expect(staff.locator("[data-list-consent]")).to_have_text(
        "履行义务的当事人同意列入，并同意向接收单位提供身份信息"
    )
    expect(staff.get_by_text("授权委托书：授权委托书.pdf")).to_be_visible()
    staff.get_by_label("确认人（原告或申请执行人）").fill("李某")
    staff.get_by_role("button", name="记录确认").click()
    expect(staff.get_by_text("已记录原告确认")).to_be_visible()
    staff.get_by_role("button", name="批准并出具证明书").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("确认批准并出具证明书")
    expect(
        staff.get_by_text(f"履行义务的当事人{COMPANY}同意列入诚信履行名单，批准后将列为名单候选人。")
    ).to_be_visible()
    staff.get_by_role("button", name="确认批准并出具证明书").click()
    approved = staff.get_by_text(re.compile("已批准，证明书编号"))
    expect(approved).to_be_visible()
    return re.search(r"证明书编号 (\S+)。", approved.inner_text()).group(1)


def verification_code_from_the_pdf(page, site, number, code):
    """The applicant downloads the certificate; its verification code is printed on it."""
    look_up_status(page, site, number, code)
    expect(page.locator("[data-status]")).to_have_text("已批准，证明书已出具")
    expect(page.locator("[data-list-status]")).to_have_text(
        f"已推荐{COMPANY}列入诚信履行名单，由法院在下一期名单中审核发布。"
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="下载自动履行证明书（PDF）").click()
    text = subprocess.run(
        ["pdftotext", download.value.path(), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.search(r"验证码：(\w+)", text).group(1)


def work_count(panel, item, label):
    """The count an item of the 名单管理 dashboard panel shows."""
    text = panel.locator(f"[data-work={item}]").inner_text()
    return int(re.search(rf"{label}：\s*(\d+)", text).group(1))


def publish_a_batch_with_the_company(lists, site, assert_accessible):
    """Step 3: from the dashboard, a new batch of 黑0902 with the candidate, published."""
    lists.goto(site + "/admin/")
    panel = lists.locator("[data-honorroll-work]")
    expect(panel.get_by_role("heading", name="诚信履行名单待办")).to_be_visible()
    assert work_count(panel, "candidates", "新候选人") >= 1
    check_admin_page(lists, assert_accessible)

    # The brief's /admin/honorroll/batches/add/ is a 404: Wagtail's add view is …/new/,
    # reached from the index like staff do.
    lists.goto(site + "/admin/honorroll/batches/")
    lists.get_by_role("link", name=re.compile("添加")).first.click()
    expect(lists).to_have_url(site + "/admin/honorroll/batches/new/")
    lists.get_by_label("发布法院").select_option(label=COURT)
    lists.get_by_label("年度").fill("2025")
    lists.get_by_label("期数").fill("2")  # the demo published 第1期
    lists.get_by_role("button", name="创建").click()
    expect(lists).to_have_url(re.compile(r"/admin/honorroll/batches/(\d+)/manage/$"))
    batch_pk = int(re.search(r"/batches/(\d+)/manage/", lists.url).group(1))
    expect(lists.locator("[data-batch-status]")).to_contain_text("草稿")

    # The candidate is the company that performed, not the lawyer who applied.
    candidate = lists.get_by_role("row", name=re.compile(COMPANY))
    expect(candidate).to_contain_text(CASE_NUMBER)
    expect(candidate).to_contain_text("法人或其他组织")
    expect(candidate).to_contain_text("同意报送")
    expect(lists.get_by_role("row", name=re.compile(LAWYER))).to_have_count(0)
    check_admin_page(lists, assert_accessible)
    candidate.get_by_label(f"选择 {COMPANY}").check()
    lists.get_by_role("button", name="加入本批次").click()
    expect(lists.get_by_text("已加入 1 条。")).to_be_visible()

    lists.get_by_role("button", name="发布（公开名称将按下表冻结）").click()
    expect(lists.get_by_role("heading", level=1)).to_contain_text("确认发布名单")
    expect(
        lists.get_by_text("将发布七台河市新兴区人民法院 2025年第2期诚信履行名单，共 1 条。")
    ).to_be_visible()
    expect(lists.get_by_text(COMPANY, exact=True)).to_be_visible()
    check_admin_page(lists, assert_accessible)
    lists.get_by_role("button", name="确认发布").click()
    expect(lists.get_by_text("2025年第2期已发布。")).to_be_visible()
    expect(lists.locator("[data-batch-status]")).to_contain_text("已发布，第 1 版")
    entry = lists.get_by_role("row", name=re.compile(CASE_NUMBER))
    expect(entry.locator("[data-public-name]")).to_have_text(COMPANY)
    check_admin_page(lists, assert_accessible)
    return batch_pk


def check_the_public_batch_page(visitor, site, batch_pk, assert_accessible):
    visitor.goto(site + f"/honor-roll/{batch_pk}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"{COURT}诚信履行名单（2025年第2期）")
    rows = visitor.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(COMPANY)
    expect(rows.first).to_contain_text(CREDIT_CODE)
    assert LAWYER not in visitor.content()
    assert_accessible(visitor)


def export_to_four_agencies(lists, site, batch_pk):
    """Step 4: one file per agency, each recorded as a delivery of version 1."""
    for agency in AGENCIES:
        lists.get_by_label("接收单位").select_option(label=agency)
        lists.get_by_label("格式").select_option(value="csv")
        with lists.expect_download() as download:
            lists.get_by_role("button", name="导出并记录报送").click()
        assert download.value.suggested_filename == (
            f"诚信履行名单-{COURT}-2025年第2期-第1版-报送{agency}.csv"
        )
        text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
        assert COMPANY in text and CREDIT_CODE in text and LAWYER not in text
    lists.goto(site + f"/admin/honorroll/batches/{batch_pk}/manage/")
    held = lists.locator("[data-delivery-status]")
    for agency in AGENCIES:
        row = held.get_by_role("row", name=re.compile(agency))
        expect(row).to_contain_text("第 1 版")
        expect(row).to_contain_text("已是最新版")
    expect(held.locator("tbody tr")).to_have_count(len(AGENCIES))
    log = lists.get_by_role("table", name="报送记录")
    expect(log.locator("tbody tr")).to_have_count(len(AGENCIES))
    for agency in AGENCIES:
        expect(log.get_by_role("row", name=re.compile(agency)).locator("td").nth(3)).to_have_text("1")


def revoke(staff, bank, page, site, *, number, code, serial, verification_code, assert_accessible):
    """Step 5: intake staff revoke after publication; the bank and the applicant see it."""
    staff.get_by_label("理由（申请人可见）").last.fill("原告反映款项被银行退回。")
    staff.get_by_role("button", name="撤销证明书").click()
    expect(staff.get_by_text(f"将撤销自动履行证明书 {serial}。")).to_be_visible()
    staff.get_by_role("button", name="确认撤销证明书").click()
    expect(staff.get_by_text("证明书已撤销")).to_be_visible()
    expect(staff.get_by_text("已登记名单更正 1 项，待名单管理人员处理")).to_be_visible()
    today = chinese_date(timezone.localdate())

    bank.goto(site + "/verify/")
    bank.get_by_label("证书编号").fill(serial)
    bank.get_by_label("验证码").fill(verification_code)
    bank.get_by_role("button", name="核验").click()
    expect(bank.locator("[data-verify-result]")).to_have_text("已撤销")
    expect(bank.locator("[data-revoked-on]")).to_contain_text(f"于{today}撤销")
    expect(bank.get_by_text(COMPANY, exact=True)).to_be_visible()
    assert_accessible(bank)

    look_up_status(page, site, number, code)
    expect(page.locator("[data-status]")).to_have_text(f"证明书已于{today}撤销")
    expect(page.locator("main")).not_to_contain_text("已批准")
    expect(page.get_by_role("button", name="下载自动履行证明书（PDF）")).to_have_count(0)
    assert_accessible(page)


def decide_the_correction(lists, site, batch_pk, assert_accessible):
    """Step 6: the correction the system registered waits on the dashboard; deciding it
    (as the same 名单管理 member: nobody of the group registered it, so no second person is
    required) removes the entry and republishes the batch as version 2."""
    lists.goto(site + "/admin/")
    panel = lists.locator("[data-honorroll-work]")
    assert work_count(panel, "corrections", "待处理的异议与更正") >= 1
    panel.locator("[data-work=corrections]").get_by_role(
        "link", name=re.compile(f"2025年第2期：{re.escape(CASE_NUMBER)}")
    ).click()
    expect(lists).to_have_url(site + f"/admin/honorroll/batches/{batch_pk}/manage/")
    entry = lists.get_by_role("row", name=re.compile(CASE_NUMBER)).first
    expect(entry.locator("[data-objection-pending]")).to_have_text("异议处理中")

    objection = lists.locator("[data-objections]").get_by_role("row", name=re.compile(COMPANY))
    expect(objection).to_contain_text("系统（自动履行证明书已撤销）")
    expect(objection).to_contain_text("原告反映款项被银行退回。")
    objection.get_by_label("处理意见").fill("证明书已撤销，条目撤下。")
    objection.get_by_role("button", name="异议成立，移除并重新发布").click()
    expect(lists.get_by_role("heading", level=1)).to_contain_text("确认异议处理决定")
    expect(lists.get_by_text("异议成立，移除条目并重新发布第 2 版", exact=True)).to_be_visible()
    check_admin_page(lists, assert_accessible)
    lists.get_by_role("button", name="确认作出决定").click()
    expect(lists.get_by_text(re.compile("异议成立，批次已重新发布为第 2 版"))).to_be_visible()
    expect(lists.locator("[data-batch-status]")).to_contain_text("第 2 版")
    expect(lists.locator("[data-objection-pending]")).to_have_count(0)
    expect(lists.locator("[data-public-name]")).to_contain_text("（第 2 版撤下）")

    held = lists.locator("[data-delivery-status]")
    for agency in AGENCIES:
        row = held.get_by_role("row", name=re.compile(agency))
        expect(row).to_contain_text("第 1 版")
        expect(row.locator("[data-stale]")).to_have_text("待重新报送")
    versions = lists.locator("[data-versions]")
    expect(versions.locator("tbody tr td:first-child")).to_have_text(["第 2 版（当前）", "第 1 版"])
    check_admin_page(lists, assert_accessible)

    versions.get_by_role("row", name=re.compile("第 1 版")).get_by_role("link", name="查看").click()
    expect(lists.locator("[data-version-facts]")).to_contain_text("第 1 版（已被第 2 版取代）")
    row = lists.get_by_role("row", name=re.compile(COMPANY))
    expect(row).to_contain_text(CREDIT_CODE)
    check_admin_page(lists, assert_accessible)
    return int(row.locator("td").first.inner_text())


def issue_an_api_key(lists, site, agency):
    lists.goto(site + "/admin/honorroll/recipients/")
    lists.get_by_role("row", name=re.compile(agency)).get_by_role("link", name="接口密钥").click()
    expect(lists.get_by_role("heading", level=1)).to_contain_text("接口密钥")
    lists.get_by_role("button", name="生成新密钥").click()
    expect(lists.get_by_text("密钥只显示这一次")).to_be_visible()
    return lists.locator("[data-new-key]").inner_text().strip()


def check_the_feed(agency, site, batch_pk, key, entry_id):
    """Step 7: the agency's feed lists the withdrawal since version 1."""
    auth = {"Authorization": f"Bearer {key}"}
    base = site + f"/api/v1/honor-roll/batches/{batch_pk}"
    changes = agency.request.get(base + "/changes/?since=1", headers=auth)
    assert changes.status == 200, changes.text()
    body = changes.json()
    assert body["version"] == 2 and body["withdrawn_count"] == 1
    assert {"change": "withdrawn", "id": entry_id} in [
        {"change": row["change"], "id": row["id"]} for row in body["results"]
    ]

    first = agency.request.get(base + "/entries/?version=1", headers=auth)
    assert first.status == 200, first.text()
    entries = {row["id"]: row for row in first.json()["results"]}
    assert entries[entry_id]["name"] == COMPANY and entries[entry_id]["credit_code"] == CREDIT_CODE
    # Withdrawn since: an old version gives only the public form, no identity any more.
    assert entries[entry_id]["identity"] is None

    current = agency.request.get(base + "/entries/", headers=auth).json()
    assert entry_id not in [row["id"] for row in current["results"]]

    unknown = agency.request.get(base + "/changes/?since=9", headers=auth)
    assert unknown.status == 400
    assert re.search("[\u4e00-\u9fff]", unknown.json()["error"]), unknown.text()
    assert "9" in unknown.json()["error"]


def test_a_lawyers_application_lists_the_company_until_the_revocation_withdraws_it(
    page, new_page, site, tmp_path, assert_accessible
):
    number, code = apply_as_the_companys_lawyer(page, site, tmp_path, assert_accessible)

    intake = new_page(viewport=DESKTOP)
    log_in_to_admin(intake, site, "lian", "demo-lian-2025")
    serial = approve(intake, site, number)
    verification_code = verification_code_from_the_pdf(page, site, number, code)

    lists = new_page(viewport=DESKTOP)
    log_in_to_admin(lists, site, "mingdan", "demo-mingdan-2025")
    batch_pk = publish_a_batch_with_the_company(lists, site, assert_accessible)
    visitor = new_page()
    check_the_public_batch_page(visitor, site, batch_pk, assert_accessible)
    export_to_four_agencies(lists, site, batch_pk)

    bank = new_page()
    revoke(
        intake,
        bank,
        page,
        site,
        number=number,
        code=code,
        serial=serial,
        verification_code=verification_code,
        assert_accessible=assert_accessible,
    )
    entry_id = decide_the_correction(lists, site, batch_pk, assert_accessible)

    # The public page no longer lists the company.
    visitor.goto(site + f"/honor-roll/{batch_pk}/")
    expect(visitor.get_by_text("本期名单暂无可公开的条目。")).to_be_visible()
    assert COMPANY not in visitor.content() and LAWYER not in visitor.content()

    key = issue_an_api_key(lists, site, AGENCIES[1])
    check_the_feed(new_page(), site, batch_pk, key, entry_id)
