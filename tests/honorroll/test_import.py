"""Importing list entries from xlsx and csv into a draft batch.

Every bad row is named in Chinese with its sheet row (the header is row 1) and column,
and nothing is written unless every row is clean. The preview shows the rows as they
will be stored, with the masked name the public will see. A published batch takes no
import.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from honorroll import publishing
from honorroll.importing import (
    COLUMNS,
    PublishedBatchError,
    RowsRefused,
    import_sheet,
    preview_sheet,
    read_sheet,
)
from honorroll.models import ListEntry
from portal.identifiers import credit_code_check_character
from portal.spreadsheets import SheetError
from tests.factories import UserFactory
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT = "履行金额（元）"  # not a valid keyword: passed as **{AMOUNT: ...}


def credit_code(first17):
    return first17 + credit_code_check_character(first17)


ORG_CODE = credit_code("91230900MA1B2C3D4")


def person(name, serial, **changes):
    row = {
        "当事人类型": "自然人",
        "当事人": name,
        "统一社会信用代码": "",
        "审理法院": "七台河市新兴区人民法院",
        "案号": f"（2025）黑0902民初{serial}号",
        "案由": "民间借贷纠纷",
        "履行金额（元）": "50000",
        "履行完毕日期": "2025-06-01",
        "本人同意记录": "2025-06-18 书面同意（同意书已存卷）",
    }
    row.update(changes)
    return row


def organisation(name, serial, **changes):
    return person(
        name,
        serial,
        **{"当事人类型": "法人或其他组织", "统一社会信用代码": ORG_CODE, "本人同意记录": "", **changes},
    )


CLEAN_ROWS = [
    person("欧阳娜娜", 101),
    person("买买提·艾力", 102, 审理法院="黑0921", 案号="(2025)黑0921执102号", **{AMOUNT: ""}),
    person("张三", 103, 履行完毕日期="2025年6月3日", 本人同意记录="2025/6/20 电话同意并录音"),
    person("张四", 104, 案由="买卖合同纠纷", **{AMOUNT: "1,234.5"}),
    organisation("七台河市某建设工程有限公司", 105, **{AMOUNT: "150000.00"}),
]
MASKED = ["欧阳某某", "买某", "张某", "张某", "七台河市某建设工程有限公司"]


def xlsx_bytes(rows, headers=COLUMNS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=COLUMNS, encoding="utf-8-sig"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(header) is None else row[header] for header in headers])
    return text.getvalue().encode(encoding)


def sheet(rows, fmt):
    content = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    return read_sheet(content, f"名单.{fmt}")


@pytest.fixture
def draft(make_batch):
    """An empty draft batch."""
    return make_batch(people=[], organisations=(), publish=False, number=7)


@pytest.fixture(autouse=True)
def _private_upload_dir(tmp_path, settings):
    """Uploads waiting for confirmation go to this test's own directory."""
    settings.PENDING_UPLOAD_DIR = tmp_path
    return tmp_path


