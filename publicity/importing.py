"""Spreadsheet import and export of typical cases (xlsx, csv) with django-import-export.

Rows become draft pages under the typical-case index: an import never publishes, so every
imported case goes through the 宣传审核 workflow. Every problem is reported per row in
Chinese; the view writes nothing until the rows are clean or the user skips the bad ones.
"""

import datetime
import re
import uuid
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils.html import escape
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as search_post_save_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from portal.identifiers import IdentifierError, parse_case_number
from portal.models import CauseOfAction, Court
from publicity.blocks import CASE_SECTIONS
from publicity.models import PerformanceMethod, TypicalCasePage

COLUMNS = (
    "标题",
    "案号",
    "法院",
    "案由",
    "履行方式",
    "裁判日期",
    "履行日期",
    "标的额",
    "关键词",
    *CASE_SECTIONS,
)
REQUIRED_COLUMNS = ("标题", "法院", "案由", "履行方式", "裁判日期", "履行日期")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class NamedChoiceWidget(widgets.ForeignKeyWidget):
    """A reference (court, cause, method) by its Chinese name; courts also by 案号代字."""

    def __init__(self, model, label, extra_fields=()):
        super().__init__(model, field="name")
        self.label = label
        self.extra_fields = extra_fields
        self.lookup = None

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
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
        raise ValueError(f"{self.label}“{text}”不存在，请填写系统中已有的{self.label}名称。")


class ChineseDateWidget(widgets.DateWidget):
    """2025-03-04, 2025/3/4, 2025.3.4, 2025年3月4日, or a date cell of the spreadsheet."""

    def __init__(self, label):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            raise ValueError(f"请填写{self.label}。")
        match = re.fullmatch(
            r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?", text
        )
        try:
            if not match:
                raise ValueError
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(f"{self.label}“{text}”不是有效日期，应为 2025-03-04 这样的格式。") from None


class AmountWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "").replace("，", "").removesuffix("元").strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"标的额“{_text(value)}”不是数字，应以元为单位，例如 50000 或 50000.00。"
            ) from None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
            raise ValueError(f"标的额“{_text(value)}”超出范围。")
        return amount.quantize(Decimal("0.01"))


class CaseNumberWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        try:
            return str(parse_case_number(text))
        except IdentifierError as error:
            raise ValueError(error.message) from None


class RequiredTextWidget(widgets.CharWidget):
    def __init__(self, label, max_length):
        super().__init__()
        self.label = label
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(f"请填写{self.label}。")
        if len(text) > self.max_length:
            raise ValueError(f"{self.label}不能超过 {self.max_length} 个字。")
        return text


class SectionField(fields.Field):
    """One standard section (基本案情 …): plain text in the sheet, a body section on the page."""

    def __init__(self, heading):
        # import-export skips fields without an attribute; the value goes into the body instead.
        super().__init__(column_name=heading, attribute=f"section:{heading}", widget=widgets.CharWidget())
        self.heading = heading

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.__dict__.setdefault("_imported_sections", {})[self.heading] = _text(row.get(self.heading))

    def get_value(self, instance):
        return instance.section_text(self.heading)


def paragraphs_to_html(text):
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


