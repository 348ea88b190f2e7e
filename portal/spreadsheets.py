"""Spreadsheets staff upload and download (xlsx, csv), shared by the imports built on
django-import-export (typical cases in publicity/importing.py, the good-faith list in
honorroll/importing.py): reading a file into a `tablib.Dataset`, the widgets that read
Chinese dates, amounts, case numbers and named references, the per-row error messages,
a file waiting between preview and confirmation, and writing a dataset back to bytes.

Every message is Chinese and addressed to the member of staff who made the sheet.
"""

import datetime
import os
import re
import time
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from django.conf import settings
from django.utils import timezone
from import_export import widgets
from import_export.formats.base_formats import CSV, XLSX

from portal.identifiers import IdentifierError, formula_safe, parse_case_number

FORMATS = {"xlsx": XLSX, "csv": CSV}


class SheetError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""


def cell_text(value):
    """A cell as trimmed text: empty for None, 12.0 → "12" (Excel stores numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ---------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------


def file_extension(filename):
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


# Caps checked before and while parsing: a small xlsx (a zip) can expand to gigabytes of
# XML or hundreds of thousands of rows and hold a worker. The list's largest imports are a
# court's whole list (tens of thousands of rows); anything beyond is split into batches.
MAX_ROWS = 100_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
TOO_MANY_ROWS = f"表格超过 {MAX_ROWS:,} 行，请分批导入。"


def _check_xlsx_size(content):
    import io
    import zipfile

    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except zipfile.BadZipFile:
        raise SheetError("无法读取该文件：文件已损坏或不是有效的 xlsx/csv 表格。") from None
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise SheetError("该 xlsx 文件解压后过大，无法导入，请删除多余的工作表、图片或格式后分批导入。")


def read_dataset(content, filename, *, columns, required):
    """The first sheet of an xlsx or csv file as a Dataset with trimmed headers.

    `columns` are the headers the import knows (in the order staff are told about),
    `required` those that must be present. Rows left entirely blank are dropped; the
    sheet row number of every remaining row (the header is row 1) is kept in
    `dataset.sheet_rows`, so that messages name the row staff see in Excel.
    Raises SheetError for an unreadable file, an unknown type or wrong headers.
    """
    extension = file_extension(filename)
    if extension not in FORMATS:
        raise SheetError("只能导入 .xlsx 或 .csv 文件。")
    try:
        if extension == "csv":
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("gb18030")
            if text.count("\n") > MAX_ROWS + 1:
                raise SheetError(TOO_MANY_ROWS)
            dataset = CSV().create_dataset(text)
        else:
            _check_xlsx_size(content)
            dataset = _read_xlsx(content)
    except SheetError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means an unreadable file
        raise SheetError("无法读取该文件：文件已损坏或不是有效的 xlsx/csv 表格。") from None
    headers = [str(header or "").strip() for header in (dataset.headers or [])]
    missing = [column for column in required if column not in headers]
    if missing:
        raise SheetError(f"表格缺少以下列：{'、'.join(missing)}。第一行应为列名：{'、'.join(columns)}。")
    unknown = [header for header in headers if header and header not in columns]
    if unknown:
        raise SheetError(f"表格中有无法识别的列：{'、'.join(unknown)}。可用的列：{'、'.join(columns)}。")
    repeated = sorted({header for header in headers if header and headers.count(header) > 1})
    if repeated:
        raise SheetError(f"表格中的列重复出现：{'、'.join(repeated)}。")
    dataset.headers = headers
    # Rows left blank in the sheet (Excel keeps them after deleting contents) are not data.
    blank = [number for number, values in enumerate(dataset) if not any(cell_text(value) for value in values)]
    sheet_rows = list(range(2, dataset.height + 2))
    for number in reversed(blank):
        del dataset[number]
        del sheet_rows[number]
    if not dataset.height:
        raise SheetError("表格中没有数据行。")
    dataset.sheet_rows = sheet_rows
    return dataset


def _read_xlsx(content):
    """What import-export's XLSX format does, reading plain values rather than cell
    objects (noticeably quicker for a sheet of 100,000 rows)."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = book.active.iter_rows(values_only=True)
        headers = list(next(rows, ()))
        dataset = tablib.Dataset(headers=headers)
        width = len(headers)
        for values in rows:
            if dataset.height >= MAX_ROWS:
                raise SheetError(TOO_MANY_ROWS)
            if len(values) != width:
                # A stray value right of the last column, or a short row: pad or cut,
                # but never drop a value silently.
                if any(value is not None for value in values[width:]):
                    raise SheetError("表格中有数据超出了列名所在的范围。")
                values = (tuple(values) + (None,) * width)[:width]
            dataset.append(values)
        return dataset
    finally:
        book.close()