# ---------------------------------------------------------------------------
# 1. The service: preview and import
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_clean_sheet_previews_with_masked_names_and_writes_nothing(draft, fmt):
    preview = preview_sheet(draft, sheet(CLEAN_ROWS, fmt))

    assert [row.sheet_row for row in preview.rows] == [2, 3, 4, 5, 6]
    assert not preview.bad_rows and preview.good_count == 5
    assert [row.public_name for row in preview.rows] == MASKED
    assert [row.entry.party_name for row in preview.rows] == [row["当事人"] for row in CLEAN_ROWS]
    assert preview.rows[1].entry.case_number == "（2025）黑0921执102号"  # stored canonical
    assert preview.rows[1].cells[3] == "勃利县人民法院"  # a court given by its code
    assert ListEntry.objects.count() == 0


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_clean_sheet_imports_every_row(draft, fmt):
    assert import_sheet(draft, sheet(CLEAN_ROWS, fmt)) == 5

    entries = {entry.party_name: entry for entry in draft.entries.select_related("court", "cause")}
    assert list(entries) == [row["当事人"] for row in CLEAN_ROWS]
    first = entries["欧阳娜娜"]
    assert first.party_kind == "person" and first.source == "import" and first.batch == draft
    assert first.court.code == "黑0902" and first.cause.name == "民间借贷纠纷"
    assert first.case_number == "（2025）黑0902民初101号"
    assert first.amount == Decimal("50000.00")
    assert first.performed_on == datetime.date(2025, 6, 1)
    assert first.consent_record == "2025-06-18 书面同意（同意书已存卷）"
    assert timezone.localtime(first.consented_at).date() == datetime.date(2025, 6, 18)
    assert first.public_name == "" and first.credit_code == ""
    assert entries["买买提·艾力"].court.code == "黑0921" and entries["买买提·艾力"].amount is None
    assert entries["张三"].performed_on == datetime.date(2025, 6, 3)
    assert timezone.localtime(entries["张三"].consented_at).date() == datetime.date(2025, 6, 20)
    assert entries["张四"].amount == Decimal("1234.50")
    organisation_entry = entries["七台河市某建设工程有限公司"]
    assert organisation_entry.party_kind == "organisation" and organisation_entry.credit_code == ORG_CODE
    assert organisation_entry.consented_at is None

    # Imported entries publish like any others: masked, and numbered where they mask alike.
    publishing.publish(draft, actor=UserFactory(username="publisher", groups=["名单管理"]))
    names = dict(draft.entries.values_list("party_name", "public_name"))
    assert names["张三"] == "张某1" and names["张四"] == "张某2" and names["欧阳娜娜"] == "欧阳某某"


def test_real_date_and_number_cells_of_a_workbook(draft):
    rows = [
        person("李小明", 201, 履行完毕日期=datetime.date(2025, 5, 4), **{AMOUNT: 12345.6}),
        organisation(
            "七台河市某商贸有限公司", 202, 履行完毕日期=datetime.datetime(2025, 5, 5), **{AMOUNT: 8000}
        ),
    ]
    import_sheet(draft, sheet(rows, "xlsx"))
    first, second = draft.entries.order_by("pk")
    assert (first.performed_on, first.amount) == (datetime.date(2025, 5, 4), Decimal("12345.60"))
    assert (second.performed_on, second.amount) == (datetime.date(2025, 5, 5), Decimal("8000.00"))


def tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


