"""Spreadsheet import and export of typical cases, through the real admin views.

Every test uploads a real xlsx (openpyxl) or csv file, reads the preview a member of staff
sees, confirms as they would, and checks what ended up in the database: imports write
drafts only, nothing is written before confirmation or while errors remain, and each
problem is named in Chinese against its sheet row (the header is row 1).
"""

import csv
import datetime
import html
import io
import re
import uuid
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Revision

from portal.models import Court
from publicity.models import TypicalCaseIndexPage, TypicalCasePage
from tests.factories import UserFactory
from tests.staff import log_in_verified

IMPORT_URL = reverse("publicity_import_cases")
EXPORT_URL = reverse("publicity_export_cases")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
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


# ---------------------------------------------------------------------------
# Helpers: build files, upload them, read the preview, confirm.
# ---------------------------------------------------------------------------


def case_row(title, **values):
    """One valid row as {column: value}; keyword arguments replace columns by name."""
    row = {
        "标题": title,
        "案号": "",
        "法院": "七台河市中级人民法院",
        "案由": "民间借贷纠纷",
        "履行方式": "当庭履行",
        "裁判日期": "2025-03-04",
        "履行日期": "2025-03-20",
        "标的额": "50000",
        "关键词": "民间借贷、当庭履行",
        "基本案情": f"{title}的基本案情。",
        "履行情况": "被告当庭履行完毕。",
        "典型意义": "诚信履行，案结事了。",
    }
    row.update(values)
    return row


def xlsx_upload(rows, headers=HEADERS, name="典型案例.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def csv_upload(rows, headers=HEADERS, encoding="utf-8-sig", name="典型案例.csv"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(header) is None else row[header] for header in headers])
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


def upload(client, file):
    return client.post(IMPORT_URL, {"step": "upload", "file": file})


def page_text(response):
    """The text a person reads: tags dropped, entities decoded, whitespace collapsed."""
    content = response.content.decode()
    main = content[content.find("<main") :] if "<main" in content else content
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", main)))


def preview_rows(response):
    """{sheet row number: text of that preview row} as shown in the preview table."""
    rows = {}
    for cells in re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S):
        number = re.search(r"第 (\d+) 行", cells)
        if number:
            text = html.unescape(re.sub(r"<[^>]+>", " ", cells))
            rows[int(number.group(1))] = re.sub(r"\s+", " ", text).strip()
    return rows


def confirm_form(response):
    """The hidden fields of the confirmation form, exactly as the browser would submit them."""
    content = response.content.decode()
    form = re.search(r'<input type="hidden" name="step" value="confirm">(.*?)</form>', content, re.S)
    assert form is not None, "the preview has no confirmation form"
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(0))
    }


def confirm(client, data):
    return client.post(IMPORT_URL, data)


