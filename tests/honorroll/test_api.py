"""The JSON feed for recipient agencies (/api/v1/honor-roll/): header keys only, published
batches in the public form only, pagination, ETags, the use log and API deliveries."""

import json

import pytest
from django.utils import timezone

from honorroll import corrections
from honorroll.models import AgencyApiKey, ApiKeyUse, Delivery, Recipient
from tests.factories import second_list_manager
from tests.honorroll.conftest import ORGANISATION

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/honor-roll/batches/"
DELIVERIES = "/api/v1/honor-roll/deliveries/"
# Real names and given names of the fixture's people: none may ever appear in the feed.
PRIVATE = ["张三", "张四", "欧阳娜娜", "买买提·艾力", "李小明", "娜娜", "艾力", "小明"]


def entries_url(batch):
    return f"{BATCHES}{batch.pk}/entries/"


@pytest.fixture
def recipient():
    return Recipient.objects.create(name="七台河市发展和改革委员会")


@pytest.fixture
def api_key(recipient):
    return AgencyApiKey.issue(recipient)


@pytest.fixture
def api(client, api_key):
    """GET with the recipient's key in the Authorization header."""
    _, plaintext = api_key

    def get(path, **headers):
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {plaintext}", **headers)

    return get


def test_requests_without_a_valid_key_get_401(client, api_key, recipient, make_batch):
    batch = make_batch()
    row, plaintext = api_key
    cases = [
        ({}, "缺少接口密钥"),
        ({"HTTP_AUTHORIZATION": "Bearer hr_not-a-real-key"}, "接口密钥无效"),
        ({"HTTP_AUTHORIZATION": f"Basic {plaintext}"}, "缺少接口密钥"),
        ({"HTTP_X_API_KEY": "hr_not-a-real-key"}, "接口密钥无效"),
    ]
    for path in (BATCHES, entries_url(batch), DELIVERIES):
        for headers, message in cases:
            response = client.get(path, **headers)
            assert response.status_code == 401, (path, headers)
            assert response["WWW-Authenticate"].startswith("Bearer")
            assert message in response.json()["error"]
            assert "private" in response["Cache-Control"]
    row.revoked_at = timezone.now()
    row.save()
    response = client.get(BATCHES, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 401 and "已吊销" in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    row.revoked_at = None
    row.save()
    recipient.is_active = False
    recipient.save()
    assert client.get(BATCHES, HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 401
    assert not ApiKeyUse.objects.exists()  # nothing authenticated, nothing logged


def test_the_key_is_accepted_in_either_header(client, api_key):
    _, plaintext = api_key
    assert client.get(BATCHES, HTTP_AUTHORIZATION=f"bearer {plaintext}").status_code == 200
    assert client.get(BATCHES, HTTP_X_API_KEY=plaintext).status_code == 200


def test_a_key_in_the_query_string_is_refused(client, api, api_key):
    row, plaintext = api_key
    for name in ("key", "api_key"):
        response = client.get(f"{BATCHES}?{name}={plaintext}")
        assert response.status_code == 400
        assert "请勿在网址中传递接口密钥" in response.json()["error"]
    # Even with a good header too: refused, and the log keeps the path but not the secret.
    response = api(f"{BATCHES}?page=1&api_key={plaintext}")
    assert response.status_code == 400
    use = ApiKeyUse.objects.get()
    assert (use.key, use.status, use.path) == (row, 400, f"{BATCHES}?page=1")


def test_only_get_is_allowed(client, api_key):
    _, plaintext = api_key
    response = client.post(BATCHES, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert "GET" in response.json()["error"]


def test_the_batch_list_shows_published_batches_only(api, make_batch):
    old = make_batch(number=2)
    new = make_batch(number=3, court_code="黑0903")
    make_batch(number=4, publish=False)
    response = api(BATCHES)
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"], data["next"], data["previous"]) == (
        2,
        1,
        1,
        None,
        None,
    )
    assert [b["id"] for b in data["results"]] == [new.pk, old.pk]  # newest first
    first = data["results"][0]
    assert first == {
        "id": new.pk,
        "court": {"name": new.court.name, "code": "黑0903"},
        "title": "2025年第3期",
        "year": 2025,
        "number": 3,
        "revision": 1,
        "version": 1,
        "published_at": timezone.localtime(new.published_at).isoformat(timespec="seconds"),
        "entry_count": 6,
        "entries_url": f"http://testserver{entries_url(new)}",
        "versions_url": f"http://testserver{BATCHES}{new.pk}/versions/",
        "changes_url": f"http://testserver{BATCHES}{new.pk}/changes/",
    }
    assert first["published_at"].endswith("+08:00")
    assert response["Cache-Control"] in ("private, no-cache", "no-cache, private")
    assert response["ETag"].startswith('"')


def test_entries_are_the_public_form(api, make_batch):
    batch = make_batch()
    response = api(entries_url(batch))
    assert response.status_code == 200
    data = response.json()
    assert data["batch"]["id"] == batch.pk and data["batch"]["revision"] == 1
    assert data["batch"]["entry_count"] == data["count"] == 6
    results = data["results"]
    assert [e["name"] for e in results] == [
        "欧阳某某",
        "买某",
        "张某1",
        "张某2",
        "李某某",
        ORGANISATION[0],
    ]
    assert results[0] == {
        "id": batch.entries.get(party_name="欧阳娜娜").pk,
        "name": "欧阳某某",
        "party_kind": "person",
        "credit_code": "",
        "case_number": "（2025）黑0902民初1号",
        "cause": "民间借贷纠纷",
        "court": batch.court.name,
        "performed_on": "2025-06-01",
        "amount": None,
        "added_in": 1,
        "identity": None,  # no consent to give the identity to the agencies
    }
    assert all(e["identity"] is None for e in results[:-1])
    organisation = results[-1]
    assert organisation["party_kind"] == "organisation"
    assert (organisation["name"], organisation["credit_code"]) == ORGANISATION
    assert organisation["identity"] == {"name": ORGANISATION[0], "number": ORGANISATION[1]}
    assert organisation["amount"] == "150000.00"


def test_drafts_and_unknown_batches_are_404(api, make_batch):
    draft = make_batch(publish=False)
    for path in (entries_url(draft), f"{BATCHES}999999/entries/", f"{BATCHES}abc/entries/"):
        response = api(path)
        assert response.status_code == 404, path
        assert response.json() == {"error": "批次不存在或尚未发布。"}


def test_pagination(api, make_batch):
    batch = make_batch()
    url = entries_url(batch)
    first = api(f"{url}?page_size=4").json()
    assert (first["count"], first["page"], first["page_size"], first["pages"]) == (6, 1, 4, 2)
    assert first["previous"] is None
    # The page links hold the version read, so a correction between two pages cannot shift them.
    assert first["next"] == f"http://testserver{url}?version=1&page=2&page_size=4"
    second = api(first["next"]).json()
    assert second["page"] == 2 and second["next"] is None and second["version"] == 1
    assert second["previous"] == f"http://testserver{url}?version=1&page=1&page_size=4"
    names = [e["name"] for e in first["results"] + second["results"]]
    assert len(first["results"]) == 4 and len(second["results"]) == 2
    assert names == [e["name"] for e in api(url).json()["results"]]  # stable order, no overlap
    assert api(f"{url}?page_size=1000").json()["pages"] == 1


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("page=abc", 400, "参数 page 应为正整数"),
        ("page=0", 400, "参数 page 应为正整数"),
        ("page=-1", 400, "参数 page 应为正整数"),
        ("page=1.5", 400, "参数 page 应为正整数"),
        ("page=2", 404, "页码超出范围：共 1 页"),
        ("page_size=5000", 400, "参数 page_size 应为 1 至 1000 之间的整数"),
        ("page_size=0", 400, "参数 page_size 应为 1 至 1000 之间的整数"),
        ("page_size=4&page=3", 404, "页码超出范围：共 2 页"),
    ],
)
def test_bad_parameters_get_a_chinese_error(api, make_batch, query, status, message):
    batch = make_batch()
    response = api(f"{entries_url(batch)}?{query}")
    assert response.status_code == status
    assert message in response.json()["error"]
    assert api(f"{BATCHES}?{query.replace('5000', '101')}").status_code in (400, 404)


