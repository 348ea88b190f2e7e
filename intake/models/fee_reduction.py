"""Fee reduction (减免诉讼费用): the court's fee policy, what a fee-reduction application
adds to an application, and the decision. Art. 44–48 of 《诉讼费用交纳办法》, seed §10(一)."""

from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from intake import fees
from intake.models.applications import Application, DocumentType, PartyKind
from portal.models import Court

# Fee reduction (减免诉讼费用): Art. 44–48 of 《诉讼费用交纳办法》 and seed §10(一).

FEN = Decimal("0.01")
# Art. 46: a reduction (减交) is at least 30% of the fee it reduces.
REDUCTION_FLOOR_PERCENT = Decimal("30")


def _range_validators(field):
    low, high = fees.SCHEDULE_RANGES[field]
    return [
        MinValueValidator(low, f"《诉讼费用交纳办法》规定的下限为 {low} 元。"),
        MaxValueValidator(high, f"《诉讼费用交纳办法》规定的上限为 {high} 元。"),
    ]


def _per_case_fee(label, field):
    """A figure the decree gives as a range: the court's choice, the minimum by default."""
    low, _high = fees.SCHEDULE_RANGES[field]
    return models.DecimalField(
        label, max_digits=8, decimal_places=2, default=low, validators=_range_validators(field)
    )


@register_setting(icon="calculator")
class FeePolicySettings(BaseSiteSetting):
    """The court's fee figures where the decree gives a range, and its reduction policy for
    parties who performed voluntarily. Staff see the proposal; they decide the amount."""

    reduction_percent = models.DecimalField(
        "建议减交比例（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[
            MinValueValidator(
                REDUCTION_FLOOR_PERCENT, "减交比例不得低于 30%（《诉讼费用交纳办法》第四十六条）。"
            ),
            MaxValueValidator(Decimal("100"), "减交比例不能超过 100%。"),
        ],
        help_text="按申请人负担的案件受理费计算建议减交金额；承办人可在法定范围内调整。",
    )
    halvings_stack = models.BooleanField(
        "调解（撤诉）与简易程序减半可叠加",
        default=False,
        help_text="不勾选：两者同时适用时只减半一次。",
    )
    divorce = _per_case_fee("离婚案件每件（元）", "divorce")
    personality = _per_case_fee("人格权案件每件（元）", "personality")
    non_property = _per_case_fee("其他非财产案件每件（元）", "non_property")
    ip = _per_case_fee("知识产权民事案件（无争议金额）每件（元）", "ip")
    jurisdiction_objection = _per_case_fee("管辖权异议不成立每件（元）", "jurisdiction_objection")
    enforcement_without_amount = _per_case_fee(
        "申请执行（无执行金额）每件（元）", "enforcement_without_amount"
    )

    panels = [
        MultiFieldPanel([FieldPanel("reduction_percent"), FieldPanel("halvings_stack")], heading="减免政策"),
        MultiFieldPanel(
            [
                FieldPanel("divorce"),
                FieldPanel("personality"),
                FieldPanel("non_property"),
                FieldPanel("ip"),
                FieldPanel("jurisdiction_objection"),
                FieldPanel("enforcement_without_amount"),
            ],
            heading="按件收费标准（在《诉讼费用交纳办法》规定的幅度内）",
        ),
    ]

    class Meta:
        verbose_name = "诉讼费用标准与减免政策"

    @classmethod
    def current(cls, request=None):
        """The settings of the request's site, or of the default site (one court portal)."""
        if request is not None:
            return cls.for_request(request)
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()

    def schedule(self):
        return fees.FeeSchedule(
            divorce=self.divorce,
            personality=self.personality,
            non_property=self.non_property,
            ip=self.ip,
            jurisdiction_objection=self.jurisdiction_objection,
            enforcement_without_amount=self.enforcement_without_amount,
            halvings_stack=self.halvings_stack,
        )