def row_errors(result, labels=None):
    """{data row number (1-based): [Chinese messages]} from an import-export result.

    With `labels` ({field attribute or error key: column header}), each message is
    prefixed with the column it is about: 「案号」案号格式不正确…"""
    problems = {}
    for invalid in result.invalid_rows:
        for key, field_messages in invalid.error_dict.items():
            label = (labels or {}).get(key)
            problems.setdefault(invalid.number, []).extend(
                f"「{label}」{message}" if label else message for message in field_messages
            )
    for number, errors in result.row_errors():
        problems.setdefault(number, []).extend("此行无法导入，请检查各列内容。" for _error in errors)
    return problems


# ---------------------------------------------------------------------------
# Widgets: cells in the forms staff type
# ---------------------------------------------------------------------------


class RequiredTextWidget(widgets.CharWidget):
    def __init__(self, label, max_length):
        super().__init__()
        self.label = label
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(f"请填写{self.label}。")
        if len(text) > self.max_length:
            raise ValueError(f"{self.label}不能超过 {self.max_length} 个字。")
        return text


class NamedChoiceWidget(widgets.ForeignKeyWidget):
    """A reference (court, cause, method) by its Chinese name; courts also by 案号代字."""

    def __init__(self, model, label, extra_fields=(), hint=None):
        super().__init__(model, field="name")
        self.label = label
        self.extra_fields = extra_fields
        self.hint = hint or f"请填写系统中已有的{label}名称"
        self.lookup = None

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(f"请填写{self.label}。")
        if self.lookup is None:
            # One query per import, not per cell (resources deep-copy their fields, so
            # this cache lives as long as one import).
            self.lookup = {}
            for obj in self.model.objects.all():
                for field in reversed(("name", *self.extra_fields)):
                    self.lookup[getattr(obj, field)] = obj
        match = self.lookup.get(text)
        if match is not None:
            return match
        raise ValueError(f"{self.label}“{text}”不存在，{self.hint}。")


DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?")


class ChineseDateWidget(widgets.DateWidget):
    """2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日, or a date cell of the spreadsheet.
    With `not_after_today`, a date later than today is refused."""

    def __init__(self, label, not_after_today=False):
        super().__init__()
        self.label = label
        self.not_after_today = not_after_today
        self.today = None

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            date = value.date()
        elif isinstance(value, datetime.date):
            date = value
        else:
            text = cell_text(value)
            if not text:
                raise ValueError(f"请填写{self.label}。")
            match = DATE_PATTERN.fullmatch(text)
            try:
                if not match:
                    raise ValueError
                date = datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise ValueError(f"{self.label}“{text}”不是有效日期，应为 2025-03-04 这样的格式。") from None
        if self.not_after_today:
            if self.today is None:
                self.today = timezone.localdate()
            if date > self.today:
                raise ValueError(f"{self.label} {date.isoformat()} 晚于今天，请核对。")
        return date