def test_etags_give_304_until_a_correction_republishes(api, make_batch, list_manager):
    batch = make_batch()
    url = entries_url(batch)
    response = api(url)
    etag, list_etag = response["ETag"], api(BATCHES)["ETag"]
    not_modified = api(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert api(url, HTTP_IF_NONE_MATCH=f'W/{etag}, "other"').status_code == 304
    assert api(BATCHES, HTTP_IF_NONE_MATCH=list_etag).status_code == 304
    assert api(f"{url}?page_size=3", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another page
    # An upheld objection removes 李小明 (李某某) and re-publishes: new ETags, entry gone.
    entry = batch.entries.get(party_name="李小明")
    objection = corrections.record_objection(
        entry, requested_by="李小明", reason="已改判。", actor=list_manager
    )
    corrections.decide_objection(objection, upheld=True, note="异议成立。", actor=second_list_manager())
    response = api(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag
    data = response.json()
    assert data["batch"]["revision"] == 2 and data["count"] == 5
    assert "李某某" not in [e["name"] for e in data["results"]]
    assert api(BATCHES, HTTP_IF_NONE_MATCH=list_etag).status_code == 200


def test_every_authenticated_request_is_logged(api, api_key, make_batch):
    batch = make_batch()
    url = entries_url(batch)
    etag = api(url)["ETag"]
    api(url, HTTP_IF_NONE_MATCH=etag)
    api(f"{url}?page=9")
    api(f"{BATCHES}abc/entries/")
    api(DELIVERIES)
    uses = list(ApiKeyUse.objects.order_by("pk").values_list("key", "path", "status"))
    key = api_key[0].pk
    assert uses == [
        (key, url, 200),
        (key, url, 304),
        (key, f"{url}?page=9", 404),
        (key, f"{BATCHES}abc/entries/", 404),
        (key, DELIVERIES, 200),
    ]


def test_an_api_pull_is_recorded_once_per_revision(api, recipient, make_batch, list_manager):
    batch = make_batch()
    url = entries_url(batch)
    api(url)
    api(f"{url}?page_size=2&page=2")
    api(url, HTTP_IF_NONE_MATCH=api(url)["ETag"])
    delivery = Delivery.objects.get()
    assert (delivery.batch, delivery.recipient, delivery.method) == (batch, recipient, "api")
    assert (delivery.revision, delivery.entry_count, delivery.sent_by) == (1, 6, None)
    entry = batch.entries.get(party_name="张三")
    objection = corrections.record_objection(
        entry, requested_by="张三", reason="不同意。", actor=list_manager
    )
    corrections.decide_objection(objection, upheld=True, note="撤回同意。", actor=second_list_manager())
    api(url)
    api(url)
    assert list(Delivery.objects.order_by("revision").values_list("revision", "entry_count")) == [
        (1, 6),
        (2, 5),
    ]
    api(BATCHES)  # listing batches is not a delivery
    assert Delivery.objects.count() == 2


def test_an_agency_sees_only_its_own_deliveries(client, api, recipient, make_batch):
    batch = make_batch()
    other = Recipient.objects.create(name="国家税务总局七台河市税务局")
    Delivery.objects.create(batch=batch, recipient=recipient, method="xlsx", revision=1, entry_count=6)
    Delivery.objects.create(batch=batch, recipient=other, method="csv", revision=1, entry_count=6)
    _, other_key = AgencyApiKey.issue(other)
    api(entries_url(batch))  # adds an api delivery for `recipient`
    mine = api(DELIVERIES).json()
    assert mine["recipient"] == recipient.name and mine["count"] == 2
    assert sorted(d["method"] for d in mine["results"]) == ["api", "xlsx"]
    first = mine["results"][0]
    assert first["method"] == "api" and first["method_label"] == "接口获取"
    assert first["batch"] == {
        "id": batch.pk,
        "court": {"name": batch.court.name, "code": "黑0902"},
        "title": "2025年第3期",
    }
    assert (first["revision"], first["entry_count"]) == (1, 6)
    theirs = client.get(DELIVERIES, HTTP_AUTHORIZATION=f"Bearer {other_key}").json()
    assert theirs["recipient"] == other.name
    assert [(d["method"], d["entry_count"]) for d in theirs["results"]] == [("csv", 6)]


def test_no_real_name_is_ever_output(api, make_batch, list_manager):
    batch = make_batch()
    make_batch(number=4, people=["张三丰", "欧阳小明"], organisations=())
    entry = batch.entries.get(party_name="张四")
    objection = corrections.record_objection(entry, requested_by="张四", reason="理由", actor=list_manager)
    bodies = []
    for path in (BATCHES, entries_url(batch), f"{entries_url(batch)}?page_size=2&page=2", DELIVERIES):
        bodies.append(api(path).content.decode())
    corrections.decide_objection(objection, upheld=True, note="成立", actor=second_list_manager())
    for path in (BATCHES, entries_url(batch), DELIVERIES):
        bodies.append(api(path).content.decode())
    for batch_data in json.loads(bodies[0])["results"]:
        bodies.append(api(batch_data["entries_url"]).content.decode())
    assert all(bodies)
    for body in bodies:
        for name in [*PRIVATE, "张三丰", "三丰"]:
            assert name not in body


def test_an_entries_page_takes_a_fixed_number_of_queries(api, make_batch, django_assert_max_num_queries):
    small = make_batch(number=2, people=["张三"], organisations=())
    big = make_batch(number=3)
    api(entries_url(small))  # the first pull also records a delivery
    api(entries_url(big))
    with django_assert_max_num_queries(6):  # key, batch, count, delivery check, rows, use log
        api(entries_url(big))
    with django_assert_max_num_queries(6):
        api(entries_url(small))