# Each: (changes to a person row, or a callable giving the row; column; message fragments).
BAD_ROWS = {
    "invalid credit code": (
        lambda: organisation("七台河市某物流有限公司", 302, 统一社会信用代码="91230900MA1B2C3D4X"),
        "统一社会信用代码",
        ["统一社会信用代码校验位不正确"],
    ),
    "credit code with letters not used": (
        lambda: organisation("七台河市某物流有限公司", 302, 统一社会信用代码="91230900MA1B2C3DIO"),
        "统一社会信用代码",
        ["不应出现“I、O”"],
    ),
    "organisation without credit code": (
        lambda: organisation("七台河市某物流有限公司", 302, 统一社会信用代码=""),
        "统一社会信用代码",
        ["法人或其他组织须填写统一社会信用代码"],
    ),
    "person without consent": ({"本人同意记录": ""}, "本人同意记录", ["自然人须经本人同意才能列入名单"]),
    "consent without a date": (
        {"本人同意记录": "书面同意"},
        "本人同意记录",
        ["本人同意记录应以同意日期开头"],
    ),
    "consent without the way it was given": (
        {"本人同意记录": "2025-06-18"},
        "本人同意记录",
        ["须写明同意方式"],
    ),
    "consent dated in the future": (
        lambda: person("王五", 302, 本人同意记录=f"{tomorrow()} 书面同意"),
        "本人同意记录",
        ["晚于今天"],
    ),
    "unknown party kind": ({"当事人类型": "个人"}, "当事人类型", ["当事人类型“个人”不正确"]),
    "missing party name": ({"当事人": ""}, "当事人", ["请填写当事人"]),
    "unknown court": (
        {"审理法院": "哈尔滨市中级人民法院"},
        "审理法院",
        ["审理法院“哈尔滨市中级人民法院”不存在"],
    ),
    "unknown court code": ({"审理法院": "黑0999"}, "审理法院", ["审理法院“黑0999”不存在"]),
    "malformed case number": ({"案号": "（2025）黑0902民X12号"}, "案号", ["案号中的案件类型“民X”不正确"]),
    "case number of another court": (
        {"案号": "（2025）黑0921民初3号"},
        "案号",
        ["案号中的法院代字“黑0921”与审理法院“七台河市新兴区人民法院”（黑0902）不一致"],
    ),
    "missing case number": ({"案号": ""}, "案号", ["请填写案号"]),
    "unknown cause": ({"案由": "不存在的纠纷"}, "案由", ["案由“不存在的纠纷”不存在"]),
    "date in the future": (
        lambda: person("王五", 302, 履行完毕日期=tomorrow()),
        "履行完毕日期",
        ["晚于今天"],
    ),
    "unparseable date": ({"履行完毕日期": "2025-13-45"}, "履行完毕日期", ["“2025-13-45”不是有效日期"]),
    "words for a date": ({"履行完毕日期": "六月上旬"}, "履行完毕日期", ["“六月上旬”不是有效日期"]),
    "missing date": ({"履行完毕日期": ""}, "履行完毕日期", ["请填写履行完毕日期"]),
    "negative amount": ({"履行金额（元）": "-5"}, "履行金额（元）", ["履行金额“-5”不能为负数"]),
    "non-numeric amount": ({"履行金额（元）": "五万元"}, "履行金额（元）", ["履行金额“五万元”不是数字"]),
    "over-precise amount": ({"履行金额（元）": "100.555"}, "履行金额（元）", ["最多保留两位小数"]),
    "amount out of range": ({"履行金额（元）": "1e20"}, "履行金额（元）", ["超出范围"]),
    "duplicate within the file": (
        lambda: person("欧阳娜娜", 101),
        "当事人、案号",
        ["与第 2 行重复（同一当事人、同一案号）"],
    ),
    "several problems at once": (
        {"案由": "不存在的纠纷", "履行金额（元）": "abc"},
        None,
        ["「案由」案由“不存在的纠纷”不存在", "「履行金额（元）」履行金额“abc”不是数字"],
    ),
}


