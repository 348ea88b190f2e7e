"""The agencies the court pushes the list to (发改, 市场监管, 税务, banks, credit platforms):
their deliveries (files and API pulls, with the version and the identities sent) and their
keys to the JSON feed, each use logged."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from honorroll.models.lists import ListBatch


class Recipient(models.Model):
    """An agency the court pushes the list to (发改, 市场监管, 税务, banks, credit platforms)."""

    name = models.CharField("接收单位", max_length=100, unique=True)
    contact = models.CharField("联系人及联系方式", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "接收单位"
        verbose_name_plural = "接收单位"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """定期推送: who sent which batch to which recipient, when and how."""

    class Method(models.TextChoices):
        EXPORT_XLSX = "xlsx", "导出 Excel 报送"
        EXPORT_CSV = "csv", "导出 CSV 报送"
        API = "api", "接口获取"

    batch = models.ForeignKey(
        ListBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        Recipient, verbose_name="接收单位", on_delete=models.PROTECT, related_name="deliveries"
    )
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    revision = models.PositiveIntegerField("发布版次")
    entry_count = models.PositiveIntegerField("条目数")
    sha256 = models.CharField("文件 SHA-256", max_length=64, blank=True)
    identities_disclosed = models.PositiveIntegerField(
        "含身份信息的条目数", default=0, help_text="经本人同意，附真实姓名和证件号码报送的条目数。"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.batch} → {self.recipient}（{self.get_method_display()}）"


def _hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class AgencyApiKey(models.Model):
    """A recipient's key for the JSON feed: only its SHA-256 is stored; revocable; each use
    is logged (ApiKeyUse)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="接收单位", on_delete=models.PROTECT, related_name="api_keys"
    )
    prefix = models.CharField("密钥前缀", max_length=8, editable=False)
    key_hash = models.CharField("密钥哈希", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    # Who issued and who revoked it (audit trail; empty for keys from before these fields).
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "接口密钥"
        verbose_name_plural = "接口密钥"

    def __str__(self):
        return f"{self.recipient} {self.prefix}…"

    @classmethod
    def issue(cls, recipient, issued_by=None):
        """A new key for `recipient`: returns (row, plaintext) — the plaintext is shown once."""
        plaintext = "hr_" + secrets.token_urlsafe(32)
        return cls.objects.create(
            recipient=recipient, prefix=plaintext[:8], key_hash=_hash_key(plaintext), issued_by=issued_by
        ), plaintext

    @classmethod
    def authenticate(cls, plaintext):
        """The active key for `plaintext`, or None."""
        if not plaintext:
            return None
        return (
            cls.objects.select_related("recipient")
            .filter(key_hash=_hash_key(plaintext), revoked_at__isnull=True, recipient__is_active=True)
            .first()
        )


class ApiKeyUse(models.Model):
    key = models.ForeignKey(AgencyApiKey, verbose_name="密钥", on_delete=models.PROTECT, related_name="uses")
    path = models.CharField("请求路径", max_length=300)
    status = models.PositiveSmallIntegerField("响应状态")
    identities_disclosed = models.PositiveIntegerField("含身份信息的条目数", default=0)
    used_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "接口调用记录"
        verbose_name_plural = "接口调用记录"
        ordering = ["-used_at"]

    def __str__(self):
        return f"{self.key} {self.path} {self.status}"
