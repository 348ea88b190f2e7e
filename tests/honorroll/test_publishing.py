"""Publishing freezes a batch with masked public names; corrections go through objections."""

import pytest
from django.core.exceptions import ValidationError

from honorroll import corrections, publishing
from honorroll.models import ListEntry, Objection
from honorroll.nominations import withdraw
from tests.factories import nominate_party, second_list_manager
from tests.honorroll.conftest import PEOPLE

pytestmark = pytest.mark.django_db


def test_publication_stores_the_masked_public_form(make_batch):
    batch = make_batch()
    names = {e.party_name: e.public_name for e in batch.entries.all()}
    assert names == {
        "欧阳娜娜": "欧阳某某",
        "买买提·艾力": "买某",
        "张三": "张某1",
        "张四": "张某2",
        "李小明": "李某某",
        "七台河市某建设工程有限公司": "七台河市某建设工程有限公司",
    }
    assert batch.is_published and batch.revision == 1 and batch.published_by is not None


def test_the_same_person_twice_keeps_one_number(make_batch):
    batch = make_batch(people=["张三", "张三", "张四"], organisations=(), publish=False)
    # Two cases of the same person are two entries (different case numbers).
    names = publishing.public_names(batch.entries.all())
    assert sorted(names.values()) == ["张某1", "张某1", "张某2"]


def test_a_published_batch_is_frozen(make_batch):
    batch = make_batch()
    entry = batch.entries.first()
    entry.party_name = "王五"
    with pytest.raises(ValidationError, match="异议更正程序"):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(publishing.ListError, match="已发布"):
        publishing.publish(batch, actor=batch.published_by)


def test_publishing_needs_entries_and_consent(make_batch, list_manager):
    empty = make_batch(people=[], organisations=(), publish=False)
    with pytest.raises(publishing.ListError, match="没有条目"):
        publishing.publish(empty, actor=list_manager)
    batch = make_batch(number=4, publish=False)
    batch.entries.filter(party_name="张三").update(consented_at=None)
    with pytest.raises(publishing.ListError, match="张三 等 1 人没有本人同意记录"):
        publishing.publish(batch, actor=list_manager)
    assert not batch.entries.exclude(public_name="").exists()


def test_an_upheld_objection_removes_the_entry_and_republishes(make_batch, list_manager):
    batch = make_batch()
    entry = batch.entries.get(party_name="李小明")
    objection = corrections.record_objection(
        entry, requested_by="李小明", reason="案件已再审改判。", actor=list_manager
    )
    with pytest.raises(publishing.ListError, match="处理意见"):
        corrections.decide_objection(objection, upheld=True, note=" ", actor=second_list_manager())
    corrections.decide_objection(
        objection, upheld=True, note="经核实，异议成立。", actor=second_list_manager()
    )
    batch.refresh_from_db()
    assert batch.revision == 2
    assert "李某某" not in [e.public_name for e in publishing.public_entries(batch)]
    assert len(publishing.public_entries(batch)) == len(PEOPLE)  # 5 people + 1 organisation − 1
    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.UPHELD and objection.decided_by == second_list_manager()
    with pytest.raises(publishing.ListError, match="已处理"):
        corrections.decide_objection(objection, upheld=False, note="再次", actor=second_list_manager())


def test_a_dismissed_objection_changes_nothing_public(make_batch, list_manager):
    batch = make_batch()
    entry = batch.entries.get(party_name="张三")
    objection = corrections.record_objection(
        entry, requested_by="张三", reason="不同意公开。", actor=list_manager
    )
    corrections.decide_objection(
        objection, upheld=False, note="本人已书面同意。", actor=second_list_manager()
    )
    batch.refresh_from_db()
    assert batch.revision == 1 and ListEntry.objects.get(pk=entry.pk).removed_at is None


def test_nominations_become_entries_once(make_batch, list_manager):
    import datetime

    from django.utils import timezone

    from honorroll.nominations import nominate
    from portal.models import CauseOfAction, Court

    nomination = nominate(
        party_name="杨某某",
        party_kind="person",
        credit_code="",
        court=Court.objects.get(code="黑0902"),
        case_number="（2025）黑0902民初123号",
        cause=CauseOfAction.objects.get(name="民间借贷纠纷"),
        performed_on=datetime.date(2025, 6, 18),
        source="自动履行证明书申请 ZS20250618-ABC234",
        consented_at=timezone.now(),
    )
    batch = make_batch(people=[], organisations=(), publish=False)
    assert list(publishing.candidates()) == [nomination]
    assert publishing.add_nominations(batch, [nomination]) == 1
    assert publishing.add_nominations(batch, [nomination]) == 0
    assert list(publishing.candidates()) == []
    entry = batch.entries.get()
    assert entry.source == "nomination" and entry.consented_at == nomination.consented_at


def test_a_basic_courts_batch_offers_only_its_own_candidates():
    import datetime

    from django.utils import timezone

    from honorroll.nominations import nominate
    from portal.models import CauseOfAction, Court

    for code in ("黑0902", "黑0921"):
        nominate(
            party_name="杨某某",
            party_kind="person",
            credit_code="",
            court=Court.objects.get(code=code),
            case_number=f"（2025）{code}民初1号",
            cause=CauseOfAction.objects.get(name="民间借贷纠纷"),
            performed_on=datetime.date(2025, 6, 18),
            source=f"申请 {code}",
            consented_at=timezone.now(),
        )
    assert [n.court.code for n in publishing.candidates(Court.objects.get(code="黑0902"))] == ["黑0902"]
    assert len(publishing.candidates(Court.objects.get(code="黑09"))) == 2


