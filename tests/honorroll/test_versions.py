"""Every published version of a batch stays readable: publication is version 1, each upheld
objection (an entry removed, or one field corrected by a withdrawn entry and its corrected
copy) publishes the next; the public sees only the current version, agencies can read any
version and the changes since the one they hold (/api/v1/honor-roll/batches/<id>/versions/,
entries/?version=N, changes/?since=N). One who registers an objection does not decide it
while another member of 名单管理 can (ListSettings.objection_second_person)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from honorroll import corrections, publishing
from honorroll.models import AgencyApiKey, BatchVersion, ListEntry, ListSettings, Objection, Recipient
from tests.factories import second_list_manager
from tests.honorroll.conftest import ORGANISATION

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/honor-roll/batches/"
FOUR_EYES = "异议须由登记人以外的名单管理人员处理"


def object_to(batch, party_name, list_manager, reason="异议理由。"):
    entry = batch.entries.get(party_name=party_name, removed_in__isnull=True)
    return corrections.record_objection(entry, requested_by=party_name, reason=reason, actor=list_manager)


def remove(batch, party_name, list_manager):
    objection = object_to(batch, party_name, list_manager)
    corrections.decide_objection(
        objection, outcome="remove", note="经核实，撤下。", actor=second_list_manager()
    )
    batch.refresh_from_db()
    objection.refresh_from_db()
    return objection


def correct(batch, party_name, list_manager, field, value):
    objection = object_to(batch, party_name, list_manager)
    corrections.decide_objection(
        objection,
        outcome="correct",
        field=field,
        value=value,
        note="经核实，更正。",
        actor=second_list_manager(),
    )
    batch.refresh_from_db()
    return objection


def published(entries):
    """What a version shows of each entry: id, public name, case number, amount, date."""
    return [(e.pk, e.public_name, e.case_number, e.amount, e.performed_on) for e in entries]


def counts(batch):
    return list(
        BatchVersion.objects.filter(batch=batch)
        .order_by("number")
        .values_list("number", "entry_count", "added_count", "withdrawn_count")
    )


# ---------------------------------------------------------------------------
# Versions as staff make them
# ---------------------------------------------------------------------------


def test_publication_is_version_one(make_batch):
    batch = make_batch()
    version = BatchVersion.objects.get(batch=batch)
    assert (version.number, version.note, version.published_by) == (1, "首次发布", batch.published_by)
    assert version.published_at == batch.published_at
    assert counts(batch) == [(1, 6, 6, 0)]
    assert published(publishing.version_entries(batch, 1)) == published(batch.entries.order_by("pk"))
    assert set(batch.entries.values_list("added_in", "removed_in")) == {(1, None)}


def test_a_removal_and_a_correction_keep_every_version_as_published(make_batch, list_manager):
    batch = make_batch()
    version_1 = published(publishing.version_entries(batch, 1))
    li = batch.entries.get(party_name="李小明")
    organisation = batch.entries.get(party_name=ORGANISATION[0])

    removal = remove(batch, "李小明", list_manager)

    assert batch.revision == 2
    li.refresh_from_db()  # withdrawn in version 2, not deleted
    assert (li.removed_in, li.public_name) == (2, "李某某") and li.removed_at is not None
    assert removal.decision == Objection.Decision.UPHELD
    version_2 = published(publishing.version_entries(batch, 2))
    assert version_2 == [row for row in version_1 if row[0] != li.pk]

    correction = correct(batch, ORGANISATION[0], list_manager, "amount", "180,000.5")

    assert batch.revision == 3
    correction.refresh_from_db()
    assert correction.decision == Objection.Decision.CORRECTED
    assert (correction.corrected_field, correction.corrected_value) == ("amount", "180000.5")
    organisation.refresh_from_db()
    copy = organisation.replaced_by
    assert (organisation.removed_in, copy.added_in, copy.removed_in) == (3, 3, None)
    assert (copy.public_name, copy.credit_code, copy.amount) == (*ORGANISATION, Decimal("180000.50"))
    assert copy.case_number == organisation.case_number and copy.amount != organisation.amount
    version_3 = published(publishing.version_entries(batch, 3))
    assert version_3 == [
        *(row for row in version_2 if row[0] != organisation.pk),
        (copy.pk, ORGANISATION[0], organisation.case_number, Decimal("180000.50"), organisation.performed_on),
    ]
    # Each earlier version is still exactly what was published then.
    assert published(publishing.version_entries(batch, 1)) == version_1
    assert published(publishing.version_entries(batch, 2)) == version_2
    assert [row[3] for row in version_2 if row[1] == ORGANISATION[0]] == [Decimal("150000.00")]
    assert counts(batch) == [(1, 6, 6, 0), (2, 5, 0, 1), (3, 5, 1, 1)]
    assert ListEntry.objects.filter(batch=batch).count() == 7  # nothing was deleted


CORRECTIONS = [
    ("张四", "party_name", "王四", "party_name", "王四", "王某"),
    (
        ORGANISATION[0],
        "credit_code",
        "91350100m000100y43",
        "credit_code",
        "91350100M000100Y43",
        ORGANISATION[0],
    ),
    ("张三", "case_number", "(2025)黑0902民初99号", "case_number", "（2025）黑0902民初99号", "张某1"),
    ("欧阳娜娜", "amount", "12345.6", "amount", Decimal("12345.60"), "欧阳某某"),
    ("买买提·艾力", "performed_on", "2025-06-20", "performed_on", datetime.date(2025, 6, 20), "买某"),
]


@pytest.mark.parametrize(("party", "field", "value", "attribute", "stored", "public_name"), CORRECTIONS)
def test_each_correctable_field_is_corrected_in_a_new_version(
    make_batch, list_manager, party, field, value, attribute, stored, public_name
):
    batch = make_batch()
    old = batch.entries.get(party_name=party)

    correct(batch, party, list_manager, field, value)

    old.refresh_from_db()
    copy = old.replaced_by
    assert getattr(copy, attribute) == stored and getattr(old, attribute) != stored
    assert copy.public_name == public_name
    assert (old.removed_in, copy.added_in, batch.revision) == (2, 2, 2)
    current = {e.pk: e.public_name for e in publishing.public_entries(batch)}
    assert copy.pk in current and old.pk not in current
    assert len(set(current.values())) == len(current) == 6  # no two entries shown alike
    assert old.pk in [e.pk for e in publishing.version_entries(batch, 1)]


def test_a_corrected_name_never_takes_a_number_already_published(make_batch, list_manager):
    batch = make_batch()
    remove(batch, "张三", list_manager)  # 张某1 is withdrawn in version 2
    correct(batch, "李小明", list_manager, "party_name", "张五")  # now masks as 张某 too

    names = [e.public_name for e in publishing.public_entries(batch)]

    assert names == ["欧阳某某", "买某", "张某2", ORGANISATION[0], "张某3"]
    # The earlier versions still read as published.
    assert [e.public_name for e in publishing.version_entries(batch, 1)][2:5] == ["张某1", "张某2", "李某某"]


BAD_CORRECTIONS = [
    ("张三", "cause", "合同纠纷", "请选择要更正的事项"),
    ("张三", "party_name", "  ", "请填写更正后的当事人名称"),
    ("张三", "party_name", "张" * 101, "当事人名称最多 100 个字"),
    ("张三", "credit_code", "91350100M000100Y43", "自然人没有统一社会信用代码"),
    (ORGANISATION[0], "credit_code", "91350100M000100Y44", "校验位不正确"),
    ("张三", "case_number", "黑0902民初99号", "案号格式不正确"),
    ("张三", "amount", "一万元", "履行金额（元）格式不正确"),
    ("张三", "amount", "-1", "不小于 0 的金额"),
    ("张三", "amount", "12.345", "最多保留两位小数"),
    ("张三", "performed_on", "2025/06/20", "履行完毕日期格式不正确"),
    ("张三", "performed_on", "2099-01-01", "不能晚于今天"),
]


@pytest.mark.parametrize(("party", "field", "value", "message"), BAD_CORRECTIONS)
def test_a_bad_correction_is_refused_in_chinese_and_changes_nothing(
    make_batch, list_manager, party, field, value, message
):
    batch = make_batch()
    objection = object_to(batch, party, list_manager)
    before = published(publishing.public_entries(batch))

    with pytest.raises(publishing.ListError, match=message):
        corrections.decide_objection(
            objection, outcome="correct", field=field, value=value, note="更正。", actor=second_list_manager()
        )

    objection.refresh_from_db()
    batch.refresh_from_db()
    assert objection.decision == Objection.Decision.PENDING and objection.corrected_field == ""
    assert batch.revision == 1 and counts(batch) == [(1, 6, 6, 0)]
    assert published(publishing.public_entries(batch)) == before
    assert ListEntry.objects.filter(batch=batch).count() == 6


def test_a_withdrawn_entry_can_only_be_dismissed(make_batch, list_manager):
    batch = make_batch()
    first = object_to(batch, "李小明", list_manager)
    second = object_to(batch, "李小明", list_manager, reason="同一事由再次提出。")
    corrections.decide_objection(first, outcome="remove", note="撤下。", actor=second_list_manager())
    for outcome in ("remove", "correct"):
        with pytest.raises(publishing.ListError, match="已在此前的版次中撤下"):
            corrections.decide_objection(
                second,
                outcome=outcome,
                field="amount",
                value="1",
                note="再处理。",
                actor=second_list_manager(),
            )
    corrections.decide_objection(
        second, outcome="dismiss", note="已撤下，无需处理。", actor=second_list_manager()
    )
    batch.refresh_from_db()
    assert batch.revision == 2 and counts(batch) == [(1, 6, 6, 0), (2, 5, 0, 1)]


# ---------------------------------------------------------------------------
# What the public sees: the current version only
# ---------------------------------------------------------------------------


def test_the_public_page_and_downloads_show_the_current_version_only(client, make_batch, list_manager):
    batch = make_batch()
    client.get(f"/honor-roll/{batch.pk}/download.csv")  # the version-1 files were built (and cached)
    client.get(f"/honor-roll/{batch.pk}/download.xlsx")
    remove(batch, "李小明", list_manager)
    correct(batch, ORGANISATION[0], list_manager, "amount", "180000")
    current = ["欧阳某某", "买某", "张某1", "张某2", ORGANISATION[0]]

    page = BeautifulSoup(client.get(f"/honor-roll/{batch.pk}/").content, "html.parser")
    assert [
        tr.find_all(["th", "td"])[1].get_text(strip=True) for tr in page.select(".entry-table tbody tr")
    ] == (current)
    assert "本期共 5 条" in page.get_text()

    text = client.get(f"/honor-roll/{batch.pk}/download.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [row[1] for row in rows] == current
    assert rows[-1][-1] == "180000.00" and "150000" not in text

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/honor-roll/{batch.pk}/download.xlsx").content))
    cells = [list(row) for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert [row[1] for row in cells] == current
    assert cells[-1][-1] == 180000

    listed = BeautifulSoup(client.get("/honor-roll/").content, "html.parser").select_one(".batch-item")
    assert "共 5 条" in listed.get_text() and "第3版" in listed.get_text()


# ---------------------------------------------------------------------------
# Four eyes
# ---------------------------------------------------------------------------


def test_who_registered_an_objection_does_not_decide_it(make_batch, list_manager):
    batch = make_batch()
    objection = object_to(batch, "张三", list_manager)

    with pytest.raises(publishing.ListError, match=FOUR_EYES):
        corrections.decide_objection(objection, outcome="remove", note="撤下。", actor=list_manager)

    objection.refresh_from_db()
    batch.refresh_from_db()
    assert objection.decision == Objection.Decision.PENDING and objection.decided_by is None
    assert batch.revision == 1 and counts(batch) == [(1, 6, 6, 0)]
    corrections.decide_objection(objection, outcome="remove", note="撤下。", actor=second_list_manager())
    objection.refresh_from_db()
    assert (objection.decision, objection.decided_by, objection.recorded_by) == (
        Objection.Decision.UPHELD,
        second_list_manager(),
        list_manager,
    )


def test_with_the_setting_off_the_one_who_registered_may_decide(make_batch, list_manager):
    batch = make_batch()
    second_list_manager()
    settings = ListSettings.current()
    settings.objection_second_person = False
    settings.save()
    objection = object_to(batch, "张三", list_manager)

    corrections.decide_objection(objection, outcome="dismiss", note="本人已书面同意。", actor=list_manager)

    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.DISMISSED and objection.decided_by == list_manager


def test_a_court_with_one_list_manager_decides_its_own_objections(make_batch, list_manager):
    batch = make_batch()
    # The only other member (who published the batch) has left the court.
    get_user_model().objects.filter(groups__name="名单管理").exclude(pk=list_manager.pk).update(
        is_active=False
    )
    objection = object_to(batch, "张三", list_manager)

    corrections.decide_objection(objection, outcome="remove", note="撤下。", actor=list_manager)

    batch.refresh_from_db()
    assert batch.revision == 2


# ---------------------------------------------------------------------------
# The feed: versions, a version's entries, the changes since a version
# ---------------------------------------------------------------------------


@pytest.fixture
def api(client):
    _, plaintext = AgencyApiKey.issue(Recipient.objects.create(name="七台河市发展和改革委员会"))

    def get(path, **headers):
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {plaintext}", **headers)

    return get


@pytest.fixture
def corrected(make_batch, list_manager):
    """Version 1 published; version 2 withdraws 李小明; version 3 corrects the organisation's
    amount; version 4 corrects 欧阳娜娜's date. Returns (batch, {name: entry as published
    first}, {name: corrected copy})."""
    batch = make_batch()
    first = {e.party_name: e for e in batch.entries.all()}
    remove(batch, "李小明", list_manager)
    correct(batch, ORGANISATION[0], list_manager, "amount", "180000")
    correct(batch, "欧阳娜娜", list_manager, "performed_on", "2025-06-20")
    copies = {name: ListEntry.objects.get(replaces=first[name]) for name in (ORGANISATION[0], "欧阳娜娜")}
    return batch, first, copies


def test_the_feed_lists_every_version(api, corrected):
    batch, _first, _copies = corrected
    data = api(f"{BATCHES}{batch.pk}/versions/").json()
    assert data["batch"]["version"] == data["batch"]["revision"] == 4
    assert data["batch"]["entry_count"] == 5
    assert [
        (v["version"], v["entry_count"], v["added_count"], v["withdrawn_count"]) for v in data["results"]
    ] == [(1, 6, 6, 0), (2, 5, 0, 1), (3, 5, 1, 1), (4, 5, 1, 1)]
    assert data["results"][0]["note"] == "首次发布"
    assert "更正" in data["results"][2]["note"] and "撤下" in data["results"][1]["note"]
    assert all(v["published_at"].endswith("+08:00") for v in data["results"])
    batches = api(BATCHES).json()["results"]
    assert batches[0]["versions_url"] == f"http://testserver{BATCHES}{batch.pk}/versions/"


def test_the_entries_of_an_earlier_version(api, corrected):
    batch, first, copies = corrected
    url = f"{BATCHES}{batch.pk}/entries/"

    old = api(f"{url}?version=1").json()
    assert old["version"] == 1 and old["count"] == 6
    assert [e["id"] for e in old["results"]] == [first[name].pk for name in first]
    organisation = old["results"][-1]
    assert (organisation["amount"], organisation["added_in"]) == ("150000.00", 1)
    assert old["results"][0]["performed_on"] == "2025-06-01"

    current = api(url).json()
    assert current["version"] == 4 and current["count"] == 5
    ids = [e["id"] for e in current["results"]]
    assert first["李小明"].pk not in ids and first[ORGANISATION[0]].pk not in ids
    by_id = {e["id"]: e for e in current["results"]}
    assert by_id[copies[ORGANISATION[0]].pk]["amount"] == "180000.00"
    assert by_id[copies[ORGANISATION[0]].pk]["added_in"] == 3
    assert by_id[copies["欧阳娜娜"].pk]["performed_on"] == "2025-06-20"
    assert api(f"{url}?version=3").json()["count"] == 5
    for bad in ("0", "5", "abc"):
        response = api(f"{url}?version={bad}")
        assert response.status_code == 400 and "不存在" in response.json()["error"]


def test_the_changes_since_a_version(api, corrected):
    batch, first, copies = corrected
    url = f"{BATCHES}{batch.pk}/changes/"

    data = api(f"{url}?since=1").json()

    assert (data["since"], data["version"], data["withdrawn_count"], data["added_count"]) == (1, 4, 3, 2)
    changes = [(c["change"], c["id"], c["version"]) for c in data["results"]]
    assert changes == [  # withdrawn first, then added, each by id
        ("withdrawn", first["欧阳娜娜"].pk, 4),
        ("withdrawn", first["李小明"].pk, 2),
        ("withdrawn", first[ORGANISATION[0]].pk, 3),
        ("added", copies[ORGANISATION[0]].pk, 3),
        ("added", copies["欧阳娜娜"].pk, 4),
    ]
    withdrawn = data["results"][1]
    assert withdrawn == {
        "change": "withdrawn",
        "id": first["李小明"].pk,
        "name": "李某某",
        "case_number": "（2025）黑0902民初5号",
        "version": 2,
    }
    added = data["results"][3]
    assert (added["name"], added["amount"], added["added_in"]) == (ORGANISATION[0], "180000.00", 3)
    assert added["identity"] == {"name": ORGANISATION[0], "number": ORGANISATION[1]}

    since_3 = api(f"{url}?since=3").json()
    assert [(c["change"], c["id"]) for c in since_3["results"]] == [
        ("withdrawn", first["欧阳娜娜"].pk),
        ("added", copies["欧阳娜娜"].pk),
    ]
    assert all(c["name"] != "李某某" for c in since_3["results"])

    up_to_date = api(f"{url}?since=4")
    assert up_to_date.status_code == 200
    assert (up_to_date.json()["count"], up_to_date.json()["results"]) == (0, [])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "缺少参数 since"),
        ("?since=", "缺少参数 since"),
        ("?since=0", "版次 0 不存在"),
        ("?since=999", "版次 999 不存在"),
        ("?since=abc", "版次 abc 不存在"),
        ("?since=-1", "不存在"),
    ],
)
def test_a_missing_or_unknown_since_is_a_400_in_chinese(api, make_batch, query, message):
    batch = make_batch()
    response = api(f"{BATCHES}{batch.pk}/changes/{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert message in response.json()["error"] and "1 至 1" in response.json()["error"]


def test_the_changes_page_across_the_withdrawn_and_added_boundary(api, corrected):
    batch, _first, _copies = corrected
    url = f"{BATCHES}{batch.pk}/changes/?since=1"
    whole = api(url).json()["results"]

    pages, next_url = [], f"{url}&page_size=2"
    while next_url:
        data = api(next_url).json()
        assert data["count"] == 5 and data["pages"] == 3
        pages.append([(c["change"], c["id"]) for c in data["results"]])
        next_url = data["next"]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [change for change, _id in pages[1]] == ["withdrawn", "added"]  # the page that straddles
    assert [item for page in pages for item in page] == [(c["change"], c["id"]) for c in whole]
    assert "since=1" in (following := api(f"{url}&page_size=2").json()["next"]) and "until=4" in following

    for size in (1, 3, 4):
        paged = []
        for number in range(1, -(-5 // size) + 1):
            paged += api(f"{url}&page_size={size}&page={number}").json()["results"]
        assert paged == whole, size
