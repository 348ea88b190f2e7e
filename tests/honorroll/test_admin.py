"""The list in the Wagtail admin: group 名单管理 builds, previews, publishes and corrects."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from honorroll.models import AgencyApiKey, ListBatch, ListEntry, Nomination, Objection, Recipient
from portal.models import CauseOfAction, Court
from tests.factories import NominationFactory, UserFactory
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
    client.post(batch_url(batch), {"action": "publish"})
    batch.refresh_from_db()
    assert batch.is_published and batch.published_by == staff


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
    missing_note = client.post(
        batch_url(batch),
        {"action": "decide_objection", "objection": objection.pk, "decision": "upheld"},
        follow=True,
    )
    assert "请填写处理意见" in missing_note.content.decode()
    done = client.post(
        batch_url(batch),
        {
            "action": "decide_objection",
            "objection": objection.pk,
            "decision": "upheld",
            "note": "经核实成立。",
        },
        follow=True,
    )
    assert "批次已重新发布" in done.content.decode()
    batch.refresh_from_db()
    assert batch.revision == 2 and ListEntry.objects.get(pk=entry.pk).removed_at is not None


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
    client.post(url, {"action": "revoke", "key": key.pk})
    assert AgencyApiKey.authenticate(plaintext) is None


def test_other_staff_cannot_reach_the_list(client, make_batch):
    batch = make_batch(publish=False)
    client.force_login(UserFactory(username="xuanchuan", groups=["宣传"]))
    assert client.get(batch_url(batch)).status_code == 302
    assert client.post(batch_url(batch), {"action": "publish"}).status_code == 302
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
    assert "不是本院的案件" in response.content.decode() and not batch.entries.exists()


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
