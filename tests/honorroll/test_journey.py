"""The whole life of a batch: nominations and an import → publication → masked on the
site, in the downloads and the feed → exported and logged for two agencies → a correction
through the objection route."""

import csv
import datetime
import io

import pytest
import tablib
from django.utils import timezone

from honorroll import corrections, publishing
from honorroll.exports import export_batch
from honorroll.importing import COLUMNS, import_sheet
from honorroll.models import AgencyApiKey, Delivery, ListBatch, Recipient
from honorroll.nominations import nominate
from portal.identifiers import credit_code_check_character
from portal.models import CauseOfAction, Court
from tests.factories import second_list_manager

pytestmark = pytest.mark.django_db
REAL_PEOPLE = ("杨晓东", "欧阳娜娜", "买买提·艾力", "张三", "张四")
GIVEN_NAMES = ("晓东", "娜娜", "艾力")


def imported_rows():
    code = "91230900MA1B2C3D4"
    code += credit_code_check_character(code)
    rows = [
        (
            "自然人",
            name,
            "",
            "黑0902",
            f"（2025）黑0902民初{300 + n}号",
            "民间借贷纠纷",
            "",
            "2025-06-01",
            "2025-05-20 书面同意",
        )
        for n, name in enumerate(REAL_PEOPLE[1:])
    ]
    rows.append(
        (
            "法人或其他组织",
            "七台河市某商贸有限公司",
            code,
            "黑0902",
            "（2025）黑0902民初399号",
            "买卖合同纠纷",
            "80000",
            "2025-06-02",
            "",
        )
    )
    return tablib.Dataset(*rows, headers=list(COLUMNS))


def all_public_text(client, batch, api_key):
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api_key}"}
    parts = [
        client.get("/honor-roll/").content.decode(),
        client.get(f"/honor-roll/{batch.pk}/").content.decode(),
        client.get(f"/honor-roll/{batch.pk}/download.csv").content.decode("utf-8-sig"),
        client.get("/api/v1/honor-roll/batches/", **bearer).content.decode(),
        client.get(f"/api/v1/honor-roll/batches/{batch.pk}/entries/", **bearer).content.decode(),
    ]
    return "\n".join(parts)


def test_a_batch_from_nominations_and_an_import_to_a_correction(client, list_manager):
    court = Court.objects.get(code="黑0902")
    nomination = nominate(
        party_name=REAL_PEOPLE[0],
        party_kind="person",
        credit_code="",
        court=court,
        case_number="（2025）黑0902民初123号",
        cause=CauseOfAction.objects.get(name="民间借贷纠纷"),
        performed_on=datetime.date(2025, 6, 18),
        source="自动履行证明书申请 ZS20250618-ABC234",
        consented_at=timezone.now(),
    )
    batch = ListBatch.objects.create(court=court, year=2025, number=7)
    assert publishing.add_nominations(batch, [nomination]) == 1
    assert import_sheet(batch, imported_rows()) == 5
    publishing.publish(batch, actor=list_manager)
    batch.refresh_from_db()

    agencies = [
        Recipient.objects.create(name=name)
        for name in ("七台河市发展和改革委员会", "国家税务总局七台河市税务局")
    ]
    _key, plaintext = AgencyApiKey.issue(agencies[0])
    public = all_public_text(client, batch, plaintext)
    for shown in ("杨某某", "欧阳某某", "买某", "张某1", "张某2", "七台河市某商贸有限公司"):
        assert shown in public, shown
    for hidden in REAL_PEOPLE + GIVEN_NAMES:
        assert hidden not in public, hidden

    for agency, fmt in zip(agencies, ("xlsx", "csv"), strict=True):
        content, _filename, _type = export_batch(batch, agency, fmt, list_manager)
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
            assert len(rows) == 1 + 6 and not any(name in content.decode("utf-8-sig") for name in REAL_PEOPLE)
    logged = Delivery.objects.filter(batch=batch).exclude(method="api").order_by("recipient__name")
    assert [(d.recipient.name, d.method, d.entry_count, d.sent_by) for d in logged] == [
        ("七台河市发展和改革委员会", "xlsx", 6, list_manager),
        ("国家税务总局七台河市税务局", "csv", 6, list_manager),
    ]

    entry = batch.entries.get(party_name="张四")
    objection = corrections.record_objection(
        entry, requested_by="张四", reason="撤回同意。", actor=list_manager
    )
    corrections.decide_objection(
        objection, upheld=True, note="本人撤回同意，予以移除。", actor=second_list_manager()
    )
    batch.refresh_from_db()
    assert batch.revision == 2
    after = all_public_text(client, batch, plaintext)
    assert "张某2" not in after and "张某1" in after