def bad_row(case):
    changes, _column, _messages = BAD_ROWS[case]
    return changes() if callable(changes) else person("王五", 302, **changes)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("case", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_a_bad_row_is_named_with_row_and_column_and_nothing_is_written(draft, case, fmt):
    _changes, column, messages = BAD_ROWS[case]
    rows = [person("欧阳娜娜", 101), bad_row(case), person("张三", 103)]
    dataset = sheet(rows, fmt)

    preview = preview_sheet(draft, dataset)

    assert [row.sheet_row for row in preview.bad_rows] == [3]  # the second data row
    errors = preview.problems[3]
    for message in messages:
        assert any(message in error for error in errors), errors
    if column:
        assert all(error.startswith(f"「{column}」") for error in errors), errors
    assert preview.good_count == 2

    with pytest.raises(RowsRefused) as refused:
        import_sheet(draft, dataset)

    assert "表格有 1 行错误，未导入任何条目" in str(refused.value)
    assert f"第 3 行「{column or '案由'}」" in str(refused.value)
    assert refused.value.problems == {3: errors}
    assert ListEntry.objects.count() == 0  # the clean rows are not written either


def test_a_party_and_case_already_on_the_batch_is_refused(make_batch):
    batch = make_batch(publish=False)  # 张三 is on it with （2025）黑0902民初3号
    before = batch.entries.count()
    rows = [person("李四", 401), person("张三", 3), person("张三", 402)]  # same person, other case: fine

    preview = preview_sheet(batch, sheet(rows, "xlsx"))

    assert list(preview.problems) == [3]
    assert "本批次已有当事人“张三”案号（2025）黑0902民初3号的条目" in preview.problems[3][0]
    with pytest.raises(RowsRefused):
        import_sheet(batch, sheet(rows, "xlsx"))
    assert batch.entries.count() == before


def test_every_bad_row_is_reported_in_a_long_sheet_and_a_late_error_writes_nothing(draft):
    rows = [person(f"王{n}", 500 + n) for n in range(1, 4001)]
    rows[2500] = person("王某某", 9999, 案由="不存在的纠纷")  # sheet row 2502, after the first bulk batch
    rows[3999] = person("王某某", 9998, **{AMOUNT: "-1"})  # the last row

    with pytest.raises(RowsRefused) as refused:
        import_sheet(draft, sheet(rows, "csv"))

    assert sorted(refused.value.problems) == [2502, 4001]
    assert "第 2502 行「案由」" in str(refused.value) and "第 4001 行「履行金额（元）」" in str(refused.value)
    assert ListEntry.objects.count() == 0


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers(draft):
    content = xlsx_bytes([person("欧阳娜娜", 101), {}, person("张三", 103, 案由="不存在的纠纷")])
    preview = preview_sheet(draft, read_sheet(content, "名单.xlsx"))
    assert [row.sheet_row for row in preview.rows] == [2, 4]
    assert list(preview.problems) == [4]


def test_importing_into_a_published_batch_is_refused(make_batch):
    batch = make_batch()  # published
    before = batch.entries.count()
    dataset = sheet([person("王五", 601)], "xlsx")

    for attempt in (preview_sheet, import_sheet):
        with pytest.raises(PublishedBatchError) as refused:
            attempt(batch, dataset)
        assert "已发布的名单不能导入" in str(refused.value) and "异议更正程序" in str(refused.value)
        assert isinstance(refused.value, publishing.ListError) and isinstance(refused.value, SheetError)
    assert batch.entries.count() == before


def test_a_batch_published_after_the_preview_takes_no_import(make_batch, list_manager):
    batch = make_batch(publish=False)
    dataset = sheet([person("王五", 601)], "xlsx")
    assert not preview_sheet(batch, dataset).bad_rows
    publishing.publish(batch, actor=list_manager)
    with pytest.raises(PublishedBatchError):
        import_sheet(batch, dataset)
    assert not batch.entries.filter(party_name="王五").exists()


FILE_ERRORS = {
    "a .txt file": (lambda: (b"x", "名单.txt"), "只能导入 .xlsx 或 .csv 文件"),
    "random bytes named .xlsx": (lambda: (bytes(range(256)) * 8, "名单.xlsx"), "无法读取该文件"),
    "missing columns": (
        lambda: (csv_bytes([], headers=["当事人", "案号"]), "名单.csv"),
        "表格缺少以下列：当事人类型、审理法院、案由、履行完毕日期",
    ),
    "an unknown column": (
        lambda: (csv_bytes([], headers=[*COLUMNS, "备注"]), "名单.csv"),
        "无法识别的列：备注",
    ),
    "a column twice": (lambda: (csv_bytes([], headers=[*COLUMNS, "案号"]), "名单.csv"), "列重复出现：案号"),
    "no data rows": (lambda: (xlsx_bytes([]), "名单.xlsx"), "表格中没有数据行"),
}


@pytest.mark.parametrize("case", list(FILE_ERRORS), ids=list(FILE_ERRORS))
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(case):
    make, message = FILE_ERRORS[case]
    with pytest.raises(SheetError, match=message):
        read_sheet(*make())


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_the_encodings_excel_and_wps_save(draft, encoding):
    content = csv_bytes(CLEAN_ROWS, encoding=encoding)
    assert import_sheet(draft, read_sheet(content, "名单.csv")) == 5
    assert draft.entries.filter(party_name="买买提·艾力").exists()


# ---------------------------------------------------------------------------
# 2. The admin views
# ---------------------------------------------------------------------------


def import_url(batch):
    return f"/admin/honorroll/batches/{batch.pk}/import/"


def upload(client, batch, content, name):
    file = SimpleUploadedFile(name, content, content_type=XLSX_TYPE if name.endswith("xlsx") else "text/csv")
    return client.post(import_url(batch), {"step": "upload", "file": file})


def confirm_form(response):
    soup = BeautifulSoup(response.content, "html.parser")
    step = soup.find("input", attrs={"name": "step", "value": "confirm"})
    assert step is not None, "the preview has no confirmation form"
    return {field["name"]: field["value"] for field in step.find_parent("form").find_all("input")}


def summary(response):
    """The line above the preview table: 共 … 行，其中 … 行可以导入 …"""
    return BeautifulSoup(response.content, "html.parser").select_one("[data-preview-summary]").get_text()


def flash(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def preview_rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        int(row["data-sheet-row"]): {
            "public_name": row.select_one("[data-public-name]").get_text(strip=True),
            "text": re.sub(r"\s+", " ", row.get_text(" ", strip=True)),
        }
        for row in soup.select("tr[data-sheet-row]")
    }


@pytest.fixture
def manager_client(client, list_manager):
    log_in_verified(client, list_manager)
    return client


def test_upload_preview_and_confirm_through_the_admin(manager_client, draft, tmp_path):
    page = manager_client.get(import_url(draft))
    assert page.status_code == 200 and "上传并预览" in page.content.decode()

    preview = upload(manager_client, draft, xlsx_bytes(CLEAN_ROWS), "名单.xlsx")

    assert preview.status_code == 200
    rows = preview_rows(preview)
    assert sorted(rows) == [2, 3, 4, 5, 6]
    assert [rows[number]["public_name"] for number in sorted(rows)] == MASKED
    assert all("可以导入" in row["text"] for row in rows.values())
    assert summary(preview) == "共 5 行，其中 5 行可以导入。"
    assert ListEntry.objects.count() == 0
    (waiting,) = tmp_path.iterdir()  # the upload waits for confirmation: real names, private
    assert waiting.stat().st_mode & 0o777 == 0o600

    response = manager_client.post(import_url(draft), confirm_form(preview))

    assert response.status_code == 302
    assert any("已向2025年第7期导入 5 条名单条目" in message for message in flash(response))
    assert draft.entries.count() == 5
    assert not list(tmp_path.iterdir())
    again = manager_client.post(import_url(draft), confirm_form(preview))  # a second click
    assert again.status_code == 302 and any("导入已失效" in message for message in flash(again))
    assert draft.entries.count() == 5


def test_a_bad_row_in_the_admin_is_shown_and_cannot_be_confirmed(manager_client, draft, tmp_path):
    rows = [person("欧阳娜娜", 101), person("王五", 102, 本人同意记录="")]

    preview = upload(manager_client, draft, csv_bytes(rows), "名单.csv")

    shown = preview_rows(preview)
    assert "可以导入" in shown[2]["text"]
    assert "「本人同意记录」自然人须经本人同意才能列入名单" in shown[3]["text"]
    assert summary(preview) == "共 2 行，其中 1 行可以导入，1 行有错误。"
    assert 'value="confirm"' not in preview.content.decode()
    assert ListEntry.objects.count() == 0

    # A forged confirmation with the stored token still checks every row and writes nothing.
    (waiting,) = tmp_path.iterdir()
    token = waiting.name.rsplit("-", 1)[-1]
    response = manager_client.post(
        import_url(draft), {"step": "confirm", "token": token, "filename": "名单.csv"}
    )
    assert response.status_code == 302
    assert any("表格有 1 行错误，未导入任何条目" in message for message in flash(response))
    assert ListEntry.objects.count() == 0


def test_a_token_is_tied_to_its_batch_and_file_type(manager_client, draft, make_batch):
    other = make_batch(people=[], organisations=(), publish=False, number=8)
    data = confirm_form(upload(manager_client, draft, xlsx_bytes(CLEAN_ROWS), "名单.xlsx"))

    for url, forged in (
        (import_url(other), data),
        (import_url(draft), {**data, "filename": "名单.csv"}),
        (import_url(draft), {**data, "token": "../../etc/passwd"}),
        (import_url(draft), {**data, "filename": "名单./../../etc"}),
    ):
        response = manager_client.post(url, forged)
        assert response.status_code == 302 and any("导入已失效" in m for m in flash(response))
    assert ListEntry.objects.count() == 0


def test_a_file_error_is_shown_on_the_form(manager_client, draft, tmp_path):
    response = upload(manager_client, draft, b"not a sheet", "名单.xlsx")
    assert response.status_code == 200
    assert "无法读取该文件" in response.content.decode()
    assert 'value="confirm"' not in response.content.decode()
    assert not list(tmp_path.iterdir())


def test_the_admin_refuses_an_import_into_a_published_batch(manager_client, make_batch, tmp_path):
    batch = make_batch()
    before = batch.entries.count()

    page = manager_client.get(import_url(batch))
    posted = upload(manager_client, batch, xlsx_bytes([person("王五", 601)]), "名单.xlsx")

    for response in (page, posted):
        assert response.status_code == 200
        assert "已发布的名单不能导入新条目" in response.content.decode()
        assert "异议更正程序" in response.content.decode()
        assert "上传并预览" not in response.content.decode()
    assert batch.entries.count() == before
    assert not list(tmp_path.iterdir())


def test_staff_outside_the_list_group_cannot_import(client, draft, tmp_path):
    before = ListEntry.objects.count()
    anonymous = client.post(
        import_url(draft),
        {"step": "upload", "file": SimpleUploadedFile("名单.csv", csv_bytes(CLEAN_ROWS))},
    )
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url

    client.force_login(UserFactory(username="xuanchuan-staff", groups=["宣传"]))
    responses = [
        client.get(import_url(draft)),
        client.post(
            import_url(draft),
            {"step": "upload", "file": SimpleUploadedFile("名单.csv", csv_bytes(CLEAN_ROWS))},
        ),
    ]
    for response in responses:
        assert response.status_code in (302, 403)
        assert "/admin/login/" not in response.get("Location", "")
    assert ListEntry.objects.count() == before
    assert not list(tmp_path.iterdir())


def test_a_long_sheet_previews_its_first_rows_and_every_bad_row(manager_client, draft):
    rows = [person(f"王{n}", 700 + n) for n in range(1, 601)]
    rows[549] = person("王某某", 9999, 案号="（2025）黑0902民X1号")  # sheet row 551

    preview = upload(manager_client, draft, csv_bytes(rows), "名单.csv")

    shown = preview_rows(preview)
    assert sorted(shown) == [*range(2, 102), 551]
    assert "「案号」案号中的案件类型“民X”不正确" in shown[551]["text"]
    assert summary(preview) == "共 600 行，其中 599 行可以导入，1 行有错误。"
    assert "下表显示前 100 行和之后的错误行" in preview.content.decode()
    assert ListEntry.objects.count() == 0


def test_an_upload_never_confirmed_is_removed_after_its_time(manager_client, draft, tmp_path):
    import os
    import time

    from portal.spreadsheets import PendingUpload

    preview = upload(manager_client, draft, xlsx_bytes(CLEAN_ROWS), "名单.xlsx")
    (waiting,) = tmp_path.iterdir()
    two_hours_ago = time.time() - PendingUpload.PENDING_SECONDS - 1
    os.utime(waiting, (two_hours_ago, two_hours_ago))
    late = manager_client.post(import_url(draft), confirm_form(preview))
    assert any("导入已失效" in message for message in flash(late))
    assert draft.entries.count() == 0 and not list(tmp_path.iterdir())
    # Left behind by an abandoned preview: swept by the next upload.
    upload(manager_client, draft, xlsx_bytes(CLEAN_ROWS), "名单.xlsx")
    (older,) = tmp_path.iterdir()
    os.utime(older, (two_hours_ago, two_hours_ago))
    upload(manager_client, draft, xlsx_bytes(CLEAN_ROWS), "名单.xlsx")
    assert len(list(tmp_path.iterdir())) == 1 and not older.exists()
