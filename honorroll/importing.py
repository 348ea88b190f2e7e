"""Spreadsheet import of list entries into a draft batch, and the exports recipient
agencies receive (xlsx, csv), with django-import-export.

Import: every row is checked and every problem named in Chinese with its sheet row and
column; nothing is written unless every row is clean (all or nothing, in one
transaction). A published batch takes no import: it changes only through the objection
route (honorroll/publishing.py). The preview (`preview_sheet`) validates without writing
and shows each row as it would be stored, with the masked name the public would see.

Speed: 100,000 rows are one pass of the resource with court and cause looked up from
dictionaries built once, duplicates checked against sets, and `bulk_create` in batches
(bench/honorroll_import.py compares it with a bare openpyxl + bulk_create baseline).
Exports (the public downloads and the agency files) are in honorroll/exports.py.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources, widgets

from honorroll.masking import mask_person_name
from honorroll.models import ListBatch, ListEntry, PartyKind
from honorroll.publishing import ListError
from portal.identifiers import IdentifierError, reads_as_formula, validate_credit_code
from portal.models import CauseOfAction, Court
from portal.spreadsheets import (
    DATE_PATTERN,
    AmountWidget,
    CaseNumberWidget,
    ChineseDateWidget,
    NamedChoiceWidget,
    RequiredTextWidget,
    SheetError,
    cell_text,
    read_dataset,
    row_errors,
)

COLUMNS = (
    "当事人类型",
    "当事人",
    "统一社会信用代码",
    "审理法院",
    "案号",
    "案由",
    "履行金额（元）",
    "履行完毕日期",
    "本人同意记录",
)
REQUIRED_COLUMNS = ("当事人类型", "当事人", "审理法院", "案号", "案由", "履行完毕日期")
# Error keys that are not a single field: named after the columns they concern.
DUPLICATE = "duplicate"
EXTRA_LABELS = {DUPLICATE: "当事人、案号"}

PARTY_KINDS = {
    "自然人": PartyKind.PERSON,
    "法人或其他组织": PartyKind.ORGANISATION,
    "法人": PartyKind.ORGANISATION,
    "其他组织": PartyKind.ORGANISATION,
    "非法人组织": PartyKind.ORGANISATION,
}
CONSENT_EXAMPLE = "2025-06-18 书面同意"
MAX_SUMMARY_ERRORS = 20


class PublishedBatchError(ListError, SheetError):
    """Raised for an import into a published batch (catchable as either error)."""

    def __init__(self):
        super().__init__("已发布的名单不能导入新条目；如需更正，请通过异议更正程序办理并重新发布。")


class RowsRefused(SheetError):
    """The sheet has bad rows; nothing was written. `problems`: {sheet row: [messages]}."""

    def __init__(self, problems):
        self.problems = problems
        count = len(problems)
        shown = [
            f"第 {sheet_row} 行{message}"
            for sheet_row, messages in sorted(problems.items())
            for message in messages
        ][:MAX_SUMMARY_ERRORS]
        # Each message ends with its own full stop.
        super().__init__(f"表格有 {count} 行错误，未导入任何条目：" + "".join(shown))


# ---------------------------------------------------------------------------
# Widgets for the list's own columns
# ---------------------------------------------------------------------------


class PartyKindWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError("请填写当事人类型（自然人，或法人或其他组织）。")
        kind = PARTY_KINDS.get(text)
        if kind is None:
            raise ValueError(f"当事人类型“{text}”不正确，应为“自然人”或“法人或其他组织”。")
        return kind


class PartyNameWidget(RequiredTextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if reads_as_formula(text):
            # A name must not read as a formula when an agency opens the export in Excel.
            raise ValueError(f"当事人“{text}”不能以 = + - @ 开头。")
        return text


class CreditCodeWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        try:
            return validate_credit_code(text)
        except IdentifierError as error:
            raise ValueError(error.message) from None


@dataclass(frozen=True)
class Consent:
    """What 本人同意记录 says: the date of consent and how it was given."""

    text: str
    given_on: datetime.date | None


class ConsentWidget(widgets.Widget):
    """ "2025-06-18 书面同意": a date, then how consent was given (and its evidence)."""

    def __init__(self):
        super().__init__()
        self.today = None

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.date | datetime.datetime):
            raise ValueError(f"本人同意记录须写明同意日期和方式，例如“{CONSENT_EXAMPLE}”。")
        text = cell_text(value)
        if not text:
            return None
        if len(text) > 200:
            raise ValueError("本人同意记录不能超过 200 个字。")
        match = DATE_PATTERN.match(text)
        if not match:
            return Consent(text, None)  # whether a date is needed depends on the party
        try:
            given_on = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise ValueError(f"本人同意记录中的日期“{match.group(0)}”不是有效日期。") from None
        if self.today is None:
            self.today = timezone.localdate()
        if given_on > self.today:
            raise ValueError(f"本人同意记录中的日期 {given_on.isoformat()} 晚于今天，请核对。")
        if not text[match.end() :].strip(" ，,;；:："):
            raise ValueError(f"本人同意记录须写明同意方式，例如“{CONSENT_EXAMPLE}”。")
        return Consent(text, given_on)


class ConsentField(fields.Field):
    """One column, two attributes: the record as written and the time of consent."""

    def __init__(self):
        super().__init__(attribute="consent_record", column_name="本人同意记录", widget=ConsentWidget())
        self.tz = None

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.set(instance, self.widget.clean(row[self.column_name], row=row))

    def set(self, instance, consent):
        instance._consent = consent
        if consent is None:
            return
        instance.consent_record = consent.text
        if consent.given_on is not None:
            if self.tz is None:
                self.tz = timezone.get_current_timezone()
            instance.consented_at = timezone.make_aware(
                datetime.datetime.combine(consent.given_on, datetime.time.min), self.tz
            )


# ---------------------------------------------------------------------------
# The import resource
# ---------------------------------------------------------------------------


class ListEntryResource(resources.ModelResource):
    party_kind = fields.Field("party_kind", column_name="当事人类型", widget=PartyKindWidget())
    party_name = fields.Field("party_name", column_name="当事人", widget=PartyNameWidget("当事人", 100))
    credit_code = fields.Field("credit_code", column_name="统一社会信用代码", widget=CreditCodeWidget())
    court = fields.Field(
        "court",
        column_name="审理法院",
        widget=NamedChoiceWidget(
            Court,
            "审理法院",
            ("code",),
            hint="请填写法院全称或案号代字，例如“七台河市新兴区人民法院”或“黑0902”",
        ),
    )
    case_number = fields.Field(
        "case_number", column_name="案号", widget=CaseNumberWidget(required=True, allow_legacy=True)
    )
    cause = fields.Field(
        "cause",
        column_name="案由",
        widget=NamedChoiceWidget(
            CauseOfAction, "案由", hint="请填写系统中已有的案由名称，例如“民间借贷纠纷”"
        ),
    )
    amount = fields.Field(
        "amount",
        column_name="履行金额（元）",
        widget=AmountWidget("履行金额", maximum=Decimal("1e14"), exact=True),  # max_digits 16, 2 places
    )
    performed_on = fields.Field(
        "performed_on",
        column_name="履行完毕日期",
        widget=ChineseDateWidget("履行完毕日期", not_after_today=True),
    )
    consent_record = ConsentField()

    class Meta:
        model = ListEntry
        fields = (
            "party_kind",
            "party_name",
            "credit_code",
            "court",
            "case_number",
            "cause",
            "amount",
            "performed_on",
            "consent_record",
        )
        import_order = fields
        clean_model_instances = False  # the widgets and validate_instance check everything
        skip_diff = True
        use_bulk = True
        batch_size = 2000

    def __init__(self, batch):
        super().__init__()
        self.batch = batch
        # Who is on the batch already: a second entry for the same party and case is refused.
        self.taken = set(batch.entries.values_list("party_name", "case_number"))
        self.first_row = {}  # (party, case number) → the sheet row it first appeared on
        self.sheet_rows = None
        self.instances = []

    def labels(self):
        """{field or error key: the column it concerns}, to name the column in messages."""
        return {name: field.column_name for name, field in self.fields.items()} | EXTRA_LABELS

    def before_import(self, dataset, **kwargs):
        self.sheet_rows = getattr(dataset, "sheet_rows", None) or list(range(2, dataset.height + 2))
        # Per import, not per row: the fields whose column the sheet has, and a new entry's
        # field values in model order (positional arguments are Model.__init__'s quick path).
        self.present_fields = [
            (name, self.fields[name], self.fields[name].column_name)
            for name in self._meta.import_order
            if self.fields[name].column_name in dataset.headers
        ]
        self.new_entry_values = tuple(
            self.batch.pk
            if model_field.attname == "batch_id"
            else ListEntry.Source.IMPORT
            if model_field.attname == "source"
            else model_field.get_default()
            for model_field in ListEntry._meta.concrete_fields
        )

    def get_instance(self, instance_loader, row):
        return None  # every row is a new entry; a repeat is an error, not an update

    def init_instance(self, row=None):
        entry = ListEntry(*self.new_entry_values)
        entry._state.fields_cache["batch"] = self.batch
        return entry

    def import_instance(self, instance, row, **kwargs):
        """What import-export's import_instance does (each field's widget cleans its cell,
        errors collected per field), without its per-cell indirections: 900,000 cells for
        a sheet of 100,000 rows."""
        errors = {}
        for name, resource_field, column in self.present_fields:
            try:
                value = resource_field.widget.clean(row[column], row=row)
            except ValueError as error:
                errors[name] = ValidationError(str(error), code="invalid")
                continue
            if name == "consent_record":
                resource_field.set(instance, value)
            else:
                setattr(instance, name, value)
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._sheet_row = self.sheet_rows[kwargs["row_number"] - 1]
        self.instances.append(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        kind = instance.party_kind if "party_kind" not in errors else None
        consent = getattr(instance, "_consent", None)
        if kind == PartyKind.PERSON:
            if "consent_record" not in errors:
                if consent is None:
                    errors["consent_record"] = ValidationError(
                        f"自然人须经本人同意才能列入名单：请填写同意日期和方式，例如“{CONSENT_EXAMPLE}”。"
                    )
                elif consent.given_on is None:
                    errors["consent_record"] = ValidationError(
                        f"本人同意记录应以同意日期开头，例如“{CONSENT_EXAMPLE}”。"
                    )
            if instance.credit_code and "credit_code" not in errors:
                errors["credit_code"] = ValidationError("自然人不填写统一社会信用代码。")
        elif kind == PartyKind.ORGANISATION and not instance.credit_code and "credit_code" not in errors:
            errors["credit_code"] = ValidationError("法人或其他组织须填写统一社会信用代码。")

        if "court" not in errors and "case_number" not in errors:
            court = instance.court
            code = _court_code(instance.case_number)
            if code and code != court.code:
                errors["case_number"] = ValidationError(
                    f"案号中的法院代字“{code}”与审理法院“{court.name}”（{court.code}）不一致。"
                )

        if "party_name" not in errors and "case_number" not in errors:
            key = (instance.party_name, instance.case_number)
            if key in self.taken:
                errors[DUPLICATE] = ValidationError(
                    f"本批次已有当事人“{instance.party_name}”案号{instance.case_number}的条目，不能重复列入。"
                )
            elif key in self.first_row:
                errors[DUPLICATE] = ValidationError(
                    f"与第 {self.first_row[key]} 行重复（同一当事人、同一案号）。"
                )
            else:
                self.first_row[key] = instance._sheet_row
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            return  # the preview validates; it never writes, not even inside a rollback
        super().save_instance(instance, is_create, row, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        """Nothing: ids come from the database (ModelResource would reset the sequence)."""


def _court_code(case_number):
    """The court part of a canonical case number, "" for a pre-2016 one."""
    match = re.match(r"（\d{4}）(\D\d+)", case_number)
    return match.group(1) if match else ""


# ---------------------------------------------------------------------------
# Preview and import
# ---------------------------------------------------------------------------


@dataclass
class PreviewRow:
    sheet_row: int
    entry: ListEntry  # unsaved, as it would be stored (incomplete where there are errors)
    values: dict  # the cells as read
    errors: list = field(default_factory=list)

    @property
    def public_name(self):
        """The name the public will see. Two different people who mask alike are told
        apart by a number (张某1, 张某2), added at publication (publishing.public_names)."""
        entry = self.entry
        if entry.party_kind == PartyKind.PERSON:
            return mask_person_name(entry.party_name)
        if entry.party_kind == PartyKind.ORGANISATION:
            return entry.party_name
        return ""

    @property
    def cells(self):
        """The texts in COLUMNS order, as the row will be stored (as written where the row
        has errors)."""
        if self.errors:
            return [cell_text(self.values.get(column)) for column in COLUMNS]
        entry = self.entry
        stored = {
            "当事人类型": entry.get_party_kind_display(),
            "当事人": entry.party_name,
            "统一社会信用代码": entry.credit_code,
            "审理法院": entry.court.name,
            "案号": entry.case_number,
            "案由": entry.cause.name,
            "履行金额（元）": "" if entry.amount is None else f"{entry.amount:.2f}",
            "履行完毕日期": entry.performed_on.isoformat(),
            "本人同意记录": entry.consent_record,
        }
        return [stored[column] for column in COLUMNS]


@dataclass
class Preview:
    rows: list

    @property
    def bad_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def good_count(self):
        return sum(1 for row in self.rows if not row.errors)

    @property
    def problems(self):
        return {row.sheet_row: row.errors for row in self.rows if row.errors}


def read_sheet(content, filename):
    """The uploaded file as a Dataset of list rows; SheetError if it cannot be one."""
    return read_dataset(content, filename, columns=COLUMNS, required=REQUIRED_COLUMNS)


def _draft(batch, *, lock):
    queryset = ListBatch.objects.select_for_update() if lock else ListBatch.objects
    batch = queryset.select_related("court").get(pk=batch.pk)
    if batch.is_published:
        raise PublishedBatchError()
    return batch


def _run(resource, dataset, *, dry_run):
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        # The preview validates without any write; the import writes in a transaction
        # that is rolled back if any row is bad.
        use_transactions=not dry_run,
        rollback_on_validation_errors=True,
    )
    problems = row_errors(result, resource.labels())
    sheet_rows = resource.sheet_rows
    return {sheet_rows[number - 1]: messages for number, messages in problems.items()}


def preview_sheet(batch, dataset):
    """Every row as it would be stored, with its problems. Validation only: nothing is
    written. Raises PublishedBatchError for a published batch."""
    batch = _draft(batch, lock=False)
    resource = ListEntryResource(batch)
    problems = _run(resource, dataset, dry_run=True)
    headers = dataset.headers
    return Preview(
        rows=[
            PreviewRow(
                sheet_row=entry._sheet_row,
                entry=entry,
                values=dict(zip(headers, values, strict=True)),
                errors=problems.get(entry._sheet_row, []),
            )
            for entry, values in zip(resource.instances, dataset, strict=True)
        ]
    )


def import_sheet(batch, dataset):
    """Add every row of `dataset` to the draft `batch`, or nothing: returns the number of
    entries added; raises RowsRefused (with every problem) or PublishedBatchError.

    The rows are checked again here (the batch may have changed since the preview)."""
    with transaction.atomic():
        batch = _draft(batch, lock=True)
        resource = ListEntryResource(batch)
        problems = _run(resource, dataset, dry_run=False)
        if problems:
            raise RowsRefused(problems)  # the resource's own transaction was rolled back
    return dataset.height
