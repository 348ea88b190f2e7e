"""The list itself: candidates (nominations) from approved applications, batches (期) of
entries per court with their published versions, and objections, the only route by which
a published batch changes. Real names live only in `party_name` (internal)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from portal import crypto
from portal.models import CauseOfAction, Court, PartyKind
from portal.private_files import PrivateStorage


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
    # The party's ID number or credit code for the recipient agencies, encrypted, kept only
    # when the party consented to giving its identity to them (a second, separate consent).
    identity_encrypted = models.TextField("证件号码（加密，报送用）", blank=True, editable=False)
    identity_consented_at = models.DateTimeField("同意向接收单位提供身份信息时间", null=True, blank=True)
    # A keyed hash of the ID number or credit code: tells two people of one name apart when
    # checking that a party is listed once a year; never shown, never sent.
    identity_hash = models.CharField("证件号码（查重用哈希）", max_length=64, blank=True, editable=False)
    reference = models.CharField("申请受理编号", max_length=40, blank=True, db_index=True)
    certificate_serial = models.CharField("证明书编号", max_length=30, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回原因", blank=True)
    created_at = models.DateTimeField("提名时间", default=timezone.now)

    class Meta:
        verbose_name = "名单候选"
        verbose_name_plural = "名单候选"
        ordering = ["-created_at"]

    def __str__(self):
        # Never the real name: str() ends up in log lines and error messages.
        return f"名单候选 #{self.pk}（{self.case_number}）"

    @property
    def identity(self):
        return crypto.decrypt(self.identity_encrypted)

    @property
    def certificate_state(self):
        """The candidate's certificate as 名单管理 needs to know it."""
        if self.withdrawn_at:
            return f"已撤回（{timezone.localtime(self.withdrawn_at):%Y-%m-%d}）：{self.withdrawal_reason}"
        return f"有效（{self.certificate_serial}）" if self.certificate_serial else "无证明书（减免申请）"


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
    revision = models.PositiveIntegerField(
        "发布版次", default=0, help_text="每次更正后重新发布加一；每一版都保存在“版次”中。"
    )
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


class BatchVersion(models.Model):
    """One published version of a batch: version 1 at publication, one more for each
    correction. The entries of version n are those added in n or before and not withdrawn
    by n (ListEntry.added_in / removed_in), so every version stays readable."""

    batch = models.ForeignKey(
        ListBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版次")
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=300, blank=True)
    entry_count = models.PositiveIntegerField("条目数", default=0)
    added_count = models.PositiveIntegerField("新增条目数", default=0)
    withdrawn_count = models.PositiveIntegerField("撤下条目数", default=0)

    class Meta:
        verbose_name = "名单版次"
        verbose_name_plural = "名单版次"
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="one_version_number_per_batch")
        ]

    def __str__(self):
        return f"{self.batch} 第{self.number}版"


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
    identity_encrypted = models.TextField("证件号码（加密，报送用）", blank=True, editable=False)
    identity_consented_at = models.DateTimeField("同意向接收单位提供身份信息时间", null=True, blank=True)
    identity_hash = models.CharField("证件号码（查重用哈希）", max_length=64, blank=True, editable=False)
    public_name = models.CharField("公开名称", max_length=100, blank=True, editable=False)
    removed_at = models.DateTimeField("移除时间", null=True, blank=True, editable=False)
    # Versions (BatchVersion): published in `added_in`, withdrawn in `removed_in`; a
    # corrected entry is withdrawn and its corrected copy (`replaces` it) added.
    added_in = models.PositiveIntegerField("加入版次", default=1, editable=False)
    removed_in = models.PositiveIntegerField("撤下版次", null=True, blank=True, editable=False)
    replaces = models.OneToOneField(
        "self",
        verbose_name="更正前的条目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        editable=False,
    )

    # Set by the publishing code (honorroll/publishing.py) for the writes it is allowed.
    _frozen_write_allowed = False

    class Meta:
        verbose_name = "名单条目"
        verbose_name_plural = "名单条目"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "party_name", "case_number"],
                condition=models.Q(removed_in__isnull=True),
                name="one_live_entry_per_party_and_case",
            )
        ]
        indexes = [
            models.Index(fields=["batch", "removed_at"]),
            models.Index(fields=["batch", "added_in"]),
            models.Index(fields=["batch", "removed_in"]),
        ]

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

    @property
    def identity(self):
        return crypto.decrypt(self.identity_encrypted)


class Objection(models.Model):
    """The correction route for a published batch: who asked, why, and the decision. An
    upheld objection removes the entry or corrects one of its fields, and the batch is
    re-published as a new version; nothing is edited silently. A revoked certificate opens
    one by itself (origin REVOCATION)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "异议成立，移除条目"
        CORRECTED = "corrected", "异议成立，更正条目"
        DISMISSED = "dismissed", "异议不成立"

    class Origin(models.TextChoices):
        REQUEST = "request", "当事人或公众提出"
        REVOCATION = "revocation", "证明书撤销（系统登记）"
        CHECK = "check", "升级核查（候选人并非履行义务的当事人）"

    # What an upheld objection may correct: the entry's fields as the public sees them.
    CORRECTABLE_FIELDS = {
        "party_name": "当事人名称",
        "credit_code": "统一社会信用代码",
        "case_number": "案号",
        "amount": "履行金额（元）",
        "performed_on": "履行完毕日期",
    }

    entry = models.ForeignKey(
        ListEntry, verbose_name="条目", on_delete=models.PROTECT, related_name="objections"
    )
    origin = models.CharField("来源", max_length=20, choices=Origin.choices, default=Origin.REQUEST)
    requested_by = models.CharField("异议人", max_length=100)
    contact = models.CharField("联系方式", max_length=200, blank=True)
    reason = models.TextField("异议理由")
    attachment = models.FileField("附件", storage=PrivateStorage(), upload_to="objections/%Y/%m/", blank=True)
    attachment_name = models.CharField("附件原文件名", max_length=255, blank=True)
    received_on = models.DateField("收到日期", default=timezone.localdate)
    decision = models.CharField("处理结果", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.TextField("处理意见", blank=True)
    corrected_field = models.CharField("更正事项", max_length=30, blank=True)
    corrected_value = models.CharField("更正后的内容", max_length=100, blank=True)
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
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空：由系统在证明书撤销时登记。",
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "异议与更正"
        verbose_name_plural = "异议与更正"
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.entry}：{self.get_decision_display()}"


@register_setting(icon="list-ul")
class ListSettings(BaseSiteSetting):
    """How the court runs its list."""

    objection_second_person = models.BooleanField(
        "异议须由登记人以外的名单管理人员处理",
        default=True,
        help_text="本院有两名以上名单管理人员时，登记异议的人员不能同时作出处理决定。",
    )

    class Meta:
        verbose_name = "诚信履行名单设置"

    @classmethod
    def current(cls):
        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()
