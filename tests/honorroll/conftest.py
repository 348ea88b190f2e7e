"""Batches for the list tests: `make_batch(entries=[...], publish=True)`.

The people include a compound surname, a middle-dot name and two different people who
mask alike (张三, 张四 → 张某1, 张某2), so every public-output test sees the hard cases.
"""

import datetime

import pytest
from django.utils import timezone

from honorroll import publishing
from honorroll.models import ListBatch, ListEntry
from portal.models import CauseOfAction, Court
from tests.factories import UserFactory

PEOPLE = ["欧阳娜娜", "买买提·艾力", "张三", "张四", "李小明"]
ORGANISATION = ("七台河市某建设工程有限公司", "91230900MA1B2C3D4J")


@pytest.fixture
def list_manager():
    return UserFactory(username="mingdan", groups=["名单管理"])


@pytest.fixture
def make_batch(list_manager):
    def make(
        court_code="黑0902", year=2025, number=3, people=PEOPLE, organisations=(ORGANISATION,), publish=True
    ):
        court = Court.objects.get(code=court_code)
        cause = CauseOfAction.objects.get(name="民间借贷纠纷")
        batch = ListBatch.objects.create(court=court, year=year, number=number)
        serial = 1
        for name in people:
            ListEntry.objects.create(
                batch=batch,
                party_kind="person",
                party_name=name,
                court=court,
                case_number=f"（{year}）{court_code}民初{serial}号",
                cause=cause,
                performed_on=datetime.date(year, 6, 1),
                source="import",
                consented_at=timezone.now(),
                consent_record="书面同意书",
            )
            serial += 1
        for name, code in organisations:
            ListEntry.objects.create(
                batch=batch,
                party_kind="organisation",
                party_name=name,
                credit_code=code,
                court=court,
                case_number=f"（{year}）{court_code}民初{serial}号",
                cause=cause,
                amount="150000.00",
                performed_on=datetime.date(year, 6, 2),
                source="import",
            )
            serial += 1
        if publish:
            publishing.publish(batch, actor=UserFactory(username=f"pub{batch.pk}", groups=["名单管理"]))
            batch.refresh_from_db()
        return batch

    return make
