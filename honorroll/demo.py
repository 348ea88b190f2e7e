"""Demo: the recipient agencies of the seed's 定期推送, and one published batch."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from honorroll import publishing
from honorroll.models import ListBatch, ListEntry, Recipient
from portal.models import CauseOfAction, Court

RECIPIENTS = (
    "七台河市发展和改革委员会",
    "七台河市市场监督管理局",
    "国家税务总局七台河市税务局",
    "中国人民银行七台河市分行",
    "信用中国（黑龙江七台河）",
)

# Invented parties; people consented in writing (the demo says so in the consent record).
ENTRIES = (
    ("person", "王建国", "", "黑0902", "（2025）黑0902民初211号", "民间借贷纠纷", "86000.00", (2025, 5, 12)),
    ("person", "欧阳晓燕", "", "黑0902", "（2025）黑0902民初305号", "买卖合同纠纷", "23500.00", (2025, 6, 3)),
    ("person", "王建军", "", "黑0902", "（2025）黑0902民初318号", "劳务合同纠纷", None, (2025, 6, 20)),
    (
        "organisation",
        "七台河市示例商贸有限公司",
        "91230900MA1C4D5E6E",
        "黑0902",
        "（2025）黑0902民初402号",
        "买卖合同纠纷",
        "312000.00",
        (2025, 7, 8),
    ),
)


def load(home):
    created = []
    for name in RECIPIENTS:
        if Recipient.objects.get_or_create(name=name)[1]:
            created.append(f"接收单位 {name}")
    court = Court.objects.get(code="黑0902")
    if ListBatch.objects.filter(court=court, year=2025, number=1).exists():
        return created
    batch = ListBatch.objects.create(court=court, year=2025, number=1)
    for kind, name, code, court_code, case_number, cause, amount, performed in ENTRIES:
        ListEntry.objects.create(
            batch=batch,
            party_kind=kind,
            party_name=name,
            credit_code=code,
            court=Court.objects.get(code=court_code),
            case_number=case_number,
            cause=CauseOfAction.objects.get(name=cause),
            amount=amount,
            performed_on=datetime.date(*performed),
            source=ListEntry.Source.IMPORT,
            consented_at=timezone.now() if kind == "person" else None,
            consent_record="书面同意书（演示）" if kind == "person" else "",
        )
    publishing.publish(batch, actor=get_user_model().objects.get(username="mingdan"))
    return [*created, f"诚信履行名单 {batch}"]
