"""Online applications for the certificate of voluntary performance (自动履行证明书).

Personal data stays here: ID and phone numbers are encrypted at rest (portal/crypto.py)
with keyed hashes for lookups; evidence files live in private storage outside the media
root. Every state change is an `ApplicationEvent`, an append-only audit trail.
"""

import hmac
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils import timezone

from intake.models.events import ApplicationEvent
from portal import crypto
from portal.models import CauseOfAction, Court, PartyKind
from portal.private_files import PrivateStorage  # also named by migration 0001


class DocumentType(models.TextChoices):
    JUDGMENT = "judgment", "民事判决书"
    MEDIATION = "mediation", "民事调解书"
    ENFORCEMENT_RULING = "enforcement_ruling", "执行裁定书"
    RULING = "ruling", "民事裁定书"


class ApplicantRole(models.TextChoices):
    DEFENDANT = "defendant", "被告（被执行人，履行义务的一方）"
    PLAINTIFF = "plaintiff", "原告（申请执行人）"
    AGENT = "agent", "委托代理人"


# Tracking numbers avoid characters people confuse when reading them out (0/O, 1/I/L).
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_number(prefix="ZS"):
    today = timezone.localdate().strftime("%Y%m%d")
    return f"{prefix}{today}-" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(6))


def submission_key_hash(key):
    """What is stored of a form's submission key (see Application.submission_key_hash)."""
    return crypto.keyed_hash("submission:" + key)


