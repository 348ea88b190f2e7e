"""The good-faith performance list (诚信履行名单). For now: nominations from approved
certificate applications; batches, masking and publication come with the list issue."""

from django.db import models
from django.utils import timezone

from portal.models import CauseOfAction, Court


class Nomination(models.Model):
    """A consenting party proposed for the next list batch. Internal: real names stay here
    and are masked when a batch is published."""

    class PartyKind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

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
        return f"{self.party_name}（{self.case_number}）"
