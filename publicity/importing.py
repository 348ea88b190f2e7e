"""Spreadsheet import and export of typical cases (xlsx, csv) with django-import-export.

Rows become draft pages under the typical-case index: an import never publishes, so every
imported case goes through the 宣传审核 workflow. Every problem is reported per row in
Chinese; the view writes nothing until the rows are clean or the user skips the bad ones.
"""

import uuid
from contextlib import contextmanager

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils.html import escape
from import_export import fields, resources, widgets
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as search_post_save_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from portal.identifiers import parse_case_number
from portal.models import CauseOfAction, Court
from portal.spreadsheets import FORMATS as FORMATS  # re-exported: publicity/views.py imports it from here
from portal.spreadsheets import (
    AmountWidget,
    CaseNumberWidget,
    ChineseDateWidget,
    NamedChoiceWidget,
    RequiredTextWidget,
    SheetError,
    cell_text,
)
from portal.spreadsheets import read_dataset as read_sheet
from portal.spreadsheets import row_errors as sheet_row_errors
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


class SectionField(fields.Field):
    """One standard section (基本案情 …): plain text in the sheet, a body section on the page."""

    def __init__(self, heading):
        # import-export skips fields without an attribute; the value goes into the body instead.
        super().__init__(column_name=heading, attribute=f"section:{heading}", widget=widgets.CharWidget())
        self.heading = heading

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.__dict__.setdefault("_imported_sections", {})[self.heading] = cell_text(
            row.get(self.heading)
        )

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


def read_dataset(content, filename):
    """The uploaded file as a Dataset of typical-case rows; SheetError if it cannot be one."""
    return read_sheet(content, filename, columns=COLUMNS, required=REQUIRED_COLUMNS)


def check_sheet(dataset, index, user):
    """The preview: every row with its problems. Validation only; nothing is saved."""
    resource = TypicalCaseResource(index_page=index, user=user)
    # Without transactions a dry run never calls save: the rows are only validated.
    result = resource.import_data(dataset, dry_run=True, raise_errors=False, use_transactions=False)
    problems = sheet_row_errors(result)
    title_column = dataset.headers.index("标题")
    rows = [
        {
            "number": number,
            # The row staff see in Excel (blank rows are dropped when the sheet is read).
            "sheet_row": dataset.sheet_rows[number - 1],
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