def test_one_person_written_two_ways_keeps_one_number(make_batch):
    batch = make_batch(
        people=["张三", "张 三", "张四", "买买提·艾力", "买买提•艾力"], organisations=(), publish=False
    )
    names = [
        name
        for _entry, name in sorted(
            publishing.public_names(batch.entries.all()).items(), key=lambda i: i[0].pk
        )
    ]
    assert names == ["张某1", "张某1", "张某2", "买某", "买某"]


def test_entries_never_print_the_real_name(make_batch):
    from honorroll.models import Nomination

    batch = make_batch(publish=False)
    for entry in batch.entries.all():
        assert entry.party_name not in str(entry)
    nomination = Nomination(party_name="欧阳娜娜", case_number="（2025）黑0902民初1号")
    assert "欧阳娜娜" not in str(nomination) and "娜娜" not in str(nomination)


def test_an_entry_cannot_be_moved_out_of_a_published_batch(make_batch):
    published = make_batch()
    draft = make_batch(number=9, people=[], organisations=(), publish=False)
    entry = published.entries.first()
    entry.batch = draft
    with pytest.raises(ValidationError, match="异议更正程序"):
        entry.save()
    assert ListEntry.objects.get(pk=entry.pk).batch_id == published.pk


def test_a_removed_entry_takes_no_second_objection(make_batch, list_manager):
    batch = make_batch()
    entry = batch.entries.get(party_name="李小明")
    objection = corrections.record_objection(
        entry, requested_by="李小明", reason="改判。", actor=list_manager
    )
    corrections.decide_objection(objection, upheld=True, note="成立。", actor=second_list_manager())
    with pytest.raises(publishing.ListError, match="已经移除"):
        corrections.record_objection(
            ListEntry.objects.get(pk=entry.pk), requested_by="李小明", reason="再次。", actor=list_manager
        )


# ---------------------------------------------------------------------------
# Candidates the list refuses (publishing.add_nominations): nothing is added
# ---------------------------------------------------------------------------


def test_a_withdrawn_candidate_is_refused(make_batch):
    good = nominate_party("杨某某", number=123)
    revoked = nominate_party("赵某某", number=124, certificate_serial="2025-0902-00007")
    withdraw(certificate_serial="2025-0902-00007", reason="原告反映款项被退回。")
    batch = make_batch(people=[], organisations=(), publish=False)

    with pytest.raises(publishing.ListError) as refused:
        publishing.add_nominations(batch, [good, revoked])

    assert refused.value.message == (
        "（2025）黑0902民初124号（自动履行证明书申请 ZS20250618-000124）：该候选已撤回"
        "（证明书 2025-0902-00007 已撤销：原告反映款项被退回。），不能列入名单。"
    )
    assert not batch.entries.exists()
    assert list(publishing.candidates()) == [good]  # the withdrawn one is offered no more


def test_another_courts_candidate_is_refused_by_a_basic_courts_batch(make_batch):
    own = nominate_party("杨某某", court_code="黑0902", number=1)
    other = nominate_party("钱某某", court_code="黑0921", number=2)
    batch = make_batch(people=[], organisations=(), publish=False)

    with pytest.raises(
        publishing.ListError, match="是勃利县人民法院的案件，不能列入七台河市新兴区人民法院的名单"
    ):
        publishing.add_nominations(batch, [own, other])

    assert not batch.entries.exists()
    intermediate = make_batch(court_code="黑09", number=1, people=[], organisations=(), publish=False)
    assert publishing.add_nominations(intermediate, [own, other]) == 2  # the city's list takes both


def test_a_party_already_listed_this_year_is_refused(make_batch):
    make_batch(number=3)  # published: 李小明 is on 2025年第3期
    again = nominate_party("李小明", number=201)
    other_year = make_batch(year=2026, number=1, people=[], organisations=(), publish=False)
    draft = make_batch(number=4, people=[], organisations=(), publish=False)

    with pytest.raises(publishing.ListError) as refused:
        publishing.add_nominations(draft, [again])

    assert refused.value.message.endswith(
        "该当事人已列入七台河市新兴区人民法院2025年第3期的名单，同一年度不重复列入。"
    )
    assert not draft.entries.exists()
    assert publishing.add_nominations(other_year, [again]) == 1  # another year: listed again


def test_two_people_of_one_name_are_told_apart_by_their_id_numbers(make_batch):
    first = nominate_party("张伟", number=401, identity="11010519491231002X")
    listed = make_batch(number=5, people=[], organisations=(), publish=False)
    publishing.add_nominations(listed, [first])
    publishing.publish(listed, actor=second_list_manager())
    draft = make_batch(number=6, people=[], organisations=(), publish=False)
    namesake = nominate_party("张伟", number=402, identity="110105194912310038")
    same_person = nominate_party("张伟", number=403, identity="11010519491231002X")

    assert publishing.add_nominations(draft, [namesake]) == 1  # another 张伟
    with pytest.raises(publishing.ListError, match="同一年度不重复列入"):
        publishing.add_nominations(draft, [same_person])
    assert draft.entries.count() == 1


def test_a_person_without_consent_is_refused(make_batch):
    unconsented = nominate_party("孙某某", number=301, consented_at=None)
    batch = make_batch(people=[], organisations=(), publish=False)

    with pytest.raises(publishing.ListError, match="自然人须经本人同意才能列入名单"):
        publishing.add_nominations(batch, [unconsented])

    assert not batch.entries.exists()
