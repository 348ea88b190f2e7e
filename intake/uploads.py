"""Files an applicant uploads: evidence of performance and an agent's power of attorney.
Each is a PDF, JPEG or PNG by its content (never by its name), at most 10 MB."""

import filetype
from django import forms

MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Sniffed from the bytes, never from the file name.
EVIDENCE_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Up to five receipts, each PDF/JPEG/PNG by content and at most 10 MB (Django's
    documented pattern for a multiple-file field)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            raise forms.ValidationError("请上传付款凭证等履行证明（PDF、JPG 或 PNG 文件）。", code="required")
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(f"最多上传 {MAX_EVIDENCE_FILES} 个文件，您选择了 {len(files)} 个。")
        return [checked_upload(upload) for upload in files]


def checked_upload(upload):
    """A PDF, JPEG or PNG by its content, at most 10 MB; its sniffed type is noted on it."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise forms.ValidationError(
            f"文件“{upload.name}”超过 10MB（{upload.size / 1024 / 1024:.1f}MB），请压缩后重新上传。"
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise forms.ValidationError(
            f"文件“{upload.name}”不是 PDF、JPG 或 PNG 文件（系统按文件内容识别，修改扩展名无效）。"
        )
    upload.sniffed_type = kind.mime
    return upload


class AuthorizationField(forms.FileField):
    """The power of attorney (授权委托书) an agent files: one PDF, JPEG or PNG."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        return checked_upload(data) if data else None
