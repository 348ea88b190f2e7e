"""Admin views: import typical cases from a spreadsheet (preview, then confirm) and export them."""

import tempfile
import uuid
from pathlib import Path

import tablib
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from import_export.formats.base_formats import CSV, XLSX

from publicity.importing import COLUMNS, REQUIRED_COLUMNS, TypicalCaseResource, row_errors
from publicity.models import TypicalCaseIndexPage, TypicalCasePage

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FORMATS = {"xlsx": XLSX, "csv": CSV}


def upload_path(token):
    """Where an uploaded sheet waits between preview and confirmation."""
    return Path(tempfile.gettempdir()) / f"typical-case-import-{token}"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="案例表格",
        help_text=f"xlsx 或 csv（UTF-8）文件，不超过 5MB；第一行为列名：{'、'.join(COLUMNS)}。",
    )


class SheetError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""


def index_page_for(user):
    index = TypicalCaseIndexPage.objects.first()
    if index is None:
        raise SheetError("尚未建立“典型案例”栏目页面，请先在页面管理中创建。")
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    return index


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
    if not dataset.height:
        raise SheetError("表格中没有数据行。")
    return dataset


def preview(dataset, index, user):
    """Dry run: per-row problems, written nowhere (the transaction is rolled back)."""
    resource = TypicalCaseResource(index_page=index, user=user)
    result = resource.import_data(dataset, dry_run=True, raise_errors=False, use_transactions=True)
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


def import_view(request):
    """Upload → preview with per-row errors → confirm (all rows, or the clean ones)."""
    try:
        index = index_page_for(request.user)
    except SheetError as error:
        messages.error(request, str(error))
        return redirect("wagtailadmin_home")

    form = ImportForm()
    context = {"form": form, "columns": COLUMNS, "index": index}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return confirm(request, index)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise SheetError("文件超过 5MB，请分批导入。")
                content = upload.read()
                dataset = read_dataset(content, upload.name)
            except SheetError as error:
                form.add_error("file", str(error))
            else:
                rows = preview(dataset, index, request.user)
                token = uuid.uuid4().hex
                upload_path(token).write_bytes(content)
                context.update(
                    {
                        "rows": rows,
                        "bad_rows": [row for row in rows if row["errors"]],
                        "good_count": sum(1 for row in rows if not row["errors"]),
                        "token": token,
                        "filename": upload.name,
                    }
                )
    return TemplateResponse(request, "publicity/admin/import.html", context)


def confirm(request, index):
    token = request.POST.get("token", "")
    filename = request.POST.get("filename", "")
    try:
        path = upload_path(uuid.UUID(hex=token).hex)
        content = path.read_bytes()
    except (ValueError, OSError):
        messages.error(request, "导入已失效，请重新上传文件。")
        return redirect("publicity_import_cases")
    try:
        dataset = read_dataset(content, filename)
    except SheetError as error:
        messages.error(request, str(error))
        return redirect("publicity_import_cases")

    rows = preview(dataset, index, request.user)
    bad = {row["number"] for row in rows if row["errors"]}
    if bad and request.POST.get("skip_invalid") != "1":
        messages.error(request, "表格仍有错误行，未导入任何案例。请修改后重新上传，或选择跳过错误行。")
        return redirect("publicity_import_cases")
    clean = tablib.Dataset(headers=dataset.headers)
    for number, values in enumerate(dataset, start=1):
        if number not in bad:
            clean.append(values)
    if clean.height:
        resource = TypicalCaseResource(index_page=index, user=request.user)
        with transaction.atomic():
            resource.import_data(clean, dry_run=False, raise_errors=True, use_transactions=True)
    path.unlink(missing_ok=True)
    messages.success(
        request,
        f"已导入 {clean.height} 个案例，均为草稿；请逐一提交审核，经宣传审核组审批后发布。"
        + (f"已跳过 {len(bad)} 个错误行。" if bad else ""),
    )
    return redirect(reverse("wagtailadmin_explore", args=[index.pk]))


def export_view(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        fmt = "xlsx"
    try:
        index_page_for(request.user)
    except SheetError as error:
        messages.error(request, str(error))
        return redirect("wagtailadmin_home")
    queryset = TypicalCasePage.objects.select_related("court", "cause", "method").order_by(
        "-performance_date", "-pk"
    )
    dataset = TypicalCaseResource().export(queryset)
    file_format = FORMATS[fmt]()
    data = file_format.export_data(dataset)
    if fmt == "csv":
        data = "\ufeff" + data  # Excel opens UTF-8 CSV correctly only with a BOM
    response = HttpResponse(data, content_type=file_format.get_content_type())
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="typical-cases-{stamp}.{fmt}"'
    return response
