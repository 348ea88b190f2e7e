"""The good-faith performance list (诚信履行名单): nominations from approved applications,
batches (期) of entries per court, publication that freezes the masked public form, the
objection route for corrections, recipient agencies with their deliveries and API keys.

Real names live only in `ListEntry.party_name` (internal); everything public reads
`ListEntry.public_name`, computed once at publication (honorroll/masking.py).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.models import CauseOfAction, Court


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class Nomination(models.Model):
    """A consenting party proposed for the next list batch. Internal: real names stay here
    and are masked when a batch is published."""

    party_name = models.CharField("当事人", max_length=100)
    party_kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    court = models.ForeignKey(Court, verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField("案号", max_length=40)
    cause = models.ForeignKey(CauseOfAction, verbose_name="案由", on_delete=models.PROTECT, related_name="+")
    performed_on = models.DateField("履行日期")
    source = models.CharField("来源", max_length=100, help_text="例如：自动履行证明书申请 ZS20250618-ABC234")
    consented_at = models.DateTimeField("本人同意时间", null=True, blank=True)
    created_at = models.DateTimeField("提名时间", default=timezone.now)

    class Meta:
        verbose_name = "名单候选"
        verbose_name_plural = "名单候选"
        ordering = ["-created_at"]

    def __str__(self):
        # Never the real name: str() ends up in log lines and error messages.
        return f"名单候选 #{self.pk}（{self.case_number}）"


class ListBatch(models.Model):
    """One issue (期) of a court's list. Draft → published; a published batch is frozen and
    changes only through an Objection and a re-publication."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    court = models.ForeignKey(Court, verbose_name="发布法院", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("期数")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revision = models.PositiveIntegerField("发布版次", default=0, help_text="每次更正后重新发布加一。")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "名单批次"
        verbose_name_plural = "名单批次"
        ordering = ["-year", "-number", "court__code"]
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "number"], name="one_batch_number_per_court")
        ]

    def __str__(self):
        return f"{self.court.name} {self.title}"

    @property
    def title(self):
        return f"{self.year}年第{self.number}期"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class ListEntry(models.Model):
    """A party on a batch. `public_name` is what the public sees: masked for a natural
    person (with a number when two mask alike), the full name for an organisation."""

    class Source(models.TextChoices):
        NOMINATION = "nomination", "证明书或减免申请提名"
        IMPORT = "import", "表格导入"

    batch = models.ForeignKey(
        ListBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="entries"
    )
    party_kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    party_name = models.CharField("当事人（真实姓名或名称）", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    court = models.ForeignKey(Court, verbose_name="审理法院", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField("案号", max_length=40)
    cause = models.ForeignKey(CauseOfAction, verbose_name="案由", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("履行金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    performed_on = models.DateField("履行完毕日期")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    nomination = models.OneToOneField(
        Nomination, verbose_name="提名", null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    consented_at = models.DateTimeField("本人同意时间", null=True, blank=True)
    consent_record = models.CharField(
        "同意记录",
        max_length=200,
        blank=True,
        help_text="自然人列入名单须经本人单独同意：写明同意方式和凭据。",
    )
    public_name = models.CharField("公开名称", max_length=100, blank=True, editable=False)
    removed_at = models.DateTimeField("移除时间", null=True, blank=True, editable=False)

    # Set by the publishing code (honorroll/publishing.py) for the writes it is allowed.
    _frozen_write_allowed = False

    class Meta:
        verbose_name = "名单条目"
        verbose_name_plural = "名单条目"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "party_name", "case_number"], name="one_entry_per_party_and_case"
            )
        ]
        indexes = [models.Index(fields=["batch", "removed_at"])]

    def __str__(self):
        # Never the real name: str() ends up in log lines and error messages.
        return f"条目 #{self.pk}（{self.case_number}）"

    def save(self, *args, **kwargs):
        if not self._frozen_write_allowed:
            batches = {self.batch_id}
            if self.pk is not None:  # moving an entry out of a published batch is editing it too
                batches |= set(ListEntry.objects.filter(pk=self.pk).values_list("batch_id", flat=True))
            if ListBatch.objects.filter(pk__in=batches, status=ListBatch.Status.PUBLISHED).exists():
                raise ValidationError("已发布的名单不能直接修改，请通过异议更正程序办理并重新发布。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.batch.is_published:
            raise ValidationError("已发布的名单不能删除条目，请通过异议更正程序办理。")
        return super().delete(*args, **kwargs)


class Objection(models.Model):
    """The correction route for a published batch: who asked, why, and the decision. An
    upheld objection removes the entry and re-publishes the batch; nothing is edited silently."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "异议成立，移除条目"
        DISMISSED = "dismissed", "异议不成立"

    entry = models.ForeignKey(
        ListEntry, verbose_name="条目", on_delete=models.PROTECT, related_name="objections"
    )
    requested_by = models.CharField("异议人", max_length=100)
    reason = models.TextField("异议理由")
    received_on = models.DateField("收到日期", default=timezone.localdate)
    decision = models.CharField("处理结果", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "异议与更正"
        verbose_name_plural = "异议与更正"
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.entry}：{self.get_decision_display()}"


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

    class Meta:
        verbose_name = "接口密钥"
        verbose_name_plural = "接口密钥"

    def __str__(self):
        return f"{self.recipient} {self.prefix}…"

    @classmethod
    def issue(cls, recipient):
        """A new key for `recipient`: returns (row, plaintext) — the plaintext is shown once."""
        plaintext = "hr_" + secrets.token_urlsafe(32)
        return cls.objects.create(
            recipient=recipient, prefix=plaintext[:8], key_hash=_hash_key(plaintext)
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
    used_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "接口调用记录"
        verbose_name_plural = "接口调用记录"
        ordering = ["-used_at"]

    def __str__(self):
        return f"{self.key} {self.path} {self.status}"
