"""The audit trail of an application: append-only events (who did what, when)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ApplicationEvent(models.Model):
    """Append-only: who did what to an application, when. Rows are never changed."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "提交申请"
        NOTIFIED = "notified", "发送受理通知"
        RESUBMITTED = "resubmitted", "重复提交（已重新发放查询码）"
        ASSIGNED = "assigned", "分配承办人"
        VIEWED_ID = "viewed_id", "查看完整证件号码"
        VIEWED = "viewed", "查看申请详情"
        VIEWED_EVIDENCE = "viewed_evidence", "查看履行凭证"
        DOWNLOADED = "downloaded", "下载文书"
        CONFIRMED = "confirmed", "记录原告确认"
        APPROVED = "approved", "批准"
        REJECTED = "rejected", "不予批准"
        REVOKED = "revoked", "撤销证明书"
        LIST_CORRECTION = "list_correction", "登记诚信履行名单更正"

    # What the applicant sees on the status page (staff-internal actions are not shown).
    PUBLIC_ACTIONS = (Action.SUBMITTED, Action.CONFIRMED, Action.APPROVED, Action.REJECTED, Action.REVOKED)

    application = models.ForeignKey(
        "intake.Application", verbose_name="申请", on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("办理记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("办理记录只能追加，不能删除。")
