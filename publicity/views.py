"""Admin views: import typical cases from a spreadsheet (preview, then confirm) and export them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from portal.spreadsheets import PendingUpload, dataset_bytes
from publicity.importing import (
    COLUMNS,
    FORMATS,
    SheetError,
    TypicalCaseResource,
    check_sheet,
    import_sheet,
    read_dataset,
)
from publicity.models import TypicalCaseIndexPage, TypicalCasePage

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What an uploaded sheet is kept as between preview and confirmation.
UPLOAD_KIND = "typical-case-import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="案例表格",
        help_text=f"xlsx 或 csv（UTF-8）文件，不超过 5MB；第一行为列名：{'、'.join(COLUMNS)}。",
    )


def index_page_for(user):
    index = TypicalCaseIndexPage.objects.first()
    if index is None:
        raise SheetError("尚未建立“典型案例”栏目页面，请先在页面管理中创建。")
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    return index


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
                rows = check_sheet(dataset, index, request.user)
                token = PendingUpload.save(UPLOAD_KIND, content).token
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
        pending = PendingUpload(UPLOAD_KIND, token)
        content = pending.read()
    except (ValueError, OSError):
        messages.error(request, "导入已失效，请重新上传文件。")
        return redirect("publicity_import_cases")
    try:
        dataset = read_dataset(content, filename)
    except SheetError as error:
        messages.error(request, str(error))
        return redirect("publicity_import_cases")

    try:
        imported, skipped = import_sheet(
            dataset, index, request.user, skip_invalid=request.POST.get("skip_invalid") == "1"
        )
    except SheetError as error:
        messages.error(request, str(error))
        return redirect("publicity_import_cases")
    pending.discard()
    messages.success(
        request,
        f"已导入 {imported} 个案例，均为草稿；请逐一提交审核，经宣传审核组审批后发布。"
        + (f"已跳过 {skipped} 个错误行。" if skipped else ""),
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
    data, content_type = dataset_bytes(TypicalCaseResource().export(queryset), fmt)
    response = HttpResponse(data, content_type=content_type)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="typical-cases-{stamp}.{fmt}"'
    return response