class AmountWidget(widgets.DecimalWidget):
    """An amount in yuan: 50000, 50,000.00, 5万 is not accepted. Blank is None.

    By default more than two decimals are rounded to the fen; with `exact`, they are
    refused (a list of performance must show the amount as decided)."""

    def __init__(self, label="标的额", maximum=Decimal("1e12"), exact=False):
        super().__init__()
        self.label = label
        self.maximum = maximum
        self.exact = exact

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).replace(",", "").replace("，", "").removesuffix("元").strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"{self.label}“{cell_text(value)}”不是数字，应以元为单位，例如 50000 或 50000.00。"
            ) from None
        if self.exact:
            if not amount.is_finite():
                raise ValueError(f"{self.label}“{cell_text(value)}”不是数字。")
            if amount < 0:
                raise ValueError(f"{self.label}“{cell_text(value)}”不能为负数。")
            if amount.as_tuple().exponent < -2:
                raise ValueError(f"{self.label}“{cell_text(value)}”最多保留两位小数（到分）。")
            if amount >= self.maximum:
                raise ValueError(f"{self.label}“{cell_text(value)}”超出范围。")
        elif not amount.is_finite() or amount < 0 or amount >= self.maximum:
            raise ValueError(f"{self.label}“{cell_text(value)}”超出范围。")
        return amount.quantize(Decimal("0.01"))


class CaseNumberWidget(widgets.CharWidget):
    """A case number in its canonical form (portal/identifiers.py)."""

    def __init__(self, required=False, allow_legacy=False):
        super().__init__()
        self.required = required
        self.allow_legacy = allow_legacy

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text and not self.required:
            return ""
        try:
            return str(parse_case_number(text, allow_legacy=self.allow_legacy))
        except IdentifierError as error:
            raise ValueError(error.message) from None


# ---------------------------------------------------------------------------
# A file waiting between preview and confirmation
# ---------------------------------------------------------------------------


class PendingUpload:
    """An uploaded file kept on disk under a random token until it is confirmed.

    The token is all the browser holds; `kind` keeps files of different imports (and of
    different batches) apart, so a token of one cannot be used with another. The files hold
    real names: they live in settings.PENDING_UPLOAD_DIR (private, 0700; each file 0600),
    never the shared temporary directory, and go when confirmed, when refused, or
    PENDING_SECONDS after the upload (swept at every new upload, refused when read)."""

    PENDING_SECONDS = 2 * 3600

    def __init__(self, kind, token):
        if not re.fullmatch(r"[\w-]+", kind, re.ASCII):
            raise ValueError(kind)  # part of a file name: never a path
        self.kind = kind
        self.token = uuid.UUID(hex=token).hex  # ValueError for anything but a token

    @staticmethod
    def folder():
        return Path(settings.PENDING_UPLOAD_DIR)

    @classmethod
    def sweep(cls):
        """Remove the files of uploads never confirmed in time."""
        expired = time.time() - cls.PENDING_SECONDS
        for path in cls.folder().iterdir():
            try:
                if path.stat().st_mtime < expired:
                    path.unlink()
            except FileNotFoundError:
                pass  # another process swept it first

    @classmethod
    def save(cls, kind, content):
        cls.folder().mkdir(mode=0o700, parents=True, exist_ok=True)  # once, here: reads never create it
        cls.sweep()
        pending = cls(kind, uuid.uuid4().hex)
        descriptor = os.open(pending.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        return pending

    @property
    def path(self):
        return self.folder() / f"{self.kind}-{self.token}"

    def read(self):
        """The file's bytes; OSError when it expired or was already used."""
        if self.path.stat().st_mtime < time.time() - self.PENDING_SECONDS:
            self.discard()
            raise FileNotFoundError(self.path)
        return self.path.read_bytes()

    def discard(self):
        self.path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# Writing a file
# ---------------------------------------------------------------------------


def dataset_bytes(dataset, fmt):
    """(bytes, content type) of `dataset` as xlsx or as csv in UTF-8 with a BOM (without
    it Excel reads UTF-8 CSV as the local code page)."""
    file_format = FORMATS[fmt]()
    # Not IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT: it strips a leading "=" only (not + - @)
    # and writes every cell through str() (an empty cell becomes "None").
    escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        escaped.append([formula_safe(cell) for cell in row])
    data = file_format.export_data(escaped)
    if fmt == "csv":
        data = ("\ufeff" + data).encode("utf-8")
    return data, file_format.get_content_type()