def flash(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def snapshot():
    """What an import could change: the cases, the page tree and the revisions."""
    return (TypicalCasePage.objects.count(), Page.objects.count(), Revision.objects.count())


def assert_untouched(before, titles=()):
    assert snapshot() == before
    for title in titles:
        assert not Page.objects.filter(title=title).exists()


def assert_preview_error(response, sheet_row, *messages):
    assert response.status_code == 200
    rows = preview_rows(response)
    assert sheet_row in rows, f"no 第 {sheet_row} 行 in the preview: {rows}"
    for message in messages:
        assert message in rows[sheet_row], rows[sheet_row]
    assert "可以导入" not in rows[sheet_row]


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_upload_dir(tmp_path, settings):
    """Uploads waiting for confirmation go to this test's own directory."""
    settings.PENDING_UPLOAD_DIR = tmp_path
    return tmp_path


@pytest.fixture
def index(demo_content):
    return TypicalCaseIndexPage.objects.get()


@pytest.fixture
def editor(index):
    return UserFactory(username="editor", groups=["宣传"])


@pytest.fixture
def approver(index):
    return UserFactory(username="approver", groups=["宣传审核"])


@pytest.fixture
def intake(index):
    return UserFactory(username="intake", groups=["立案审查"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# ---------------------------------------------------------------------------
# 1. A clean file: preview writes nothing, confirmation writes drafts
# ---------------------------------------------------------------------------

CLEAN_ROWS = [
    case_row(
        "王某诉赵某民间借贷纠纷导入案",
        案号="(2025)黑0902民初77号",
        法院="七台河市新兴区人民法院",
        案由="民间借贷纠纷",
        履行方式="当庭履行",
        裁判日期="2025/3/4",
        履行日期="2025年3月20日",
        标的额="50,000",
        基本案情="原告王某向被告赵某出借5万元。\n被告到期未还。",
    ),
    case_row(
        "某建材公司诉某装饰公司买卖合同纠纷导入案",
        案号="",
        法院="勃利县人民法院",
        案由="买卖合同纠纷",
        履行方式="担保履行",
        裁判日期=datetime.date(2025, 1, 6),
        履行日期=datetime.date(2025, 2, 1),
        标的额=12345.6,
        基本案情="",
        履行情况="",
        典型意义="担保促成了履行。",
    ),
    case_row(
        "孙某诉周某民间借贷纠纷导入案",
        案号="（2025）黑09民终5号",
        法院="七台河市中级人民法院",
        裁判日期="2025-04-01",
        履行日期="2025.4.15",
        标的额="",
    ),
]
CLEAN_TITLES = [row["标题"] for row in CLEAN_ROWS]


def test_clean_xlsx_previews_every_row_and_writes_nothing(editor_client, index, tmp_path):
    before = snapshot()

    response = upload(editor_client, xlsx_upload(CLEAN_ROWS))

    assert response.status_code == 200
    text = page_text(response)
    assert "预览：典型案例.xlsx" in text
    assert "共 3 行，其中 3 行可以导入" in text
    assert "确认导入 3 个案例（草稿）" in text
    rows = preview_rows(response)
    assert sorted(rows) == [2, 3, 4]
    for number, title in zip((2, 3, 4), CLEAN_TITLES, strict=True):
        assert title in rows[number] and "可以导入" in rows[number]
    assert_untouched(before, CLEAN_TITLES)
    assert len(list(tmp_path.iterdir())) == 1  # the upload waits for confirmation


def test_confirming_a_clean_xlsx_creates_draft_cases_logged_to_the_importer(client, editor, index, tmp_path):
    client.force_login(editor)
    before_cases = TypicalCasePage.objects.count()
    preview = upload(client, xlsx_upload(CLEAN_ROWS))

    response = confirm(client, confirm_form(preview))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[index.pk])
    assert any("已导入 3 个案例，均为草稿" in message for message in flash(response))
    assert TypicalCasePage.objects.count() == before_cases + 3
    assert not list(tmp_path.iterdir())  # the waiting upload is removed

    pages = {page.title: page for page in TypicalCasePage.objects.filter(title__in=CLEAN_TITLES)}
    assert set(pages) == set(CLEAN_TITLES)
    for page in pages.values():
        assert page.live is False
        assert page.has_unpublished_changes
        assert page.first_published_at is None
        assert page.get_parent().pk == index.pk
        # The audit log records who created it (drafts carry no revision until edited).
        assert PageLogEntry.objects.filter(page=page, action="wagtail.create", user=editor).count() == 1
        assert page.owner == editor

    first, second, third = (pages[title] for title in CLEAN_TITLES)
    assert first.case_number == "（2025）黑0902民初77号"
    assert first.court.name == "七台河市新兴区人民法院"
    assert first.cause.name == "民间借贷纠纷"
    assert first.method.name == "当庭履行"
    assert first.judgment_date == datetime.date(2025, 3, 4)
    assert first.performance_date == datetime.date(2025, 3, 20)
    assert first.amount == Decimal("50000.00")
    assert isinstance(first.amount, Decimal)
    assert first.keywords == "民间借贷、当庭履行"
    sections = [(block.block_type, block.value["heading"]) for block in first.body]
    assert sections == [("section", "基本案情"), ("section", "履行情况"), ("section", "典型意义")]
    assert "原告王某向被告赵某出借5万元。" in first.section_text("基本案情")
    assert "<p>原告王某向被告赵某出借5万元。</p><p>被告到期未还。</p>" in str(first.body[0].value["text"])
    assert first.section_text("履行情况") == "被告当庭履行完毕。"

    assert second.case_number == ""
    assert second.court.name == "勃利县人民法院"
    assert second.cause.name == "买卖合同纠纷"
    assert second.method.name == "担保履行"
    assert second.judgment_date == datetime.date(2025, 1, 6)  # real date cells
    assert second.performance_date == datetime.date(2025, 2, 1)
    assert second.amount == Decimal("12345.60")
    assert [block.value["heading"] for block in second.body] == ["典型意义"]  # empty sections left out
    assert second.section_text("典型意义") == "担保促成了履行。"

    assert third.case_number == "（2025）黑09民终5号"
    assert third.judgment_date == datetime.date(2025, 4, 1)
    assert third.performance_date == datetime.date(2025, 4, 15)
    assert third.amount is None

    public = client.get("/cases/")
    assert public.status_code == 200
    for title in CLEAN_TITLES:
        assert title not in public.content.decode()  # drafts are not published


def test_confirming_twice_does_not_import_twice(editor_client, index):
    preview = upload(editor_client, xlsx_upload(CLEAN_ROWS))
    data = confirm_form(preview)
    assert confirm(editor_client, data).status_code == 302
    after_first = snapshot()

    response = confirm(editor_client, data)

    assert response.status_code == 302
    assert response.url == IMPORT_URL
    assert any("导入已失效" in message for message in flash(response))
    assert snapshot() == after_first
    assert TypicalCasePage.objects.filter(title=CLEAN_TITLES[0]).count() == 1


# ---------------------------------------------------------------------------
# 2. Bad input: named per row in Chinese, nothing written, confirmation refused
# ---------------------------------------------------------------------------

EXISTING = object()  # stands for the title of an existing demo case

BAD_ROWS = {
    "invalid case number": ({"案号": "（2025）黑09民X12号"}, ["案号中的案件类型“民X”不正确"]),
    "case number of another court": (
        {"案号": "（2025）黑0921民初3号", "法院": "七台河市新兴区人民法院"},
        ["案号中的法院代字“黑0921”与所填法院“七台河市新兴区人民法院”（黑0902）不一致"],
    ),
    "unknown cause": ({"案由": "不存在的纠纷"}, ["案由“不存在的纠纷”不存在"]),
    "unknown court": ({"法院": "哈尔滨市中级人民法院"}, ["法院“哈尔滨市中级人民法院”不存在"]),
    "unknown method": ({"履行方式": "随便履行"}, ["履行方式“随便履行”不存在"]),
    "missing court": ({"法院": ""}, ["请填写法院"]),
    "missing title": ({"标题": ""}, ["请填写标题"]),
    "title of an existing case": ({"标题": EXISTING}, ["与已有案例重复"]),
    "empty body": (
        {"基本案情": "", "履行情况": "", "典型意义": ""},
        ["正文为空：基本案情、履行情况、典型意义至少填写一项"],
    ),
    "performance before judgment": (
        {"裁判日期": "2025-03-04", "履行日期": "2025-03-01"},
        ["履行日期不能早于裁判日期"],
    ),
    "malformed date": ({"裁判日期": "2025-13-45"}, ["裁判日期“2025-13-45”不是有效日期"]),
    "words for a date": ({"履行日期": "三月上旬"}, ["履行日期“三月上旬”不是有效日期"]),
    "missing date": ({"履行日期": ""}, ["请填写履行日期"]),
    "non-numeric amount": ({"标的额": "五万元"}, ["标的额“五万元”不是数字"]),
    "negative amount": ({"标的额": "-5"}, ["标的额“-5”超出范围"]),
    "several problems at once": (
        {"案由": "不存在的纠纷", "标的额": "abc"},
        ["案由“不存在的纠纷”不存在", "标的额“abc”不是数字"],
    ),
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("case", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_a_bad_row_is_named_and_blocks_the_import(editor_client, index, case, fmt):
    changes, messages = BAD_ROWS[case]
    if changes.get("标题") is EXISTING:
        changes = {**changes, "标题": TypicalCasePage.objects.order_by("pk").first().title}
    rows = [case_row("正确的第一个导入案例"), case_row("有问题的导入案例", **changes)]
    file = xlsx_upload(rows) if fmt == "xlsx" else csv_upload(rows)
    before = snapshot()

    preview = upload(editor_client, file)

    assert_preview_error(preview, 3, *messages)  # the bad row is the second data row
    assert "可以导入" in preview_rows(preview)[2]
    text = page_text(preview)
    assert "共 2 行，其中 1 行可以导入，1 行有错误" in text
    assert_untouched(before, ["正确的第一个导入案例"])

    response = confirm(editor_client, {**confirm_form(preview), "skip_invalid": ""})

    assert response.status_code == 302
    assert response.url == IMPORT_URL
    assert any("表格仍有错误行，未导入任何案例" in message for message in flash(response))
    assert_untouched(before, ["正确的第一个导入案例"])


def test_a_title_repeated_in_the_file_is_named_on_the_repeat(editor_client, index):
    rows = [
        case_row("重复标题的导入案例"),
        case_row("另一个导入案例"),
        case_row("重复标题的导入案例", 裁判日期="2025-05-05", 履行日期="2025-05-06"),
    ]
    before = snapshot()

    preview = upload(editor_client, xlsx_upload(rows))

    assert_preview_error(preview, 4, "标题“重复标题的导入案例”在文件中重复出现")
    assert "可以导入" in preview_rows(preview)[2]
    assert "可以导入" in preview_rows(preview)[3]
    assert_untouched(before, ["重复标题的导入案例", "另一个导入案例"])

    response = confirm(editor_client, {k: v for k, v in confirm_form(preview).items() if k != "skip_invalid"})
    assert response.status_code == 302 and response.url == IMPORT_URL
    assert_untouched(before, ["重复标题的导入案例", "另一个导入案例"])


def test_every_bad_row_is_reported_with_its_own_sheet_row(editor_client, index):
    rows = [
        case_row("第二行案例", 案由="不存在的纠纷"),
        case_row("第三行案例"),
        case_row("第四行案例", 标的额="很多"),
        case_row("第五行案例", 裁判日期="2025/2/30"),
    ]

    preview = upload(editor_client, xlsx_upload(rows))

    assert_preview_error(preview, 2, "案由“不存在的纠纷”不存在")
    assert "可以导入" in preview_rows(preview)[3]
    assert_preview_error(preview, 4, "标的额“很多”不是数字")
    assert_preview_error(preview, 5, "裁判日期“2025/2/30”不是有效日期")
    assert "标的额" not in preview_rows(preview)[2] and "案由" not in preview_rows(preview)[4]


def unreadable_xlsx():
    return SimpleUploadedFile("典型案例.xlsx", bytes(range(256)) * 8, content_type=XLSX_TYPE)


def text_file():
    return SimpleUploadedFile(
        "典型案例.txt", "标题,法院\n某案,勃利县人民法院\n".encode(), content_type="text/plain"
    )


def csv_pretending_to_be_xlsx():
    file = csv_upload([case_row("伪装的表格")])
    return SimpleUploadedFile("典型案例.xlsx", file.read(), content_type=XLSX_TYPE)


def missing_columns():
    headers = [header for header in HEADERS if header not in ("法院", "案由")]
    return xlsx_upload([case_row("缺列的导入案例")], headers=headers)


def unknown_column():
    return xlsx_upload([case_row("多列的导入案例")], headers=[*HEADERS, "备注"])


def wrong_header_row():
    return xlsx_upload([case_row("没有列名的导入案例")], headers=["Title", "Court", "Cause"])


def header_only():
    return csv_upload([])


FILE_ERRORS = {
    "random bytes named .xlsx": (unreadable_xlsx, ["无法读取该文件"]),
    "csv content named .xlsx": (csv_pretending_to_be_xlsx, ["无法读取该文件"]),
    "a .txt file": (text_file, ["只能导入 .xlsx 或 .csv 文件"]),
    "missing columns": (missing_columns, ["表格缺少以下列：法院、案由"]),
    "an unknown column": (unknown_column, ["表格中有无法识别的列：备注"]),
    "english headers": (
        wrong_header_row,
        ["表格缺少以下列：标题、法院、案由、履行方式、裁判日期、履行日期"],
    ),
    "no data rows": (header_only, ["表格中没有数据行"]),
}


@pytest.mark.parametrize("case", list(FILE_ERRORS), ids=list(FILE_ERRORS))
def test_a_file_that_cannot_be_imported_is_rejected_on_the_form(editor_client, index, tmp_path, case):
    make_file, messages = FILE_ERRORS[case]
    before = snapshot()

    response = upload(editor_client, make_file())

    assert response.status_code == 200
    text = page_text(response)
    for message in messages:
        assert message in text
    assert response.context["form"].errors["file"]
    assert "预览：" not in text and 'name="token"' not in response.content.decode()  # nothing to confirm
    assert_untouched(before)
    assert not list(tmp_path.iterdir())  # nothing kept on disk either


def test_a_file_over_5mb_is_rejected(editor_client, index, tmp_path):
    from publicity.views import MAX_UPLOAD_BYTES

    file = csv_upload([case_row("很大的导入案例", 基本案情="案" * (MAX_UPLOAD_BYTES // 3 + 10))])
    assert file.size > MAX_UPLOAD_BYTES
    before = snapshot()

    response = upload(editor_client, file)

    assert response.status_code == 200
    assert "文件超过 5MB，请分批导入" in page_text(response)
    assert "预览：" not in page_text(response)
    assert_untouched(before, ["很大的导入案例"])
    assert not list(tmp_path.iterdir())


def test_markup_in_a_sheet_is_shown_and_stored_as_text(editor_client, index):
    title = "<b>张某</b>诉李某民间借贷纠纷案"
    row = case_row(title, 基本案情="<script>alert(1)</script>借款未还。")

    preview = upload(editor_client, xlsx_upload([row]))

    assert "<b>张某</b>" not in preview.content.decode()
    assert "&lt;b&gt;张某&lt;/b&gt;" in preview.content.decode()
    assert title in preview_rows(preview)[2] and "可以导入" in preview_rows(preview)[2]

    confirm(editor_client, confirm_form(preview))

    page = TypicalCasePage.objects.get(title=title)
    facts = str(page.body[0].value["text"])
    assert "<script>" not in facts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;借款未还。" in facts


def test_uploading_without_a_file_asks_for_one(editor_client, index):
    before = snapshot()
    response = editor_client.post(IMPORT_URL, {"step": "upload"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "预览：" not in page_text(response)
    assert_untouched(before)


# ---------------------------------------------------------------------------
# 3. A mixed file: skip the bad rows, or import nothing
# ---------------------------------------------------------------------------

MIXED_ROWS = [
    case_row("混合文件中的好案例甲"),
    case_row("混合文件中的坏案例乙", 法院="不存在的法院"),
    case_row("混合文件中的好案例丙", 裁判日期="2025年1月2日", 履行日期="2025年1月3日"),
    case_row("混合文件中的坏案例丁", 标的额="一万"),
]
GOOD_MIXED = ["混合文件中的好案例甲", "混合文件中的好案例丙"]
BAD_MIXED = ["混合文件中的坏案例乙", "混合文件中的坏案例丁"]


def test_a_mixed_file_previews_good_and_bad_rows(editor_client, index):
    before = snapshot()

    preview = upload(editor_client, xlsx_upload(MIXED_ROWS))

    text = page_text(preview)
    assert "共 4 行，其中 2 行可以导入，2 行有错误" in text
    assert "跳过 2 个错误行，导入其余 2 行" in text
    rows = preview_rows(preview)
    assert "可以导入" in rows[2] and "可以导入" in rows[4]
    assert_preview_error(preview, 3, "法院“不存在的法院”不存在")
    assert_preview_error(preview, 5, "标的额“一万”不是数字")
    assert_untouched(before, GOOD_MIXED + BAD_MIXED)


def test_a_mixed_file_imports_nothing_unless_bad_rows_are_skipped(editor_client, index):
    before_cases = TypicalCasePage.objects.count()
    before = snapshot()
    preview = upload(editor_client, xlsx_upload(MIXED_ROWS))
    data = confirm_form(preview)
    assert data["skip_invalid"] == "1"

    refused = confirm(editor_client, {key: value for key, value in data.items() if key != "skip_invalid"})

    assert refused.status_code == 302 and refused.url == IMPORT_URL
    assert any("表格仍有错误行，未导入任何案例" in message for message in flash(refused))
    assert_untouched(before, GOOD_MIXED + BAD_MIXED)

    response = confirm(editor_client, data)  # the same upload, now skipping the bad rows

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[index.pk])
    assert any("已导入 2 个案例" in message and "已跳过 2 个错误行" in message for message in flash(response))
    assert TypicalCasePage.objects.count() == before_cases + 2
    imported = TypicalCasePage.objects.filter(title__in=GOOD_MIXED)
    assert sorted(imported.values_list("title", flat=True)) == sorted(GOOD_MIXED)
    assert not Page.objects.filter(title__in=BAD_MIXED).exists()
    for page in imported:
        assert not page.live and PageLogEntry.objects.filter(page=page, action="wagtail.create").count() == 1
        assert page.get_parent().pk == index.pk
    assert TypicalCasePage.objects.get(title="混合文件中的好案例丙").judgment_date == datetime.date(
        2025, 1, 2
    )


def test_a_file_with_only_bad_rows_offers_no_import(editor_client, index):
    preview = upload(editor_client, xlsx_upload([MIXED_ROWS[1], MIXED_ROWS[3]]))
    text = page_text(preview)
    assert "共 2 行，其中 0 行可以导入，2 行有错误" in text
    assert "跳过" not in text and "确认导入" not in text
    assert "或修改表格后重新上传" in text


# ---------------------------------------------------------------------------
# 4. CSV encodings that Excel and WPS save
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_files_import_in_the_usual_encodings(editor_client, index, encoding):
    rows = [
        case_row(f"{encoding} 编码的导入案例一", 案号="(2025)黑0921民初8号", 法院="勃利县人民法院"),
        case_row(f"{encoding} 编码的导入案例二", 裁判日期="2025/6/1", 履行日期="2025年6月2日"),
    ]
    titles = [row["标题"] for row in rows]
    before_cases = TypicalCasePage.objects.count()

    preview = upload(editor_client, csv_upload(rows, encoding=encoding))

    assert preview.status_code == 200
    assert "共 2 行，其中 2 行可以导入" in page_text(preview)
    assert all("可以导入" in text for text in preview_rows(preview).values())
    assert TypicalCasePage.objects.count() == before_cases

    response = confirm(editor_client, confirm_form(preview))

    assert response.status_code == 302
    assert TypicalCasePage.objects.count() == before_cases + 2
    first = TypicalCasePage.objects.get(title=titles[0])
    assert first.case_number == "（2025）黑0921民初8号"
    assert first.court.name == "勃利县人民法院"
    assert first.section_text("基本案情") == f"{titles[0]}的基本案情。"
    assert not first.live
    second = TypicalCasePage.objects.get(title=titles[1])
    assert second.performance_date == datetime.date(2025, 6, 2)


# ---------------------------------------------------------------------------
# 5. Permissions
# ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_admin_login(client, index):
    before = snapshot()
    for response in (
        client.get(IMPORT_URL),
        client.post(IMPORT_URL, {"step": "upload", "file": xlsx_upload(CLEAN_ROWS)}),
        client.get(EXPORT_URL + "?format=xlsx"),
        client.get(EXPORT_URL + "?format=csv"),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
    assert_untouched(before, CLEAN_TITLES)


def test_intake_staff_may_neither_import_nor_export(client, editor, intake, index, tmp_path):
    client.force_login(editor)
    preview = upload(client, xlsx_upload(CLEAN_ROWS))
    data = confirm_form(preview)
    before = snapshot()

    log_in_verified(client, intake)
    assert client.get("/admin/").status_code == 200  # they do reach the admin
    assert IMPORT_URL not in client.get("/admin/").content.decode()  # but see no import menu
    responses = [
        client.get(IMPORT_URL),
        client.post(IMPORT_URL, {"step": "upload", "file": xlsx_upload(CLEAN_ROWS)}),
        client.post(IMPORT_URL, data),  # even holding someone else's token
        client.get(EXPORT_URL + "?format=xlsx"),
        client.get(EXPORT_URL + "?format=csv"),
    ]

    for response in responses:
        assert response.status_code in (302, 403)
        assert "典型案例" not in response.get("Content-Disposition", "")
        assert response.get("Content-Type", "").split(";")[0] not in (XLSX_TYPE, "text/csv")
    assert_untouched(before, CLEAN_TITLES)
    assert len(list(tmp_path.iterdir())) == 1  # only the editor's upload


def test_propaganda_editor_imports_drafts_they_cannot_publish(client, editor, approver, index):
    client.force_login(editor)
    page_response = client.get(IMPORT_URL)
    assert page_response.status_code == 200
    assert "上传并预览" in page_text(page_response)
    assert IMPORT_URL in client.get("/admin/").content.decode()  # the menu item is shown

    confirm(client, confirm_form(upload(client, xlsx_upload(CLEAN_ROWS))))

    pages = TypicalCasePage.objects.filter(title__in=CLEAN_TITLES)
    assert pages.count() == 3
    for page in pages:
        assert not page.live
        assert page.permissions_for_user(editor).can_edit()
        assert not page.permissions_for_user(editor).can_publish()
        assert page.permissions_for_user(approver).can_publish()  # 宣传审核 publishes
    assert not TypicalCasePage.objects.filter(title__in=CLEAN_TITLES).live().exists()


# ---------------------------------------------------------------------------
# 6. Export, and importing an export again
# ---------------------------------------------------------------------------


def exported_rows(response, fmt):
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
        return [
            ["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_lists_every_case_with_chinese_names(editor_client, index, fmt):
    cases = TypicalCasePage.objects.select_related("court", "cause", "method")
    assert cases.count() == 14

    response = editor_client.get(EXPORT_URL, {"format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == (XLSX_TYPE if fmt == "xlsx" else "text/csv")
    assert re.fullmatch(
        rf'attachment; filename="typical-cases-\d{{8}}\.{fmt}"', response["Content-Disposition"]
    )
    header, *rows = exported_rows(response, fmt)
    assert header == HEADERS
    assert len(rows) == 14
    by_title = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows}
    assert set(by_title) == {case.title for case in cases}
    court_names = set(Court.objects.values_list("name", flat=True))
    for case in cases:
        row = by_title[case.title]
        assert row["法院"] == case.court.name and row["法院"] in court_names
        assert row["案由"] == case.cause.name
        assert row["履行方式"] == case.method.name
        assert row["案号"] == case.case_number
        assert row["裁判日期"].startswith(case.judgment_date.isoformat())
        assert row["履行日期"].startswith(case.performance_date.isoformat())
        for heading in ("基本案情", "履行情况", "典型意义"):
            assert row[heading] == case.section_text(heading)
        if case.amount is not None:
            assert Decimal(row["标的额"].replace(",", "")) == case.amount


def test_export_includes_drafts(editor_client, index):
    confirm(editor_client, confirm_form(upload(editor_client, xlsx_upload(CLEAN_ROWS))))

    header, *rows = exported_rows(editor_client.get(EXPORT_URL, {"format": "csv"}), "csv")

    assert header == HEADERS
    assert len(rows) == 17
    assert set(CLEAN_TITLES) <= {row[0] for row in rows}


def test_an_unknown_export_format_gives_xlsx(editor_client, index):
    response = editor_client.get(EXPORT_URL, {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert exported_rows(response, "xlsx")[0] == HEADERS


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_with_new_titles_imports_cleanly(editor_client, index, fmt):
    response = editor_client.get(EXPORT_URL, {"format": fmt})
    header, *rows = exported_rows(response, fmt)
    rows = [[f"{row[0]}（副本）", *row[1:]] for row in rows]
    if fmt == "xlsx":
        file = xlsx_upload([dict(zip(header, row, strict=True)) for row in rows], headers=header)
    else:
        file = csv_upload([dict(zip(header, row, strict=True)) for row in rows], headers=header)
    before_cases = TypicalCasePage.objects.count()

    preview = upload(editor_client, file)

    assert preview.status_code == 200
    assert "共 14 行，其中 14 行可以导入" in page_text(preview), preview_rows(preview)
    assert all("可以导入" in text for text in preview_rows(preview).values())
    assert TypicalCasePage.objects.count() == before_cases

    confirm(editor_client, confirm_form(preview))

    assert TypicalCasePage.objects.count() == before_cases + 14
    for original in TypicalCasePage.objects.filter(live=True):
        copy = TypicalCasePage.objects.get(title=f"{original.title}（副本）")
        assert not copy.live
        assert (copy.court_id, copy.cause_id, copy.method_id) == (
            original.court_id,
            original.cause_id,
            original.method_id,
        )
        assert (copy.judgment_date, copy.performance_date) == (
            original.judgment_date,
            original.performance_date,
        )
        assert copy.amount == original.amount
        assert copy.case_number == original.case_number
        assert copy.section_text("基本案情") == original.section_text("基本案情")


def test_reexporting_the_unchanged_export_flags_every_title_as_existing(editor_client, index):
    response = editor_client.get(EXPORT_URL, {"format": "xlsx"})
    before = snapshot()

    preview = upload(
        editor_client,
        SimpleUploadedFile("typical-cases.xlsx", response.content, content_type=XLSX_TYPE),
    )

    rows = preview_rows(preview)
    assert len(rows) == 14
    assert all("与已有案例重复" in text for text in rows.values())
    assert_untouched(before)


# ---------------------------------------------------------------------------
# 7. Forged or expired confirmations
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", uuid.uuid4().hex, "../../etc/passwd", "0" * 31],
    ids=["empty", "garbage", "unknown uuid", "path", "short"],
)
def test_a_forged_token_is_refused(editor_client, index, token):
    before = snapshot()

    response = confirm(
        editor_client, {"step": "confirm", "token": token, "filename": "典型案例.xlsx", "skip_invalid": "1"}
    )

    assert response.status_code == 302
    assert response.url == IMPORT_URL
    assert any("导入已失效，请重新上传文件" in message for message in flash(response))
    assert_untouched(before)
    followed = editor_client.get(response.url)
    assert followed.status_code == 200


def test_an_expired_upload_is_refused(editor_client, index, tmp_path):
    preview = upload(editor_client, xlsx_upload(CLEAN_ROWS))
    for waiting in tmp_path.iterdir():  # the waiting upload was cleaned away
        waiting.unlink()
    before = snapshot()

    response = confirm(editor_client, confirm_form(preview))

    assert response.status_code == 302 and response.url == IMPORT_URL
    assert any("导入已失效" in message for message in flash(response))
    assert_untouched(before, CLEAN_TITLES)


def test_a_forged_filename_cannot_change_how_the_upload_is_read(editor_client, index):
    preview = upload(editor_client, xlsx_upload(CLEAN_ROWS))
    before = snapshot()

    response = confirm(editor_client, {**confirm_form(preview), "filename": "cases.txt"})

    assert response.status_code == 302 and response.url == IMPORT_URL
    assert any("只能导入 .xlsx 或 .csv" in message for message in flash(response))
    assert_untouched(before, CLEAN_TITLES)


def test_imported_drafts_keep_the_page_tree_consistent(demo_content):
    """Import appends pages without treebeard's add_child: the tree must stay sound."""
    from publicity.importing import import_sheet, read_dataset

    index = TypicalCaseIndexPage.objects.get()
    editor = UserFactory(username="tree-editor", groups=["宣传"])
    rows = [
        [
            f"树结构测试{n}号民间借贷纠纷案",
            "",
            "勃利县人民法院",
            "民间借贷纠纷",
            "当庭履行",
            "2025-01-02",
            "2025-01-03",
            "",
            "",
            "案情",
            "",
            "",
        ]
        for n in range(3)
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADERS, *rows])
    imported, skipped = import_sheet(read_dataset(buffer.getvalue().encode(), "t.csv"), index, editor)
    assert (imported, skipped) == (3, 0)
    index.refresh_from_db()
    assert index.numchild == index.get_children().count() == 17
    later = TypicalCasePage.objects.filter(title__startswith="树结构测试").first()
    assert later.url_path == f"{index.url_path}{later.slug}/"
    # A page added the ordinary way afterwards gets its own place in the tree.
    extra = TypicalCasePage(
        title="树结构测试后加的案例",
        court=later.court,
        cause=later.cause,
        method=later.method,
        judgment_date=later.judgment_date,
        performance_date=later.performance_date,
    )
    index.add_child(instance=extra)
    assert Page.find_problems() == ([], [], [], [], [])


def test_rows_after_a_blank_line_are_named_by_their_excel_row(editor_client, index):
    """A blank row in the middle does not shift the row numbers staff are told."""
    rows = [case_row("第二行案例"), {}, case_row("第四行案例", 案由="不存在的纠纷")]
    preview = upload(editor_client, xlsx_upload(rows))
    assert_preview_error(preview, 4, "案由“不存在的纠纷”不存在")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_title_that_reads_as_a_formula_is_exported_as_text(editor_client, index, fmt):
    case = TypicalCasePage.objects.order_by("pk").first()
    TypicalCasePage.objects.filter(pk=case.pk).update(title='=HYPERLINK("http://evil.example/","点击查看")')
    other = TypicalCasePage.objects.exclude(pk=case.pk).order_by("pk").first()
    TypicalCasePage.objects.filter(pk=other.pk).update(title="-2+3 借款纠纷")
    response = editor_client.get(EXPORT_URL, {"format": fmt})
    titles = [row[0] for row in exported_rows(response, fmt)[1:]]
    assert '\'=HYPERLINK("http://evil.example/","点击查看")' in titles
    assert "'-2+3 借款纠纷" in titles
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
