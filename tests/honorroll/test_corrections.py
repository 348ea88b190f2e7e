"""Corrections that meet other corrections: objections pending on an entry that another
decision corrects, a corrected name (numbering, and no identity carried to another name),
a correction that would duplicate a live entry, and withdrawn entries in old versions."""

import pytest

from honorroll import corrections, publishing
from honorroll.models import AgencyApiKey, ListEntry, Objection, Recipient
from portal import crypto
from tests.factories import second_list_manager
from tests.honorroll.test_versions import correct, remove

pytestmark = pytest.mark.django_db


def test_an_objection_pending_on_a_corrected_entry_follows_it_to_the_copy(make_batch, list_manager):
    batch = make_batch()
    entry = batch.entries.get(party_name="张三")
    revocation = corrections.open_revocation_correction(entry, reason="原告反映尚有欠款。")
    correct(batch, "张三", list_manager, "performed_on", "2025-06-20")  # decided first

    copy = ListEntry.objects.get(replaces=entry)
    revocation.refresh_from_db()
    assert revocation.entry == copy and revocation.decision == Objection.Decision.PENDING
    corrections.decide_objection(
        revocation, outcome="remove", note="证明书已撤销。", actor=second_list_manager()
    )
    assert "张某1" not in [e.public_name for e in publishing.public_entries(batch)]


def test_a_corrected_name_takes_the_next_number_and_no_identity(make_batch, list_manager):
    batch = make_batch()  # 张三 → 张某1, 张四 → 张某2
    zhang = batch.entries.get(party_name="张三")
    ListEntry.objects.filter(pk=zhang.pk).update(
        identity_encrypted=crypto.encrypt("11010519491231002X"),
        identity_hash=crypto.keyed_hash("11010519491231002X"),
        identity_consented_at=zhang.consented_at,
    )
    correct(batch, "张三", list_manager, "party_name", "张五")
    correct(batch, "李小明", list_manager, "party_name", "张六")

    live = {e.party_name: e for e in publishing.public_entries(batch)}
    # 张五 masks like 张三 and takes the place (张某1) 张三 left; 张六 (was 李某某) the next number.
    assert (live["张四"].public_name, live["张五"].public_name, live["张六"].public_name) == (
        "张某2",
        "张某1",
        "张某3",
    )
    # 张五 may be another person: the ID number consented for 张三 is not sent under his name.
    assert live["张五"].identity_encrypted == "" and live["张五"].identity_consented_at is None
    # A name spelt right for the same mask keeps the published public name.
    correct(batch, "张五", list_manager, "party_name", "张伍")
    assert publishing.public_entries(batch).get(party_name="张伍").public_name == "张某1"


def test_a_correction_that_would_duplicate_a_live_entry_is_refused(make_batch, list_manager):
    batch = make_batch()
    other = batch.entries.get(party_name="张四")
    correct(batch, "张三", list_manager, "party_name", "张四")  # 张四 in two cases: allowed
    copy = batch.entries.exclude(pk=other.pk).get(party_name="张四", removed_in__isnull=True)
    objection = corrections.record_objection(
        copy, requested_by="张四", reason="案号有误。", actor=list_manager
    )
    with pytest.raises(publishing.ListError, match="另一条目的当事人和案号相同"):
        corrections.decide_objection(
            objection,
            outcome="correct",
            field="case_number",
            value=other.case_number.replace("（", "(").replace("）", ")"),
            note="更正案号。",
            actor=second_list_manager(),
        )
    objection.refresh_from_db()
    batch.refresh_from_db()
    assert objection.decision == Objection.Decision.PENDING and batch.revision == 2


def test_an_old_version_gives_no_identity_of_an_entry_withdrawn_since(client, make_batch, list_manager):
    batch = make_batch()
    zhang = batch.entries.get(party_name="张三")
    ListEntry.objects.filter(pk=zhang.pk).update(
        identity_encrypted=crypto.encrypt("11010519491231002X"), identity_consented_at=zhang.consented_at
    )
    _, key = AgencyApiKey.issue(Recipient.objects.create(name="中国人民银行七台河市分行"))
    path = f"/api/v1/honor-roll/batches/{batch.pk}/entries/?version=1"
    before = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert {"name": "张三", "number": "11010519491231002X"} in [r["identity"] for r in before["results"]]

    remove(batch, "张三", list_manager)  # 本人撤回同意
    after = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    row = next(r for r in after["results"] if r["id"] == zhang.pk)
    assert row["name"] == "张某1" and row["identity"] is None
    assert "11010519491231002X" not in str(after)


def test_a_change_list_is_pinned_to_the_version_its_first_page_saw(client, make_batch, list_manager):
    batch = make_batch()
    removed = batch.entries.get(party_name="李小明")
    remove(batch, "李小明", list_manager)  # version 2
    _, key = AgencyApiKey.issue(Recipient.objects.create(name="国家税务总局七台河市税务局"))
    url = f"/api/v1/honor-roll/batches/{batch.pk}/changes/"

    def get(query):
        return client.get(url + query, HTTP_AUTHORIZATION=f"Bearer {key}")

    first = get("?since=1").json()
    assert first["until"] == 2 and [r["id"] for r in first["results"]] == [removed.pk]
    correct(batch, "张三", list_manager, "performed_on", "2025-06-20")  # version 3, while paging
    pinned = get("?since=1&until=2").json()
    assert [(r["change"], r["id"]) for r in pinned["results"]] == [("withdrawn", removed.pk)]
    latest = get("?since=1").json()
    assert latest["version"] == 3 and len(latest["results"]) == 3  # + 张三 withdrawn and added
    refused = get("?since=3&until=2")
    assert refused.status_code == 400 and "不能大于" in refused.json()["error"]
