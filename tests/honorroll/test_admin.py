"""The list in the Wagtail admin: group 名单管理 builds, previews, publishes and corrects."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from honorroll.models import AgencyApiKey, ListBatch, ListEntry, Nomination, Objection, Recipient
from portal.models import CauseOfAction, Court
from tests import confirming
from tests.factories import NominationFactory, UserFactory, second_list_manager
from tests.portal.test_admin_language import english_on_screen
from tests.staff import log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, list_manager):
    log_in_verified(client, list_manager)
    return list_manager


def batch_url(batch):
    return f"/admin/honorroll/batches/{batch.pk}/manage/"


def test_create_a_batch_and_see_the_index(client, staff):
    response = client.post(
        "/admin/honorroll/batches/new/",
        {"court": Court.objects.get(code="黑0902").pk, "year": "2025", "number": "3"},
    )
    assert response.status_code == 302
    batch = ListBatch.objects.get()
    assert batch.title == "2025年第3期" and batch.status == "draft"
    index = client.get("/admin/honorroll/batches/")
    assert index.status_code == 200 and batch_url(batch) in index.content.decode()
    duplicate = client.post(
        "/admin/honorroll/batches/new/",
        {"court": Court.objects.get(code="黑0902").pk, "year": "2025", "number": "3"},
    )
    assert duplicate.status_code == 200 and ListBatch.objects.count() == 1


def test_the_draft_shows_every_masked_name_before_publication(client, staff, make_batch):
    batch = make_batch(publish=False)
    soup = BeautifulSoup(client.get(batch_url(batch)).content, "html.parser")
    previews = [cell.get_text(strip=True) for cell in soup.select("[data-public-name]")]
    assert previews == ["欧阳某某", "买某", "张某1", "张某2", "李某某", "七台河市某建设工程有限公司"]
    assert "欧阳娜娜" in soup.get_text()  # staff see the real name next to the public form
    asked = client.post(batch_url(batch), {"action": "publish"})
    published = confirming.confirm(client, asked)
    assert "2025年第3期已发布" in published.content.decode()
    batch.refresh_from_db()
    assert batch.is_published and batch.published_by == staff


def test_publishing_first_names_what_will_be_frozen_and_changes_nothing(client, staff, make_batch):
    batch = make_batch(publish=False)
    asked = client.post(batch_url(batch), {"action": "publish"})
    assert confirming.facts(asked) == {
        "名单": "七台河市新兴区人民法院 2025年第3期",
        "条目数": "6 条",
        "案件所属法院": "七台河市新兴区人民法院",
        "公开名称（发布时冻结）": "欧阳某某、买某、张某1、张某2、李某某、七台河市某建设工程有限公司",
    }
    said = confirming.text(asked)
    assert "异议程序" in said and "冻结" in said
    assert english_on_screen(asked.content) == []
    soup = BeautifulSoup(asked.content, "html.parser")
    assert soup.find("button", string="确认发布")
    assert soup.find("a", string="返回，不作更改")["href"] == batch_url(batch)
    batch.refresh_from_db()
    assert batch.status == "draft" and not batch.entries.exclude(public_name="").exists()


def test_a_long_batch_shows_the_first_twenty_names_and_every_court(client, staff, make_batch):
    people = [f"王{chr(0x4E00 + n)}" for n in range(25)]
    batch = make_batch(court_code="黑09", people=people, organisations=(), publish=False)
    batch.entries.filter(party_name__in=people[20:]).update(court=Court.objects.get(code="黑0921"))
    asked = confirming.facts(client.post(batch_url(batch), {"action": "publish"}))
    assert asked["条目数"] == "25 条"
    assert asked["案件所属法院"] == "七台河市中级人民法院、勃利县人民法院"
    names = asked["公开名称（发布时冻结）"]
    assert names.endswith(" 等 25 条") and names.count("、") == 19 and "王某20" in names
    assert "王某21" not in names


def test_a_confirmed_publication_is_still_refused_when_a_person_has_not_consented(client, staff, make_batch):
    batch = make_batch(publish=False)
    batch.entries.filter(party_name="张三").update(consented_at=None)
    refused = confirming.confirm(client, client.post(batch_url(batch), {"action": "publish"}))
    assert "张三 等 1 人没有本人同意记录，不能发布" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.status == "draft"


def test_candidates_join_a_draft(client, staff, make_batch):
    nomination = Nomination.objects.create(
        party_name="杨某某",
        party_kind="person",
        court=Court.objects.get(code="黑0902"),
        case_number="（2025）黑0902民初123号",
        cause=CauseOfAction.objects.get(name="民间借贷纠纷"),
        performed_on=datetime.date(2025, 6, 18),
        source="自动履行证明书申请 ZS20250618-ABC234",
        consented_at=timezone.now(),
    )
    batch = make_batch(people=[], organisations=(), publish=False)
    assert "杨某某" in client.get(batch_url(batch)).content.decode()
    response = client.post(
        batch_url(batch), {"action": "add_candidates", "nomination": [nomination.pk]}, follow=True
    )
    assert "已加入 1 条" in response.content.decode()
    assert batch.entries.get().nomination == nomination


def test_a_published_batch_is_corrected_only_through_an_objection(client, staff, make_batch):
    batch = make_batch()
    entry = batch.entries.get(party_name="李小明")
    refused = client.post(batch_url(batch), {"action": "remove_entry", "entry": entry.pk}, follow=True)
    assert "异议更正程序" in refused.content.decode()
    assert ListEntry.objects.filter(pk=entry.pk, removed_at__isnull=True).exists()

    client.post(
        batch_url(batch),
        {"action": "record_objection", "entry": entry.pk, "requested_by": "李小明", "reason": "已改判。"},
    )
    objection = Objection.objects.get()
    assert "异议处理中" in client.get(batch_url(batch)).content.decode()
    # Where the court has two list staff, the one who registered it does not decide it.
    refused = client.post(
        batch_url(batch),
        {"action": "decide_objection", "objection": objection.pk, "decision": "upheld", "note": "成立。"},
        follow=True,
    )
    assert "登记人以外" in refused.content.decode()
    log_in_verified(client, second_list_manager())
    missing_note = client.post(
        batch_url(batch),
        {"action": "decide_objection", "objection": objection.pk, "decision": "upheld"},
        follow=True,
    )
    assert "请填写处理意见" in missing_note.content.decode()
    assert not confirming.is_confirmation(missing_note)
    asked = client.post(
        batch_url(batch),
        {
            "action": "decide_objection",
            "objection": objection.pk,
            "decision": "upheld",
            "note": "经核实成立。",
        },
    )
    assert confirming.facts(asked) == {
        "条目（公开名称）": "李某某",
        "案号": entry.case_number,
        "异议人": "李小明",
        "异议理由": "已改判。",
        "处理决定": "异议成立，移除条目并重新发布第 2 版",
        "处理意见": "经核实成立。",
    }
    objection.refresh_from_db()
    batch.refresh_from_db()
    assert objection.decision == "pending" and batch.revision == 1
    assert ListEntry.objects.get(pk=entry.pk).removed_at is None
    done = confirming.confirm(client, asked)
    assert "批次已重新发布" in done.content.decode()
    batch.refresh_from_db()
    assert batch.revision == 2 and ListEntry.objects.get(pk=entry.pk).removed_at is not None


def test_a_dismissal_is_confirmed_too_and_a_decided_objection_stays_decided(client, staff, make_batch):
    batch = make_batch()
    entry = batch.entries.get(party_name="张三")
    client.post(
        batch_url(batch),
        {"action": "record_objection", "entry": entry.pk, "requested_by": "张三", "reason": "名字写错。"},
    )
    objection = Objection.objects.get()
    log_in_verified(client, second_list_manager())  # the one who registered it does not decide
    decide = {"action": "decide_objection", "objection": objection.pk, "decision": "dismissed"}
    asked = client.post(batch_url(batch), {**decide, "note": "经核实，名称无误。"})
    assert confirming.facts(asked)["处理决定"] == "异议不成立"
    assert "不能更改或撤销" in confirming.text(asked)
    confirming.confirm(client, asked)
    objection.refresh_from_db()
    assert objection.decision == "dismissed" and objection.decision_note == "经核实，名称无误。"

    # The same decision confirmed again (a second click, a stale page) is refused.
    again = client.post(
        batch_url(batch), {**decide, "decision": "upheld", "note": "x", "confirmed": "1"}, follow=True
    )
    assert "该异议已处理" in again.content.decode()
    # A confirmed POST is checked like the first one.
    blank = client.post(batch_url(batch), {**decide, "note": " ", "confirmed": "1"}, follow=True)
    assert "请填写处理意见" in blank.content.decode()
    batch.refresh_from_db()
    assert batch.revision == 1 and ListEntry.objects.get(pk=entry.pk).removed_at is None


def test_keys_are_shown_once_and_stored_hashed(client, staff):
    recipient = Recipient.objects.create(name="七台河市发展和改革委员会")
    url = f"/admin/honorroll/recipients/{recipient.pk}/keys/"
    issued = client.post(url, {"action": "issue"})
    plaintext = BeautifulSoup(issued.content, "html.parser").select_one("[data-new-key]").get_text()
    key = AgencyApiKey.objects.get()
    assert (
        plaintext.startswith("hr_") and plaintext not in key.key_hash and AgencyApiKey.authenticate(plaintext)
    )
    assert plaintext not in client.get(url).content.decode()  # never again
    # Irreversible: a confirmation page first, which changes nothing.
    asked = client.post(url, {"action": "revoke", "key": key.pk})
    assert "确认吊销接口密钥" in asked.content.decode() and AgencyApiKey.authenticate(plaintext)
    client.post(url, {"action": "revoke", "key": key.pk, "confirmed": "1"})
    assert AgencyApiKey.authenticate(plaintext) is None
    # Who issued it and who revoked it stays on record, and is shown.
    key.refresh_from_db()
    assert key.issued_by == staff and key.revoked_by == staff
    assert f"，{staff.get_full_name() or staff.get_username()}）" in client.get(url).content.decode()


def test_other_staff_cannot_reach_the_list(client, make_batch):
    batch = make_batch(publish=False)
    client.force_login(UserFactory(username="xuanchuan", groups=["宣传"]))
    assert client.get(batch_url(batch)).status_code == 302
    assert client.post(batch_url(batch), {"action": "publish", "confirmed": "1"}).status_code == 302
    batch.refresh_from_db()
    assert not batch.is_published


def test_a_draft_can_be_discarded_but_a_published_batch_cannot(client, staff, make_batch):
    draft = make_batch(publish=False)
    published = make_batch(number=4)
    refused = client.post(f"/admin/honorroll/batches/delete/{published.pk}/", follow=True)
    assert "已发布的名单不能删除" in refused.content.decode()
    assert ListBatch.objects.filter(pk=published.pk).exists()
    client.post(f"/admin/honorroll/batches/delete/{draft.pk}/")
    assert not ListBatch.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "remove_entry", "entry": "abc"},
        {"action": "decide_objection", "objection": "abc", "decision": "upheld", "note": "x"},
        {"action": "add_candidates", "nomination": ["²", "99999999999999999999999"]},
        {"action": "record_objection", "entry": "x"},
        {"action": "unknown"},
    ],
)
def test_hostile_form_values_get_a_message_not_a_500(client, staff, make_batch, data):
    batch = make_batch(publish=False)
    response = client.post(batch_url(batch), data, follow=True)
    assert response.status_code in (200, 404)


def test_a_nomination_of_another_court_cannot_be_posted_into_a_basic_courts_batch(client, staff, make_batch):
    nomination = Nomination.objects.create(
        party_name="杨某某",
        party_kind="person",
        court=Court.objects.get(code="黑0921"),
        case_number="（2025）黑0921民初1号",
        cause=CauseOfAction.objects.get(name="民间借贷纠纷"),
        performed_on=datetime.date(2025, 6, 18),
        source="申请",
        consented_at=timezone.now(),
    )
    batch = make_batch(people=[], organisations=(), publish=False)  # 黑0902
    response = client.post(
        batch_url(batch), {"action": "add_candidates", "nomination": [nomination.pk]}, follow=True
    )
    assert (
        "的案件，不能列入七台河市新兴区人民法院的名单" in response.content.decode()
        and not batch.entries.exists()
    )


def test_recipients_are_deactivated_not_deleted(client, staff):
    recipient = Recipient.objects.create(name="七台河市市场监督管理局")
    refused = client.post(f"/admin/honorroll/recipients/delete/{recipient.pk}/", follow=True)
    assert refused.status_code == 200 and Recipient.objects.filter(pk=recipient.pk).exists()


def test_revoking_a_key_with_a_bad_id_is_not_a_500(client, staff):
    recipient = Recipient.objects.create(name="七台河市市场监督管理局")
    response = client.post(
        f"/admin/honorroll/recipients/{recipient.pk}/keys/", {"action": "revoke", "key": "abc"}
    )
    assert response.status_code == 404


def test_candidates_are_listed_with_the_way_to_drop_them(client, staff):
    nomination = NominationFactory(party_name="杨某某")
    response = client.get("/admin/honorroll/nominations/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert "杨某某" in soup.select_one("table").get_text()
    links = {a["href"] for a in soup.select("table a[href]")}
    # A candidate has no edit form (it comes from an approved application): no link to one.
    assert f"/admin/honorroll/nominations/delete/{nomination.pk}/" in links
    assert not [link for link in links if "/edit/" in link or "/copy/" in link]


def test_a_batchs_usage_page_leads_back_to_the_batch(client, staff, make_batch):
    batch = make_batch(publish=False)
    response = client.get(f"/admin/honorroll/batches/usage/{batch.pk}/")
    assert response.status_code == 200
    assert batch_url(batch) in {a["href"] for a in BeautifulSoup(response.content, "html.parser").select("a")}
