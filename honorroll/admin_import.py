"""Admin views for a batch of the list: import entries from a spreadsheet into a draft
(upload → preview → confirm) and export a published batch for a recipient agency.

Plain Django views on Wagtail admin templates, like publicity/views.py; mounted under
/admin/honorroll/ (see `urlpatterns`). Import needs `honorroll.add_listentry`, export
`honorroll.add_delivery` (it writes the delivery log) (group 名单管理, migration honorroll/0003).
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods
from wagtail.admin.auth import require_admin_access

from honorroll.deliveries import delivery_status
from honorroll.exports import export_batch
from honorroll.importing import (
    COLUMNS,
    PublishedBatchError,
    RowsRefused,
    import_sheet,
    preview_sheet,
    read_sheet,
)
from honorroll.models import ListBatch, Recipient
from honorroll.publishing import ListError
from portal.admin_ui import form_id, require_permission
from portal.spreadsheets import FORMATS, PendingUpload, SheetError, file_extension

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # about 300,000 rows of xlsx
PREVIEW_ALL_UP_TO = 500  # a longer sheet shows its first rows and every bad row
PREVIEW_FIRST_ROWS = 100
PREVIEW_MAX_BAD_ROWS = 500


class ImportForm(forms.Form):
    file = forms.FileField(
        label="名单表格",
        help_text=f"xlsx 或 csv（UTF-8）文件，不超过 20MB；第一行为列名：{'、'.join(COLUMNS)}。",
    )


def _upload_kind(batch, filename):
    """Uploads waiting for confirmation are kept per batch and file type: a token is no use
    for another batch, and a forged file name cannot change how the file is read."""
    extension = file_extension(filename)
    if extension not in FORMATS:
        raise ValueError(filename)
    return f"honorroll-import-{batch.pk}-{extension}"


@require_admin_access
@require_http_methods(["GET", "POST"])
def import_view(request, batch_pk):
    require_permission(request, "honorroll.add_listentry")
    batch = get_object_or_404(ListBatch.objects.select_related("court"), pk=batch_pk)
    context = {
        "batch": batch,
        "columns": COLUMNS,
        "form": ImportForm(),
        "batch_url": reverse("honorroll_batch", kwargs={"pk": batch.pk}),
        "closed_message": PublishedBatchError().message if batch.is_published else "",
    }
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, batch)
    if request.method == "POST" and not batch.is_published:
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise SheetError("文件超过 20MB，请分批导入。")
                content = upload.read()
                preview = preview_sheet(batch, read_sheet(content, upload.name))
            except SheetError as error:
                form.add_error("file", str(error))
            else:
                pending = PendingUpload.save(_upload_kind(batch, upload.name), content)
                context.update(_preview_context(preview, upload.name, pending.token))
    return TemplateResponse(request, "honorroll/admin/import.html", context)


def _preview_context(preview, filename, token):
    rows = preview.rows
    bad_rows = preview.bad_rows
    if len(rows) <= PREVIEW_ALL_UP_TO:
        shown, partial = rows, False
    else:
        first = rows[:PREVIEW_FIRST_ROWS]
        later_bad = [row for row in bad_rows if row.sheet_row > first[-1].sheet_row]
        shown, partial = first + later_bad[:PREVIEW_MAX_BAD_ROWS], True
    return {
        "rows": shown,
        "partial": partial,
        "row_count": len(rows),
        "bad_count": len(bad_rows),
        "good_count": preview.good_count,
        "token": token,
        "filename": filename,
        "preview_first_rows": PREVIEW_FIRST_ROWS,
    }


def _confirm(request, batch):
    here = reverse("honorroll_import", args=[batch.pk])
    filename = request.POST.get("filename", "")
    try:
        pending = PendingUpload(_upload_kind(batch, filename), request.POST.get("token", ""))
        content = pending.read()
    except (ValueError, OSError):
        messages.error(request, "导入已失效，请重新上传文件。")
        return redirect(here)
    try:
        imported = import_sheet(batch, read_sheet(content, filename))
    except RowsRefused as error:
        pending.discard()
        messages.error(request, str(error))
        return redirect(here)
    except SheetError as error:  # also a batch published since the preview
        messages.error(request, str(error))
        return redirect(here)
    pending.discard()
    messages.success(request, f"已向{batch.title}导入 {imported} 条名单条目（草稿），发布前请核对。")
    return redirect("honorroll_batch", pk=batch.pk)


@require_admin_access
@require_http_methods(["GET", "POST"])
def export_view(request, batch_pk):
    """GET: the export form and the deliveries so far; POST: the file, recorded as a Delivery."""
    require_permission(request, "honorroll.add_delivery")
    batch = get_object_or_404(ListBatch.objects.select_related("court"), pk=batch_pk)
    here = reverse("honorroll_export", args=[batch.pk])
    if request.method == "POST":
        fmt = request.POST.get("format", "")
        recipient = Recipient.objects.filter(
            pk=form_id(request.POST.get("recipient")), is_active=True
        ).first()
        try:
            if recipient is None:
                raise ListError("请选择接收单位。")
            if fmt not in FORMATS:
                raise ListError("请选择报送格式（xlsx 或 csv）。")
            content, filename, content_type = export_batch(batch, recipient, fmt, request.user)
        except ListError as error:
            messages.error(request, error.message)
            return redirect(here)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    context = {
        "batch": batch,
        "batch_url": reverse("honorroll_batch", kwargs={"pk": batch.pk}),
        "recipients": Recipient.objects.filter(is_active=True),
        "formats": [("xlsx", "Excel（xlsx）"), ("csv", "CSV（UTF-8）")],
        "deliveries": batch.deliveries.select_related("recipient", "sent_by")[:50],
        "delivery_status": delivery_status(batch),
    }
    return TemplateResponse(request, "honorroll/admin/export.html", context)


urlpatterns = [
    path("batches/<int:batch_pk>/import/", import_view, name="honorroll_import"),
    path("batches/<int:batch_pk>/export/", export_view, name="honorroll_export"),
]
