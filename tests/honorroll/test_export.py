"""Exports of a published batch for recipient agencies (xlsx, csv).

An agency file carries the public form of every entry (the masked name of a natural person)
and, for a party who gave its second consent (identity to the agencies), the real name and
ID number; organisations come with their name and credit code. A person without that
consent is exported masked only: the real name appears nowhere in the file. Every export is
recorded as a Delivery with the version, the number of entries, the identities disclosed
and the file's SHA-256. (Consented identities: tests/honorroll/test_identities.py.)
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.messages import get_messages

from honorroll import corrections, publishing
from honorroll.exports import export_batch
from honorroll.models import Delivery, Recipient
from tests.factories import UserFactory, second_list_manager
from tests.honorroll.conftest import ORGANISATION, PEOPLE
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "序号",
    "条目编号",
    "公开名称",
    "当事人类型",
    "真实姓名或名称（经本人同意）",
    "身份证号码或统一社会信用代码",
    "案号",
    "案由",
    "审理法院",
    "履行完毕日期",
    "履行金额（元）",
    "加入版次",
]
NAME = HEADER.index("公开名称")
MASKED = ["欧阳某某", "买某", "张某1", "张某2", "李某某"]
# Every way a real name could leak: whole, and the given names on their own.
REAL_NAME_PARTS = [*PEOPLE, "娜娜", "买买提", "艾力", "小明"]


@pytest.fixture
def recipient():
    return Recipient.objects.create(name="七台河市发展和改革委员会")


def rows_of(content, fmt):
    """The cells of the file: text in a CSV; in an xlsx the typed values (a date cell reads
    back as a datetime, an amount as a number), an empty cell as ""."""
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
        return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 CSV correctly only with a BOM
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def raw_text(content, fmt):
    """All the text in the file, including every XML part of an xlsx package."""
    if fmt == "csv":
        return content.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def assert_no_real_person_name(content, fmt):
    text = raw_text(content, fmt)
    for part in REAL_NAME_PARTS:
        assert part not in text, part


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_is_the_public_form_and_is_logged(make_batch, recipient, list_manager, fmt):
    batch = make_batch()

    content, filename, content_type = export_batch(batch, recipient, fmt, list_manager)

    assert content_type.split(";")[0] == (XLSX_TYPE if fmt == "xlsx" else "text/csv")
    assert filename == (
        f"诚信履行名单-七台河市新兴区人民法院-2025年第3期-第1版-报送七台河市发展和改革委员会.{fmt}"
    )
    header, *rows = rows_of(content, fmt)
    assert header == HEADER
    by_name = {row[NAME]: dict(zip(HEADER, row, strict=True)) for row in rows}
    assert list(by_name) == [*MASKED, ORGANISATION[0]]
    assert_no_real_person_name(content, fmt)
    number = (lambda n: n) if fmt == "xlsx" else str
    ids = list(batch.entries.order_by("pk").values_list("pk", flat=True))
    assert [row["条目编号"] for row in by_name.values()] == [number(pk) for pk in ids]
    assert [row["序号"] for row in by_name.values()] == [number(n) for n in range(1, 7)]
    for name in MASKED:
        person = by_name[name]
        assert person["当事人类型"] == "自然人"
        # No identity consent in the fixture: masked only, as on the public page.
        assert person["真实姓名或名称（经本人同意）"] == "" and person["身份证号码或统一社会信用代码"] == ""
        assert person["加入版次"] == number(1)
    organisation = by_name[ORGANISATION[0]]
    assert organisation["当事人类型"] == "法人或其他组织"
    assert organisation["真实姓名或名称（经本人同意）"] == ORGANISATION[0]
    assert organisation["身份证号码或统一社会信用代码"] == ORGANISATION[1]
    assert organisation["案号"] == "（2025）黑0902民初6号"
    assert organisation["案由"] == "民间借贷纠纷" and organisation["审理法院"] == "七台河市新兴区人民法院"
    if fmt == "xlsx":  # typed cells: a date and a number, not text
        assert organisation["履行金额（元）"] == 150000
        assert by_name["张某1"]["履行完毕日期"] == datetime.datetime(2025, 6, 1)
    else:
        assert organisation["履行金额（元）"] == "150000.00"
        assert by_name["张某1"]["履行完毕日期"] == "2025-06-01"
    assert by_name["张某1"]["履行金额（元）"] == ""

    delivery = Delivery.objects.get()
    assert (delivery.batch, delivery.recipient, delivery.method) == (batch, recipient, fmt)
    assert (delivery.revision, delivery.entry_count, delivery.sent_by) == (1, 6, list_manager)
    assert delivery.identities_disclosed == 0  # the organisation's name is public anyway
    assert delivery.sha256 == hashlib.sha256(content).hexdigest()


def test_after_a_correction_the_export_has_the_new_revision(make_batch, recipient, list_manager):
    batch = make_batch()
    entry = batch.entries.get(party_name="李小明")
    objection = corrections.record_objection(
        entry, requested_by="李小明", reason="已改判。", actor=list_manager
    )
    corrections.decide_objection(objection, upheld=True, note="异议成立。", actor=second_list_manager())

    content, filename, _type = export_batch(batch, recipient, "csv", list_manager)

    names = [row[NAME] for row in rows_of(content, "csv")[1:]]
    assert names == ["欧阳某某", "买某", "张某1", "张某2", ORGANISATION[0]]
    assert filename.endswith("第2版-报送七台河市发展和改革委员会.csv")
    delivery = Delivery.objects.get()
    assert (delivery.revision, delivery.entry_count) == (2, 5)


def test_a_draft_or_an_inactive_recipient_gets_no_export(make_batch, recipient, list_manager):
    draft = make_batch(publish=False)
    with pytest.raises(publishing.ListError, match="只有已发布的名单才能报送"):
        export_batch(draft, recipient, "xlsx", list_manager)
    published = make_batch(number=4)
    recipient.is_active = False
    recipient.save()
    with pytest.raises(publishing.ListError, match="已停用"):
        export_batch(published, recipient, "xlsx", list_manager)
    recipient.is_active = True
    with pytest.raises(publishing.ListError, match="xlsx 或 csv"):
        export_batch(published, recipient, "pdf", list_manager)
    assert not Delivery.objects.exists()


# ---------------------------------------------------------------------------
# The admin view
# ---------------------------------------------------------------------------


def export_url(batch):
    return f"/admin/honorroll/batches/{batch.pk}/export/"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_list_manager_exports_through_the_admin(client, list_manager, make_batch, recipient, fmt):
    batch = make_batch()
    log_in_verified(client, list_manager)
    page = client.get(export_url(batch))
    assert page.status_code == 200 and recipient.name in page.content.decode()

    response = client.post(export_url(batch), {"recipient": recipient.pk, "format": fmt})

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == (XLSX_TYPE if fmt == "xlsx" else "text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and re.search(rf"filename\*=utf-8''.+\.{fmt}$", disposition)
    assert_no_real_person_name(response.content, fmt)
    assert [row[NAME] for row in rows_of(response.content, fmt)[1:]] == [*MASKED, ORGANISATION[0]]
    delivery = Delivery.objects.get()
    assert (delivery.method, delivery.entry_count, delivery.sent_by) == (fmt, 6, list_manager)
    assert delivery.sha256 == hashlib.sha256(response.content).hexdigest()
    assert recipient.name in client.get(export_url(batch)).content.decode()  # in the delivery log


def test_the_admin_export_refuses_a_draft_and_a_bad_choice(client, list_manager, make_batch, recipient):
    log_in_verified(client, list_manager)
    draft = make_batch(publish=False)
    published = make_batch(number=4)

    for batch, data, message in (
        (draft, {"recipient": recipient.pk, "format": "xlsx"}, "只有已发布的名单才能报送"),
        (published, {"recipient": "", "format": "xlsx"}, "请选择接收单位"),
        (published, {"recipient": recipient.pk, "format": "pdf"}, "请选择报送格式"),
    ):
        response = client.post(export_url(batch), data)
        assert response.status_code == 302 and response.url == export_url(batch)
        assert any(message in str(m) for m in get_messages(response.wsgi_request))
    assert not Delivery.objects.exists()


def test_staff_outside_the_list_group_cannot_export(client, make_batch, recipient):
    batch = make_batch()
    anonymous = client.post(export_url(batch), {"recipient": recipient.pk, "format": "csv"})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url

    log_in_verified(client, UserFactory(username="lian-staff", groups=["立案审查"]))
    for response in (
        client.get(export_url(batch)),
        client.post(export_url(batch), {"recipient": recipient.pk, "format": "csv"}),
    ):
        assert response.status_code in (302, 403)
        assert "attachment" not in response.get("Content-Disposition", "")
    assert not Delivery.objects.exists()