def new_access_code():
    """8 characters from a 31-letter alphabet: ~40 bits, with attempts throttled."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


class ApplicationKind(models.TextChoices):
    CERTIFICATE = "certificate", "自动履行证明书"
    FEE_REDUCTION = "fee_reduction", "减免诉讼费用"


# The tracking number says which kind of application it is: 证书 / 减免.
TRACKING_PREFIXES = {ApplicationKind.CERTIFICATE: "ZS", ApplicationKind.FEE_REDUCTION: "JM"}


class Application(models.Model):
    """One application of either kind (certificate or fee reduction): the same party, case
    and evidence fields, the same review queue, confirmation step and audit trail. What only
    a fee reduction needs lives in `FeeReductionRequest`, one to one."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交，待审查"
        CONFIRMED = "confirmed", "已核实履行情况，待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未予批准"

    PENDING = (Status.SUBMITTED, Status.CONFIRMED)

    kind = models.CharField(
        "申请事项",
        max_length=20,
        choices=ApplicationKind.choices,
        default=ApplicationKind.CERTIFICATE,
        db_index=True,
    )
    tracking_number = models.CharField("受理编号", max_length=20, unique=True, default=new_tracking_number)
    access_code_hash = models.CharField("查询码（哈希）", max_length=200, editable=False)
    # The access code, encrypted, only until the applicant has been told it: a notification
    # that failed is retried from it (`manage.py retry_notifications`), then it is erased.
    pending_notice_encrypted = models.TextField("待发送的查询码（加密）", blank=True, editable=False)
    # A keyed hash of the random key in the form page that sent the application: the same
    # form sent again (the answer was lost on the way) gets the receipt again, not a refusal.
    submission_key_hash = models.CharField("提交标识（哈希）", max_length=64, blank=True, editable=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    court = models.ForeignKey(Court, verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField("案号", max_length=40, db_index=True)
    document_type = models.CharField("法律文书类型", max_length=30, choices=DocumentType.choices)
    document_date = models.DateField("法律文书制作日期")
    cause = models.ForeignKey(CauseOfAction, verbose_name="案由", on_delete=models.PROTECT, related_name="+")
    plaintiff_name = models.CharField("原告（申请执行人）", max_length=100)
    plaintiff_kind = models.CharField("原告类型", max_length=20, choices=PartyKind.choices)
    defendant_name = models.CharField("被告（被执行人）", max_length=100)
    defendant_kind = models.CharField("被告类型", max_length=20, choices=PartyKind.choices)

    applicant_role = models.CharField("申请人身份", max_length=20, choices=ApplicantRole.choices)
    applicant_name = models.CharField("申请人姓名或名称", max_length=100)
    applicant_kind = models.CharField("申请人类型", max_length=20, choices=PartyKind.choices)
    id_number_encrypted = models.TextField("证件号码（加密）", editable=False)
    id_number_hash = models.CharField("证件号码（查找用哈希）", max_length=64, db_index=True, editable=False)
    phone_encrypted = models.TextField("手机号码（加密）", editable=False)
    phone_hash = models.CharField("手机号码（查找用哈希）", max_length=64, db_index=True, editable=False)
    email = models.EmailField("电子邮箱", blank=True)
    performed_on = models.DateField("履行完毕日期")

    # The party who performed the obligation (the 被告/被执行人): the applicant when the
    # applicant is that party, the principal when an agent applies. The list names this
    # party, never the applicant, and only with this party's own consents.
    performer_name = models.CharField("履行义务的当事人", max_length=100, blank=True)
    performer_kind = models.CharField(
        "履行义务的当事人类型", max_length=20, choices=PartyKind.choices, blank=True
    )
    performer_id_encrypted = models.TextField("履行义务的当事人证件号码（加密）", blank=True, editable=False)
    performer_id_hash = models.CharField(
        "履行义务的当事人证件号码（查找用哈希）", max_length=64, blank=True, editable=False
    )
    handler_name = models.CharField(
        "经办人", max_length=100, blank=True, help_text="单位申请时，代表单位办理申请的工作人员。"
    )

    consented_processing_at = models.DateTimeField("同意处理个人信息时间")
    # Two separate consents of the performing party (PIPL Art. 23 and 25), each with its text.
    consents_to_list = models.BooleanField("履行义务的当事人同意列入诚信履行名单并公开", default=False)
    consents_to_identity = models.BooleanField("履行义务的当事人同意向接收单位提供身份信息", default=False)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField("审批意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    notified_at = models.DateTimeField("通知发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "申请"
        verbose_name_plural = "申请"
        ordering = ["-submitted_at"]
        permissions = [("review_any_court", "可办理所有法院的申请")]

    def __str__(self):
        return f"{self.tracking_number}（{self.case_number}）"

    # Personal numbers: stored encrypted, compared by keyed hash.
    @property
    def id_number(self):
        return crypto.decrypt(self.id_number_encrypted)

    @id_number.setter
    def id_number(self, value):
        self.id_number_encrypted = crypto.encrypt(value)
        self.id_number_hash = crypto.keyed_hash(value)

    @property
    def masked_id_number(self):
        return crypto.mask_identifier(self.id_number)

    @property
    def phone(self):
        return crypto.decrypt(self.phone_encrypted)

    @phone.setter
    def phone(self, value):
        self.phone_encrypted = crypto.encrypt(value)
        self.phone_hash = crypto.keyed_hash(value)

    @property
    def performer_id(self):
        return crypto.decrypt(self.performer_id_encrypted)

    @performer_id.setter
    def performer_id(self, value):
        self.performer_id_encrypted = crypto.encrypt(value)
        self.performer_id_hash = crypto.keyed_hash(value) if value else ""

    @property
    def applicant_is_performer(self):
        return self.applicant_role == ApplicantRole.DEFENDANT

    @property
    def list_consent_problem(self):
        """Why the performing party is not nominated for the list, in the applicant's words;
        empty when it may be."""
        if self.applicant_role == ApplicantRole.PLAINTIFF:
            return "申请人为原告（申请执行人），列入诚信履行名单须由履行义务的当事人本人同意，故不列入名单。"
        if not self.consents_to_list:
            return "履行义务的当事人未同意列入诚信履行名单，故不列入名单。"
        if not self.performer_name:
            return "申请未载明履行义务的当事人，故不列入名单。"
        return ""

    def set_access_code(self, code):
        # A keyed hash (the key lives in the environment, not the database), not a password
        # hash: the code is random (~40 bits) and look-ups are throttled, and PBKDF2 cost
        # ~0.3 s of CPU per submission, which dominated 200 concurrent submissions.
        self.access_code_hash = crypto.keyed_hash("access-code:" + code)
        self.pending_notice_encrypted = crypto.encrypt(code)

    @property
    def pending_access_code(self):
        return crypto.decrypt(self.pending_notice_encrypted)

    def check_access_code(self, code):
        if not code:
            return False
        code = code.strip().upper()
        if self.access_code_hash.startswith("pbkdf2_"):  # stored before keyed hashes were used
            return check_password(code, self.access_code_hash)
        return hmac.compare_digest(crypto.keyed_hash("access-code:" + code), self.access_code_hash)

    @property
    def document_name(self):
        """What an approval issues, as the applicant calls it."""
        return {ApplicationKind.CERTIFICATE: "证明书", ApplicationKind.FEE_REDUCTION: "减免决定书"}[self.kind]

    @property
    def status_text(self):
        """The status as the applicant reads it: an approval says which document came out."""
        if self.status == self.Status.APPROVED:
            certificate = getattr(self, "certificate", None)
            if certificate is not None and certificate.is_revoked:
                revoked_on = timezone.localtime(certificate.revoked_at).date()
                return f"证明书已于{revoked_on.year}年{revoked_on.month}月{revoked_on.day}日撤销"
            return f"已批准，{self.document_name}已出具"
        return self.get_status_display()

    @property
    def is_pending(self):
        return self.status in self.PENDING

    def record(self, action, actor=None, note=""):
        return ApplicationEvent.objects.create(application=self, action=action, actor=actor, note=note)


class EvidenceFile(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "履行凭证"
        AUTHORIZATION = "authorization", "授权委托书"

    application = models.ForeignKey(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField("文件类别", max_length=20, choices=Kind.choices, default=Kind.EVIDENCE)
    file = models.FileField("文件", storage=PrivateStorage(), upload_to="evidence/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "履行凭证"
        verbose_name_plural = "履行凭证"

    def __str__(self):
        return self.original_name


class ConfirmationMethod(models.TextChoices):
    PHONE = "phone", "电话核实"
    IN_PERSON = "in_person", "当面核实"
    ONLINE = "online", "网上核实"


class Confirmation(models.Model):
    """经原告确认: how the creditor confirmed that the obligation was performed."""

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="confirmation"
    )
    method = models.CharField("核实方式", max_length=20, choices=ConfirmationMethod.choices)
    confirmed_by = models.CharField("确认人（原告或申请执行人）", max_length=100)
    confirmed_on = models.DateField("确认日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "原告确认"
        verbose_name_plural = "原告确认"

    def __str__(self):
        return f"{self.get_method_display()}：{self.confirmed_by}"


class ReviewerCourt(models.Model):
    """Which courts' applications a member of 立案审查 may act on (谁办理、谁负责)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        on_delete=models.CASCADE,
        related_name="reviewer_courts",
    )
    courts = models.ManyToManyField(Court, verbose_name="可办理的法院", related_name="+")

    class Meta:
        verbose_name = "审查人员所属法院"
        verbose_name_plural = "审查人员所属法院"

    def __str__(self):
        return str(self.user)


def new_verification_code():
    """The certificate's code for banks: the same shape as an access code."""
    return new_access_code()


class Certificate(models.Model):
    """自动履行证明书: serial unique per court and year, random verification code."""

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="certificate"
    )
    court = models.ForeignKey(Court, verbose_name="出具法院", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    serial = models.CharField("证书编号", max_length=30, unique=True)
    verification_code = models.CharField("验证码", max_length=12, default=new_verification_code)
    issued_on = models.DateField("出具日期", default=timezone.localdate)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        verbose_name = "自动履行证明书"
        verbose_name_plural = "自动履行证明书"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "sequence"], name="certificate_serial_per_court_year"
            )
        ]

    def __str__(self):
        return self.serial

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def verification_path(self):
        return f"/verify/?serial={self.serial}&code={self.verification_code}"