def expected_fee(case_kind, claim, document_type, schedule):
    """What the decree gives for a case as an applicant describes it: the case kind, the
    claim (a Decimal, text as typed, or None) and the document that ended it — a mediated
    case pays half (Art. 15). None when the entries do not allow a calculation."""
    try:
        return fees.calculate(
            case_kind, claim, mediated=document_type == DocumentType.MEDIATION, schedule=schedule
        )
    except fees.FeeError:
        return None


class FeePaymentMethod(models.TextChoices):
    ONLINE = "online", "网上缴费"
    BANK = "bank", "银行汇款"
    COUNTER = "counter", "法院窗口缴纳"
    VIA_PLAINTIFF = "via_plaintiff", "由原告预交，我方向原告支付"
    UNPAID = "unpaid", "尚未交纳"


class FeeReductionRequest(models.Model):
    """What a fee-reduction application adds to the common application fields."""

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.CASCADE, related_name="fee_request"
    )
    case_kind = models.CharField(
        "案件类型", max_length=30, choices=[(kind.value, label) for kind, label in fees.KIND_LABELS.items()]
    )
    claim_amount = models.DecimalField(
        "诉讼请求金额（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    fee_assessed = models.DecimalField("案件受理费（元）", max_digits=16, decimal_places=2)
    fee_borne = models.DecimalField("申请人负担的受理费（元）", max_digits=16, decimal_places=2)
    payment_method = models.CharField("交纳方式", max_length=20, choices=FeePaymentMethod.choices)
    reason = models.TextField("申请理由")

    class Meta:
        verbose_name = "减免诉讼费用申请"
        verbose_name_plural = "减免诉讼费用申请"

    def __str__(self):
        return str(self.application)

    def proposed_reduction(self, percent):
        """The policy's proposal: `percent` of the applicant's share, within the legal bounds
        (a full waiver only for a natural person: Art. 44(2))."""
        proposal = (self.fee_borne * Decimal(percent) / 100).quantize(FEN, ROUND_HALF_UP)
        ceiling = self.fee_borne if self.waiver_allowed else self.fee_borne - FEN
        return min(max(proposal, self.minimum_reduction), ceiling)

    @property
    def minimum_reduction(self):
        # Rounded up: a floor rounded half up could grant 29.99…% (e.g. 370.43 of 1,234.78).
        return (self.fee_borne * REDUCTION_FLOOR_PERCENT / 100).quantize(FEN, ROUND_UP)

    @property
    def waiver_allowed(self):
        """免交 only for a natural person: the party who performed and bears the fee."""
        return self.application.defendant_kind == PartyKind.PERSON

    def calculated_fee(self, schedule=None):
        """The fee the decree gives for the kind and claim entered (halved for a mediated
        case, Art. 15), or None when the entries do not allow a calculation."""
        return expected_fee(
            self.case_kind,
            self.claim_amount,
            self.application.document_type,
            schedule or fees.DEFAULT_SCHEDULE,
        )


class FeeDecision(models.Model):
    """减免诉讼费用决定书: numbered per court and year like certificates."""

    application = models.OneToOneField(
        Application, verbose_name="申请", on_delete=models.PROTECT, related_name="fee_decision"
    )
    court = models.ForeignKey(Court, verbose_name="决定法院", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    serial = models.CharField("决定书编号", max_length=30, unique=True)
    fee_assessed = models.DecimalField("案件受理费（元）", max_digits=16, decimal_places=2)
    fee_borne = models.DecimalField("申请人负担（元）", max_digits=16, decimal_places=2)
    granted_amount = models.DecimalField("准予减免金额（元）", max_digits=16, decimal_places=2)
    legal_basis = models.TextField("法律依据")
    issued_on = models.DateField("决定日期", default=timezone.localdate)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="决定人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "减免诉讼费用决定"
        verbose_name_plural = "减免诉讼费用决定"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "sequence"], name="fee_decision_serial_per_court_year"
            )
        ]

    def __str__(self):
        return self.serial

    @property
    def is_waiver(self):
        return self.granted_amount == self.fee_borne

    @property
    def remaining(self):
        return self.fee_borne - self.granted_amount