class TypicalCaseResource(resources.ModelResource):
    title = fields.Field("title", column_name="标题", widget=RequiredTextWidget("标题", 255))
    case_number = fields.Field("case_number", column_name="案号", widget=CaseNumberWidget())
    court = fields.Field("court", column_name="法院", widget=NamedChoiceWidget(Court, "法院", ("code",)))
    cause = fields.Field("cause", column_name="案由", widget=NamedChoiceWidget(CauseOfAction, "案由"))
    method = fields.Field(
        "method", column_name="履行方式", widget=NamedChoiceWidget(PerformanceMethod, "履行方式")
    )
    judgment_date = fields.Field(
        "judgment_date", column_name="裁判日期", widget=ChineseDateWidget("裁判日期")
    )
    performance_date = fields.Field(
        "performance_date", column_name="履行日期", widget=ChineseDateWidget("履行日期")
    )
    amount = fields.Field("amount", column_name="标的额", widget=AmountWidget())
    keywords = fields.Field("keywords", column_name="关键词", widget=widgets.CharWidget())
    facts = SectionField("基本案情")
    performance = SectionField("履行情况")
    significance = SectionField("典型意义")

    class Meta:
        model = TypicalCasePage
        fields = (
            "title",
            "case_number",
            "court",
            "cause",
            "method",
            "judgment_date",
            "performance_date",
            "amount",
            "keywords",
            "facts",
            "performance",
            "significance",
        )
        export_order = fields
        clean_model_instances = False
        skip_diff = True
        use_transactions = True

    def __init__(self, index_page=None, user=None):
        super().__init__()
        self.index_page = index_page
        self.user = user
        self.titles_seen = set()
        self.next_step = None
        self.created = []

    def get_instance(self, instance_loader, row):
        return None  # every row is a new case; a repeated title is an error, not an update

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        title = instance.title
        if title and "title" not in errors:
            if title in self.titles_seen:
                errors["title"] = ValidationError(f"标题“{title}”在文件中重复出现。")
            elif TypicalCasePage.objects.filter(title=title).exists():
                errors["title"] = ValidationError(f"标题“{title}”与已有案例重复。")
            self.titles_seen.add(title)
        sections = instance.__dict__.get("_imported_sections", {})
        if not any(sections.values()):
            errors["body"] = ValidationError("正文为空：基本案情、履行情况、典型意义至少填写一项。")
        court = getattr(instance, "court", None) if "court" not in errors else None
        if court is not None and instance.case_number and "case_number" not in errors:
            code = parse_case_number(instance.case_number).court_code
            if code != court.code:
                errors["case_number"] = ValidationError(
                    f"案号中的法院代字“{code}”与所填法院“{court.name}”（{court.code}）不一致。"
                )
        if (
            "judgment_date" not in errors
            and "performance_date" not in errors
            and instance.performance_date < instance.judgment_date
        ):
            errors["performance_date"] = ValidationError("履行日期不能早于裁判日期。")
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        sections = instance.__dict__.get("_imported_sections", {})
        instance.body = [
            ("section", {"heading": heading, "text": paragraphs_to_html(text)})
            for heading, text in sections.items()
            if text
        ]
        instance.live = False  # drafts only: publishing goes through moderation

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            return  # the preview validates; it never writes, not even inside a rollback
        super().save_instance(instance, is_create, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        """Append the draft under the index page.

        What treebeard's add_child does, without re-reading the last sibling and the parent
        for every row: the path steps are counted here and the parent's child count is
        updated once in `after_import`. Wagtail logs the creation with the importing user.
        """
        parent = self.index_page
        if self.next_step is None:
            last = parent.get_last_child()
            self.next_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        instance.depth = parent.depth + 1
        instance.path = Page._get_path(parent.path, instance.depth, self.next_step)
        self.next_step += 1
        instance.numchild = 0
        instance.slug = f"case-{uuid.uuid4().hex[:12]}"
        instance.draft_title = instance.title
        instance.locale_id = parent.locale_id
        instance.owner = self.user
        instance.live = False
        instance.has_unpublished_changes = True
        instance.save(clean=False, user=self.user)
        self.created.append(instance)

    def after_import(self, dataset, result, **kwargs):
        if self.created:
            Page.objects.filter(pk=self.index_page.pk).update(numchild=F("numchild") + len(self.created))

    def dehydrate_court(self, page):
        return page.court.name

    def dehydrate_cause(self, page):
        return page.cause.name

    def dehydrate_method(self, page):
        return page.method.name


class SheetError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""


FORMATS = {"xlsx": XLSX, "csv": CSV}


def read_dataset(content, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise SheetError("只能导入 .xlsx 或 .csv 文件。")
    file_format = FORMATS[extension]()
    try:
        if extension == "csv":
            try:
                content = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                content = content.decode("gb18030")
        dataset = file_format.create_dataset(content)
    except Exception:  # noqa: BLE001 - any parser failure means an unreadable file
        raise SheetError("无法读取该文件：文件已损坏或不是有效的 xlsx/csv 表格。") from None
    headers = [str(header or "").strip() for header in (dataset.headers or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        raise SheetError(f"表格缺少以下列：{'、'.join(missing)}。第一行应为列名：{'、'.join(COLUMNS)}。")
    unknown = [header for header in headers if header and header not in COLUMNS]
    if unknown:
        raise SheetError(f"表格中有无法识别的列：{'、'.join(unknown)}。可用的列：{'、'.join(COLUMNS)}。")
    dataset.headers = headers
    # Rows left blank in the sheet (Excel keeps them after deleting contents) are not cases.
    blank = [number for number, values in enumerate(dataset) if not any(_text(value) for value in values)]
    for number in reversed(blank):
        del dataset[number]
    if not dataset.height:
        raise SheetError("表格中没有数据行。")
    return dataset


def check_sheet(dataset, index, user):
    """The preview: every row with its problems. Validation only; nothing is saved."""
    resource = TypicalCaseResource(index_page=index, user=user)
    # Without transactions a dry run never calls save: the rows are only validated.
    result = resource.import_data(dataset, dry_run=True, raise_errors=False, use_transactions=False)
    problems = row_errors(result, dataset)
    title_column = dataset.headers.index("标题")
    rows = [
        {
            "number": number,
            "sheet_row": number + 1,
            "title": str(values[title_column] or "").strip(),
            "errors": problems.get(number, []),
        }
        for number, values in enumerate(dataset, start=1)
    ]
    return rows


def import_sheet(dataset, index, user, *, skip_invalid=False):
    """Create the rows as draft pages in one transaction; returns (imported, skipped).

    Rows are checked again (the data may have changed since the preview). With problems
    left and no `skip_invalid`, nothing is written.
    """
    bad = {row["number"] for row in check_sheet(dataset, index, user) if row["errors"]}
    if bad and not skip_invalid:
        raise SheetError("表格仍有错误行，未导入任何案例。请修改后重新上传，或选择跳过错误行。")
    clean = tablib.Dataset(headers=dataset.headers)
    for number, values in enumerate(dataset, start=1):
        if number not in bad:
            clean.append(values)
    if clean.height:
        resource = TypicalCaseResource(index_page=index, user=user)
        # Index the new drafts for search and references once, in bulk, not row by row.
        with (
            transaction.atomic(),
            disable_reference_index_auto_update(),
            search_updates_suspended(TypicalCasePage),
        ):
            resource.import_data(clean, dry_run=False, raise_errors=True, use_transactions=True)
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(TypicalCasePage, resource.created)
            for page in resource.created:
                ReferenceIndex.create_or_update_for_object(page)
    return clean.height, len(bad)


@contextmanager
def search_updates_suspended(model):
    """Hold back the per-save search index update for `model` (the caller indexes in bulk)."""
    post_save.disconnect(search_post_save_handler, sender=model)
    try:
        yield
    finally:
        post_save.connect(search_post_save_handler, sender=model)


def row_errors(result, dataset):
    """{data row number (1-based): [Chinese messages]} from a dry run's result."""
    problems = {}
    for invalid in result.invalid_rows:
        for field_messages in invalid.error_dict.values():
            problems.setdefault(invalid.number, []).extend(field_messages)
    for number, errors in result.row_errors():
        problems.setdefault(number, []).extend("此行无法导入，请检查各列内容。" for _error in errors)
    return problems
