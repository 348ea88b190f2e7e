"""Every file of the list: the public downloads and the files for recipient agencies, from
one writer (xlsx with dates as dates and amounts as numbers, or UTF-8 CSV with a BOM).

Public files carry the public form only. An agency file carries, for each party who gave
its second consent (identity to the agencies, PIPL Art. 23), the real name and ID number;
every agency export is a Delivery naming the version sent and how many identities it held.

Written with XlsxWriter (constant memory) rather than tablib/django-import-export: tablib
writes every cell through a full openpyxl worksheet (100,000 rows did not fit the 30-second
goal; XlsxWriter writes them about twice as fast as even openpyxl's write-only mode) and its
formula escaping turns dates and amounts into text; here text cells are escaped one by one
and typed cells keep their type.
"""

import csv
import datetime
import hashlib
import io
import re
from decimal import Decimal

import xlsxwriter
from django.db import transaction

from honorroll.models import Delivery, ListBatch, PartyKind
from honorroll.publishing import PUBLIC_VALUES, ListError, public_entries, version_entries
from portal import crypto
from portal.identifiers import formula_safe

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PUBLIC_COLUMNS = (
    ("序号", 6),
    ("当事人", 30),
    ("统一社会信用代码", 22),
    ("案号", 26),
    ("案由", 18),
    ("审理法院", 26),
    ("履行完毕日期", 14),
    ("履行金额（元）", 16),
)
AGENCY_COLUMNS = (
    ("序号", 6),
    ("条目编号", 10),
    ("公开名称", 24),
    ("当事人类型", 14),
    ("真实姓名或名称（经本人同意）", 30),
    ("身份证号码或统一社会信用代码", 22),
    ("案号", 26),
    ("案由", 18),
    ("审理法院", 26),
    ("履行完毕日期", 14),
    ("履行金额（元）", 16),
    ("加入版次", 10),
)
KIND_LABELS = dict(PartyKind.choices)
ENTRY_VALUES = (
    "pk",
    "public_name",
    "party_kind",
    "party_name",
    "credit_code",
    "identity_encrypted",
    "identity_consented_at",
    "case_number",
    "cause__name",
    "court__name",
    "performed_on",
    "amount",
    "added_in",
)


def public_rows(entries):
    """The public form of `entries`: the masked name, a credit code for organisations."""
    rows = entries.values_list(*PUBLIC_VALUES)
    for serial, (name, kind, code, case_number, cause, court, performed_on, amount) in enumerate(
        rows.iterator(chunk_size=2000), start=1
    ):
        organisation = kind == PartyKind.ORGANISATION
        yield (serial, name, code if organisation else "", case_number, cause, court, performed_on, amount)


class AgencyRows:
    """The rows of an agency file; `identities` counts the persons disclosed with consent."""

    def __init__(self, entries):
        self.entries = entries
        self.identities = 0

    def __iter__(self):
        rows = self.entries.values(*ENTRY_VALUES).iterator(chunk_size=2000)
        for serial, row in enumerate(rows, start=1):
            organisation = row["party_kind"] == PartyKind.ORGANISATION
            consented = row["identity_consented_at"] is not None
            if organisation:
                name, number = row["party_name"], row["credit_code"]
            elif consented and row["identity_encrypted"]:
                name, number = row["party_name"], crypto.decrypt(row["identity_encrypted"])
                self.identities += 1
            else:
                name, number = "", ""  # masked only, as on the public page
            yield (
                serial,
                row["pk"],
                row["public_name"],
                KIND_LABELS.get(row["party_kind"], ""),
                name,
                number,
                row["case_number"],
                row["cause__name"],
                row["court__name"],
                row["performed_on"],
                row["amount"],
                row["added_in"],
            )


def sheet_bytes(columns, rows, fmt, title):
    """The file of `rows` (tuples whose date and Decimal cells keep their type)."""
    headers = [name for name, _width in columns]
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_value(value) for value in row])
        return buffer.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    # Every string is written as a string (never a formula, URL or number) and rows stream
    # to a temporary file, so memory stays flat for 100,000 rows.
    book = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet(sheet_title(title))
    date_format, money_format = (
        book.add_format({"num_format": "yyyy-mm-dd"}),
        book.add_format({"num_format": "0.00"}),
    )
    for index, (name, width) in enumerate(columns):
        sheet.set_column(index, index, width)
        sheet.write_string(0, index, name)
    for row_number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if value is None or value == "":
                continue  # a blank cell, not an empty string
            if isinstance(value, str):
                sheet.write_string(row_number, index, formula_safe(value))
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row_number, index, value, date_format)
            elif isinstance(value, Decimal):
                sheet.write_number(row_number, index, float(value), money_format)
            else:
                sheet.write_number(row_number, index, value)
    book.close()
    return buffer.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return formula_safe(value)


def sheet_title(title):
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "名单"


def file_part(text):
    """Text safe inside a file name."""
    return re.sub(r'[\\/:*?"<>|\s]+', "", text)[:60]


def batch_title(batch):
    return f"{batch.court.name}{batch.title}"


def version_file(batch, version, fmt):
    """The public form of version `version` of a published batch, for staff (not a delivery)."""
    if fmt not in FORMATS:
        raise ListError("格式只能是 xlsx 或 csv。")
    content = sheet_bytes(
        PUBLIC_COLUMNS, public_rows(version_entries(batch, version)), fmt, batch_title(batch)
    )
    filename = (
        f"诚信履行名单-{file_part(batch.court.name)}-{batch.year}年第{batch.number}期-第{version}版.{fmt}"
    )
    return content, filename, CONTENT_TYPES[fmt]


def export_batch(batch, recipient, fmt, actor):
    """The current version of the published `batch` as a file for `recipient` — with the
    identities its parties consented to give — recorded as a Delivery: returns (bytes,
    filename, content type). Raises ListError otherwise."""
    if fmt not in FORMATS:
        raise ListError("报送格式只能是 xlsx 或 csv。")
    if not recipient.is_active:
        raise ListError(f"接收单位“{recipient.name}”已停用，不能报送。")
    with transaction.atomic():
        # The version and the rows are read together, so the delivery names the version sent.
        batch = ListBatch.objects.select_for_update().select_related("court").get(pk=batch.pk)
        if not batch.is_published:
            raise ListError("只有已发布的名单才能报送；请先发布该批次。")
        entries = public_entries(batch)
        if entries.filter(public_name="").exists():
            raise ListError("名单中有条目缺少公开名称，不能报送；请联系系统管理员。")
        rows = AgencyRows(entries)
        content = sheet_bytes(AGENCY_COLUMNS, rows, fmt, batch_title(batch))
        count = entries.count()
        Delivery.objects.create(
            batch=batch,
            recipient=recipient,
            method=fmt,
            revision=batch.revision,
            entry_count=count,
            identities_disclosed=rows.identities,
            sha256=hashlib.sha256(content).hexdigest(),
            sent_by=actor,
        )
    filename = (
        f"诚信履行名单-{file_part(batch.court.name)}-{batch.year}年第{batch.number}期-第{batch.revision}版"
        f"-报送{file_part(recipient.name)}.{fmt}"
    )
    return content, filename, CONTENT_TYPES[fmt]
